import { TEST_ORIGIN } from '../factories/staff.js'
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { Readable, Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { ispwsClient } from '../support/ispws-client.js'
import { createEspAccount } from '../factories/esp.js'
import { fileDetailsXml, minimalReportXml } from '../factories/cybertipline.js'
import { md5Of, uniq } from '../factories/records.js'
import { sqlOf } from '../../src/lib/sql.js'
import { lookUpHashes, nearestPdq, nearestPdqMany } from '../../src/modules/hashes/hash-matching.js'
import { hammingDistance } from '../../src/modules/hashes/pdq.js'
import type { CatalogFormat } from '../../src/modules/hashes/catalog-formats.js'
import { createCatalogService } from '../../src/modules/hashes/catalog.service.js'
import { createHash } from 'node:crypto'
import { consoleClient } from '../support/console-client.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { flip } from '../factories/pdq.js'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(() => app.close())

const db = () => app.container.db
const sha1Of = (text: string) => createHash('sha1').update(text).digest('hex')
const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex')
const admin = { actorType: 'STAFF' as const, id: null, label: 'admin@staff.example.com', origin: TEST_ORIGIN }

function importText(text: string, format: CatalogFormat, options: { set?: string; hashType?: 'PDQ' | null; series?: string } = {}) {
  return app.container.catalog.importCatalog(
    Readable.from([text]),
    { format, hashSet: { name: options.set ?? `Set ${uniq()}`, source: 'test' }, category: 'CSAM', hashType: options.hashType ?? null, series: options.series ?? null },
    admin,
  )
}

/** A catalog hash with its series (a plain id in the schema, not a relation). */
async function hashWithSeries(value: string) {
  const hash = await db().knownHash.findFirstOrThrow({ where: { value } })
  return { ...hash, series: hash.seriesId === null ? null : await db().series.findUniqueOrThrow({ where: { id: hash.seriesId } }) }
}

describe('catalog imports', () => {
  it('imports a plain list: good lines added, bad lines reported by number, duplicates counted, nothing added twice', async () => {
    const a = md5Of('catalog-test-1')
    const b = sha1Of('catalog-test-2')
    const text = [a, b, '', '# a comment', 'not a hash', a.toUpperCase(), `sha256: ${sha256Of('catalog-test-3')}`, 'abc123', `md5:${md5Of('catalog-test-4')}`].join('\n')
    const first = await importText(text, 'plain')
    expect(first).toMatchObject({ read: 5, added: 4, duplicates: 1, rejected: 2 })
    expect(first.rejectedLines).toEqual([
      { line: 5, reason: '"not a hash" is not one hash: put one hash on each line' },
      { line: 8, reason: '6 hex characters is no hash we hold: MD5 has 32, SHA-1 40, SHA-256 and PDQ 64' },
    ])
    const again = await importText(text, 'plain')
    expect(again).toMatchObject({ read: 5, added: 0, duplicates: 5, rejected: 2 })
    expect(await db().knownHash.count({ where: { value: { in: [a, b] } } })).toBe(2)
  })

  it('reads a plain list of 64-character lines as PDQ when told so', async () => {
    const pdq = randomBytes(32).toString('hex')
    const summary = await importText(`${pdq}\n${md5Of('catalog-test-5')}\n`, 'plain', { hashType: 'PDQ' })
    expect(summary).toMatchObject({ added: 1, rejected: 1 })
    expect(summary.rejectedLines[0]).toMatchObject({ line: 2, reason: 'a PDQ hash has 64 hex characters; "' + md5Of('catalog-test-5') + '" has 32' })
    expect(await db().knownHash.findFirstOrThrow({ where: { value: pdq } })).toMatchObject({ hashType: 'PDQ' })
  })

  it('imports a CSV with a header, per-file hash columns, categories and series', async () => {
    const series = `Series ${uniq()}`
    const csv = [
      'md5,sha1,category,series,series_identified',
      `${md5Of('csv-1')},${sha1Of('csv-1')},1,"${series}",true`,
      `${md5Of('csv-2')},,CGI_ANIMATION,,`,
      `${md5Of('csv-3')},,7,,`,
      `zz,,1,,`,
      `,,1,,`,
      `${md5Of('csv-2')},,CGI_ANIMATION,,`,
      `"unbalanced,,1,,`,
    ].join('\r\n')
    const summary = await importText(csv, 'csv')
    expect(summary).toMatchObject({ read: 4, added: 3, duplicates: 1, rejected: 4 })
    expect(summary.rejectedLines.map((r) => r.line)).toEqual([4, 5, 6, 8])
    expect(summary.rejectedLines[0]!.reason).toBe('category 7 is not one of 0-4')
    expect(await hashWithSeries(md5Of('csv-1'))).toMatchObject({ category: 'CSAM', series: { name: series, identified: true } })
    expect(await db().knownHash.findFirstOrThrow({ where: { value: md5Of('csv-2') } })).toMatchObject({ category: 'CGI_ANIMATION', seriesId: null })
    expect((await importText(csv, 'csv')).added).toBe(0)
  })

  it('imports Project VIC / VICS JSON, hash-set and case shapes, streamed in small chunks', async () => {
    const series = `VIC series ${uniq()}`
    const hashSet = {
      'odata.metadata': 'http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media',
      value: [
        { MediaID: 1, Category: 1, MD5: md5Of('vic-1').toUpperCase(), SHA1: sha1Of('vic-1'), Series: series, VictimIdentified: 'true', Comments: 'braces { and } in "strings"' },
        { MediaID: 2, Category: '3', MediaFiles: [{ FileName: 'a.jpg', Hashes: [{ HashName: 'MD5', HashValue: md5Of('vic-2') }] }] },
        { MediaID: 3, Category: 9, MD5: md5Of('vic-3') },
        { MediaID: 4, Category: 1, PhotoDNA: 'AAAA' },
        { MediaID: 5, Category: 1, MD5: md5Of('vic-1') },
      ],
    }
    const text = JSON.stringify(hashSet, null, 2)
    const chunks = text.match(/[\s\S]{1,7}/g)!
    const summary = await app.container.catalog.importCatalog(Readable.from(chunks.map((c) => Buffer.from(c))), { format: 'vics', hashSet: { name: `VIC ${uniq()}`, source: 'Project VIC' }, category: 'CSAM' }, admin)
    expect(summary).toMatchObject({ read: 4, added: 3, duplicates: 1, rejected: 2 })
    // Each rejection names the line its record starts on.
    const lineOf = (id: number) => text.split('\n').findIndex((l, i, all) => l.includes(`"MediaID": ${id}`) && all[i - 1]!.trim() === '{') // the line after "{"
    expect(summary.rejectedLines.map((r) => r.line)).toEqual([lineOf(3), lineOf(4)])
    expect(await hashWithSeries(md5Of('vic-1'))).toMatchObject({ category: 'CSAM', series: { name: series, identified: true } })
    expect(await db().knownHash.findFirstOrThrow({ where: { value: md5Of('vic-2') } })).toMatchObject({ category: 'CGI_ANIMATION' })

    const cases = { '@odata.context': 'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Cases', value: [{ CaseID: 'c1', CaseNumber: '2026-001', Media: [{ Category: 2, MD5: md5Of('vic-case-1') }, { Category: 1, SHA1: 'short' }] }] }
    const fromCase = await importText(JSON.stringify(cases), 'vics')
    expect(fromCase).toMatchObject({ read: 1, added: 1, rejected: 1 })
    expect(await importText('{"value": [{"MD5": "' + md5Of('vic-cut') + '"}', 'vics')).toMatchObject({ added: 1, rejected: 1, rejectedLines: [{ line: 1, reason: 'the JSON ends before its last record does' }] })
  })

  it('imports in many small chunks over two connections: each hash once, series names with tabs and backslashes kept', async () => {
    // Chunks of 3 rows, two committing at once: duplicates across chunks and within one.
    const chunked = createCatalogService({ pool: app.container.pgPool, audit: app.container.audit, clock: app.container.clock, tuning: { chunkRows: 3, connections: 2 } })
    const series = `Odd\tseries \\ ${uniq()}` // a tab and a backslash, which COPY's text format escapes
    const values = Array.from({ length: 40 }, (_, i) => md5Of(`chunked-${i}`))
    const csv = ['md5,series,series_identified', ...values.map((v, i) => `${v},"${i % 2 ? series : ''}",${i === 1}`), ...values.slice(0, 10).map((v) => `${v},,`), 'nope,,'].join('\n')
    const summary = await chunked.importCatalog(Readable.from([csv]), { format: 'csv', hashSet: { name: `Chunked ${uniq()}`, source: 'test' }, category: 'CSAM' }, admin)
    expect(summary).toMatchObject({ read: 50, added: 40, duplicates: 10, rejected: 1, rejectedLines: [{ line: 52 }] })
    const rows = await db().knownHash.findMany({ where: { value: { in: values } } })
    expect(rows).toHaveLength(40)
    const made = await db().series.findUniqueOrThrow({ where: { name: series } })
    expect(rows.filter((r) => r.seriesId === made.id)).toHaveLength(20)
    expect(made).toMatchObject({ identified: true })
    const again = await chunked.importCatalog(Readable.from([csv]), { format: 'csv', hashSet: { name: `Chunked again ${uniq()}`, source: 'test' }, category: 'CSAM' }, admin)
    expect(again).toMatchObject({ read: 50, added: 0, duplicates: 50 })
  })

  it('an import whose upload breaks midway keeps whole chunks only, audits the failure, and the same file again completes it', async () => {
    const chunked = createCatalogService({ pool: app.container.pgPool, audit: app.container.audit, clock: app.container.clock, tuning: { chunkRows: 100, connections: 2 } })
    const values = Array.from({ length: 1000 }, (_, i) => md5Of(`broken-upload-${i}`))
    const set = `Broken ${uniq()}`
    // The upload: 550 lines, then the connection drops (the stream errors, as busboy's does).
    const broken = new Readable({ read() {} })
    broken.push(values.slice(0, 550).join('\n') + '\n')
    setTimeout(() => broken.destroy(new Error('the upload was cut off')), 200)
    const request = { format: 'plain' as const, hashSet: { name: set, source: 'test' }, category: 'CSAM' as const }
    await expect(chunked.importCatalog(broken, request, admin)).rejects.toThrow('the upload was cut off')
    const hashSet = await db().hashSet.findUniqueOrThrow({ where: { name: set } })
    const kept = await db().knownHash.count({ where: { hashSetId: hashSet.id } })
    // The five whole chunks read before the break, committed; the sixth (50 rows) rolled back.
    expect(kept).toBe(500)
    const failure = await db().auditEvent.findFirstOrThrow({ where: { action: 'catalog.import', objectId: String(hashSet.id) } })
    expect(failure).toMatchObject({ outcome: 'FAILURE', details: { added: kept, error: 'the upload was cut off' } })
    // No connection is left inside a transaction.
    const { rows } = await app.container.pgPool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)
    expect(rows[0].n).toBe(0)
    const again = await chunked.importCatalog(Readable.from([values.join('\n')]), request, admin)
    expect(again).toMatchObject({ read: 1000, added: 1000 - kept, duplicates: kept })
    expect(await db().knownHash.count({ where: { hashSetId: hashSet.id } })).toBe(1000)
  })

  it('exports the catalog as CSV that imports back adding nothing, and audits both without hashes', async () => {
    const chunks: Buffer[] = []
    const out = new Writable({ write(chunk, _enc, done) { chunks.push(chunk as Buffer); done() } })
    const count = await app.container.catalog.exportCatalog(out, {}, admin)
    const csv = Buffer.concat(chunks).toString()
    expect(csv.split('\n')[0]).toBe('type,hash,category,series,series_identified,hash_set,added_at')
    expect(csv.trim().split('\n')).toHaveLength(count + 1)
    expect(count).toBe(await db().knownHash.count())
    expect(await importText(csv, 'csv')).toMatchObject({ read: count, added: 0, rejected: 0 })
    const events = await db().auditEvent.findMany({ where: { action: { in: ['catalog.import', 'catalog.export'] } } })
    expect(events.length).toBeGreaterThan(5)
    expect(JSON.stringify(events)).not.toContain(md5Of('catalog-test-1'))
  })
})

