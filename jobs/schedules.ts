// Every repeatable job, in one place. upsertJobScheduler is idempotent, and the schedules are
// upserted again whenever the worker's Redis connection comes back, since a Redis restarted
// without persistence forgets them. BullMQ runs each schedule once per period, however many
// workers upsert it.
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
  await queues.scheduled.upsertJobScheduler(
    JOB_NAMES.sendQueueDigest,
    { pattern: config.notifications.digestCron, tz: 'UTC' },
    { name: JOB_NAMES.sendQueueDigest, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 } } },
  )
  await queues.scheduled.upsertJobScheduler(
    JOB_NAMES.expireOpenReports,
    { every: config.schedules.openReportsSweepSeconds * 1000 },
    { name: JOB_NAMES.expireOpenReports, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 } } },
  )
  // Verification expiry and inactivity are counted in days: an hourly sweep is prompt enough.
  await queues.scheduled.upsertJobScheduler(
    JOB_NAMES.sweepOfficerAccounts,
    { pattern: config.schedules.officerSweepCron, tz: 'UTC' },
    { name: JOB_NAMES.sweepOfficerAccounts, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } } },
  )
  // Work queues: lapsed claims back to their queue; SLA warnings and breach escalations.
  for (const name of [JOB_NAMES.expireLeases, JOB_NAMES.sweepSla]) {
    await queues.scheduled.upsertJobScheduler(
      name,
      { every: config.workQueues.sweepSeconds * 1000 },
      { name, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 100 } },
    )
  }
  // The audit trail's integrity check; its alert goes to the security officer.
  await queues.scheduled.upsertJobScheduler(
    JOB_NAMES.verifyAuditTrail,
    { pattern: config.audit.verifyCron, tz: 'UTC' },
    { name: JOB_NAMES.verifyAuditTrail, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
  )
  // A large search whose job was never queued (Redis down at the time) is queued again.
  await queues.scheduled.upsertJobScheduler(
    JOB_NAMES.resumeHashSearches,
    { every: config.schedules.hashSearchResumeSeconds * 1000 },
    { name: JOB_NAMES.resumeHashSearches, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 } } },
  )
}
