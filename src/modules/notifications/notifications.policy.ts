// Who is told what, and how soon, when a report is routed (DESIGN.md, "Notifications"):
// a P1 in the CyberTipline queue and a possible new victim in CVIP are mailed at once; every
// other routed report is counted in its queue's hourly digest. Pure: no I/O.
import type { NotificationChannel, NotificationKind, Priority, Queue } from '@prisma/client'
import type { TemplateName } from './templates.js'

export type RoutedReport = {
  id: number
  priority: Priority
  queue: Queue
  receivedAt: Date
  /** Files that match no known hash: a possible new, unidentified victim. */
  unknownFileCount: number
}

export type NotificationPolicy = {
  p1Immediately: boolean
  newVictimImmediately: boolean
  contacts: { cybertipline: string; cvip: string; security: string }
  publicUrl: string
}

export type NotificationDraft = {
  kind: NotificationKind
  channel: NotificationChannel
  recipient: string
  template: TemplateName | 'digest-item'
  data: Record<string, string | number | null>
  idempotencyKey: string
  reportId?: number
  queue?: Queue
  priority?: Priority
}

export function queueContact(policy: Pick<NotificationPolicy, 'contacts'>, queue: Queue): string {
  return queue === 'CVIP' ? policy.contacts.cvip : policy.contacts.cybertipline
}

export function reportUrl(publicUrl: string, reportId: number): string {
  return `${publicUrl}/admin/resources/Report/records/${reportId}/show`
}

/** The notifications a newly routed report calls for: exactly one per report and route. */
export function notificationsForRoutedReport(report: RoutedReport, policy: NotificationPolicy): NotificationDraft[] {
  const base = { reportId: report.id, queue: report.queue, priority: report.priority, recipient: queueContact(policy, report.queue) }
  if (policy.p1Immediately && report.queue === 'CYBERTIPLINE' && report.priority === 'P1') {
    return [{
      ...base,
      kind: 'P1_REPORT',
      channel: 'IMMEDIATE',
      template: 'p1-report',
      data: { reportId: report.id, priority: 'P1', queue: report.queue, receivedAt: report.receivedAt.toISOString(), consoleUrl: reportUrl(policy.publicUrl, report.id) },
      idempotencyKey: `report-${report.id}-p1-${report.queue}`,
    }]
  }
  if (policy.newVictimImmediately && report.queue === 'CVIP' && report.unknownFileCount > 0) {
    return [{
      ...base,
      kind: 'POSSIBLE_NEW_VICTIM',
      channel: 'IMMEDIATE',
      template: 'possible-new-victim',
      data: { reportId: report.id, priority: report.priority, queue: 'CVIP', unknownFileCount: report.unknownFileCount, consoleUrl: reportUrl(policy.publicUrl, report.id) },
      idempotencyKey: `report-${report.id}-new-victim`,
    }]
  }
  return [{
    ...base,
    kind: 'REPORT_ROUTED',
    channel: 'DIGEST',
    template: 'digest-item',
    data: { reportId: report.id },
    idempotencyKey: `report-${report.id}-digest-${report.queue}`,
  }]
}

export type BreachedReport = { id: number; priority: Priority; queue: Queue; slaDueAt: Date }

/**
 * The escalation email for a report past its SLA due time: one per report per due time, so a
 * sweep that runs twice mails once, and a report whose clock was restarted (a new level) and
 * then breached again is escalated again.
 */
export function slaBreachNotification(report: BreachedReport, policy: NotificationPolicy): NotificationDraft {
  return {
    kind: 'SLA_BREACH',
    channel: 'IMMEDIATE',
    recipient: queueContact(policy, report.queue),
    template: 'sla-breach',
    data: { reportId: report.id, priority: report.priority, queue: report.queue, dueAt: report.slaDueAt.toISOString(), consoleUrl: reportUrl(policy.publicUrl, report.id) },
    idempotencyKey: `report-${report.id}-sla-breach-${report.slaDueAt.getTime()}`,
    reportId: report.id,
    queue: report.queue,
    priority: report.priority,
  }
}

export type AuditProblem =
  | { problem: 'BROKEN_CHAIN'; chainSeq: bigint; eventId: bigint; detail: string }
  | { problem: 'UNSEALED_EVENTS'; oldestAt: Date; detail: string }

const AUDIT_HEADLINES = {
  BROKEN_CHAIN: 'The audit trail failed its integrity check',
  UNSEALED_EVENTS: 'Audit events are not being sealed: the sealer in the worker process is not running or is failing',
} as const

/**
 * The security officer's alert from the audit trail's integrity check: once per broken link
 * (however many daily checks find it), and once per day while events wait unsealed.
 */
export function auditIntegrityAlert(found: AuditProblem, checkedAt: Date, policy: NotificationPolicy): NotificationDraft {
  const key = found.problem === 'BROKEN_CHAIN' ? `broken-${found.chainSeq}-${found.eventId}` : `unsealed-${checkedAt.toISOString().slice(0, 10)}`
  return {
    kind: 'AUDIT_INTEGRITY_ALERT',
    channel: 'IMMEDIATE',
    recipient: policy.contacts.security,
    template: 'audit-integrity-alert',
    data: { problem: found.problem, headline: AUDIT_HEADLINES[found.problem], detail: found.detail.slice(0, 1000), checkedAt: checkedAt.toISOString(), consoleUrl: `${policy.publicUrl}/admin/resources/AuditEvent` },
    idempotencyKey: `audit-integrity-${key}`,
    // Sent ahead of report mail: P1.
    priority: 'P1',
  }
}

/** An account locked by failed sign-ins, for the security officer (ASVS V6.3.1: alert on lockout). */
export type LockedAccount = { kind: 'StaffUser' | 'OfficerRegistration'; id: number; lockedAt: Date; failures: number; windowMinutes: number; factor: 'password' | 'second factor' }

export function accountLockedAlert(locked: LockedAccount, policy: NotificationPolicy): NotificationDraft {
  return {
    kind: 'ACCOUNT_LOCKED',
    channel: 'IMMEDIATE',
    recipient: policy.contacts.security,
    template: 'account-locked',
    data: {
      account: locked.kind === 'StaffUser' ? 'staff account' : 'officer account',
      accountId: locked.id,
      lockedAt: locked.lockedAt.toISOString(),
      failures: locked.failures,
      windowMinutes: locked.windowMinutes,
      factor: locked.factor,
      consoleUrl: `${policy.publicUrl}/admin/resources/${locked.kind}/records/${locked.id}/show`,
    },
    // One email per lock: a later lock of the same account is another event.
    idempotencyKey: `account-locked-${locked.kind}-${locked.id}-${locked.lockedAt.toISOString()}`,
    priority: 'P2',
  }
}

const HOUR = 3600_000

/** The hour a digest covers: the whole hour before `now`, in UTC. */
export function digestPeriod(now: Date): { start: Date; end: Date } {
  const end = new Date(Math.floor(now.getTime() / HOUR) * HOUR)
  return { start: new Date(end.getTime() - HOUR), end }
}