describe("a known hash's hash set and series (kept by triggers, not foreign keys)", () => {
  /** A connection of its own (one for each side of a race), given back closed: see `done`. */
  const connection = () => app.container.pgPool.connect()
  const done = (client: pg.PoolClient) => client.release(true)
  const newSet = async () => (await db().hashSet.create({ data: { name: `Set ${uniq()}`, source: 'test' } })).id
  const newSeries = async () => (await db().series.create({ data: { name: `Series ${uniq()}` } })).id
  const insertHash = (q: pg.PoolClient, value: string, hashSetId: number, seriesId: number | null = null) =>
    q.query(`INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId", "seriesId") VALUES ('MD5', $1, 'CSAM', $2, $3)`, [value, hashSetId, seriesId])
  const sqlstate = (promise: Promise<unknown>) => promise.then(() => 'none', (error: { code?: string }) => error.code)

  it('refuses a hash whose hash set or series does not exist, on insert and on update, writing nothing', async () => {
    const client = await connection()
    try {
      const set = await newSet()
      const missing = set + 1_000_000
      const value = md5Of(`orphan-${uniq()}`)
      await expect(insertHash(client, value, missing)).rejects.toMatchObject({ code: '23503', detail: `Hash set ${missing} does not exist.` })
      await expect(insertHash(client, value, set, missing)).rejects.toMatchObject({ code: '23503', detail: `Series ${missing} does not exist.` })
      // One statement, many rows, one of them bad: none is written.
      const many = await sqlstate(client.query(
        `INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId") SELECT 'MD5', md5(n::text || $1), 'CSAM', CASE WHEN n = 500 THEN $3::int ELSE $2::int END FROM generate_series(1, 1000) n`,
        [uniq(), set, missing],
      ))
      expect(many).toBe('23503')
      expect(await db().knownHash.count({ where: { hashSetId: set } })).toBe(0)
      await insertHash(client, value, set)
      await expect(client.query(`UPDATE "KnownHash" SET "hashSetId" = $2 WHERE value = $1`, [value, missing])).rejects.toMatchObject({ code: '23503' })
      await expect(client.query(`UPDATE "KnownHash" SET "seriesId" = $2 WHERE value = $1`, [value, missing])).rejects.toMatchObject({ code: '23503' })
      expect(await db().knownHash.findFirstOrThrow({ where: { value } })).toMatchObject({ hashSetId: set, seriesId: null })
    } finally {
      done(client)
    }
  })

  it('keeps a hash set with hashes from being deleted, truncated or renumbered; a deleted series is taken off its hashes', async () => {
    const client = await connection()
    try {
      const [set, emptySet, series] = [await newSet(), await newSet(), await newSeries()]
      const value = md5Of(`kept-${uniq()}`)
      await insertHash(client, value, set, series)
      await expect(client.query(`DELETE FROM "HashSet" WHERE id = $1`, [set])).rejects.toMatchObject({ code: '23503', detail: `Hash set ${set} still has hashes in the catalog.` })
      await expect(client.query(`UPDATE "HashSet" SET id = id + 1000000 WHERE id = $1`, [set])).rejects.toMatchObject({ code: '23503' })
      await expect(client.query(`UPDATE "Series" SET id = id + 1000000 WHERE id = $1`, [series])).rejects.toMatchObject({ code: '23503' })
      await expect(client.query(`TRUNCATE "HashSet" CASCADE`)).rejects.toMatchObject({ code: '23503' })
      await expect(client.query(`TRUNCATE "Series" CASCADE`)).rejects.toMatchObject({ code: '23503' })
      // Only at READ COMMITTED: an older snapshot could miss hashes committed meanwhile.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
      await expect(client.query(`DELETE FROM "HashSet" WHERE id = $1`, [emptySet])).rejects.toMatchObject({ code: '0A000', message: 'deleting from "HashSet" needs READ COMMITTED isolation' })
      await client.query('ROLLBACK')
      // What nothing refers to goes as before.
      await client.query(`DELETE FROM "HashSet" WHERE id = $1`, [emptySet])
      expect(await db().hashSet.count({ where: { id: emptySet } })).toBe(0)
      await client.query(`DELETE FROM "Series" WHERE id = $1`, [series])
      expect(await db().knownHash.findFirstOrThrow({ where: { value } })).toMatchObject({ hashSetId: set, seriesId: null })
    } finally {
      done(client)
    }
  })

  it('a hash set deleted while hashes go into it: whichever commits second fails, and no hash is left without its set (nor with a deleted series)', async () => {
    const [importer, deleter] = [await connection(), await connection()]
    try {
      // The hashes first: the delete waits for their transaction, then finds them.
      const first = await newSet()
      await importer.query('BEGIN')
      await insertHash(importer, md5Of(`race-${uniq()}`), first)
      await deleter.query('BEGIN')
      const deleting = sqlstate(deleter.query(`DELETE FROM "HashSet" WHERE id = $1`, [first]))
      await expect.poll(() => waitingOnLock(deleter)).toBe(true)
      await importer.query('COMMIT')
      expect(await deleting).toBe('23503')
      await deleter.query('ROLLBACK')
      expect(await db().hashSet.count({ where: { id: first } })).toBe(1)

      // The delete first: the hashes wait for it, then find their set gone.
      const second = await newSet()
      await deleter.query('BEGIN')
      await deleter.query(`DELETE FROM "HashSet" WHERE id = $1`, [second])
      await importer.query('BEGIN')
      const inserting = sqlstate(insertHash(importer, md5Of(`race-${uniq()}`), second))
      await expect.poll(() => waitingOnLock(importer)).toBe(true)
      await deleter.query('COMMIT')
      expect(await inserting).toBe('23503')
      await importer.query('ROLLBACK')
      expect(await db().knownHash.count({ where: { hashSetId: second } })).toBe(0)

      // A series deleted while a hash goes into it: the delete waits, then takes it off the hash.
      const series = await newSeries()
      const value = md5Of(`race-${uniq()}`)
      await importer.query('BEGIN')
      await insertHash(importer, value, first, series)
      await deleter.query('BEGIN')
      const deletingSeries = sqlstate(deleter.query(`DELETE FROM "Series" WHERE id = $1`, [series]))
      await expect.poll(() => waitingOnLock(deleter)).toBe(true)
      await importer.query('COMMIT')
      expect(await deletingSeries).toBe('none')
      await deleter.query('COMMIT')
      expect(await db().knownHash.findFirstOrThrow({ where: { value } })).toMatchObject({ hashSetId: first, seriesId: null })
    } finally {
      done(importer)
      done(deleter)
    }
  })

  /** Whether the connection's backend is waiting for a lock. */
  async function waitingOnLock(client: pg.PoolClient): Promise<boolean> {
    const pid = (client as unknown as { processID: number }).processID
    const rows = await db().$queryRawUnsafe<{ waiting: boolean }[]>(`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`, pid)
    return rows[0]?.waiting ?? false
  }
})

