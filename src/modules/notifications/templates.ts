// Email templates: an HTML and a text part each, one layout, Handlebars in strict mode (a
// missing variable is an error, never an empty gap), and a zod schema for each one's data.
// Emails carry ids, priority, queue and a link: never hashes, names, addresses or report text.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { z } from 'zod'
import { PROJECT_ROOT } from '../../lib/project-root.js'

const TEMPLATE_DIR = path.join(PROJECT_ROOT, 'templates/emails/')

const priority = z.enum(['P1', 'P2', 'P3', 'INFO'])
const queue = z.enum(['CYBERTIPLINE', 'CVIP'])
const id = z.number().int().positive()
const isoTime = z.string().datetime()
const url = z.string().url()

const DECISION_TEXT = {
  VERIFIED: ['verified', 'Your registration is verified. You can now sign in to the portal.'],
  REJECTED: ['not approved', 'Your registration was not approved.'],
  MORE_INFO_REQUESTED: ['more information needed', 'We need more information before we can verify your registration. Sign in to the portal to answer.'],
  SUSPENDED: ['suspended', 'Your portal account is suspended. You cannot sign in until it is reinstated.'],
  REINSTATED: ['reinstated', 'Your portal account is reinstated. You can sign in again.'],
  EXPIRED: ['expired', 'Your verification has expired. Sign in to the portal to ask to be verified again.'],
  DISABLED: ['disabled', 'Your portal account was disabled because it was not used for a long time. Contact the clearinghouse to have it reinstated.'],
} as const

const DECISIONS = Object.keys(DECISION_TEXT) as [keyof typeof DECISION_TEXT, ...(keyof typeof DECISION_TEXT)[]]

export const templates = {
  'p1-report': {
    schema: z.object({ reportId: id, priority: z.literal('P1'), queue, receivedAt: isoTime, consoleUrl: url }).strict(),
    subject: (d: { reportId: number; queue: string }) => `[P1] Report ${d.reportId} routed to the ${d.queue} queue`,
    example: { reportId: 4564654, priority: 'P1', queue: 'CYBERTIPLINE', receivedAt: '2026-12-04T10:15:00.000Z', consoleUrl: 'http://localhost:3000/admin/resources/Report/records/4564654/show' },
  },
  'possible-new-victim': {
    schema: z.object({ reportId: id, priority, queue: z.literal('CVIP'), unknownFileCount: z.number().int().positive(), consoleUrl: url }).strict(),
    subject: (d: { reportId: number; priority: string }) => `[${d.priority}] Possible new victim: report ${d.reportId} routed to CVIP`,
    example: { reportId: 4564655, priority: 'P2', queue: 'CVIP', unknownFileCount: 3, consoleUrl: 'http://localhost:3000/admin/resources/Report/records/4564655/show' },
  },
  'queue-digest': {
    schema: z
      .object({
        queue,
        periodStart: isoTime,
        periodEnd: isoTime,
        total: z.number().int().positive(),
        byPriority: z.object({ P1: z.number().int(), P2: z.number().int(), P3: z.number().int(), INFO: z.number().int() }).strict(),
        consoleUrl: url,
      })
      .strict(),
    subject: (d: { queue: string; total: number; periodEnd: string }) => `${d.queue} digest: ${d.total} new report${d.total === 1 ? '' : 's'} to ${d.periodEnd.slice(11, 16)} UTC`,
    example: {
      queue: 'CVIP', periodStart: '2026-12-04T09:00:00.000Z', periodEnd: '2026-12-04T10:00:00.000Z', total: 14,
      byPriority: { P1: 0, P2: 3, P3: 7, INFO: 4 }, consoleUrl: 'http://localhost:3000/admin/resources/Report?filters.queue=CVIP',
    },
  },
  'sla-breach': {
    schema: z.object({ reportId: id, priority, queue, dueAt: isoTime, consoleUrl: url }).strict(),
    subject: (d: { reportId: number; priority: string; queue: string }) => `[${d.priority}] SLA breached: report ${d.reportId} (${d.queue})`,
    example: { reportId: 4564656, priority: 'P2', queue: 'CYBERTIPLINE', dueAt: '2026-12-04T10:15:00.000Z', consoleUrl: 'http://localhost:3000/admin/resources/Report/records/4564656/show' },
  },
  'registration-decision': {
    schema: z
      .object({
        registrationId: id,
        decision: z.enum(DECISIONS),
        reason: z.string().max(2000).nullable(),
        portalUrl: url,
      })
      .strict(),
    subject: (d: { decision: keyof typeof DECISION_TEXT }) => `Your portal registration: ${DECISION_TEXT[d.decision][0]}`,
    example: { registrationId: 42, decision: 'MORE_INFO_REQUESTED', reason: 'Please confirm your badge number with your agency.', portalUrl: 'http://localhost:3000/portal' },
  },
  // The two links below work once; the outbox drops confirmUrl from a row once it is sent.
  'email-confirmation': {
    schema: z.object({ registrationId: id, confirmUrl: url, expiresAt: isoTime }).strict(),
    subject: () => 'Confirm your email address for the law-enforcement portal',
    example: { registrationId: 42, confirmUrl: 'http://localhost:3000/portal/confirm-email?token=example-token', expiresAt: '2026-12-05T10:15:00.000Z' },
  },
  'supervisor-confirmation': {
    schema: z.object({ registrationId: id, applicantRole: z.enum(['officer', 'prosecutor']), confirmUrl: url, expiresAt: isoTime }).strict(),
    subject: () => 'Please confirm an employment: law-enforcement portal registration',
    example: { registrationId: 42, applicantRole: 'officer', confirmUrl: 'http://localhost:3000/portal/supervisor-confirmation?token=example-token', expiresAt: '2026-12-11T10:15:00.000Z' },
  },
  'hash-search-ready': {
    schema: z.object({ searchId: id, portalUrl: url }).strict(),
    subject: () => 'Your hash search results are ready',
    example: { searchId: 7, portalUrl: 'http://localhost:3000/portal/my-reports/7' },
  },
  'hash-search-failed': {
    schema: z.object({ searchId: id, portalUrl: url }).strict(),
    subject: () => 'Your hash search could not be completed',
    example: { searchId: 7, portalUrl: 'http://localhost:3000/portal/hash-search' },
  },
  'collection-review-requested': {
    schema: z.object({ reviewId: id, reportId: id, priority, dueAt: isoTime, consoleUrl: url }).strict(),
    subject: (d: { reviewId: number; priority: string }) => `[${d.priority}] Collection review ${d.reviewId} requested by an officer`,
    example: { reviewId: 3, reportId: 4564657, priority: 'P2', dueAt: '2026-12-05T10:15:00.000Z', consoleUrl: 'http://localhost:3000/admin/resources/Report/records/4564657/show' },
  },
  'audit-integrity-alert': {
    schema: z.object({ problem: z.enum(['BROKEN_CHAIN', 'UNSEALED_EVENTS']), headline: z.string().max(200), detail: z.string().max(1000), checkedAt: isoTime, consoleUrl: url }).strict(),
    subject: (d: { problem: 'BROKEN_CHAIN' | 'UNSEALED_EVENTS' }) =>
      d.problem === 'BROKEN_CHAIN' ? '[SECURITY] The audit trail failed its integrity check' : '[SECURITY] Audit events are not being sealed',
    example: {
      problem: 'BROKEN_CHAIN', headline: 'The audit trail failed its integrity check', detail: 'Place 1042 (event 1187): its content does not match its hash: the event was changed. 1041 events before it verify.',
      checkedAt: '2026-12-05T02:40:00.000Z', consoleUrl: 'http://localhost:3000/admin/resources/AuditEvent',
    },
  },
  'account-locked': {
    schema: z
      .object({
        account: z.enum(['staff account', 'officer account']),
        accountId: id,
        lockedAt: isoTime,
        failures: z.number().int().positive(),
        windowMinutes: z.number().int().positive(),
        factor: z.enum(['password', 'second factor']),
        consoleUrl: url,
      })
      .strict(),
    subject: (d: { account: string; accountId: number }) => `[SECURITY] ${d.account === 'staff account' ? 'Staff' : 'Officer'} account ${d.accountId} locked after failed sign-ins`,
    example: { account: 'staff account', accountId: 12, lockedAt: '2026-12-05T10:15:00.000Z', failures: 5, windowMinutes: 15, factor: 'password', consoleUrl: 'http://localhost:3000/admin/resources/StaffUser/records/12/show' },
  },
  'collection-review-released': {
    schema: z.object({ reviewId: id, portalUrl: url }).strict(),
    subject: () => 'Your collection review is ready',
    example: { reviewId: 3, portalUrl: 'http://localhost:3000/portal/collection-reviews/3' },
  },
} as const

