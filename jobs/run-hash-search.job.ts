// Answers an officer's large hash search (11 to 100 hashes) and emails them that it is ready.
// The search's row says whether it is done, so a second run changes nothing.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'
import { enqueueHashSearch, type HashSearchJob } from '../src/queue/index.js'

export async function runHashSearch(job: Job<HashSearchJob>, { hashSearch, kickOutbox }: Container) {
  const outcome = await hashSearch.completeSearch(job.data.searchId)
  if (outcome === 'completed') void kickOutbox()
  return { outcome }
}

/** Queues again the large searches still waiting after a minute (their job ids make this idempotent). */
export async function resumeHashSearches(_job: Job, { hashSearch, queues, clock }: Container) {
  const ids = await hashSearch.waitingSearches(new Date(clock.now().getTime() - 60_000))
  for (const searchId of ids) await enqueueHashSearch(queues, searchId)
  return { requeued: ids.length }
}
