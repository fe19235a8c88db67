// The worker process: one BullMQ Worker per queue, the outbox relay loop and the schedules.
// close() finishes the jobs in hand (or lets them be taken over) and stops cleanly.
import { Worker } from 'bullmq'
import type { Container } from '../src/container.js'
import { createWorkerRedis } from '../src/lib/redis.js'
import { QUEUE_NAMES } from '../src/queue/index.js'
import { jobHandlers } from './index.js'
import { upsertSchedules } from './schedules.js'

export type RunningWorkers = { workers: Worker[]; close(): Promise<void> }

export function startWorkers(container: Container, { concurrency = 8 }: { concurrency?: number } = {}): RunningWorkers {
  const { config, logger } = container
  const connection = createWorkerRedis(config.redisUrl)
  connection.on('error', (err) => logger.warn({ err: err.message }, 'worker redis connection error'))

  const workers = Object.entries(jobHandlers).map(([queueName, handler]) => {
    const isMail = queueName === QUEUE_NAMES.notifications
    const worker = new Worker(queueName, (job) => handler(job, container), {
      connection,
      prefix: config.queuePrefix,
      concurrency: isMail ? Math.max(concurrency, 10) : concurrency,
      // What the SMTP server is offered, across every worker process sharing this Redis.
      ...(isMail ? { limiter: { max: config.mail.ratePerSecond, duration: 1000 } } : {}),
    })
    worker.on('failed', (job, err) => logger.warn({ queue: queueName, jobId: job?.id, err: err.message }, 'job failed'))
    worker.on('error', (err) => logger.error({ queue: queueName, err: err.message }, 'worker error'))
    return worker
  })

  // The outbox relay: the database, not Redis, decides what still has to be sent.
  const relay = everyWithoutOverlap(config.notifications.relayIntervalMs, () => container.kickOutbox())

  // The audit sealer: links committed audit events into the hash chain (one process at a time
  // holds the chain; the others find it taken and skip the tick).
  let sealFailingSince: number | null = null
  const seal = everyWithoutOverlap(config.audit.sealIntervalMs, () =>
    container.audit
      .seal()
      .then(() => void (sealFailingSince = null))
      .catch((err: Error) => {
        sealFailingSince ??= Date.now()
        const failingFor = Math.round((Date.now() - sealFailingSince) / 1000)
        const level = failingFor >= config.audit.sealAlertSeconds ? 'error' : 'warn'
        logger[level]({ err: err.message, failingForSeconds: failingFor }, 'audit sealing failed; events wait unsealed')
      }),
  )

  const schedule = () =>
    upsertSchedules(container).catch((err: Error) => logger.warn({ err: err.message }, 'schedules not upserted yet; will retry on reconnect'))
  container.redis.on('ready', schedule)
  void container.queues.scheduled.waitUntilReady().then(schedule, () => undefined)

  logger.info({ queues: Object.keys(jobHandlers) }, 'workers started')

  return {
    workers,
    async close() {
      clearInterval(relay)
      clearInterval(seal)
      container.redis.off('ready', schedule)
      await Promise.all(workers.map((w) => w.close()))
      connection.disconnect()
    },
  }
}

/** Runs `task` every `ms`, skipping a tick while the previous run is still going. */
function everyWithoutOverlap(ms: number, task: () => Promise<unknown>): NodeJS.Timeout {
  let running = false
  return setInterval(() => {
    if (running) return
    running = true
    void task().finally(() => (running = false))
  }, ms)
}
