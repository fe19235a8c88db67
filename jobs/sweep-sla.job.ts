// Warns on reports that have used SLA_WARN_PERCENT of their time and escalates the ones past
// due to their queue's contact (through the outbox), then hands the emails to the sender.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function sweepSla(_job: Job, { slaSweep, kickOutbox, logger }: Container) {
  const result = await slaSweep.sweep()
  if (result.breached) await kickOutbox()
  if (result.warned || result.breached) logger.info(result, 'SLA sweep')
  return result
}
