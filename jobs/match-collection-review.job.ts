// Matches a collection review's hash list against the catalog, in batches, with progress.
// The review's status says whether it is done, so a second run changes nothing.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'
import type { CollectionReviewJob } from '../src/queue/index.js'

export async function matchCollectionReview(job: Job<CollectionReviewJob>, { collectionReview }: Container) {
  return { outcome: await collectionReview.matchReview(job.data.reviewId) }
}
