// The console's home page: what is waiting, where, and how long the oldest has waited, and
// the health of the work queues. Counts are scoped like the report list: an analyst sees their
// own team's queue.
import type { Priority, Queue } from '@prisma/client'
import type pg from 'pg'
import type { Db } from '../lib/db.js'
import type { Clock } from '../lib/clock.js'
import type { StaffSessionUser } from '../modules/staff/staff.service.js'
import { loadQueueHealth, type QueueHealth } from '../modules/queues/queue-health.js'
import { QUEUES } from '../modules/queues/queue-rules.js'
import { catalogTransferAccess, mayDo, teamQueueOf } from './access.js'
import { reportScope } from './resources/reports.resource.js'

export const OPEN_STATUSES = ['RECEIVED', 'TRIAGED', 'IN_REVIEW'] as const

export type DashboardData = {
  generatedAt: string
  viewer: { name: string; role: string }
  openByQueue: { queue: Queue | null; priority: Priority | null; count: number }[]
  openTotal: number
  awaitingTriage: number
  breachingSla: number
  oldestUnassigned: { id: number; receivedAt: string; priority: Priority | null; queue: Queue | null } | null
  registrationsAwaitingReview: number | null
  failedNotifications: number | null
  queueHealth: QueueHealth
  /** Collection reviews matched and waiting for an analyst to release them (CVIP's side only). */
  reviewsToRelease: number | null
  /** Whether the viewer may import and export the hash catalog (/admin/catalog). */
  catalogTransfer: boolean
}

export async function loadDashboard({ db, clock, pgPool }: { db: Db; clock: Clock; pgPool: pg.Pool }, viewer: StaffSessionUser | undefined): Promise<DashboardData> {
  const scope = reportScope(viewer?.role)
  const open = { AND: [scope, { status: { in: [...OPEN_STATUSES] } }] }
  const managers = mayDo(viewer?.role, 'OfficerRegistration', 'list')

  const own = teamQueueOf(viewer?.role)
  const cvipSide = mayDo(viewer?.role, 'CollectionReview', 'list')
  const [grouped, awaitingTriage, breachingSla, oldest, registrations, failed, queueHealth, reviews] = await Promise.all([
    db.report.groupBy({ by: ['queue', 'priority'], where: open, _count: { _all: true } }),
    db.report.count({ where: { AND: [scope, { status: 'RECEIVED' }] } }),
    db.report.count({ where: { AND: [open, { slaDueAt: { lt: clock.now() } }] } }),
    db.report.findFirst({
      where: { AND: [open, { assigneeId: null }] },
      orderBy: { receivedAt: 'asc' },
      select: { id: true, receivedAt: true, priority: true, queue: true },
    }),
    managers ? db.officerRegistration.count({ where: { status: 'PENDING_REVIEW' } }) : null,
    managers ? db.notification.count({ where: { status: 'FAILED' } }) : null,
    loadQueueHealth(pgPool, clock.now(), own ? [own] : [...QUEUES]),
    cvipSide ? db.collectionReview.count({ where: { status: 'IN_REVIEW' } }) : null,
  ])

  const openByQueue = grouped
    .map((g) => ({ queue: g.queue, priority: g.priority, count: g._count._all }))
    .sort((a, b) => `${a.queue}${a.priority}`.localeCompare(`${b.queue}${b.priority}`))

  return {
    generatedAt: clock.now().toISOString(),
    viewer: { name: viewer?.title ?? '', role: viewer?.role ?? '' },
    openByQueue,
    openTotal: openByQueue.reduce((sum, g) => sum + g.count, 0),
    awaitingTriage,
    breachingSla,
    oldestUnassigned: oldest?.receivedAt
      ? { id: oldest.id, receivedAt: oldest.receivedAt.toISOString(), priority: oldest.priority, queue: oldest.queue }
      : null,
    registrationsAwaitingReview: registrations,
    failedNotifications: failed,
    queueHealth,
    reviewsToRelease: reviews,
    catalogTransfer: viewer?.role !== undefined && (catalogTransferAccess.import as readonly string[]).includes(viewer.role),
  }
}
