// Work queues: claim the next report, hold it under a lease, hand it back. Claiming is the hot
// path (every analyst, all day), so it is hand-written SQL on node-postgres (lib/sql.ts): one
// transaction, a row lock taken with SKIP LOCKED on the head of a partial index, so that under
// any number of concurrent analysts each report goes to exactly one of them.
import { NO_REQUEST } from '../../lib/request-context.js'
import type { Priority, Queue, StaffRole } from '@prisma/client'
import { Prisma } from '@prisma/client'
import type pg from 'pg'
import { sqlTransaction, type RawSql } from '../../lib/sql.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import { managesQueues, mayHold, queuesWorkedBy, seesQueue } from './queue-rules.js'

/** A staff member working the queues, and where the request came from. */
export type QueueActor = StaffActor & { role: StaffRole }

export type QueuesDeps = {
  pool: pg.Pool
  clock: Clock
  audit: Pick<AuditService, 'recordRaw' | 'recordAtCommit'>
  leaseMinutes: number
  capacity: number
}

export type ClaimedReport = { id: number; priority: Priority; queue: Queue; slaDueAt: Date | null; leaseExpiresAt: Date }

/** What the workflow needs of a report, read under its row lock. */
export type LockedReport = {
  id: number
  status: string
  queue: Queue | null
  priority: Priority | null
  assigneeId: number | null
  leaseExpiresAt: Date | null
  slaDueAt: Date | null
}

/**
 * Reads a report under a row lock, as the actor may see it: a report of another team's queue,
 * or one staff never see (open, retracted), is "not found", so its existence is not revealed.
 */
export async function lockReport(tx: RawSql, reportId: number, actor: QueueActor): Promise<LockedReport> {
  const [report] = await tx.$queryRaw<LockedReport[]>`
    SELECT id, status, queue, priority, "assigneeId", "leaseExpiresAt", "slaDueAt"
    FROM "Report" WHERE id = ${reportId} AND status NOT IN ('OPEN', 'RETRACTED') FOR UPDATE`
  if (!report || !seesQueue(actor.role, report.queue)) throw new AppError('NOT_FOUND', `Report ${reportId} not found`)
  return report
}

