// The analyst's workspace (an AdminJS page): the reports I hold with their time left, what is
// waiting in my queues, and what the quick actions need (agencies, closing reasons). The
// actions themselves are the Report resource's record actions, so one set of rules applies.
import type { Priority, Queue } from '@prisma/client'
import type pg from 'pg'
import { sqlOf } from '../lib/sql.js'
import type { Clock } from '../lib/clock.js'
import type { StaffSessionUser } from '../modules/staff/staff.service.js'
import type { QueuesService } from '../modules/queues/queues.service.js'
import type { WorkflowService } from '../modules/queues/workflow.service.js'
import { queuesWorkedBy } from '../modules/queues/queue-rules.js'
import { workspaceAccess } from './access.js'
import { staffActor } from './resources/define.js'

export type WorkspaceReport = {
  id: number
  priority: Priority | null
  queue: Queue | null
  incidentType: string
  claimedAt: string | null
  leaseExpiresAt: string | null
  slaDueAt: string | null
  slaWarnedAt: string | null
  slaBreachedAt: string | null
  proposedAgencyId: number | null
}

export type WorkspaceData = {
  allowed: boolean
  generatedAt: string
  viewer: { name: string; role: string }
  capacity: number
  leaseMinutes: number
  claimed: WorkspaceReport[]
  waiting: { queue: Queue; priority: Priority; count: number; nextDueAt: string | null }[]
  agencies: { value: string; label: string }[]
  closingReasons: string[]
}

export type WorkspaceDeps = { pgPool: pg.Pool; clock: Clock; queuesService: QueuesService; workflow: WorkflowService }

export async function loadWorkspace(deps: WorkspaceDeps, viewer: StaffSessionUser | undefined): Promise<WorkspaceData> {
  const base = {
    generatedAt: deps.clock.now().toISOString(),
    viewer: { name: viewer?.title ?? '', role: viewer?.role ?? '' },
    capacity: deps.queuesService.capacity,
    leaseMinutes: deps.queuesService.leaseMinutes,
    closingReasons: ['INFORMATIONAL', 'DUPLICATE', 'INSUFFICIENT_INFORMATION', 'OUTSIDE_JURISDICTION'],
  }
  if (!viewer || !(workspaceAccess.view as readonly string[]).includes(viewer.role)) {
    return { ...base, allowed: false, claimed: [], waiting: [], agencies: [] }
  }
  const sql = sqlOf(deps.pgPool)
  const queues = queuesWorkedBy(viewer.role)
  const [claimed, waiting, agencies] = await Promise.all([
    sql.$queryRaw<(Omit<WorkspaceReport, 'claimedAt' | 'leaseExpiresAt' | 'slaDueAt' | 'slaWarnedAt' | 'slaBreachedAt'> & Record<'claimedAt' | 'leaseExpiresAt' | 'slaDueAt' | 'slaWarnedAt' | 'slaBreachedAt', Date | null>)[]>`
      SELECT id, priority, queue, "incidentType", "claimedAt", "leaseExpiresAt", "slaDueAt", "slaWarnedAt", "slaBreachedAt", "proposedAgencyId"
      FROM "Report" WHERE "assigneeId" = ${viewer.id} AND status = 'IN_REVIEW'
      ORDER BY priority, "slaDueAt", id`,
    // Per queue and level: how many wait unclaimed, and the earliest due time (the index head).
    sql.$queryRaw<{ queue: Queue; priority: Priority; count: number; nextDueAt: Date | null }[]>`
      SELECT q.queue, p.priority, c.count, h."slaDueAt" AS "nextDueAt"
      FROM unnest(${queues}::"Queue"[]) AS q(queue)
      CROSS JOIN unnest(enum_range(NULL::"Priority")) AS p(priority)
      CROSS JOIN LATERAL (SELECT count(*)::int AS count FROM "Report" r
                          WHERE r.queue = q.queue AND r.priority = p.priority AND r.status = 'TRIAGED' AND r."assigneeId" IS NULL) c
      LEFT JOIN LATERAL (SELECT r."slaDueAt" FROM "Report" r
                         WHERE r.queue = q.queue AND r.priority = p.priority AND r.status = 'TRIAGED' AND r."assigneeId" IS NULL
                         ORDER BY r."slaDueAt" LIMIT 1) h ON true
      ORDER BY q.queue, p.priority`,
    sql.$queryRaw<{ id: number; name: string; state: string | null }[]>`SELECT id, name, state FROM "Agency" ORDER BY name LIMIT 1000`,
  ])
  if (claimed.length) await deps.workflow.recordListing('report.workspace', claimed.map((r) => r.id), staffActor({ currentAdmin: viewer }))
  const iso = (d: Date | null) => d?.toISOString() ?? null
  return {
    ...base,
    allowed: true,
    claimed: claimed.map((r) => ({
      ...r,
      claimedAt: iso(r.claimedAt), leaseExpiresAt: iso(r.leaseExpiresAt), slaDueAt: iso(r.slaDueAt), slaWarnedAt: iso(r.slaWarnedAt), slaBreachedAt: iso(r.slaBreachedAt),
    })),
    waiting: waiting.map((w) => ({ ...w, nextDueAt: iso(w.nextDueAt) })),
    agencies: agencies.map((a) => ({ value: String(a.id), label: a.state ? `${a.name} (${a.state})` : a.name })),
  }
}
