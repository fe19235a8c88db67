import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { mailTo as waitForMail, startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { textOf } from '../support/portal-client.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { signedInOfficer } from '../factories/registrations.js'
import { md5Of, uniq } from '../factories/records.js'

let app: TestApp
let smtp: TestSmtp
let workers: RunningWorkers
const PER_HOUR = 6

beforeAll(async () => {
  smtp = await startTestSmtp()
  app = await startTestApp({ SMTP_URL: smtp.url, OUTBOX_RELAY_INTERVAL_MS: '100', SMTP_RATE_PER_SECOND: '1000', HASH_SEARCHES_PER_HOUR: String(PER_HOUR), HASH_SEARCH_ATTEMPTS: '2', HASH_SEARCH_BACKOFF_MS: '50' })
  workers = startWorkers(app.container)
  // The catalog: an identified series, an unidentified one, loose known hashes, a PDQ.
  const set = await db().hashSet.create({ data: { name: 'Search test set', source: 'test' } })
  const identified = await db().series.create({ data: { name: 'Lighthouse', identified: true, identifiedAt: new Date() } })
  const unidentified = await db().series.create({ data: { name: 'Harbour', identified: false } })
  await db().knownHash.createMany({
    data: [
      { hashType: 'MD5', value: KNOWN_MD5, category: 'CSAM', hashSetId: set.id, seriesId: identified.id },
      { hashType: 'SHA1', value: KNOWN_SHA1, category: 'CHILD_EXPLOITIVE', hashSetId: set.id, seriesId: unidentified.id },
      { hashType: 'SHA256', value: KNOWN_SHA256, category: 'CGI_ANIMATION', hashSetId: set.id },
      { hashType: 'PDQ', value: KNOWN_PDQ, category: 'CSAM', hashSetId: set.id, seriesId: identified.id },
      ...Array.from({ length: 60 }, (_, i) => ({ hashType: 'MD5' as const, value: md5Of(`search-bulk-${i}`), category: 'CSAM' as const, hashSetId: set.id })),
    ],
  })
})
afterAll(async () => {
  await workers.close()
  await app.close()
  await smtp.close()
})

const db = () => app.container.db
const KNOWN_MD5 = md5Of('hash-search-known-1')
const KNOWN_SHA1 = createHash('sha1').update('hash-search-known-2').digest('hex')
const KNOWN_SHA256 = createHash('sha256').update('hash-search-known-3').digest('hex')
const KNOWN_PDQ = createHash('sha256').update('hash-search-pdq').digest('hex')
const NEAR_PDQ = (() => {
  const bytes = Buffer.from(KNOWN_PDQ, 'hex')
  for (let i = 0; i < 10; i++) bytes[i * 3]! ^= 0x01
  return bytes.toString('hex')
})()

const mailTo = (to: string, subject: RegExp) => waitForMail(smtp, to, subject)

const officer = () => signedInOfficer(db(), app.baseUrl)
type Officer = Awaited<ReturnType<typeof officer>>

async function search(o: Officer, hashes: string, fields: Record<string, string> = {}) {
  await o.client.get('/portal/hash-search')
  return o.client.postMultipart('/portal/hash-search', { _csrf: o.client.csrfToken!, hashes, ...fields })
}

const searchIdFrom = (response: Response) => Number(/\/portal\/my-reports\/(\d+)$/.exec(response.headers.get('location') ?? '')![1])

describe('Hash Search', () => {
  it('answers one hash on the page: known, type, series, category and whether to contact CVIP', async () => {
    const o = await officer()
    const response = await search(o, KNOWN_MD5)
    expect(response.status).toBe(303)
    const page = await o.client.get(`/portal/my-reports/${searchIdFrom(response)}`)
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    expect(text).toContain(KNOWN_MD5)
    expect(text).toMatch(/MD5 Known Exact Child sexual abuse material Lighthouse \(identified\) Yes: the child in this series has been identified\. Contact CVIP at cvip@clearinghouse\.example\.com/)
    expect(page.html).toContain('href="/portal/my-reports/' + searchIdFrom(response) + '/csv"')
  })

  it('answers 10 mixed hashes with invalid lines on the page, each invalid line with why', async () => {
    const o = await officer()
    const lines = [
      KNOWN_MD5, KNOWN_SHA1, KNOWN_SHA256, `pdq: ${NEAR_PDQ}`, md5Of(`unknown-${uniq()}`), 'sha1: 1234', 'hello world', '', '# comment',
      createHash('sha256').update(uniq()).digest('hex'), md5Of(`unknown-${uniq()}`), `PDQ ${randomBytes(32).toString('hex')}`, md5Of(`unknown-${uniq()}`), 'xyz',
      `sha1:${createHash('sha1').update(uniq()).digest('hex')}`,
    ]
    expect(lines.filter((l) => /^(pdq|sha1|PDQ)?[:\s]*[0-9a-f]{32,64}$/.test(l))).toHaveLength(10)
    const response = await search(o, lines.join('\n'))
    expect(response.status).toBe(303)
    const row = await db().hashSearch.findUniqueOrThrow({ where: { id: searchIdFrom(response) } })
    expect(row).toMatchObject({ status: 'COMPLETED', hashCount: 13, matchCount: 4, invalidCount: 3, officerId: o.registration.id })
    // Answered on the page: no job, no email.
    expect(await db().notification.count({ where: { idempotencyKey: `hash-search-${row.id}-ready` } })).toBe(0)
    const text = textOf((await o.client.get(`/portal/my-reports/${row.id}`)).html)
    expect(text).toMatch(/SHA-1 Known Exact Child exploitive \(age difficult\) Harbour \(not identified\) Yes: this series' child is not yet identified/)
    expect(text).toMatch(/SHA-256 Known Exact CGI or animation – No/)
    expect(text).toMatch(/PDQ Known Near match \(10 bits apart\)/)
    expect(text).toContain('Not searched: a SHA1 hash has 40 hex characters; "1234" has 4')
    expect(text).toContain('Not searched: "hello world" is not one hash: put one hash on each line')
    expect(text).toMatch(/Not known/)
  })

  it('runs 11 hashes as a job, shows the status until then, and emails the officer (no hash in the email)', async () => {
    const o = await officer()
    const lines = Array.from({ length: 11 }, (_, i) => md5Of(`search-bulk-${i}`))
    const response = await search(o, lines.join('\n'))
    const id = searchIdFrom(response)
    const mail = await mailTo(o.registration.officialEmail, /Your hash search results are ready/)
    expect(mail.text).toContain(`/portal/my-reports/${id}`)
    for (const hash of lines) {
      expect(mail.text).not.toContain(hash)
      expect(String(mail.html)).not.toContain(hash)
    }
    expect(await db().hashSearch.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'COMPLETED', hashCount: 11, matchCount: 11 })
    expect(textOf((await o.client.get(`/portal/my-reports/${id}`)).html)).toMatch(/Status Ready/)
  })

  it('marks a search whose job fails on its last attempt as failed: the officer is told to search again, the failure audited', async () => {
    // The database refuses to complete a search of 37 lines (a real constraint violation, every
    // attempt): the job cannot recover, and it is tried HASH_SEARCH_ATTEMPTS (2) times.
    await app.container.pgPool.query(`ALTER TABLE "HashSearch" ADD CONSTRAINT test_refuse_37 CHECK (status <> 'COMPLETED' OR "hashCount" <> 37) NOT VALID`)
    try {
      const o = await officer()
      const lines = Array.from({ length: 37 }, (_, i) => md5Of(`search-bulk-${i}`))
      const id = searchIdFrom(await search(o, lines.join('\n')))
      let row = await db().hashSearch.findUniqueOrThrow({ where: { id } })
      for (let waited = 0; row.status !== 'FAILED' && waited < 15_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        row = await db().hashSearch.findUniqueOrThrow({ where: { id } })
      }
      expect(row).toMatchObject({ status: 'FAILED', matchCount: 0 })
      const failure = await db().auditEvent.findFirstOrThrow({ where: { action: 'hash_search.fail', objectId: String(id) } })
      expect(failure).toMatchObject({ actorType: 'SYSTEM', outcome: 'FAILURE', details: { officerId: o.registration.id, hashes: 37, attempts: 2, error: '23514' } })
      expect(JSON.stringify(failure)).not.toContain(lines[0])

      const list = textOf((await o.client.get('/portal/my-reports')).html)
      expect(list).toMatch(new RegExp(`Search ${id} .* 37 – 0 Could not be completed, please search again`))
      const page = await o.client.get(`/portal/my-reports/${id}`)
      expect(textOf(page.html)).toContain('This search could not be completed. Please search again')
      expect(page.html).not.toContain('This search is being run')
      expect((await o.client.get(`/portal/my-reports/${id}/csv`)).status).toBe(303)
      // The officer is emailed to search again (no hash in it), once; no "ready" email, and a
      // later run of the job (a retry, the resume schedule) changes nothing.
      const mail = await mailTo(o.registration.officialEmail, /Your hash search could not be completed/)
      expect(mail.text).toContain(`Search ${id} could not be run to the end`)
      expect(mail.text).toContain('/portal/hash-search')
      for (const hash of lines) expect(`${mail.text}${String(mail.html)}`).not.toContain(hash)
      expect(await db().notification.count({ where: { idempotencyKey: `hash-search-${id}-failed` } })).toBe(1)
      expect(await db().notification.count({ where: { idempotencyKey: `hash-search-${id}-ready` } })).toBe(0)
      expect(await app.container.hashSearch.completeSearch(id)).toBe('already done')

      // A search left "being searched" with its job failed (the last attempt could not mark it:
      // the database was away) is marked failed by the resume schedule, not queued again.
      const stuck = searchIdFrom(await search(o, [...lines].reverse().join('\n')))
      for (let waited = 0; (await db().hashSearch.findUniqueOrThrow({ where: { id: stuck } })).status !== 'FAILED' && waited < 15_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100))
      expect(await (await app.container.queues.system.getJob(`hash-search-${stuck}`))!.isFailed()).toBe(true)
      await db().hashSearch.update({ where: { id: stuck }, data: { status: 'RUNNING', completedAt: null, createdAt: new Date(Date.now() - 120_000) } })
      const { resumeHashSearches } = await import('../../jobs/run-hash-search.job.js')
      expect(await resumeHashSearches({} as never, app.container)).toMatchObject({ failed: 1, requeued: 0 })
      expect(await db().hashSearch.findUniqueOrThrow({ where: { id: stuck } })).toMatchObject({ status: 'FAILED' })
      // Marked failed once: one email, however often the schedule finds it.
      expect(await resumeHashSearches({} as never, app.container)).toMatchObject({ failed: 0 })
      expect(await db().notification.count({ where: { idempotencyKey: `hash-search-${stuck}-failed` } })).toBe(1)
      expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'hash_search.fail', objectId: String(stuck) }, orderBy: { id: 'desc' } })).toMatchObject({ details: { error: 'JOB_FAILED' } })
    } finally {
      await app.container.pgPool.query('ALTER TABLE "HashSearch" DROP CONSTRAINT test_refuse_37')
    }
  })

  it('runs 100 hashes uploaded as a file, and refuses 101 lines', async () => {
    const o = await officer()
    const lines = [...Array.from({ length: 60 }, (_, i) => md5Of(`search-bulk-${i}`)), ...Array.from({ length: 39 }, (_, i) => md5Of(`nope-${i}-${uniq()}`)), 'not-a-hash']
    await o.client.get('/portal/hash-search')
    const response = await o.client.postMultipart('/portal/hash-search', { _csrf: o.client.csrfToken!, hashes: '' }, { name: 'case-hashes.txt', content: lines.join('\r\n') })
    expect(response.status).toBe(303)
    const id = searchIdFrom(response)
    const pending = textOf((await o.client.get(`/portal/my-reports/${id}`)).html)
    expect(pending).toMatch(/Status (Waiting to be searched|Being searched|Ready)/)
    await mailTo(o.registration.officialEmail, /Your hash search results are ready/)
    expect(await db().hashSearch.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'COMPLETED', hashCount: 100, matchCount: 60, invalidCount: 1 })

    const csv = await o.client.get(`/portal/my-reports/${id}/csv`)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="hash-search-${id}.csv"`)
    const rows = csv.html.trim().split('\r\n')
    expect(rows[0]).toBe('line,hash,hash_type,known,match,category,series,contact_cvip,problem')
    expect(rows).toHaveLength(101)
    const pdf = await o.client.get(`/portal/my-reports/${id}/pdf`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.html.startsWith('%PDF-1.4')).toBe(true)
    expect(pdf.html).toContain(`(Hash search ${id}: results) '`)
    expect(pdf.html.trimEnd().endsWith('%%EOF')).toBe(true)

    const tooMany = await search(o, [...lines, md5Of('one more')].join('\n'))
    expect(tooMany.status).toBe(400)
    expect(textOf(tooMany.html)).toContain('A search holds at most 100 hashes; this one has 101 lines')
  })

  it('lists only the invalid lines, and saves nothing, when no line is a hash', async () => {
    const o = await officer()
    const response = await search(o, 'hello\n12345')
    expect(response.status).toBe(400)
    const text = textOf(response.html)
    expect(text).toContain('None of the lines is a hash we can search')
    expect(text).toMatch(/1 hello .* is not hexadecimal/)
    expect(await db().hashSearch.count({ where: { officerId: o.registration.id } })).toBe(0)
  })

  it('refuses a search without the CSRF token or from another site', async () => {
    const o = await officer()
    expect((await o.client.postMultipart('/portal/hash-search', { hashes: KNOWN_MD5 })).status).toBe(403)
    expect((await o.client.post('/portal/hash-search', { _csrf: o.client.csrfToken!, hashes: KNOWN_MD5 }, { origin: 'https://evil.example.com' })).status).toBe(403)
    expect(await db().hashSearch.count({ where: { officerId: o.registration.id } })).toBe(0)
  })

  it(`allows ${PER_HOUR} searches an hour, then refuses and audits the refusal`, async () => {
    const o = await officer()
    for (let i = 0; i < PER_HOUR; i++) expect((await search(o, md5Of(`limit-${i}`))).status).toBe(303)
    const refused = await search(o, KNOWN_MD5)
    expect(refused.status).toBe(429)
    expect(textOf(refused.html)).toContain(`You have run ${PER_HOUR} searches in the last hour`)
    const events = await db().auditEvent.findMany({ where: { action: 'hash_search.run', actorId: String(o.registration.id) }, orderBy: { id: 'asc' } })
    expect(events.map((e) => e.outcome)).toEqual([...Array(PER_HOUR).fill('SUCCESS'), 'DENIED'])
    // Who, when, how many: never the hashes themselves.
    expect(events[0]).toMatchObject({ actorType: 'OFFICER', actorLabel: o.registration.officialEmail, details: { hashes: 1, invalid: 0, answered: 'on the page', matches: 0 } })
    expect(JSON.stringify(events)).not.toContain(md5Of('limit-0'))
  })
})

