// A person's word over the rules: change a report's priority, re-route it, or escalate it to
// P1. Each needs a reason, is audited, goes on the report's timeline, survives re-scoring,
// and notifies the way routing would (a P1 in the CyberTipline queue is mailed at once).
import { z } from 'zod'
import { Priority, Queue, type Prisma, type ReportEventKind } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { slaDueAt } from './sla.js'

export const reasonSchema = z.string().trim().min(10, 'Give a reason of at least 10 characters').max(2000)

export const overrideSchemas = {
  changePriority: z.object({ priority: z.nativeEnum(Priority, { errorMap: () => ({ message: 'Choose P1, P2, P3 or INFO' }) }), reason: reasonSchema }),
  reroute: z.object({ queue: z.nativeEnum(Queue, { errorMap: () => ({ message: 'Choose CYBERTIPLINE or CVIP' }) }), reason: reasonSchema }),
  escalate: z.object({ reason: reasonSchema }),
}


/** A report can be re-prioritised or re-routed while it is still being worked. */
const WORKABLE = ['RECEIVED', 'TRIAGED', 'IN_REVIEW'] as const

export type OverridesDeps = {
  db: Db
  clock: Clock
  audit: AuditService
  notifications: Pick<NotificationsService, 'notifyReportRouted'>
  slaMinutes: Record<Priority, number>
}

export function createOverridesService({ db, clock, audit, notifications, slaMinutes }: OverridesDeps) {
  async function apply(
    reportId: number,
    actor: StaffActor,
    action: string,
    eventKind: ReportEventKind,
    reason: string,
    change: (current: { priority: Priority | null; queue: Queue | null }) => { priority?: Priority; queue?: Queue },
  ) {
    return db.$transaction(async (tx: Tx) => {
      // Row lock: two people overriding one report at once are applied one after the other.
      await tx.$queryRaw`SELECT id FROM "Report" WHERE id = ${reportId} FOR UPDATE`
      const report = await tx.report.findUnique({ where: { id: reportId } })
      if (!report || !report.receivedAt) throw new AppError('NOT_FOUND', `Report ${reportId} not found`)
      if (!(WORKABLE as readonly string[]).includes(report.status)) {
        throw new AppError('CONFLICT', `Report ${reportId} is ${report.status.toLowerCase()}: its priority and queue can no longer change`)
      }
      const next = change({ priority: report.priority, queue: report.queue })
      const priority = next.priority ?? report.priority
      const queue = next.queue ?? report.queue
      if (!priority || !queue) throw new AppError('CONFLICT', `Report ${reportId} has not been triaged yet`)
      if (priority === report.priority && queue === report.queue) {
        throw new AppError('CONFLICT', `Report ${reportId} is already ${priority} in the ${queue} queue`)
      }
      const now = clock.now()
      const triagedAt = report.triagedAt ?? now
      const newDueAt = slaDueAt(triagedAt, priority, slaMinutes)
      await tx.report.update({
        where: { id: reportId },
        data: {
          priority,
          queue,
          ...(next.priority ? { priorityOverridden: true } : {}),
          ...(next.queue ? { queueOverridden: true, routeRule: 'override', routeReason: reason } : {}),
          overrideReason: reason,
          overriddenById: actor.id,
          overriddenAt: now,
          slaDueAt: newDueAt,
          // A new clock is warned and escalated afresh (the escalation email is keyed by due time).
          ...(newDueAt.getTime() !== report.slaDueAt?.getTime() ? { slaWarnedAt: null, slaBreachedAt: null } : {}),
          // A report moved to the other team goes back to that team's queue, unclaimed.
          ...(queue !== report.queue ? { assigneeId: null, claimedAt: null, leaseExpiresAt: null, status: report.status === 'IN_REVIEW' ? 'TRIAGED' : report.status } : {}),
        },
      })
      const details = { from: { priority: report.priority, queue: report.queue }, to: { priority, queue } }
      await tx.reportEvent.create({
        data: { reportId, kind: eventKind, actorId: actor.id, note: reason, details: details as Prisma.InputJsonValue, createdAt: now },
      })
      await audit.recordInTx(tx, {
        ...auditActor(actor),
        action,
        objectType: 'Report',
        objectId: reportId,
        outcome: 'SUCCESS',
        details: { ...details, reason },
      })
      const unknownFileCount = await tx.reportFile.count({ where: { reportId, matchStatus: 'UNKNOWN' } })
      await notifications.notifyReportRouted(tx, { id: reportId, priority, queue, receivedAt: report.receivedAt, unknownFileCount })
      return { priority, queue }
    })
  }

  return {
    changePriority: async (reportId: number, input: unknown, actor: StaffActor) => {
      const { priority, reason } = overrideSchemas.changePriority.parse(input)
      return apply(reportId, actor, 'report.change_priority', 'PRIORITY_CHANGED', reason, () => ({ priority }))
    },
    reroute: async (reportId: number, input: unknown, actor: StaffActor) => {
      const { queue, reason } = overrideSchemas.reroute.parse(input)
      return apply(reportId, actor, 'report.reroute', 'REROUTED', reason, () => ({ queue }))
    },
    escalate: async (reportId: number, input: unknown, actor: StaffActor) => {
      const { reason } = overrideSchemas.escalate.parse(input)
      return apply(reportId, actor, 'report.escalate', 'ESCALATED', reason, () => ({ priority: 'P1' }))
    },
  }
}

export type OverridesService = ReturnType<typeof createOverridesService>