describe('the console page for imports and exports', () => {
  const signedIn = async (role: 'ADMIN' | 'TRIAGE' | 'CVIP_ANALYST') => {
    const staff = await createStaff(db(), role)
    const client = consoleClient(app.baseUrl)
    await client.signIn(staff.email, TEST_PASSWORD)
    return { client, staff }
  }
  const upload = (client: ReturnType<typeof consoleClient>, fields: Record<string, string>, file: string) => {
    const body = new FormData()
    for (const [k, v] of Object.entries(fields)) body.append(k, v)
    body.append('file', new Blob([file], { type: 'text/plain' }), 'list.txt')
    return fetch(`${app.baseUrl}/admin/catalog/import`, { method: 'POST', body, headers: { cookie: client.cookie!, origin: app.baseUrl }, redirect: 'manual' })
  }

  it('lets an administrator upload a list and see the rejected lines, audited as theirs', async () => {
    const { client, staff } = await signedIn('ADMIN')
    expect((await client.get('/admin/catalog')).status).toBe(200)
    const set = `Console set ${uniq()}`
    const response = await upload(client, { hashSet: set, source: 'CVIP', format: 'plain', category: 'CSAM', hashType: '', series: '' }, `${md5Of('console-1')}\nnope\n${md5Of('console-2')}\n`)
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(html).toContain('2 hashes read: 2 added, 0 already in the catalog. 1 line rejected.')
    expect(html).toMatch(/<td>2<\/td><td>&#34;nope&#34; is not hexadecimal<\/td>/)
    const hashSet = await db().hashSet.findUniqueOrThrow({ where: { name: set } })
    expect(hashSet).toMatchObject({ source: 'CVIP', importedById: staff.id })
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'catalog.import', objectId: String(hashSet.id) } })).toMatchObject({ actorId: String(staff.id), outcome: 'SUCCESS', details: { read: 2, added: 2, rejected: 1 } })

    const exported = await client.get('/admin/catalog/export.csv')
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="hash-catalog.csv"')
    expect(await exported.text()).toContain(md5Of('console-1'))
    expect(await db().auditEvent.count({ where: { action: 'catalog.export', actorId: String(staff.id) } })).toBe(1)
  })

  it('refuses both to every other role', async () => {
    for (const role of ['TRIAGE', 'CVIP_ANALYST'] as const) {
      const { client } = await signedIn(role)
      expect((await client.get('/admin/catalog')).status).toBe(403)
      expect((await client.get('/admin/catalog/export.csv')).status).toBe(403)
      const response = await upload(client, { hashSet: `Nope ${uniq()}`, source: 'x', format: 'plain', category: 'CSAM' }, md5Of(`refused-${role}`))
      expect(response.status).toBe(403)
      expect(await db().knownHash.count({ where: { value: md5Of(`refused-${role}`) } })).toBe(0)
    }
    const anonymous = await fetch(`${app.baseUrl}/admin/catalog/export.csv`, { redirect: 'manual' })
    expect(anonymous.status).toBe(302)
  })
})

