import { TEST_ORIGIN } from '../factories/staff.js'
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { mailTo as waitForMail, startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { textOf } from '../support/portal-client.js'
import { consoleClient } from '../support/console-client.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { signedInOfficer } from '../factories/registrations.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { md5Of, uniq } from '../factories/records.js'

let app: TestApp
let smtp: TestSmtp
let workers: RunningWorkers

beforeAll(async () => {
  smtp = await startTestSmtp()
  app = await startTestApp({ SMTP_URL: smtp.url, OUTBOX_RELAY_INTERVAL_MS: '100', SMTP_RATE_PER_SECOND: '1000' })
  workers = startWorkers(app.container)
})
afterAll(async () => {
  await workers.close()
  await app.close()
  await smtp.close()
})

const db = () => app.container.db

const mailTo = (to: string, subject: RegExp) => waitForMail(smtp, to, subject)

async function staff(role: 'CVIP_ANALYST' | 'CYBERTIP_ANALYST') {
  const user = await createStaff(db(), role)
  const client = consoleClient(app.baseUrl)
  await client.signIn(user.email, TEST_PASSWORD)
  return { user, client }
}

describe('CVIP collection reviews', () => {
  it('goes from the officer request through matching and the analyst release to the officer report', async () => {
    const set = await db().hashSet.create({ data: { name: `Review set ${uniq()}`, source: 'test' } })
    const identified = await db().series.create({ data: { name: `Identified ${uniq()}`, identified: true, identifiedAt: new Date() } })
    const pdq = randomBytes(32).toString('hex')
    await db().knownHash.createMany({
      data: [
        ...Array.from({ length: 30 }, (_, i) => ({ hashType: 'MD5' as const, value: md5Of(`review-known-${i}`), category: 'CSAM' as const, hashSetId: set.id, seriesId: i < 10 ? identified.id : null })),
        { hashType: 'PDQ', value: pdq, category: 'CSAM', hashSetId: set.id, seriesId: identified.id },
      ],
    })
    // 2,500 lines: 30 known MD5s, a near PDQ, 2 bad lines, the rest unknown.
    const near = Buffer.from(pdq, 'hex')
    near[0]! ^= 0x0f
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => md5Of(`review-known-${i}`)),
      `pdq:${near.toString('hex')}`,
      'not a hash',
      'abc',
      ...Array.from({ length: 2467 }, (_, i) => createHash('sha1').update(`review-unknown-${i}`).digest('hex')),
    ]
    const { registration, client } = await signedInOfficer(db(), app.baseUrl)
    const form = await client.get('/portal/collection-reviews/new')
    expect(textOf(form.html)).toContain('Request a collection review')

    // Missing fields and no file: each said, nothing stored.
    const refused = await client.postMultipart('/portal/collection-reviews', { _csrf: client.csrfToken!, caseNumber: '', agencyName: 'Task force', statute: '' })
    expect(refused.status).toBe(400)
    expect(textOf(refused.html)).toMatch(/Enter the case number .*Enter the statute .*Choose the file of hashes/)
    expect(await db().collectionReview.count({ where: { officerId: registration.id } })).toBe(0)

    const sent = await client.postMultipart(
      '/portal/collection-reviews',
      { _csrf: client.csrfToken!, caseNumber: 'CASE-2026-0042', agencyName: 'Test Task Force', statute: '18 U.S.C. 2252A' },
      { name: 'collection.txt', content: lines.join('\n') },
    )
    expect(sent.status).toBe(303)
    const reviewId = Number(/(\d+)$/.exec(sent.headers.get('location')!)![1])
    const review = await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId }, include: { report: true } })
    expect(review).toMatchObject({ officerId: registration.id, caseNumber: 'CASE-2026-0042', lineCount: 2500, invalidCount: 2 })
    // A work item in the CVIP queue, with a priority and an SLA, for claim-next.
    expect(review.report).toMatchObject({ source: 'LAW_ENFORCEMENT', status: 'RECEIVED', queue: 'CVIP', priority: 'P2', externalReference: 'CASE-2026-0042' })
    expect(review.report.slaDueAt!.getTime() - review.report.receivedAt!.getTime()).toBe(24 * 3600_000)
    const cvipMail = await mailTo(app.config.contacts.cvip, new RegExp(`Collection review ${reviewId} requested`))
    expect(cvipMail.text).toContain(`/admin/resources/Report/records/${review.reportId}/show`)
    expect(cvipMail.text).not.toContain('CASE-2026-0042')

    // Matching runs as a job; the officer sees the status (never the matches) until release.
    await expect.poll(async () => (await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId } })).status, { timeout: 30_000 }).toBe('IN_REVIEW')
    const matched = await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId } })
    expect(matched).toMatchObject({ processedCount: 2500, matchCount: 31, identifiedCount: 11 })
    const waiting = textOf((await client.get(`/portal/collection-reviews/${reviewId}`)).html)
    expect(waiting).toContain('With CVIP analysts for review')
    expect(waiting).not.toContain(md5Of('review-known-0'))
    expect((await client.get(`/portal/collection-reviews/${reviewId}/csv`)).status).toBe(303)

    // Only CVIP's side releases it, with notes for the officer.
    const cybertip = await staff('CYBERTIP_ANALYST')
    const forbidden = await (await cybertip.client.post(`/admin/api/resources/CollectionReview/records/${reviewId}/release`, { reason: 'Not my team, not my review.' })).json()
    expect(forbidden.record?.baseError?.type === 'ForbiddenError' || forbidden.notice?.message === 'forbiddenError').toBe(true)
    const analyst = await staff('CVIP_ANALYST')
    const tooShort = await analyst.client.json(`/admin/api/resources/CollectionReview/records/${reviewId}/release`, { reason: 'ok' })
    expect(tooShort.notice).toMatchObject({ type: 'error', message: 'Write notes for the officer (at least 10 characters)' })
    const released = await analyst.client.json(`/admin/api/resources/CollectionReview/records/${reviewId}/release`, { reason: 'Eleven files show identified children; contact CVIP for the identifying agencies.' })
    expect(released.notice).toMatchObject({ type: 'success' })
    expect(released.record.params.hashList).toBeUndefined()
    const again = await analyst.client.json(`/admin/api/resources/CollectionReview/records/${reviewId}/release`, { reason: 'A second release must not happen.' })
    expect(again.notice.type).toBe('error')

    const done = await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId }, include: { report: true } })
    expect(done).toMatchObject({ status: 'RELEASED', releasedById: analyst.user.id, hashList: null, report: { status: 'CLOSED' } })
    const officerMail = await mailTo(registration.officialEmail, /Your collection review is ready/)
    expect(officerMail.text).toContain(`/portal/collection-reviews/${reviewId}`)
    expect(officerMail.text).not.toContain(md5Of('review-known-0'))

    // The review report: in My Reports, with notes, matches, the bad lines, and a CSV.
    const list = textOf((await client.get('/portal/my-reports')).html)
    expect(list).toMatch(new RegExp(`Review ${reviewId} CASE-2026-0042 .* 2,500 Released`))
    const report = textOf((await client.get(`/portal/collection-reviews/${reviewId}`)).html)
    expect(report).toContain('Known to CVIP: 31 of the files; in series of identified children: 11.')
    expect(report).toContain('Eleven files show identified children')
    expect(report).toContain(md5Of('review-known-0'))
    expect(report).toMatch(/Near match \(4 bits apart\)/)
    expect(report).toMatch(/32 "not a hash" is not one hash/)
    const csv = await client.get(`/portal/collection-reviews/${reviewId}/csv`)
    expect(csv.html.trim().split('\r\n')).toHaveLength(32)
    const pdf = await client.get(`/portal/collection-reviews/${reviewId}/pdf`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.html).toContain(`(Collection review ${reviewId}: review report of the Child Victim Identification Program) '`)
    expect(pdf.html).toContain('Eleven files show identified children')

    // Nobody else's: another officer gets "not found".
    const other = await signedInOfficer(db(), app.baseUrl)
    expect((await other.client.get(`/portal/collection-reviews/${reviewId}`)).status).toBe(404)
    expect((await other.client.get(`/portal/collection-reviews/${reviewId}/csv`)).status).toBe(404)
    const audit = await db().auditEvent.findMany({ where: { action: { startsWith: 'collection_review.' } }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action).filter((a) => !a.endsWith('.open'))).toEqual(['collection_review.request', 'collection_review.release', 'collection_review.csv', 'collection_review.pdf'])
    expect(audit.filter((a) => a.action === 'collection_review.open').length).toBe(2)
  })

  it('tries a review again when its matching job failed on every attempt, instead of leaving it matching forever', async () => {
    const caseNumber = `CASE-STUCK-${uniq()}`
    const known = md5Of(`stuck-known-${uniq()}`)
    const set = await db().hashSet.create({ data: { name: `Stuck set ${uniq()}`, source: 'test' } })
    await db().knownHash.create({ data: { hashType: 'MD5', value: known, category: 'CSAM', hashSetId: set.id } })
    // The database refuses to finish this review's matching (a real CHECK constraint).
    await app.container.pgPool.query(`ALTER TABLE "CollectionReview" ADD CONSTRAINT test_refuse_stuck CHECK (status <> 'IN_REVIEW' OR "caseNumber" <> '${caseNumber}') NOT VALID`)
    const queue = app.container.queues.system
    try {
      // Its job gets one attempt (set up through the queue: the service's own job has five, minutes apart).
      await queue.pause()
      const { registration } = await signedInOfficer(db(), app.baseUrl)
      const { reviewId } = await app.container.collectionReview.submit(registration, { caseNumber, agencyName: 'Test agency', statute: '18 U.S.C. 2252' }, [known, md5Of(`stuck-${uniq()}`)].join('\n'), TEST_ORIGIN)
      await (await queue.getJob(`collection-review-${reviewId}`))!.remove()
      await queue.add('match-collection-review', { reviewId }, { jobId: `collection-review-${reviewId}`, attempts: 1, removeOnFail: 1000, removeOnComplete: true })
      await queue.resume()
      const failed = async () => (await queue.getJob(`collection-review-${reviewId}`))?.isFailed()
      for (let waited = 0; !(await failed()) && waited < 15_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100))
      expect(await failed()).toBe(true)
      expect(await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId } })).toMatchObject({ status: 'MATCHING' })

      // The cause goes away; the minute schedule finds the review still matching with its job failed.
      await app.container.pgPool.query('ALTER TABLE "CollectionReview" DROP CONSTRAINT test_refuse_stuck')
      await db().collectionReview.update({ where: { id: reviewId }, data: { createdAt: new Date(Date.now() - 120_000) } })
      const { resumeHashSearches } = await import('../../jobs/run-hash-search.job.js')
      expect(await resumeHashSearches({} as never, app.container)).toMatchObject({ reviewsRetried: 1 })
      let review = await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId } })
      for (let waited = 0; review.status === 'MATCHING' && waited < 15_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        review = await db().collectionReview.findUniqueOrThrow({ where: { id: reviewId } })
      }
      expect(review).toMatchObject({ status: 'IN_REVIEW', matchCount: 1, processedCount: 2 })
    } finally {
      await queue.resume()
      await app.container.pgPool.query('ALTER TABLE "CollectionReview" DROP CONSTRAINT IF EXISTS test_refuse_stuck')
    }
  })
})
