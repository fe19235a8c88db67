// Starts one BullMQ Worker per registered queue and stops them cleanly.
import { Worker } from 'bullmq'
import type { Container } from '../src/container.js'
import { createWorkerRedis } from '../src/lib/redis.js'
import { jobHandlers } from './index.js'

export type RunningWorkers = { workers: Worker[]; close(): Promise<void> }

export function startWorkers(container: Container, { concurrency = 4 }: { concurrency?: number } = {}): RunningWorkers {
  const { config, logger } = container
  const connection = createWorkerRedis(config.redisUrl)
  connection.on('error', (err) => logger.warn({ err: err.message }, 'worker redis connection error'))

  const workers = Object.entries(jobHandlers).map(([queueName, handler]) => {
    const worker = new Worker(queueName, (job) => handler(job, container), {
      connection,
      prefix: config.queuePrefix,
      concurrency,
    })
    worker.on('failed', (job, err) => logger.warn({ queue: queueName, jobId: job?.id, err: err.message }, 'job failed'))
    worker.on('error', (err) => logger.error({ queue: queueName, err: err.message }, 'worker error'))
    return worker
  })
  logger.info({ queues: Object.keys(jobHandlers) }, 'workers started')

  return {
    workers,
    /** Waits for the jobs in hand to finish, then disconnects. */
    async close() {
      await Promise.all(workers.map((w) => w.close()))
      connection.disconnect()
    },
  }
}
