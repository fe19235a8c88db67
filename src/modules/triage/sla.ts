import type { Priority } from '@prisma/client'

/** When a report of this level must have been acted on: its SLA clock starts at triage. */
export function slaDueAt(triagedAt: Date, level: Priority, slaMinutes: Record<Priority, number>): Date {
  return new Date(triagedAt.getTime() + slaMinutes[level] * 60_000)
}
