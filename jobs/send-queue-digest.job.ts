// The hourly digest: folds each queue's non-urgent notifications into one email per queue,
// then hands the digests to the sender.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function sendQueueDigest(_job: Job, { notifications, kickOutbox }: Container) {
  const digestIds = await notifications.collectDigests()
  if (digestIds.length) await kickOutbox()
  return { digestIds }
}
