// CVIP collection reviews: an officer sends the hashes of a seized collection (up to 100,000
// lines) with the case number, agency and statute; the request becomes a work item in the CVIP
// queue (a LAW_ENFORCEMENT report with a priority and an SLA due time, so claim-next applies)
// and CVIP's mailbox is told. A job matches the list in batches, recording its progress; an
// analyst reviews the matches, writes notes for the officer and releases the review, which the
// officer reads in My Reports (and is emailed about). Emails carry ids and links only.
import type { RequestOrigin } from '../../lib/request-context.js'
import type { HashType, Prisma, Priority } from '@prisma/client'
import type pg from 'pg'
import { z } from 'zod'
import type { Db } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { sqlOf } from '../../lib/sql.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { reportUrl } from '../notifications/notifications.policy.js'
import { slaDueAt } from '../triage/sla.js'
import { parseSearchLines } from './hash-search.service.js'
import { lookUpHashes } from './hash-matching.js'

export const REVIEW_MAX_LINES = 100_000
const BATCH = 1000
const INVALID_KEPT = 1000
/** A collection review is actionable, not urgent: P2 unless someone changes it. */
export const REVIEW_PRIORITY: Priority = 'P2'

export type CollectionReviewPolicy = { pdqRadius: number; publicUrl: string; cvipContact: string; slaMinutes: Record<Priority, number> }

export type CollectionReviewDeps = {
  db: Db
  pool: pg.Pool
  clock: Clock
  audit: AuditService
  notifications: Pick<NotificationsService, 'write'>
  policy: CollectionReviewPolicy
  enqueueMatching(reviewId: number): Promise<void>
}

export const reviewRequestSchema = z.object({
  caseNumber: z.string().trim().min(1, 'Enter the case number').max(100, 'The case number is at most 100 characters'),
  agencyName: z.string().trim().min(1, 'Enter the agency').max(200, 'The agency is at most 200 characters'),
  statute: z.string().trim().min(1, 'Enter the statute').max(200, 'The statute is at most 200 characters'),
})

export type ReviewMatch = { line: number; hashType: HashType; value: string; category: string; series: string | null; seriesIdentified: boolean; distance: number | null }

export class ReviewRequestError extends Error {
  constructor(readonly problems: Record<string, string>) {
    super(Object.values(problems).join('; '))
  }
}

