// Returns reports whose claim lapsed (no renewal within QUEUE_LEASE_MINUTES) to their queue,
// each with a timeline entry and an audit event. Safe to run twice and on two workers at once.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function expireLeases(_job: Job, { queuesService, logger }: Container) {
  const expired = await queuesService.expireLeases()
  if (expired) logger.info({ expired }, 'lapsed claims returned to their queues')
  return { expired }
}
