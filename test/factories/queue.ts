// Triaged reports waiting in a queue, written in one statement: claiming only reads the
// queue, priority, SLA clock and status, so the rest is a minimal valid report.
import type { Priority, Queue } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { ROUTING_RULES_V1, SCORING_RULES_V1 } from '../../src/modules/triage/triage.rules.js'

export type QueuedReportSpec = { queue: Queue; priority: Priority; triagedAt?: Date; slaDueAt: Date }

export async function createQueuedReports(db: Db, specs: QueuedReportSpec[]): Promise<number[]> {
  const rows = await db.report.createManyAndReturn({
    data: specs.map((s) => ({
      source: 'ESP' as const,
      status: 'TRIAGED' as const,
      incidentType: 'CHILD_PORNOGRAPHY' as const,
      incidentAt: new Date(Date.now() - 48 * 3600_000),
      receivedAt: s.triagedAt ?? new Date(),
      triagedAt: s.triagedAt ?? new Date(),
      priority: s.priority,
      queue: s.queue,
      slaDueAt: s.slaDueAt,
      // Scored and routed under the rules in force, so a worker's re-score leaves them be.
      ruleVersion: SCORING_RULES_V1.version,
      routeRule: `${ROUTING_RULES_V1.version}:default`,
    })),
    select: { id: true },
  })
  return rows.map((r) => r.id)
}

/** Settles every report still being worked, so a test starts with empty queues. */
export async function emptyQueues(db: Db): Promise<void> {
  await db.report.updateMany({
    where: { status: { in: ['TRIAGED', 'IN_REVIEW', 'RECEIVED'] } },
    data: { status: 'CLOSED', closingReason: 'INFORMATIONAL', closedAt: new Date(), leaseExpiresAt: null },
  })
}
