// Queue health for the dashboard: depth per queue and level, how long the oldest unclaimed
// report has waited, SLA breaches, claims per hour, and the median time from triage to the
// first claim. Every figure reads an index (the claimable index's heads, (status, slaDueAt),
// ReportEvent (kind, createdAt)) except depth, one grouped count over the open reports.
import type { Priority, Queue } from '@prisma/client'
import type pg from 'pg'
import { sqlOf } from '../../lib/sql.js'

export type QueueHealth = {
  queues: Queue[]
  depth: { queue: Queue; priority: Priority; unclaimed: number; inReview: number }[]
  oldestUnclaimed: { queue: Queue; reportId: number; triagedAt: string; priority: Priority }[]
  breaching: { queue: Queue; count: number }[]
  dueWithinHour: { queue: Queue; count: number }[]
  claimsByHour: { hour: string; count: number }[]
  medianMinutesToFirstAction: { queue: Queue; minutes: number | null; reports: number }[]
}

const HOUR = 3600_000

export async function loadQueueHealth(pool: pg.Pool, now: Date, queues: Queue[]): Promise<QueueHealth> {
  const sql = sqlOf(pool)
  const dayAgo = new Date(Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR)
  const weekAgo = new Date(now.getTime() - 7 * 24 * HOUR)
  const [depth, heads, breaching, dueSoon, claims, median] = await Promise.all([
    sql.$queryRaw<{ queue: Queue; priority: Priority; unclaimed: number; inReview: number }[]>`
      SELECT queue, priority,
             count(*) FILTER (WHERE status = 'TRIAGED' AND "assigneeId" IS NULL)::int AS unclaimed,
             count(*) FILTER (WHERE status = 'IN_REVIEW')::int AS "inReview"
      FROM "Report" WHERE status IN ('TRIAGED', 'IN_REVIEW') AND queue = ANY(${queues}::"Queue"[]) AND priority IS NOT NULL
      GROUP BY queue, priority ORDER BY queue, priority`,
    // Within a level every clock has the same length, so the head of the claimable index
    // (earliest due) is also the longest waiting: one index probe per queue and level.
    sql.$queryRaw<{ queue: Queue; priority: Priority; reportId: number; triagedAt: Date }[]>`
      SELECT q.queue, p.priority, h.id AS "reportId", h."triagedAt"
      FROM unnest(${queues}::"Queue"[]) AS q(queue)
      CROSS JOIN unnest(enum_range(NULL::"Priority")) AS p(priority)
      CROSS JOIN LATERAL (SELECT r.id, r."triagedAt" FROM "Report" r
                          WHERE r.queue = q.queue AND r.priority = p.priority AND r.status = 'TRIAGED' AND r."assigneeId" IS NULL
                          ORDER BY r."slaDueAt", r.id LIMIT 1) h`,
    sql.$queryRaw<{ queue: Queue; count: number }[]>`
      SELECT queue, count(*)::int AS count FROM "Report"
      WHERE status IN ('TRIAGED', 'IN_REVIEW') AND "slaDueAt" < ${now} AND queue = ANY(${queues}::"Queue"[])
      GROUP BY queue`,
    sql.$queryRaw<{ queue: Queue; count: number }[]>`
      SELECT queue, count(*)::int AS count FROM "Report"
      WHERE status IN ('TRIAGED', 'IN_REVIEW') AND "slaDueAt" >= ${now} AND "slaDueAt" < ${new Date(now.getTime() + HOUR)} AND queue = ANY(${queues}::"Queue"[])
      GROUP BY queue`,
    sql.$queryRaw<{ hour: Date; count: number }[]>`
      SELECT date_trunc('hour', e."createdAt") AS hour, count(*)::int AS count
      FROM "ReportEvent" e JOIN "Report" r ON r.id = e."reportId"
      WHERE e.kind IN ('CLAIMED', 'ASSIGNED') AND e."createdAt" >= ${dayAgo} AND r.queue = ANY(${queues}::"Queue"[])
      GROUP BY 1`,
    sql.$queryRaw<{ queue: Queue; minutes: number | null; reports: number }[]>`
      SELECT r.queue, (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."firstActionAt" - r."triagedAt")) / 60)::float8 AS minutes,
             count(*)::int AS reports
      FROM "Report" r
      WHERE r.id IN (SELECT "reportId" FROM "ReportEvent" WHERE kind IN ('CLAIMED', 'ASSIGNED') AND "createdAt" >= ${weekAgo})
        AND r."firstActionAt" >= ${weekAgo} AND r."triagedAt" IS NOT NULL AND r.queue = ANY(${queues}::"Queue"[])
      GROUP BY r.queue`,
  ])
  const oldestUnclaimed = queues.flatMap((queue) => {
    const oldest = heads.filter((h) => h.queue === queue && h.triagedAt).sort((a, b) => a.triagedAt.getTime() - b.triagedAt.getTime())[0]
    return oldest ? [{ queue, reportId: oldest.reportId, priority: oldest.priority, triagedAt: oldest.triagedAt.toISOString() }] : []
  })
  const claimsByHour = Array.from({ length: 24 }, (_, i) => {
    const hour = new Date(dayAgo.getTime() + i * HOUR)
    return { hour: hour.toISOString(), count: claims.find((c) => c.hour.getTime() === hour.getTime())?.count ?? 0 }
  })
  return {
    queues,
    depth,
    oldestUnclaimed,
    breaching: queues.map((queue) => ({ queue, count: breaching.find((b) => b.queue === queue)?.count ?? 0 })),
    dueWithinHour: queues.map((queue) => ({ queue, count: dueSoon.find((b) => b.queue === queue)?.count ?? 0 })),
    claimsByHour,
    medianMinutesToFirstAction: queues.map((queue) => {
      const m = median.find((x) => x.queue === queue)
      return { queue, minutes: m?.minutes ?? null, reports: m?.reports ?? 0 }
    }),
  }
}
