// Every repeatable job, in one place. upsertJobScheduler is idempotent, and the schedules are
// upserted again whenever the worker's Redis connection comes back, since a Redis restarted
// without persistence forgets them. BullMQ runs each schedule once per period, however many
// workers upsert it.
import type { JobsOptions } from 'bullmq'
import type { Container } from '../src/container.js'
import { JOB_NAMES, jobIdFor } from '../src/queue/index.js'

export async function upsertSchedules({ queues, config, triage }: Container): Promise<void> {
  // Once per rule version: when a deployment brings new triage rules, open reports follow.
  const { scoring, routing } = triage.rules
  await queues.scheduled.add(JOB_NAMES.rescoreOpenReports, {}, {
    jobId: jobIdFor('rescore', `${scoring.version}-${routing.version}`),
    attempts: 5,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: false,
  })
  // One scheduler per job name: upserting it again (another worker, a reconnect) changes nothing.
  const schedule = (name: string, repeat: { pattern: string; tz: 'UTC' } | { every: number }, opts: JobsOptions) =>
    queues.scheduled.upsertJobScheduler(name, repeat, { name, data: {}, opts })
  const retries = (attempts: number, delay: number): JobsOptions => ({ attempts, backoff: { type: 'exponential', delay } })

  await schedule(JOB_NAMES.sendQueueDigest, { pattern: config.notifications.digestCron, tz: 'UTC' }, retries(5, 10_000))
  await schedule(JOB_NAMES.expireOpenReports, { every: config.schedules.openReportsSweepSeconds * 1000 }, retries(3, 10_000))
  // Verification expiry and inactivity are counted in days: an hourly sweep is prompt enough.
  await schedule(JOB_NAMES.sweepOfficerAccounts, { pattern: config.schedules.officerSweepCron, tz: 'UTC' }, retries(5, 30_000))
  // Work queues: lapsed claims back to their queue; SLA warnings and breach escalations.
  for (const name of [JOB_NAMES.expireLeases, JOB_NAMES.sweepSla]) {
    await schedule(name, { every: config.workQueues.sweepSeconds * 1000 }, { ...retries(3, 5_000), removeOnComplete: 100, removeOnFail: 100 })
  }
  // The audit trail's integrity check; its alert goes to the security officer.
  await schedule(JOB_NAMES.verifyAuditTrail, { pattern: config.audit.verifyCron, tz: 'UTC' }, retries(3, 60_000))
  // A large search whose job was never queued (Redis down at the time) is queued again.
  await schedule(JOB_NAMES.resumeHashSearches, { every: config.schedules.hashSearchResumeSeconds * 1000 }, retries(3, 10_000))
}
