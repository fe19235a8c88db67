// A tip taken by phone and typed into the console, as a CyberTipline <report>: staff-entered
// reports go through the same two validation layers and the same storage as an ESP's.
import { z } from 'zod'
import { escapeXml } from '../../lib/xml.js'
import { INCIDENT_TYPE_VALUES } from './intake.schemas.js'

export const ANNOTATION_FLAGS = ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation', 'informational'] as const

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`).optional().default('')
const checkbox = z.union([z.boolean(), z.enum(['true', 'false', 'on', ''])]).optional().transform((v) => v === true || v === 'true' || v === 'on')

/** The console form. Only the shape is checked here; the report's rules are the XML layers'. */
export const publicTipForm = z.object({
  callReference: text(100),
  incidentType: z.enum(INCIDENT_TYPE_VALUES, { errorMap: () => ({ message: 'choose one of the eight incident types' }) }),
  incidentAt: z.string().trim().min(1, 'is required'),
  platform: text(256),
  escalation: text(3000),
  annotations: z.record(z.enum(ANNOTATION_FLAGS), checkbox).optional().default({}),
  description: text(10_000),
  urls: text(20_000),
  callerFirstName: z.string().trim().min(1, 'is required').max(256),
  callerLastName: text(256),
  callerPhone: text(64),
  callerEmail: text(256),
  suspectScreenName: text(256),
  suspectEmail: text(256),
  suspectPhone: text(64),
  suspectIp: text(64),
  suspectService: text(100),
  victimFirstName: text(256),
  victimAge: text(8),
  victimScreenName: text(256),
})

export type PublicTipForm = z.infer<typeof publicTipForm>

const el = (name: string, value: string) => (value ? `<${name}>${escapeXml(value)}</${name}>` : '')

/**
 * A datetime-local value ("2026-12-01T14:30") is the caller's local time as staff typed it;
 * it is read as UTC, which the form says.
 */
function dateTimeOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value
}

export function publicTipXml(form: PublicTipForm): string {
  const annotations = ANNOTATION_FLAGS.filter((flag) => form.annotations[flag]).map((flag) => `<${flag}/>`).join('')
  const urls = form.urls.split(/\s+/).filter(Boolean)
  const suspect = [form.suspectScreenName, form.suspectEmail, form.suspectPhone, form.suspectIp, form.suspectService].some(Boolean)
  const victim = [form.victimFirstName, form.victimAge, form.victimScreenName].some(Boolean)
  return [
    '<report>',
    '<incidentSummary>',
    el('incidentType', form.incidentType),
    el('platform', form.platform),
    el('escalateToHighPriority', form.escalation),
    annotations ? `<reportAnnotations>${annotations}</reportAnnotations>` : '',
    `<incidentDateTime>${escapeXml(dateTimeOf(form.incidentAt))}</incidentDateTime>`,
    '</incidentSummary>',
    urls.length ? `<internetDetails><webPageIncident>${urls.map((u) => el('url', u)).join('')}</webPageIncident></internetDetails>` : '',
    '<reporter><reportingPerson>',
    el('firstName', form.callerFirstName),
    el('lastName', form.callerLastName),
    form.callerPhone ? `<phone type="Mobile">${escapeXml(form.callerPhone)}</phone>` : '',
    el('email', form.callerEmail),
    '</reportingPerson></reporter>',
    suspect
      ? `<personOrUserReported>${form.suspectEmail || form.suspectPhone ? `<personOrUserReportedPerson>${form.suspectPhone ? `<phone>${escapeXml(form.suspectPhone)}</phone>` : ''}${el('email', form.suspectEmail)}</personOrUserReportedPerson>` : ''}` +
        `${el('espService', form.suspectService)}${el('screenName', form.suspectScreenName)}` +
        `${form.suspectIp ? `<ipCaptureEvent>${el('ipAddress', form.suspectIp)}<eventName>Unknown</eventName></ipCaptureEvent>` : ''}</personOrUserReported>`
      : '',
    victim ? `<victim><victimPerson>${el('firstName', form.victimFirstName)}${el('age', form.victimAge)}</victimPerson>${el('screenName', form.victimScreenName)}</victim>` : '',
    el('additionalInfo', form.description),
    '</report>',
  ].join('')
}

/** Which form field a problem in the generated document belongs to. */
const FIELD_OF_PATH: [RegExp, keyof PublicTipForm][] = [
  [/^\/report\/incidentSummary\/incidentType/, 'incidentType'],
  [/^\/report\/incidentSummary\/incidentDateTime/, 'incidentAt'],
  [/^\/report\/incidentSummary\/platform/, 'platform'],
  [/^\/report\/incidentSummary\/escalateToHighPriority/, 'escalation'],
  [/^\/report\/internetDetails/, 'urls'],
  [/^\/report\/reporter\/reportingPerson\/firstName/, 'callerFirstName'],
  [/^\/report\/reporter\/reportingPerson\/lastName/, 'callerLastName'],
  [/^\/report\/reporter\/reportingPerson\/phone/, 'callerPhone'],
  [/^\/report\/reporter\/reportingPerson\/email/, 'callerEmail'],
  [/^\/report\/personOrUserReported\/personOrUserReportedPerson\/email/, 'suspectEmail'],
  [/^\/report\/personOrUserReported\/personOrUserReportedPerson\/phone/, 'suspectPhone'],
  [/^\/report\/personOrUserReported\/screenName/, 'suspectScreenName'],
  [/^\/report\/personOrUserReported\/espService/, 'suspectService'],
  [/^\/report\/personOrUserReported\/ipCaptureEvent/, 'suspectIp'],
  [/^\/report\/victim(\[\d+\])?\/victimPerson\/firstName/, 'victimFirstName'],
  [/^\/report\/victim(\[\d+\])?\/victimPerson\/age/, 'victimAge'],
  [/^\/report\/victim(\[\d+\])?\/screenName/, 'victimScreenName'],
  [/^\/report\/additionalInfo/, 'description'],
]

export function formFieldOf(path: string): keyof PublicTipForm | null {
  return FIELD_OF_PATH.find(([pattern]) => pattern.test(path))?.[1] ?? null
}
