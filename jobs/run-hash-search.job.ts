// Answers an officer's large hash search (11 to 100 hashes) and emails them that it is ready.
// The search's row says whether it is done, so a second run changes nothing. When the last
// attempt fails the search is marked failed, so the officer is told to search again rather
// than left waiting.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'
import { collectionReviewJobId, enqueueCollectionReview, enqueueHashSearch, hashSearchJobId, type HashSearchJob } from '../src/queue/index.js'

/**
 * What is said of an error: PostgreSQL's SQLSTATE (through Prisma's driver adapter, or pg), or
 * its code or name; never its message, which may quote a hash.
 */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; cause?: { originalCode?: unknown; kind?: unknown } } | null
  return String(e?.cause?.originalCode ?? e?.code ?? e?.cause?.kind ?? e?.name ?? 'Error')
}

export async function runHashSearch(job: Job<HashSearchJob>, { hashSearch, kickOutbox, logger }: Container) {
  try {
    const outcome = await hashSearch.completeSearch(job.data.searchId)
    if (outcome === 'completed') void kickOutbox()
    return { outcome }
  } catch (error) {
    // attemptsMade counts the attempts that failed before this one.
    const attempts = job.attemptsMade + 1
    const last = attempts >= (job.opts.attempts ?? 1)
    logger.error({ jobId: job.id, searchId: job.data.searchId, attempt: attempts, last, code: errorCode(error) }, last ? 'hash search failed for good' : 'hash search attempt failed')
    if (last && (await hashSearch.failSearch(job.data.searchId, { code: errorCode(error), attempts })) === 'failed') void kickOutbox()
    throw error
  }
}

/**
 * Queues again the large searches, and the collection reviews, still waiting after a minute
 * (their job ids make this idempotent). A search whose job is there and failed (its last attempt
 * could not mark it, the database being down, say) is marked failed instead.
 */
export async function resumeHashSearches(_job: Job, { hashSearch, collectionReview, queues, clock, config, logger }: Container) {
  const before = new Date(clock.now().getTime() - 60_000)
  const ids = await hashSearch.waitingSearches(before)
  let failed = 0
  let requeued = 0
  for (const searchId of ids) {
    const job = await queues.system.getJob(hashSearchJobId(searchId))
    if (job && (await job.isFailed())) {
      if ((await hashSearch.failSearch(searchId, { code: 'JOB_FAILED', attempts: job.attemptsMade })) === 'failed') failed++
    } else {
      await enqueueHashSearch(queues, searchId, config.hashes.searchRetry)
      requeued++
    }
  }
  // A review whose matching job gave up is tried again, not left "matching" forever: it is a CVIP
  // work item with an SLA, and the cause (the database away, say) may be gone. Each retry is logged.
  const reviews = await collectionReview.waitingReviews(before)
  let reviewsRetried = 0
  for (const reviewId of reviews) {
    const job = await queues.system.getJob(collectionReviewJobId(reviewId))
    if (job && (await job.isFailed())) {
      logger.error({ reviewId, jobId: job.id, attempts: job.attemptsMade }, 'collection review matching failed on every attempt; trying again')
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
      reviewsRetried++
    } else await enqueueCollectionReview(queues, reviewId)
  }
  return { requeued, failed, reviews: reviews.length, reviewsRetried }
}
