// The work on a claimed report: refer it to an agency, close it with a reason, note something
// on its timeline. Each is one transaction with its timeline entry and its audit event; work by
// the holder renews their lease. Analysts act on the reports they hold, supervisors on any.
import { ClosingReason } from '@prisma/client'
import type pg from 'pg'
import { z } from 'zod'
import { sqlOf, sqlTransaction, type RawSql } from '../../lib/sql.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService } from '../audit/audit.service.js'
import { managesQueues } from './queue-rules.js'
import { lockReport, type LockedReport, type QueueActor, type QueuesService } from './queues.service.js'

const optionalNote = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().trim().max(4000).optional())

export const workflowSchemas = {
  refer: z.object({
    agencyId: z.coerce.number({ invalid_type_error: 'Choose the agency to refer to' }).int().positive('Choose the agency to refer to'),
    note: optionalNote,
  }),
  close: z.object({
    closingReason: z.nativeEnum(ClosingReason, {
      errorMap: () => ({ message: 'Choose a closing reason: INFORMATIONAL, DUPLICATE, INSUFFICIENT_INFORMATION or OUTSIDE_JURISDICTION' }),
    }),
    note: optionalNote,
  }),
  note: z.object({ note: z.string({ required_error: 'Write the note' }).trim().min(1, 'Write the note').max(4000) }),
}

export type TimelineEntry = {
  id: number
  kind: string
  at: Date
  actor: string | null
  note: string | null
  details: unknown
}

export type WorkflowDeps = {
  pool: pg.Pool
  clock: Clock
  audit: Pick<AuditService, 'recordRaw'>
  queues: Pick<QueuesService, 'renewInTx'>
}

