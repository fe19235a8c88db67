// Producers' side of BullMQ: queue names and how to reach them. Workers live in jobs/, which
// imports from here; src never imports from jobs.
import { Queue, type ConnectionOptions } from 'bullmq'
import type { Priority } from '@prisma/client'

export const QUEUE_NAMES = {
  /** One job per outbox row: send that email. */
  notifications: 'notifications',
  /** Repeatable jobs (see jobs/schedules.ts): the queue digests, the lease and SLA sweeps. */
  scheduled: 'scheduled',
  /** Housekeeping (the canary that proves a worker is consuming) and officers' large hash searches. */
  system: 'system',
} as const

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES]

export const JOB_NAMES = {
  sendNotification: 'send-notification',
  sendQueueDigest: 'send-queue-digest',
  rescoreOpenReports: 'rescore-open-reports',
  expireOpenReports: 'expire-open-reports',
  sweepOfficerAccounts: 'sweep-officer-accounts',
  expireLeases: 'expire-leases',
  sweepSla: 'sweep-sla',
  canary: 'canary',
  runHashSearch: 'run-hash-search',
  resumeHashSearches: 'resume-hash-searches',
  matchCollectionReview: 'match-collection-review',
  verifyAuditTrail: 'verify-audit-trail',
} as const

export type Queues = Record<keyof typeof QUEUE_NAMES, Queue> & { closeAll(): Promise<void> }

export function createQueues(connection: ConnectionOptions, prefix: string, onError: (error: Error) => void): Queues {
  const notifications = new Queue(QUEUE_NAMES.notifications, { connection, prefix })
  const scheduled = new Queue(QUEUE_NAMES.scheduled, { connection, prefix })
  const system = new Queue(QUEUE_NAMES.system, { connection, prefix })
  // Without a listener BullMQ prints each connection error to stderr; the caller logs them.
  for (const queue of [notifications, scheduled, system]) queue.on('error', onError)
  return {
    notifications,
    scheduled,
    system,
    async closeAll() {
      await Promise.all([notifications.close(), scheduled.close(), system.close()])
    },
  }
}

/** Job ids derive from the entity they are about; BullMQ reserves ':' so never use it. */
export function jobIdFor(kind: string, id: string | number): string {
  return `${kind}-${String(id).replace(/:/g, '-')}`
}

/** BullMQ priorities: lower runs first, so P1 mail leaves before INFO mail. */
const JOB_PRIORITY: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, INFO: 4 }

export type NotificationJob = { notificationId: number }

export type RetryPolicy = { attempts: number; backoffMs: number }

/** Hands outbox rows to BullMQ. The job id is the row's, so a row handed twice is one job. */
export async function enqueueNotifications(
  queues: Pick<Queues, 'notifications'>,
  rows: { id: number; priority: Priority | null; takeover?: number; rehand?: boolean }[],
  retry: RetryPolicy,
): Promise<void> {
  // A re-handed row whose job is still "active" was taken by a worker that died before it could
  // claim the row: BullMQ would drop a job under that id until its stall check (30-60 s) frees
  // it, so this one goes under an id of its own. Waiting or delayed, the job is left to run; gone
  // (Redis restarted), it is added again under the row's id.
  const stuck = new Set<number>()
  for (const row of rows.filter((r) => r.rehand)) {
    if ((await queues.notifications.getJobState(jobIdFor('notification', row.id))) === 'active') stuck.add(row.id)
  }
  const handedAt = Date.now()
  await queues.notifications.addBulk(
    rows.map((row) => ({
      name: JOB_NAMES.sendNotification,
      data: { notificationId: row.id } satisfies NotificationJob,
      opts: {
        // A takeover of a dead sender's claim gets an id of its own (see relayDue).
        jobId:
          row.takeover !== undefined
            ? `${jobIdFor('notification', row.id)}-takeover-${row.takeover}`
            : stuck.has(row.id)
              ? `${jobIdFor('notification', row.id)}-rehand-${handedAt}`
              : jobIdFor('notification', row.id),
        priority: row.priority ? JOB_PRIORITY[row.priority] : 2,
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.2 },
        // The row, not Redis, is the record of what happened. A finished job must not linger
        // under the row's id, or BullMQ would silently refuse the relay's next hand-over (a job
        // that found the row still held by a dead worker, for instance).
        removeOnComplete: true,
        removeOnFail: true,
      },
    })),
  )
}

export type HashSearchJob = { searchId: number }

export const hashSearchJobId = (searchId: number) => jobIdFor('hash-search', searchId)

/** Queues a large hash search; its id is the search's, so queueing it twice is one job. */
export async function enqueueHashSearch(queues: Pick<Queues, 'system'>, searchId: number, retry: RetryPolicy): Promise<void> {
  await queues.system.add(JOB_NAMES.runHashSearch, { searchId } satisfies HashSearchJob, {
    jobId: hashSearchJobId(searchId),
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    // Kept when failed: the resume schedule reads it to tell a search whose job gave up (the
    // search is then marked failed) from one whose job was lost (queued again).
    removeOnComplete: true,
    removeOnFail: 1000,
  })
}

export type CollectionReviewJob = { reviewId: number }

export const collectionReviewJobId = (reviewId: number) => jobIdFor('collection-review', reviewId)

/** Queues the matching of a collection review's hash list (one job per review). */
export async function enqueueCollectionReview(queues: Pick<Queues, 'system'>, reviewId: number): Promise<void> {
  await queues.system.add(JOB_NAMES.matchCollectionReview, { reviewId } satisfies CollectionReviewJob, {
    jobId: collectionReviewJobId(reviewId),
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: true,
    removeOnFail: 1000,
  })
}
