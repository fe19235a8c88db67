// Answers an officer's large hash search (11 to 100 hashes) and emails them that it is ready.
// The search's row says whether it is done, so a second run changes nothing.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'
import { enqueueCollectionReview, enqueueHashSearch, type HashSearchJob } from '../src/queue/index.js'

export async function runHashSearch(job: Job<HashSearchJob>, { hashSearch, kickOutbox }: Container) {
  const outcome = await hashSearch.completeSearch(job.data.searchId)
  if (outcome === 'completed') void kickOutbox()
  return { outcome }
}

/**
 * Queues again the large searches, and the collection reviews, still waiting after a minute
 * (their job ids make this idempotent).
 */
export async function resumeHashSearches(_job: Job, { hashSearch, collectionReview, queues, clock }: Container) {
  const before = new Date(clock.now().getTime() - 60_000)
  const ids = await hashSearch.waitingSearches(before)
  for (const searchId of ids) await enqueueHashSearch(queues, searchId)
  const reviews = await collectionReview.waitingReviews(before)
  for (const reviewId of reviews) await enqueueCollectionReview(queues, reviewId)
  return { requeued: ids.length, reviews: reviews.length }
}