export function createWorkflowService({ pool, clock, audit, queues }: WorkflowDeps) {
  /** Refer and close settle a report: its holder, or a supervisor, may do it while it is being worked. */
  function assertMaySettle(report: LockedReport, actor: QueueActor, verb: string) {
    if (report.status !== 'TRIAGED' && report.status !== 'IN_REVIEW') {
      throw new AppError('CONFLICT', `Report ${report.id} is ${report.status.toLowerCase().replace('_', ' ')}: it can no longer be ${verb}`)
    }
    if (managesQueues(actor.role)) return
    if (report.status !== 'IN_REVIEW' || report.assigneeId !== actor.id) {
      throw new AppError('CONFLICT', `Claim report ${report.id} before it is ${verb}: it is not held by you`)
    }
  }

  async function addEvent(tx: RawSql, reportId: number, kind: string, actor: QueueActor, note: string | null, details: unknown, at: Date): Promise<number> {
    const [row] = await tx.$queryRaw<{ id: number }[]>`
      INSERT INTO "ReportEvent" ("reportId", kind, "actorId", note, details, "createdAt")
      VALUES (${reportId}, ${kind}::"ReportEventKind", ${actor.id}, ${note}, ${JSON.stringify(details)}::jsonb, ${at})
      RETURNING id`
    return row!.id
  }

  /** Refers the report to a law-enforcement agency: which, when and by whom are kept on the report. */
  async function refer(reportId: number, input: unknown, actor: QueueActor): Promise<{ agency: string }> {
    const { agencyId, note } = workflowSchemas.refer.parse(input)
    return sqlTransaction(pool, async (tx) => {
      const report = await lockReport(tx, reportId, actor)
      assertMaySettle(report, actor, 'referred')
      const [agency] = await tx.$queryRaw<{ id: number; name: string; ori: string | null }[]>`SELECT id, name, ori FROM "Agency" WHERE id = ${agencyId}`
      if (!agency) throw new AppError('VALIDATION_FAILED', `Agency ${agencyId} does not exist`)
      const now = clock.now()
      await tx.$executeRaw`
        UPDATE "Report" SET status = 'REFERRED', "referredAgencyId" = ${agency.id}, "referredAt" = ${now}, "referredById" = ${actor.id},
          "leaseExpiresAt" = NULL, "firstActionAt" = COALESCE("firstActionAt", ${now}), "updatedAt" = ${now}
        WHERE id = ${reportId}`
      const details = { from: report.status, to: 'REFERRED', agencyId: agency.id, agency: agency.name, ori: agency.ori }
      const eventId = await addEvent(tx, reportId, 'REFERRED', actor, note ?? `Referred to ${agency.name}`, details, now)
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.refer', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details: { agencyId: agency.id, ori: agency.ori, eventId } })
      return { agency: agency.name }
    })
  }

  /** Closes the report with one of the closing reasons. */
  async function close(reportId: number, input: unknown, actor: QueueActor): Promise<{ closingReason: ClosingReason }> {
    const { closingReason, note } = workflowSchemas.close.parse(input)
    return sqlTransaction(pool, async (tx) => {
      const report = await lockReport(tx, reportId, actor)
      assertMaySettle(report, actor, 'closed')
      const now = clock.now()
      await tx.$executeRaw`
        UPDATE "Report" SET status = 'CLOSED', "closingReason" = ${closingReason}::"ClosingReason", "closedAt" = ${now},
          "leaseExpiresAt" = NULL, "firstActionAt" = COALESCE("firstActionAt", ${now}), "updatedAt" = ${now}
        WHERE id = ${reportId}`
      const eventId = await addEvent(tx, reportId, 'CLOSED', actor, note ?? null, { from: report.status, to: 'CLOSED', closingReason }, now)
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.close', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details: { closingReason, eventId } })
      return { closingReason }
    })
  }

  /** A note on the timeline, by anyone who may see the report; the holder's lease is renewed. */
  async function addNote(reportId: number, input: unknown, actor: QueueActor): Promise<{ eventId: number }> {
    const { note } = workflowSchemas.note.parse(input)
    return sqlTransaction(pool, async (tx) => {
      const report = await lockReport(tx, reportId, actor)
      const now = clock.now()
      const eventId = await addEvent(tx, reportId, 'NOTE', actor, note, {}, now)
      if (report.status === 'IN_REVIEW' && report.assigneeId === actor.id) await queues.renewInTx(tx, reportId, actor)
      // The audit names the event, never the note's words (audit rows carry no report content).
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.note', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details: { eventId } })
      return { eventId }
    })
  }

  /**
   * A person opened a report: one audit event for the read. Opening a report you hold is
   * working on it, so it renews your lease.
   */
  async function recordView(reportId: number, actor: QueueActor): Promise<{ leaseRenewed: boolean }> {
    return sqlTransaction(pool, async (tx) => {
      const [held] = await tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM "Report" WHERE id = ${reportId} AND status = 'IN_REVIEW' AND "assigneeId" = ${actor.id} FOR NO KEY UPDATE`
      if (held) await queues.renewInTx(tx, reportId, actor)
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.view', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details: held ? { leaseRenewed: true } : null })
      return { leaseRenewed: Boolean(held) }
    })
  }

  /** A page of reports was shown (a list, a search, the workspace): one audit event naming them. */
  async function recordListing(action: string, reportIds: (number | string)[], actor: QueueActor): Promise<void> {
    await sqlTransaction(pool, (tx) =>
      audit.recordRaw(tx, { ...auditActor(actor), action, objectType: 'Report', outcome: 'SUCCESS', details: { reportIds: reportIds.map(Number) } }),
    )
  }

  /** The report's timeline, oldest first, with who did each thing. */
  async function timeline(tx: RawSql, reportId: number): Promise<TimelineEntry[]> {
    return tx.$queryRaw<TimelineEntry[]>`
      SELECT e.id, e.kind, e."createdAt" AS at, COALESCE(s.name || ' (' || s.email || ')', NULL) AS actor, e.note, e.details
      FROM "ReportEvent" e LEFT JOIN "StaffUser" s ON s.id = e."actorId"
      WHERE e."reportId" = ${reportId}
      ORDER BY e."createdAt", e.id
      LIMIT 500`
  }

  return { refer, close, addNote, recordView, recordListing, timeline: (reportId: number) => timeline(sqlOf(pool), reportId) }
}

export type WorkflowService = ReturnType<typeof createWorkflowService>