describe('PDQ near matching', () => {
  it('finds exactly what a brute-force scan finds, on neighbours planted at 0, 31 and 32 bits', async () => {
    const queries = Array.from({ length: 12 }, () => randomBytes(32).toString('hex'))
    const background = Array.from({ length: 3000 }, () => randomBytes(32).toString('hex'))
    // Planted at exactly 0, 31 and 32 bits, random or spread evenly over the chunks (the hard case
    // for the chunk index: 31 bits spread leaves one chunk one bit apart, none identical).
    const planted = queries.flatMap((q) => [q, flip(q, 31), flip(q, 31, true), flip(q, 32), flip(q, 32, true), flip(q, 15, true), flip(q, 1)])
    const summary = await importText([...background, ...planted].join('\n'), 'plain', { hashType: 'PDQ' })
    expect(summary.rejected).toBe(0)
    await app.container.pgPool.query('ANALYZE "KnownHash"')
    const sql = sqlOf(app.container.pgPool)
    const all = (await db().knownHash.findMany({ where: { hashType: 'PDQ' }, select: { id: true, value: true } }))
    let expected = 0
    for (const q of queries) {
      const brute = all.filter((h) => hammingDistance(h.value, q) <= 31).map((h) => h.id).sort()
      const found = (await nearestPdq(sql, q, 31, 1000)).map((m) => m.knownHashId).sort()
      expect(found).toEqual(brute)
      expected += brute.length
      const distances = all.filter((h) => brute.includes(h.id)).map((h) => hammingDistance(h.value, q))
      expect(distances).toContain(0)
      expect(distances).toContain(31)
      expect(distances.some((d) => d === 32)).toBe(false)
    }
    expect(expected).toBeGreaterThanOrEqual(queries.length * 5)
  })

  it('matches many PDQ hashes in one statement, each to the best match a brute-force scan picks', async () => {
    const identified = await db().series.create({ data: { name: `Identified ${uniq()}`, identified: true, identifiedAt: new Date() } })
    const set = await db().hashSet.create({ data: { name: `Batch set ${uniq()}`, source: 'test' } })
    // Near one query: an entry 3 bits away in no series, and one 20 bits away in an identified
    // series, which wins (an identified child first, then the nearest).
    const base = randomBytes(32).toString('hex')
    await db().knownHash.createMany({ data: [
      { hashType: 'PDQ', value: flip(base, 3), category: 'CSAM', hashSetId: set.id },
      { hashType: 'PDQ', value: flip(base, 20, true), category: 'CSAM', hashSetId: set.id, seriesId: identified.id },
    ] })
    await app.container.pgPool.query('ANALYZE "KnownHash"')
    const identifiedSeries = new Set((await db().series.findMany({ where: { identified: true }, select: { id: true } })).map((x) => x.id))
    const all = await db().knownHash.findMany({ where: { hashType: 'PDQ' }, select: { id: true, value: true, seriesId: true } })
    expect(all.length).toBeGreaterThan(3000)
    const picks = Array.from({ length: 60 }, (_, i) => flip(all[(i * 53) % all.length]!.value, i % 36, i % 2 === 0))
    const queries = [base, ...picks, ...Array.from({ length: 20 }, () => randomBytes(32).toString('hex')), base]
    const bruteBest = (q: string) =>
      all
        .map((h) => ({ id: h.id, identified: h.seriesId !== null && identifiedSeries.has(h.seriesId), distance: hammingDistance(h.value, q) }))
        .filter((h) => h.distance <= 31)
        .sort((a, b) => Number(b.identified) - Number(a.identified) || a.distance - b.distance || a.id - b.id)[0] ?? null
    const batched = await nearestPdqMany(sqlOf(app.container.pgPool), queries, 31)
    const looked = await lookUpHashes(sqlOf(app.container.pgPool), queries.map((value) => ({ hashType: 'PDQ' as const, value })), 31)
    let matched = 0
    queries.forEach((q, i) => {
      const brute = bruteBest(q)
      expect(batched[i] ? { id: batched[i]!.knownHashId, distance: batched[i]!.distance } : null, `query ${i}`).toEqual(brute ? { id: brute.id, distance: brute.distance } : null)
      expect(looked[i]?.knownHashId ?? null).toBe(brute?.id ?? null)
      if (brute) matched++
    })
    expect(batched[0]).toMatchObject({ distance: 20, seriesIdentified: true })
    expect(matched).toBeGreaterThan(40)
    expect(matched).toBeLessThan(queries.length - 20)
  })

  it('uses the chunk indexes instead of scanning the catalog', async () => {
    await app.container.pgPool.query('ANALYZE "KnownHash"')
    const q = randomBytes(32).toString('hex')
    const { rows } = await app.container.pgPool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id FROM "KnownHash" kh WHERE kh."hashType" = 'PDQ' AND ((('x' || substr(kh."value", 1, 4))::bit(16))::int = ANY($1::int[]) OR (('x' || substr(kh."value", 5, 4))::bit(16))::int = ANY($1::int[]))`,
      [[parseInt(q.slice(0, 4), 16)]],
    )
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/manual_KnownHash_pdq_chunk_0/)
  })
})

describe('matching when a report is finished', () => {
  it('marks files known, in an identified series (PDQ near match) or unknown, and triage routes on it', async () => {
    const identified = await db().series.create({ data: { name: `Identified ${uniq()}`, identified: true, identifiedAt: new Date() } })
    const set = await db().hashSet.create({ data: { name: `Match set ${uniq()}`, source: 'test' } })
    const knownPdq = randomBytes(32).toString('hex')
    await db().knownHash.create({ data: { hashType: 'PDQ', value: knownPdq, category: 'CSAM', hashSetId: set.id, seriesId: identified.id } })
    const esp = await createEspAccount(db())
    const client = ispwsClient(app.baseUrl, esp.username, esp.secret)

    const finishWith = async (files: { bytes: string; hashes: { type: string; value: string }[] }[]) => {
      const { reportId } = await client.submit(minimalReportXml())
      for (const file of files) {
        const { fileId } = await client.upload(reportId!, file.bytes)
        expect((await client.fileinfo(fileDetailsXml(reportId!, fileId!, { hashes: file.hashes }))).code).toBe(0)
      }
      expect((await client.finish(reportId!)).code).toBe(0)
      return db().report.findUniqueOrThrow({ where: { id: reportId! }, include: { files: { orderBy: { id: 'asc' } } } })
    }

    // A near-duplicate (20 bits away) of an identified series' image, and a known MD5 file.
    const knownBytes = `known file ${uniq()}`
    await db().knownHash.create({ data: { hashType: 'MD5', value: md5Of(knownBytes), category: 'CSAM', hashSetId: set.id } })
    const matched = await finishWith([
      { bytes: `new file ${uniq()}`, hashes: [{ type: 'PDQ', value: flip(knownPdq, 20) }] },
      { bytes: knownBytes, hashes: [] },
    ])
    expect(matched.files.map((f) => [f.matchStatus, f.pdqDistance])).toEqual([['IDENTIFIED_SERIES', 20], ['KNOWN', null]])
    expect(matched.queue).toBe('CVIP')
    expect(matched.routeReason).toMatch(/identified/i)

    // 32 bits away is no match: the file is unknown, a possible new victim.
    const unmatched = await finishWith([{ bytes: `other file ${uniq()}`, hashes: [{ type: 'PDQ', value: flip(knownPdq, 32) }] }])
    expect(unmatched.files[0]).toMatchObject({ matchStatus: 'UNKNOWN', knownHashId: null, pdqDistance: null })
    expect(unmatched.routeReason).toMatch(/possible new victim/)
  })
})
