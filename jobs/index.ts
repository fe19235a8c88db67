// The registry: which handler consumes which queue. Each handler re-reads state by id and is
// safe to run twice.
import type { Job } from 'bullmq'
import { QUEUE_NAMES, type QueueName } from '../src/queue/index.js'
import type { Container } from '../src/container.js'
import { handleCanary } from './canary.job.js'

export type JobHandler = (job: Job, container: Container) => Promise<unknown>

export const jobHandlers: Record<QueueName, JobHandler> = {
  [QUEUE_NAMES.system]: handleCanary,
}