describe('My Reports', () => {
  it("lists the officer's own searches newest first, and never another officer's, even by a guessed id", async () => {
    const mine = await officer()
    const theirs = await officer()
    const first = searchIdFrom(await search(mine, KNOWN_MD5))
    const second = searchIdFrom(await search(mine, KNOWN_SHA1))
    const other = searchIdFrom(await search(theirs, KNOWN_SHA256))

    const list = await mine.client.get('/portal/my-reports')
    const links = [...list.html.matchAll(/href="\/portal\/my-reports\/(\d+)"/g)].map((m) => Number(m[1]))
    expect(links).toEqual([second, first])

    for (const path of [`/portal/my-reports/${other}`, `/portal/my-reports/${other}/csv`, `/portal/my-reports/${other}/pdf`, '/portal/my-reports/999999999', '/portal/my-reports/abc', '/portal/my-reports/-1']) {
      const response = await mine.client.get(path)
      expect(response.status, path).toBe(404)
      expect(response.html).not.toContain(KNOWN_SHA256)
    }
    expect((await theirs.client.get(`/portal/my-reports/${other}`)).status).toBe(200)
    // Each opening and download is audited.
    const reads = await db().auditEvent.count({ where: { action: 'hash_search.open', actorId: String(theirs.registration.id), objectId: String(other) } })
    expect(reads).toBe(1)
  })

  it('sends a signed-out visitor to sign in', async () => {
    const { portalClient } = await import('../support/portal-client.js')
    const anonymous = portalClient(app.baseUrl)
    for (const path of ['/portal/hash-search', '/portal/my-reports', '/portal/my-reports/1', '/portal/my-reports/1/csv']) {
      const response = await anonymous.get(path)
      expect(response.status, path).toBe(303)
      expect(response.headers.get('location')).toBe('/portal/sign-in')
    }
  })
})