export function createQueuesService({ pool, clock, audit, leaseMinutes, capacity }: QueuesDeps) {
  const leaseMs = leaseMinutes * 60_000

  /** Held claims: reports in review under this person's name. */
  async function heldBy(tx: RawSql, staffId: number): Promise<number> {
    const [row] = await tx.$queryRaw<{ held: number }[]>`
      SELECT count(*)::int AS held FROM "Report" WHERE "assigneeId" = ${staffId} AND status = 'IN_REVIEW'`
    return row?.held ?? 0
  }

  /**
   * Gives the actor the most urgent unclaimed report of the queues they work (P1 before P2 before
   * P3 before INFO, then the earliest SLA due time), or null when those queues are empty.
   * Refused when the actor already holds `capacity` reports.
   */
  async function claimNext(actor: QueueActor): Promise<ClaimedReport | null> {
    const queues = queuesWorkedBy(actor.role)
    if (queues.length === 0) throw new AppError('FORBIDDEN', `A ${actor.role.toLowerCase()} does not claim reports from a queue`)
    return sqlTransaction(pool, async (tx) => {
      const now = clock.now()
      // The claimant's row lock: two claims by one person (two tabs) are taken one after the
      // other, so the capacity count below cannot be outrun. Other analysts are not held up.
      const me = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "StaffUser" WHERE id = ${actor.id} AND "isActive" FOR NO KEY UPDATE`
      if (me.length === 0) throw new AppError('FORBIDDEN', `Staff member ${actor.id} is not active`)
      const leaseExpiresAt = new Date(now.getTime() + leaseMs)
      // One statement: the capacity count, the head of each queue's claimable index (locked,
      // skipping rows other claimants hold locked), the update and the timeline entry. A row
      // another claimant has just taken fails the re-check after its lock and is passed over.
      const queueList = Prisma.join(queues.map((q) => Prisma.sql`${q}::"Queue"`))
      const [row] = await tx.$queryRaw<(ClaimedReport & { held: number; claimed: boolean })[]>`
        WITH held AS (
          SELECT count(*)::int AS n FROM "Report" WHERE "assigneeId" = ${actor.id} AND status = 'IN_REVIEW'
        ), next AS (
          SELECT c.id FROM unnest(ARRAY[${queueList}]) AS q(queue)
          CROSS JOIN LATERAL (
            SELECT r.id, r.priority, r."slaDueAt" FROM "Report" r
            WHERE r.queue = q.queue AND r.status = 'TRIAGED' AND r."assigneeId" IS NULL
            ORDER BY r.priority, r."slaDueAt", r.id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
          ) c
          WHERE (SELECT n FROM held) < ${capacity}
          ORDER BY c.priority, c."slaDueAt", c.id
          LIMIT 1
        ), claimed AS (
          UPDATE "Report" r SET status = 'IN_REVIEW', "assigneeId" = ${actor.id}, "claimedAt" = ${now},
            "leaseExpiresAt" = ${leaseExpiresAt}, "firstActionAt" = COALESCE(r."firstActionAt", ${now}), "updatedAt" = ${now}
          FROM next WHERE r.id = next.id
          RETURNING r.id, r.priority, r.queue, r."slaDueAt", r."leaseExpiresAt"
        ), event AS (
          INSERT INTO "ReportEvent" ("reportId", kind, "actorId", details, "createdAt")
          SELECT id, 'CLAIMED', ${actor.id}, jsonb_build_object('from', 'TRIAGED', 'to', 'IN_REVIEW', 'leaseExpiresAt', ${leaseExpiresAt.toISOString()}::text), ${now}
          FROM claimed
        )
        SELECT held.n AS held, claimed.id IS NOT NULL AS claimed, claimed.id, claimed.priority, claimed.queue, claimed."slaDueAt", claimed."leaseExpiresAt"
        FROM held LEFT JOIN claimed ON true`
      if (!row || row.held >= capacity) {
        throw new AppError('CONFLICT', `You hold ${row?.held ?? capacity} reports, the most one person may hold at once (${capacity}). Finish or release one first.`)
      }
      if (!row.claimed) return null
      // Sent with the COMMIT: the audit chain's lock is held for the insert and the commit only.
      audit.recordAtCommit(tx, {
        ...auditActor(actor),
        action: 'report.claim',
        objectType: 'Report',
        objectId: row.id,
        outcome: 'SUCCESS',
        details: { queue: row.queue, priority: row.priority, leaseExpiresAt: leaseExpiresAt.toISOString() },
      })
      return { id: row.id, priority: row.priority, queue: row.queue, slaDueAt: row.slaDueAt, leaseExpiresAt: row.leaseExpiresAt }
    })
  }

  /** The holder extends their claim: another full lease from now. */
  async function renewLease(reportId: number, actor: QueueActor): Promise<{ leaseExpiresAt: Date }> {
    return sqlTransaction(pool, async (tx) => {
      const report = await lockReport(tx, reportId, actor)
      if (report.status !== 'IN_REVIEW' || report.assigneeId !== actor.id) {
        throw new AppError('CONFLICT', `Report ${reportId} is not claimed by you, so there is no lease of yours to renew`)
      }
      const leaseExpiresAt = await renewInTx(tx, reportId, actor)
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.lease_renew', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details: { leaseExpiresAt: leaseExpiresAt.toISOString() } })
      return { leaseExpiresAt }
    })
  }

  /** Pushes the holder's lease out again (any work on a held report does this). */
  async function renewInTx(tx: RawSql, reportId: number, actor: QueueActor): Promise<Date> {
    const now = clock.now()
    const leaseExpiresAt = new Date(now.getTime() + leaseMs)
    await tx.$executeRaw`
      UPDATE "Report" SET "leaseExpiresAt" = ${leaseExpiresAt}, "updatedAt" = ${now}
      WHERE id = ${reportId} AND status = 'IN_REVIEW' AND "assigneeId" = ${actor.id}`
    return leaseExpiresAt
  }

  /** Hands a claimed report back to its queue: the holder, or a supervisor for anyone. */
  async function release(reportId: number, actor: QueueActor, reason?: string | null): Promise<void> {
    await sqlTransaction(pool, async (tx) => {
      const report = await lockReport(tx, reportId, actor)
      if (report.status !== 'IN_REVIEW' || report.assigneeId === null) {
        throw new AppError('CONFLICT', `Report ${reportId} is ${report.status.toLowerCase().replace('_', ' ')} and not claimed: there is nothing to release`)
      }
      if (report.assigneeId !== actor.id && !managesQueues(actor.role)) {
        throw new AppError('FORBIDDEN', `Report ${reportId} is claimed by someone else: only they or a supervisor may release it`)
      }
      const now = clock.now()
      await tx.$executeRaw`
        UPDATE "Report" SET status = 'TRIAGED', "assigneeId" = NULL, "claimedAt" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
        WHERE id = ${reportId}`
      await tx.$executeRaw`
        INSERT INTO "ReportEvent" ("reportId", kind, "actorId", note, details, "createdAt")
        VALUES (${reportId}, 'RELEASED', ${actor.id}, ${reason ?? null}, ${JSON.stringify({ from: 'IN_REVIEW', to: 'TRIAGED', heldBy: report.assigneeId })}::jsonb, ${now})`
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.release', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details: { heldBy: report.assigneeId } })
    })
  }

  /** A supervisor gives a report to a person (or moves it from one to another). */
  async function assign(reportId: number, assigneeId: number, actor: QueueActor, reason?: string | null): Promise<{ leaseExpiresAt: Date }> {
    if (!managesQueues(actor.role)) throw new AppError('FORBIDDEN', 'Only supervisors and administrators assign reports')
    return sqlTransaction(pool, async (tx) => {
      const [assignee] = await tx.$queryRaw<{ id: number; role: StaffRole; email: string; isActive: boolean }[]>`
        SELECT id, role, email, "isActive" FROM "StaffUser" WHERE id = ${assigneeId} FOR NO KEY UPDATE`
      if (!assignee || !assignee.isActive) throw new AppError('VALIDATION_FAILED', `Staff member ${assigneeId} does not exist or is disabled`)
      const report = await lockReport(tx, reportId, actor)
      if (!['TRIAGED', 'IN_REVIEW'].includes(report.status) || !report.queue) {
        throw new AppError('CONFLICT', `Report ${reportId} is ${report.status.toLowerCase().replace('_', ' ')}: only a report in a queue can be assigned`)
      }
      if (!mayHold(assignee.role, report.queue)) {
        throw new AppError('VALIDATION_FAILED', `${assignee.email} does not work the ${report.queue} queue`)
      }
      if (report.status === 'IN_REVIEW' && report.assigneeId === assigneeId) {
        throw new AppError('CONFLICT', `Report ${reportId} is already assigned to ${assignee.email}`)
      }
      const held = await heldBy(tx, assigneeId)
      if (held >= capacity) {
        throw new AppError('CONFLICT', `${assignee.email} already holds ${held} reports, the most one person may hold at once (${capacity})`)
      }
      const now = clock.now()
      const leaseExpiresAt = new Date(now.getTime() + leaseMs)
      await tx.$executeRaw`
        UPDATE "Report" SET status = 'IN_REVIEW', "assigneeId" = ${assigneeId}, "claimedAt" = ${now}, "leaseExpiresAt" = ${leaseExpiresAt},
          "firstActionAt" = COALESCE("firstActionAt", ${now}), "updatedAt" = ${now}
        WHERE id = ${reportId}`
      const details = { from: report.status, to: 'IN_REVIEW', previousAssignee: report.status === 'IN_REVIEW' ? report.assigneeId : null, assignee: assigneeId }
      await tx.$executeRaw`
        INSERT INTO "ReportEvent" ("reportId", kind, "actorId", note, details, "createdAt")
        VALUES (${reportId}, 'ASSIGNED', ${actor.id}, ${reason ?? `Assigned to ${assignee.email}`}, ${JSON.stringify(details)}::jsonb, ${now})`
      await audit.recordRaw(tx, { ...auditActor(actor), action: 'report.assign', objectType: 'Report', objectId: reportId, outcome: 'SUCCESS', details })
      return { leaseExpiresAt }
    })
  }

  /**
   * Returns every report whose lease has run out to its queue, a batch per transaction, each
   * with a timeline entry and an audit event. Safe to run twice and on two workers at once.
   */
  async function expireLeases({ batchSize = 500 }: { batchSize?: number } = {}): Promise<number> {
    let expired = 0
    for (;;) {
      const count = await sqlTransaction(pool, async (tx) => {
        const now = clock.now()
        const rows = await tx.$queryRaw<{ id: number; heldBy: number; leaseExpiresAt: Date }[]>`
          WITH lapsed AS (
            SELECT id, "assigneeId", "leaseExpiresAt" FROM "Report"
            WHERE status = 'IN_REVIEW' AND "leaseExpiresAt" < ${now}
            ORDER BY "leaseExpiresAt"
            LIMIT ${batchSize}
            FOR UPDATE SKIP LOCKED
          ), released AS (
            UPDATE "Report" r SET status = 'TRIAGED', "assigneeId" = NULL, "claimedAt" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
            FROM lapsed WHERE r.id = lapsed.id
            RETURNING r.id, lapsed."assigneeId" AS "heldBy", lapsed."leaseExpiresAt"
          ), event AS (
            INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
            SELECT id, 'LEASE_EXPIRED', 'The claim lapsed without activity: back in the queue',
                   jsonb_build_object('from', 'IN_REVIEW', 'to', 'TRIAGED', 'heldBy', "heldBy", 'leaseExpiredAt', "leaseExpiresAt"), ${now}
            FROM released
          )
          SELECT id, "heldBy", "leaseExpiresAt" FROM released`
        for (const row of rows) {
          await audit.recordRaw(tx, {
            actorType: 'SYSTEM',
            ...NO_REQUEST,
            actorLabel: 'lease sweep',
            action: 'report.lease_expired',
            objectType: 'Report',
            objectId: row.id,
            outcome: 'SUCCESS',
            details: { heldBy: row.heldBy, leaseExpiredAt: row.leaseExpiresAt.toISOString() },
          })
        }
        return rows.length
      })
      expired += count
      if (count < batchSize) return expired
    }
  }

  return { claimNext, renewLease, renewInTx, release, assign, expireLeases, leaseMinutes, capacity }
}

export type QueuesService = ReturnType<typeof createQueuesService>