export type TemplateName = keyof typeof templates
export const TEMPLATE_NAMES = Object.keys(templates) as TemplateName[]

/** Values the templates show that derive from the data (so the stored data stays ids only). */
function derived(name: TemplateName, data: Record<string, unknown>): Record<string, unknown> {
  if (name !== 'registration-decision') return {}
  const [decisionLabel, explanation] = DECISION_TEXT[data.decision as keyof typeof DECISION_TEXT]
  return { decisionLabel, explanation }
}

const compileOptions = { strict: true, noEscape: false } as const
const compile = (file: string) => Handlebars.compile(readFileSync(TEMPLATE_DIR + file, 'utf8'), compileOptions)
const layouts = { html: compile('layouts/base.html.hbs'), text: compile('layouts/base.text.hbs') }
const compiled = new Map(TEMPLATE_NAMES.map((name) => [name, { html: compile(`${name}.html.hbs`), text: compile(`${name}.text.hbs`) }]))

export class TemplateDataError extends Error {
  override name = 'TemplateDataError'
}

export type RenderedEmail = { subject: string; html: string; text: string }

/** Renders a template; data that does not fit its schema, or a missing variable, throws. */
export function renderEmail(name: string, data: unknown): RenderedEmail {
  const template = templates[name as TemplateName]
  if (!template) throw new TemplateDataError(`No email template named "${name}"`)
  const parsed = template.schema.safeParse(data)
  if (!parsed.success) {
    throw new TemplateDataError(`Data for template "${name}" is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  }
  const values = { ...parsed.data, ...derived(name as TemplateName, parsed.data) }
  const subject = (template.subject as (d: unknown) => string)(values)
  const parts = compiled.get(name as TemplateName)!
  return {
    subject,
    html: layouts.html({ subject, body: parts.html(values) }),
    text: layouts.text({ body: parts.text(values).trim() }).trim() + '\n',
  }
}
