// The SLA sweep (a repeatable job): reports being worked that have used SLA_WARN_PERCENT of
// their time get a warning on their timeline; reports past their due time are marked breached
// and escalated by email to their queue's contact, through the outbox, in the same transaction.
// Each report is warned once and escalated once per due time; the sweep is safe to run twice
// and on two workers at once (SKIP LOCKED).
import { NO_REQUEST } from '../../lib/request-context.js'
import type { Priority, Queue } from '@prisma/client'
import type pg from 'pg'
import { sqlTransaction } from '../../lib/sql.js'
import type { Clock } from '../../lib/clock.js'
import type { AuditService } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { slaWarningHorizonMs } from './queue-rules.js'

export type SlaSweepDeps = {
  pool: pg.Pool
  clock: Clock
  audit: Pick<AuditService, 'recordRaw'>
  notifications: Pick<NotificationsService, 'notifySlaBreached'>
  slaMinutes: Record<Priority, number>
  warnPercent: number
}

type Swept = { id: number; priority: Priority; queue: Queue; slaDueAt: Date }

export function createSlaSweep({ pool, clock, audit, notifications, slaMinutes, warnPercent }: SlaSweepDeps) {
  const horizonMs = slaWarningHorizonMs(slaMinutes, warnPercent)

  async function warnBatch(batchSize: number): Promise<number> {
    return sqlTransaction(pool, async (tx) => {
      const now = clock.now()
      // The (status, slaDueAt) index bounds the scan to due times within the largest warning
      // window; the exact test is each report's own share of its clock.
      const rows = await tx.$queryRaw<Swept[]>`
        WITH due AS (
          SELECT id FROM "Report"
          WHERE status IN ('TRIAGED', 'IN_REVIEW') AND "slaDueAt" > ${now} AND "slaDueAt" <= ${new Date(now.getTime() + horizonMs)}
            AND "slaWarnedAt" IS NULL AND "slaBreachedAt" IS NULL AND "triagedAt" IS NOT NULL
            AND "triagedAt" + ("slaDueAt" - "triagedAt") * ${warnPercent / 100}::float8 <= ${now}
          ORDER BY "slaDueAt"
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        ), warned AS (
          UPDATE "Report" r SET "slaWarnedAt" = ${now} FROM due WHERE r.id = due.id
          RETURNING r.id, r.priority, r.queue, r."slaDueAt"
        ), event AS (
          INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
          SELECT id, 'SLA_WARNING', ${`${warnPercent}% of the SLA time is used`} || ': due ' || to_char("slaDueAt", 'YYYY-MM-DD HH24:MI') || ' UTC',
                 jsonb_build_object('dueAt', "slaDueAt", 'priority', priority), ${now}
          FROM warned
        )
        SELECT id, priority, queue, "slaDueAt" FROM warned`
      return rows.length
    })
  }

  async function breachBatch(batchSize: number): Promise<Swept[]> {
    return sqlTransaction(pool, async (tx) => {
      const now = clock.now()
      const rows = await tx.$queryRaw<Swept[]>`
        WITH due AS (
          SELECT id FROM "Report"
          WHERE status IN ('TRIAGED', 'IN_REVIEW') AND "slaDueAt" <= ${now} AND "slaBreachedAt" IS NULL
          ORDER BY "slaDueAt"
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        ), breached AS (
          UPDATE "Report" r SET "slaBreachedAt" = ${now}, "slaWarnedAt" = COALESCE(r."slaWarnedAt", ${now}) FROM due WHERE r.id = due.id
          RETURNING r.id, r.priority, r.queue, r."slaDueAt"
        ), event AS (
          INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
          SELECT id, 'SLA_BREACHED', 'Past its SLA due time (' || to_char("slaDueAt", 'YYYY-MM-DD HH24:MI') || ' UTC): escalated to the ' || queue || ' contact',
                 jsonb_build_object('dueAt', "slaDueAt", 'priority', priority), ${now}
          FROM breached
        )
        SELECT id, priority, queue, "slaDueAt" FROM breached`
      const escalated = rows.filter((r) => r.queue && r.priority)
      await notifications.notifySlaBreached(tx, escalated)
      for (const row of escalated) {
        await audit.recordRaw(tx, {
          actorType: 'SYSTEM',
          ...NO_REQUEST,
          actorLabel: 'SLA sweep',
          action: 'report.sla_breach',
          objectType: 'Report',
          objectId: row.id,
          outcome: 'SUCCESS',
          details: { priority: row.priority, queue: row.queue, dueAt: row.slaDueAt.toISOString() },
        })
      }
      return rows
    })
  }

  /** One pass: warnings, then breaches. Returns what it did, for the job's log. */
  async function sweep({ batchSize = 500 }: { batchSize?: number } = {}): Promise<{ warned: number; breached: number }> {
    let warned = 0
    let breached = 0
    for (;;) {
      const n = await warnBatch(batchSize)
      warned += n
      if (n < batchSize) break
    }
    for (;;) {
      const rows = await breachBatch(batchSize)
      breached += rows.length
      if (rows.length < batchSize) break
    }
    return { warned, breached }
  }

  return { sweep }
}

export type SlaSweep = ReturnType<typeof createSlaSweep>