export function createCollectionReviewService({ db, pool, clock, audit, notifications, policy, enqueueMatching }: CollectionReviewDeps) {
  const sql = sqlOf(pool)

  /** An officer's request: validated, stored with its work item, CVIP told, matching queued. */
  async function submit(officer: { id: number; officialEmail: string }, form: Record<string, string>, hashList: string, origin: RequestOrigin): Promise<{ reviewId: number }> {
    const problems: Record<string, string> = {}
    const parsed = reviewRequestSchema.safeParse(form)
    if (!parsed.success) for (const issue of parsed.error.issues) problems[String(issue.path[0])] ??= issue.message
    const lines = parseSearchLines(hashList)
    if (lines.length === 0) problems.file = 'Choose the file of hashes (one a line)'
    else if (lines.length > REVIEW_MAX_LINES) problems.file = `The file has ${lines.length.toLocaleString('en-US')} hashes; a review takes at most ${REVIEW_MAX_LINES.toLocaleString('en-US')}`
    else if (!lines.some((l) => 'hashType' in l)) problems.file = 'No line of the file is a hash (MD5, SHA-1, SHA-256 or PDQ with a pdq: prefix)'
    if (Object.keys(problems).length || !parsed.success) throw new ReviewRequestError(problems)
    const request = parsed.data
    const invalid = lines.filter((l): l is Extract<typeof l, { error: string }> => 'error' in l)
    const valid = lines.filter((l): l is Extract<typeof l, { hashType: HashType }> => 'hashType' in l)
    const now = clock.now()
    const reviewId = await db.$transaction(async (tx) => {
      const report = await tx.report.create({
        data: {
          source: 'LAW_ENFORCEMENT', status: 'RECEIVED', incidentType: 'CHILD_PORNOGRAPHY', incidentAt: now, externalReference: request.caseNumber,
          openedAt: now, receivedAt: now, triagedAt: now, priority: REVIEW_PRIORITY, queue: 'CVIP', routeRule: 'collection-review',
          routeReason: "an officer's collection review request", slaDueAt: slaDueAt(now, REVIEW_PRIORITY, policy.slaMinutes),
          // Set by the request, not by scoring: re-scoring under new rules leaves it where it is.
          priorityOverridden: true, queueOverridden: true, overrideReason: 'Collection review request: CVIP work by definition',
        },
      })
      const review = await tx.collectionReview.create({
        data: {
          reportId: report.id, officerId: officer.id, ...request, lineCount: lines.length, invalidCount: invalid.length,
          hashList: valid.map((l) => `${l.line}:${l.hashType}:${l.value}`).join('\n'),
          invalidLines: invalid.slice(0, INVALID_KEPT).map((l) => ({ line: l.line, error: l.error })) as unknown as Prisma.InputJsonValue,
          createdAt: now,
        },
      })
      await tx.reportEvent.create({
        data: { reportId: report.id, kind: 'RECEIVED', note: `Collection review ${review.id} requested by officer ${officer.id}: ${lines.length} lines`, createdAt: now },
      })
      await notifications.write(tx, [{
        kind: 'COLLECTION_REVIEW_REQUESTED', channel: 'IMMEDIATE', recipient: policy.cvipContact, template: 'collection-review-requested',
        data: { reviewId: review.id, reportId: report.id, priority: REVIEW_PRIORITY, dueAt: report.slaDueAt!.toISOString(), consoleUrl: reportUrl(policy.publicUrl, report.id) },
        idempotencyKey: `collection-review-${review.id}-requested`, reportId: report.id, queue: 'CVIP', priority: REVIEW_PRIORITY,
      }])
      await audit.recordInTx(tx, {
        actorType: 'OFFICER', actorId: officer.id, actorLabel: officer.officialEmail, action: 'collection_review.request', objectType: 'CollectionReview',
        objectId: review.id, outcome: 'SUCCESS', ...origin, details: { reportId: report.id, lines: lines.length, invalid: invalid.length },
      })
      return review.id
    })
    await enqueueMatching(reviewId).catch(() => undefined)
    return { reviewId }
  }

  /** The job: matches the list in batches, saving progress after each. Safe to run twice. */
  async function matchReview(reviewId: number): Promise<'matched' | 'not matching'> {
    const review = await db.collectionReview.findUnique({ where: { id: reviewId } })
    if (!review || review.status !== 'MATCHING' || review.hashList === null) return 'not matching'
    const lines = review.hashList.split('\n').filter(Boolean).map((text) => {
      const [line, hashType, value] = text.split(':') as [string, HashType, string]
      return { line: Number(line), hashType, value }
    })
    const matches: ReviewMatch[] = []
    await db.collectionReview.update({ where: { id: reviewId }, data: { processedCount: review.invalidCount } })
    for (let i = 0; i < lines.length; i += BATCH) {
      const batch = lines.slice(i, i + BATCH)
      const found = await lookUpHashes(sql, batch, policy.pdqRadius)
      batch.forEach((l, k) => {
        const m = found[k]
        if (m) matches.push({ line: l.line, hashType: l.hashType, value: l.value, category: m.category, series: m.seriesName, seriesIdentified: m.seriesIdentified, distance: m.distance })
      })
      await db.collectionReview.update({ where: { id: reviewId }, data: { processedCount: review.invalidCount + i + batch.length } })
    }
    const updated = await db.collectionReview.updateMany({
      where: { id: reviewId, status: 'MATCHING' },
      data: {
        status: 'IN_REVIEW', matches: matches as unknown as Prisma.InputJsonValue, matchCount: matches.length,
        identifiedCount: matches.filter((m) => m.seriesIdentified).length, processedCount: review.lineCount,
      },
    })
    if (updated.count) {
      await db.reportEvent.create({ data: { reportId: review.reportId, kind: 'NOTE', note: `Collection review ${reviewId} matched: ${matches.length} known, ${matches.filter((m) => m.seriesIdentified).length} in identified series`, createdAt: clock.now() } })
    }
    return 'matched'
  }

  /** An analyst releases the review with notes for the officer; the officer is emailed. */
  async function release(reportId: number, input: unknown, staff: StaffActor): Promise<void> {
    const { reason: notes } = z.object({ reason: z.string().trim().min(10, 'Write notes for the officer (at least 10 characters)').max(10_000) }).parse(input)
    const now = clock.now()
    await db.$transaction(async (tx) => {
      const review = await tx.collectionReview.findUnique({ where: { reportId }, include: { officer: { select: { officialEmail: true } } } })
      if (!review) throw new AppError('NOT_FOUND', `Report ${reportId} is not a collection review`)
      if (review.status !== 'IN_REVIEW') throw new AppError('CONFLICT', review.status === 'RELEASED' ? `Collection review ${review.id} is released already` : `Collection review ${review.id} is still being matched`)
      await tx.collectionReview.update({ where: { id: review.id }, data: { status: 'RELEASED', analystNotes: notes, releasedAt: now, releasedById: staff.id, hashList: null } })
      await tx.report.update({ where: { id: reportId }, data: { status: 'CLOSED', closedAt: now } })
      await tx.reportEvent.create({ data: { reportId, kind: 'CLOSED', actorId: staff.id, note: `Collection review ${review.id} released to the officer`, createdAt: now } })
      await notifications.write(tx, [{
        kind: 'COLLECTION_REVIEW_RELEASED', channel: 'IMMEDIATE', recipient: review.officer.officialEmail, template: 'collection-review-released',
        data: { reviewId: review.id, portalUrl: `${policy.publicUrl}/portal/collection-reviews/${review.id}` },
        idempotencyKey: `collection-review-${review.id}-released`,
      }])
      await audit.recordInTx(tx, {
        ...auditActor(staff), action: 'collection_review.release', objectType: 'CollectionReview', objectId: review.id,
        outcome: 'SUCCESS', details: { reportId, matches: review.matchCount },
      })
    })
  }

  async function listReviews(officerId: number) {
    return db.collectionReview.findMany({
      where: { officerId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, caseNumber: true, status: true, lineCount: true, processedCount: true, matchCount: true, identifiedCount: true, createdAt: true, releasedAt: true },
      take: 500,
    })
  }

  /** One review, only if it is the officer's own; the hash list itself never leaves. */
  async function ownReview(officerId: number, reviewId: number) {
    if (!Number.isSafeInteger(reviewId) || reviewId <= 0 || reviewId > 2_147_483_647) return null
    return db.collectionReview.findFirst({ where: { id: reviewId, officerId }, omit: { hashList: true } })
  }

  /** Reviews still matching that were requested before `before` (their job may have been lost). */
  async function waitingReviews(before: Date): Promise<number[]> {
    return (await db.collectionReview.findMany({ where: { status: 'MATCHING', createdAt: { lt: before } }, select: { id: true }, take: 1000 })).map((r) => r.id)
  }

  /** A review opened or downloaded by its officer: an audit row for each read. */
  async function recordRead(officer: { id: number; officialEmail: string }, reviewId: number, how: 'open' | 'csv' | 'pdf', origin: RequestOrigin) {
    await audit.record({ actorType: 'OFFICER', actorId: officer.id, actorLabel: officer.officialEmail, action: `collection_review.${how}`, objectType: 'CollectionReview', objectId: reviewId, outcome: 'SUCCESS', ...origin })
  }

  return { submit, matchReview, release, listReviews, ownReview, waitingReviews, recordRead }
}

export type CollectionReviewService = ReturnType<typeof createCollectionReviewService>
