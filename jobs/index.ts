// The registry: which handler consumes which job. Each handler re-reads state by id and is
// safe to run twice.
import type { Job } from 'bullmq'
import { JOB_NAMES, QUEUE_NAMES, type QueueName } from '../src/queue/index.js'
import type { Container } from '../src/container.js'
import { handleCanary } from './canary.job.js'
import { sendNotification } from './send-notification.job.js'
import { sendQueueDigest } from './send-queue-digest.job.js'
import { rescoreOpenReports } from './rescore-open-reports.job.js'
import { expireOpenReports } from './expire-open-reports.job.js'
import { sweepOfficerAccounts } from './sweep-officer-accounts.job.js'
import { expireLeases } from './expire-leases.job.js'
import { sweepSla } from './sweep-sla.job.js'
import { resumeHashSearches, runHashSearch } from './run-hash-search.job.js'
import { matchCollectionReview } from './match-collection-review.job.js'
import { verifyAuditTrail } from './verify-audit-trail.job.js'

export type JobHandler = (job: Job, container: Container) => Promise<unknown>

const byName: Record<string, JobHandler> = {
  [JOB_NAMES.sendNotification]: sendNotification as JobHandler,
  [JOB_NAMES.sendQueueDigest]: sendQueueDigest,
  [JOB_NAMES.rescoreOpenReports]: rescoreOpenReports,
  [JOB_NAMES.expireOpenReports]: expireOpenReports,
  [JOB_NAMES.sweepOfficerAccounts]: sweepOfficerAccounts,
  [JOB_NAMES.expireLeases]: expireLeases,
  [JOB_NAMES.sweepSla]: sweepSla,
  [JOB_NAMES.canary]: handleCanary,
  [JOB_NAMES.runHashSearch]: runHashSearch as JobHandler,
  [JOB_NAMES.resumeHashSearches]: resumeHashSearches,
  [JOB_NAMES.matchCollectionReview]: matchCollectionReview as JobHandler,
  [JOB_NAMES.verifyAuditTrail]: verifyAuditTrail,
}

function dispatch(job: Job, container: Container): Promise<unknown> {
  const handler = byName[job.name]
  if (!handler) throw new Error(`No handler for job "${job.name}" on queue ${job.queueName}`)
  return handler(job, container)
}

export const jobHandlers: Record<QueueName, JobHandler> = {
  [QUEUE_NAMES.notifications]: dispatch,
  [QUEUE_NAMES.scheduled]: dispatch,
  [QUEUE_NAMES.system]: dispatch,
}
