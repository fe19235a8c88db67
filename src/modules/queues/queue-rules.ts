// Who works which queue, and the SLA arithmetic of the sweeps. Pure: no I/O.
import type { Priority, Queue, StaffRole } from '@prisma/client'

export const QUEUES: readonly Queue[] = ['CYBERTIPLINE', 'CVIP']
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'INFO']

/** Statuses in which a report is still being worked: the SLA clock runs, leases may be held. */
export const WORKABLE_STATUSES = ['TRIAGED', 'IN_REVIEW'] as const

/** An analyst's own team queue; undefined for roles that are not limited to one. */
export function teamQueue(role: StaffRole): Queue | undefined {
  if (role === 'CYBERTIP_ANALYST') return 'CYBERTIPLINE'
  if (role === 'CVIP_ANALYST') return 'CVIP'
  return undefined
}

/** The queues a person claims from: an analyst their team's, a supervisor both; nobody else claims. */
export function queuesWorkedBy(role: StaffRole): Queue[] {
  const own = teamQueue(role)
  if (own) return [own]
  return role === 'SUPERVISOR' ? [...QUEUES] : []
}

/** May this role see (and so act on) a report of this queue? Analysts see their own team's only. */
export function seesQueue(role: StaffRole, queue: Queue | null): boolean {
  const own = teamQueue(role)
  return own === undefined || own === queue
}

/** Supervisors and administrators act on any claim: assign, reassign, release, refer, close. */
export function managesQueues(role: StaffRole): boolean {
  return role === 'SUPERVISOR' || role === 'ADMIN'
}

/** Who may be handed a report of `queue`: that team's analysts, or a supervisor. */
export function mayHold(role: StaffRole, queue: Queue): boolean {
  return teamQueue(role) === queue || role === 'SUPERVISOR'
}

/** When a report with this clock is flagged as nearly due: `percent` of its SLA time used. */
export function slaWarningAt(triagedAt: Date, dueAt: Date, percent: number): Date {
  return new Date(triagedAt.getTime() + Math.round(((dueAt.getTime() - triagedAt.getTime()) * percent) / 100))
}

/**
 * How far ahead of now a due time can be and still be past its warning point: the sweep reads
 * only that slice of the (status, slaDueAt) index.
 */
export function slaWarningHorizonMs(slaMinutes: Record<Priority, number>, percent: number): number {
  return Math.ceil((Math.max(...Object.values(slaMinutes)) * 60_000 * (100 - percent)) / 100)
}

export type ClaimOrderKey = { priority: Priority; slaDueAt: Date | null; id: number }

/** The order claim-next hands reports out in: level first, then the earliest due time, then id. */
export function compareClaimOrder(a: ClaimOrderKey, b: ClaimOrderKey): number {
  const level = PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority)
  if (level !== 0) return level
  const due = (a.slaDueAt?.getTime() ?? Infinity) - (b.slaDueAt?.getTime() ?? Infinity)
  if (due !== 0 && !Number.isNaN(due)) return due
  return a.id - b.id
}
