// Every repeatable job, in one place. upsertJobScheduler is idempotent, and the schedules are
// upserted again whenever the worker's Redis connection comes back, since a Redis restarted
// without persistence forgets them. BullMQ runs each schedule once per period, however many
// workers upsert it.
import type { Container } from '../src/container.js'
import { JOB_NAMES } from '../src/queue/index.js'

export async function upsertSchedules({ queues, config }: Container): Promise<void> {
  await queues.scheduled.upsertJobScheduler(
    JOB_NAMES.sendQueueDigest,
    { pattern: config.notifications.digestCron, tz: 'UTC' },
    { name: JOB_NAMES.sendQueueDigest, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 } } },
  )
}
