// npm run bench:hashes
// The known-hash catalog's figures, on a fresh database:
//  1. import rate: a plain list of BENCH_IMPORT_HASHES MD5 hashes (default 1,000,000) through the
//     import service, then the same file again (idempotent: everything a duplicate);
//  2. a 100-hash search (MD5, SHA-1, SHA-256, known and unknown) with BENCH_CATALOG_HASHES
//     cryptographic hashes in the catalog (default 10,000,000, filled by SQL): p50/p99; then an
//     import of BENCH_IMPORT_HASHES new ones into that full catalog;
//  3. one PDQ near-match query (radius 31) with BENCH_PDQ_HASHES PDQ hashes (default 1,000,000):
//     p50/p99, and recall against a brute-force scan on planted neighbours at distances 0, 31, 32;
//  4. a collection review's PDQ lines (BENCH_REVIEW_LINES, default 10,000) matched as its job does.
// BENCH_PARTS picks parts (import,search,pdq,review).
import { NO_REQUEST } from '../../src/lib/request-context.js'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { loadConfig } from '../../src/config.js'
import { createContainer } from '../../src/container.js'
import { createLogger } from '../../src/lib/logger.js'
import { sqlOf } from '../../src/lib/sql.js'
import { lookUpHashes, nearestPdq } from '../../src/modules/hashes/hash-matching.js'
import { hammingDistance } from '../../src/modules/hashes/pdq.js'
import { readCatalog } from '../../src/modules/hashes/catalog-formats.js'
import { createCatalogService, DEFAULT_IMPORT_TUNING } from '../../src/modules/hashes/catalog.service.js'
import { adminQuery, databaseUrl } from '../support/database.js'
import { flip } from '../factories/pdq.js'

const IMPORT = Number(process.env.BENCH_IMPORT_HASHES ?? 1_000_000)
const CATALOG = Number(process.env.BENCH_CATALOG_HASHES ?? 10_000_000)
const PDQ = Number(process.env.BENCH_PDQ_HASHES ?? 1_000_000)
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 1)
/** The import's tuning (catalog.service.ts ImportTuning), to compare: chunk rows, connections, synchronous commit on/off. */
const TUNING = {
  ...(process.env.BENCH_IMPORT_CHUNK ? { chunkRows: Number(process.env.BENCH_IMPORT_CHUNK) } : {}),
  ...(process.env.BENCH_IMPORT_CONNECTIONS ? { connections: Number(process.env.BENCH_IMPORT_CONNECTIONS) } : {}),
  ...(process.env.BENCH_IMPORT_SYNC ? { synchronousCommit: process.env.BENCH_IMPORT_SYNC === 'on' } : {}),
}
/**
 * What upkeep costs: BENCH_IMPORT_WITHOUT=reference-checks,indexes,pdq-indexes drops those from
 * the bench's database first; BENCH_IMPORT_ROW_FKS=1 puts back the per-row foreign keys the
 * statement-level reference checks replaced (migration known_hash_statement_checks), to compare.
 */
const WITHOUT = new Set((process.env.BENCH_IMPORT_WITHOUT ?? '').split(',').filter(Boolean))
const ROW_FKS = process.env.BENCH_IMPORT_ROW_FKS === '1'
const REVIEW_LINES = Number(process.env.BENCH_REVIEW_LINES ?? 10_000)
const RADIUS = 31
/** Which parts to run (all by default): import, search, pdq, review; e.g. BENCH_PARTS=import. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'import,search,pdq,review').split(',').map((p) => p.trim()))
const phases = (s: { phases?: Record<string, number> }) => Object.entries(s.phases ?? {}).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')
const md5 = (text: string) => createHash('md5').update(text).digest('hex')
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
const ms = (n: number) => `${n.toFixed(2)} ms`


const name = `tip_triage_bench_${randomBytes(4).toString('hex')}`
await adminQuery(`CREATE DATABASE "${name}"`)
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl(name) }, stdio: 'pipe' })
const container = createContainer(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl(name) }), { logger: createLogger('silent') })
const { pgPool: pool } = container
const sql = sqlOf(pool)
const dir = mkdtempSync(path.join(tmpdir(), 'bench-hashes-'))
const system = { actorType: 'SYSTEM' as const, id: null, label: 'bench', origin: NO_REQUEST }

try {
  const { rows: [set] } = await pool.query<{ id: number }>(`INSERT INTO "HashSet" (name, source) VALUES ('bench fill', 'bench') RETURNING id`)
  const { rows: [series] } = await pool.query<{ id: number }>(`INSERT INTO "Series" (name, identified) VALUES ('bench series', true) RETURNING id`)
  const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ')
  const bench = createCatalogService({ pool, audit: container.audit, clock: container.clock, tuning: TUNING })
  const request = { format: 'plain' as const, hashSet: { name: 'bench import', source: 'bench' }, category: 'CSAM' as const }
  /** A plain list of IMPORT new MD5 hashes, none of them in the catalog. */
  const writeList = async (file: string, label: string) => {
    const out = createWriteStream(file)
    for (let i = 0; i < IMPORT; i += 10_000) {
      const lines = Array.from({ length: Math.min(10_000, IMPORT - i) }, (_, k) => md5(`bench-import-${label}-${i + k}`)).join('\n') + '\n'
      if (!out.write(lines)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
  }

  // 1. Import rate: BENCH_IMPORT_RUNS files of IMPORT new hashes each (the catalog grows), the last one again.
  if (PARTS.has('import')) {
    if (WITHOUT.has('reference-checks') || ROW_FKS) await pool.query(`DROP TRIGGER manual_known_hash_inserted ON "KnownHash"`)
    if (ROW_FKS) {
      await pool.query(`ALTER TABLE "KnownHash" ADD CONSTRAINT "KnownHash_hashSetId_fkey" FOREIGN KEY ("hashSetId") REFERENCES "HashSet"(id) ON DELETE RESTRICT ON UPDATE CASCADE,
        ADD CONSTRAINT "KnownHash_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "Series"(id) ON DELETE SET NULL ON UPDATE CASCADE`)
    }
    if (WITHOUT.has('indexes')) await pool.query(`DROP INDEX "KnownHash_hashSetId_idx", "KnownHash_seriesId_idx"`)
    if (WITHOUT.has('pdq-indexes')) await pool.query(`DROP INDEX ${Array.from({ length: 16 }, (_, i) => `"manual_KnownHash_pdq_chunk_${i}"`).join(', ')}`)
    console.log(`import tuning: ${JSON.stringify({ ...DEFAULT_IMPORT_TUNING, ...TUNING })}${WITHOUT.size ? `, without ${[...WITHOUT].join(', ')}` : ''}${ROW_FKS ? ', with the per-row foreign keys instead of the statement checks' : ''}`)
    const rates: number[] = []
    let file = ''
    for (let run = 0; run < IMPORT_RUNS; run++) {
      file = path.join(dir, `list-${run}.txt`)
      await writeList(file, String(run))
      if (run === 0) {
        // The reader alone: what parsing and validating costs without the database.
        const readStarted = performance.now()
        let parsed = 0
        for await (const item of readCatalog(createReadStream(file), 'plain', request)) if ('value' in item) parsed++
        const readSeconds = (performance.now() - readStarted) / 1000
        console.log(`reader alone: ${parsed.toLocaleString('en-US')} lines parsed and validated in ${readSeconds.toFixed(2)} s = ${Math.round(parsed / readSeconds).toLocaleString('en-US')} lines/s (load ${load()})`)
      }
      const first = await bench.importCatalog(createReadStream(file), request, system)
      rates.push(first.read / first.seconds)
      console.log(`import ${run + 1}: ${IMPORT.toLocaleString('en-US')} new MD5 hashes (plain list) in ${first.seconds.toFixed(2)} s = ${Math.round(first.read / first.seconds).toLocaleString('en-US')} hashes/s (added ${first.added}; ${phases(first)}) (load ${load()})`)
      if (run < IMPORT_RUNS - 1) rmSync(file, { force: true })
    }
    const again = await bench.importCatalog(createReadStream(file), request, system)
    console.log(`again (the last file, every line a duplicate): ${again.seconds.toFixed(2)} s = ${Math.round(again.read / again.seconds).toLocaleString('en-US')} hashes/s, added ${again.added} (${phases(again)}) (load ${load()})`)
    if (IMPORT_RUNS > 1) console.log(`import median of ${IMPORT_RUNS}: ${Math.round(percentile([...rates].sort((a, b) => a - b), 50)).toLocaleString('en-US')} hashes/s`)
  }

  // 2. Fill the catalog to CATALOG cryptographic hashes by SQL (md5 of a counter; every tenth a SHA-1 or SHA-256 shape).
  const toFill = Math.max(0, CATALOG - (PARTS.has('import') ? IMPORT * IMPORT_RUNS : 0))
  if (PARTS.has('search')) {
    const fillStarted = Date.now()
    for (let from = 1; from <= toFill; from += 1_000_000) {
      const to = Math.min(toFill, from + 999_999)
      await pool.query(
        `INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId", "seriesId")
         SELECT 'MD5', md5('bench-fill-' || g), 'CSAM', $3, CASE WHEN g % 50 = 0 THEN $4::int END FROM generate_series($1::int, $2::int) g
         ON CONFLICT DO NOTHING`,
        [from, to, set!.id, series!.id],
      )
      process.stderr.write(`\rfilled ${to.toLocaleString('en-US')} of ${toFill.toLocaleString('en-US')}`)
    }
    await pool.query(`INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId") SELECT 'SHA1', left(encode(sha256(('s1-' || g)::bytea), 'hex'), 40), 'CSAM', $1 FROM generate_series(1, 1000) g`, [set!.id])
    await pool.query('VACUUM ANALYZE "KnownHash"')
    const total = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "KnownHash"`)).rows[0]!.n
    process.stderr.write('\n')
    console.log(`catalog: ${Number(total).toLocaleString('en-US')} cryptographic hashes (filled in ${((Date.now() - fillStarted) / 1000).toFixed(0)} s)`)

    const searchTimes: number[] = []
    let found = 0
    for (let run = 0; run < 300; run++) {
      const hashes = Array.from({ length: 100 }, (_, k) => {
        const i = run * 100 + k
        if (k % 10 === 0) return { hashType: 'SHA1' as const, value: sha1(`unknown-${i}`) }
        if (k % 10 === 1) return { hashType: 'SHA256' as const, value: sha256(`unknown-${i}`) }
        if (k % 2 === 0) return { hashType: 'MD5' as const, value: md5(`bench-fill-${1 + ((i * 7919) % Math.max(1, toFill))}`) }
        return { hashType: 'MD5' as const, value: md5(`not-in-catalog-${i}`) }
      })
      const t = performance.now()
      const results = await lookUpHashes(sql, hashes, RADIUS)
      if (run >= 20) searchTimes.push(performance.now() - t)
      found += results.filter(Boolean).length
    }
    searchTimes.sort((a, b) => a - b)
    console.log(`100-hash search (${found} matches over 300 searches; first 20 not timed): p50 ${ms(percentile(searchTimes, 50))}, p99 ${ms(percentile(searchTimes, 99))} (load ${load()})`)

    // An import once the catalog is full: the unique (type, value) index is then ~10 times the
    // size it is for the first import (and far beyond shared_buffers).
    const fullFile = path.join(dir, 'list-into-full.txt')
    await writeList(fullFile, 'into-full')
    const intoFull = await bench.importCatalog(createReadStream(fullFile), request, system)
    rmSync(fullFile, { force: true })
    console.log(`import into the full catalog (${Number(total).toLocaleString('en-US')} hashes): ${IMPORT.toLocaleString('en-US')} new MD5 hashes in ${intoFull.seconds.toFixed(2)} s = ${Math.round(intoFull.read / intoFull.seconds).toLocaleString('en-US')} hashes/s (added ${intoFull.added}; ${phases(intoFull)}) (load ${load()})`)
  }

  // 3. PDQ: PDQ random-looking hashes (two md5s of a counter), then planted neighbours.
  if (PARTS.has('pdq') || PARTS.has('review')) {
    const pdqStarted = Date.now()
    for (let from = 1; from <= PDQ; from += 250_000) {
      const to = Math.min(PDQ, from + 249_999)
      await pool.query(
        `INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId")
         SELECT 'PDQ', md5('pdq-a-' || g) || md5('pdq-b-' || g), 'CSAM', $3 FROM generate_series($1::int, $2::int) g ON CONFLICT DO NOTHING`,
        [from, to, set!.id],
      )
      process.stderr.write(`\rPDQ ${to.toLocaleString('en-US')} of ${PDQ.toLocaleString('en-US')}`)
    }
    process.stderr.write('\n')
    const queries = Array.from({ length: 40 }, () => randomBytes(32).toString('hex'))
    const planted = queries.flatMap((q) => [q, flip(q, 31), flip(q, 31, true), flip(q, 32), flip(q, 32, true), flip(q, 30), flip(q, 16, true), flip(q, 33)])
    await pool.query(
      `INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId") SELECT 'PDQ', v, 'CSAM', $2 FROM unnest($1::varchar[]) v ON CONFLICT DO NOTHING`,
      [planted, set!.id],
    )
    await pool.query('VACUUM ANALYZE "KnownHash"')
    console.log(`PDQ: ${PDQ.toLocaleString('en-US')} PDQ hashes + ${planted.length} planted (filled in ${((Date.now() - pdqStarted) / 1000).toFixed(0)} s)`)

    if (PARTS.has('pdq')) {
      // Timing: the planted queries and random probes near existing hashes.
      const pdqTimes: number[] = []
      for (let run = 0; run < 300; run++) {
        const q = run < queries.length ? queries[run]! : flip(md5(`pdq-a-${1 + run * 3331 % PDQ}`) + md5(`pdq-b-${1 + run * 3331 % PDQ}`), run % 40)
        const t = performance.now()
        await nearestPdq(sql, q, RADIUS)
        if (run >= 20) pdqTimes.push(performance.now() - t)
      }
      pdqTimes.sort((a, b) => a - b)
      console.log(`PDQ near match (radius ${RADIUS}, best match): p50 ${ms(percentile(pdqTimes, 50))}, p99 ${ms(percentile(pdqTimes, 99))} (load ${load()})`)

      // Recall: every hash within the radius, by the index and by brute force (a full scan).
      let expected = 0
      let got = 0
      let extra = 0
      for (const q of queries) {
        const byIndex = new Set((await nearestPdq(sql, q, RADIUS, 10_000)).map((m) => m.knownHashId))
        const { rows } = await pool.query<{ id: number; value: string }>(`SELECT id, value FROM "KnownHash" WHERE "hashType" = 'PDQ' AND bit_count(('x' || value)::bit(256) # ('x' || $1::text)::bit(256)) <= $2`, [q, RADIUS])
        for (const row of rows) if (hammingDistance(row.value, q) > RADIUS) throw new Error('brute force disagrees with the JS distance')
        expected += rows.length
        got += rows.filter((r) => byIndex.has(r.id)).length
        extra += [...byIndex].filter((id) => !rows.some((r) => r.id === id)).length
      }
      console.log(`PDQ recall vs brute force over ${queries.length} queries (planted at 0, 16, 30, 31, 32, 33 bits): ${got}/${expected} = ${((100 * got) / Math.max(1, expected)).toFixed(1)}%, ${extra} found that brute force did not`)
    }

    if (PARTS.has('review')) {
      // A collection review of BENCH_REVIEW_LINES PDQ lines, matched as the job does (lookUpHashes,
      // 1,000 lines a call): a tenth near the planted queries or the catalog, the rest random.
      const lines = Array.from({ length: REVIEW_LINES }, (_, i) => {
        const value = i % 10 === 0 ? flip(queries[i % queries.length]!, i % 32) : i % 10 === 1 ? flip(md5(`pdq-a-${1 + i}`) + md5(`pdq-b-${1 + i}`), i % 40) : randomBytes(32).toString('hex')
        return { hashType: 'PDQ' as const, value }
      })
      const started = performance.now()
      const batched: (string | null)[] = []
      for (let i = 0; i < lines.length; i += 1000) batched.push(...(await lookUpHashes(sql, lines.slice(i, i + 1000), RADIUS)).map((m) => (m ? `${m.knownHashId}:${m.distance}` : null)))
      const seconds = (performance.now() - started) / 1000
      console.log(`PDQ review, batched (1,000 lines a statement): ${REVIEW_LINES.toLocaleString('en-US')} PDQ lines in ${seconds.toFixed(2)} s = ${Math.round(REVIEW_LINES / seconds).toLocaleString('en-US')} lines/s, ${batched.filter(Boolean).length} matched (load ${load()})`)
      // Before: one query per line (nearestPdq, itself checked against brute force above); the answers must agree.
      const oneStarted = performance.now()
      let disagree = 0
      for (const [i, line] of lines.entries()) {
        const [one] = await nearestPdq(sql, line.value, RADIUS)
        if ((one ? `${one.knownHashId}:${one.distance}` : null) !== batched[i]) disagree++
      }
      const oneSeconds = (performance.now() - oneStarted) / 1000
      console.log(`PDQ review, one query a line (before): ${oneSeconds.toFixed(2)} s = ${Math.round(REVIEW_LINES / oneSeconds).toLocaleString('en-US')} lines/s; ${disagree} of ${REVIEW_LINES.toLocaleString('en-US')} answers differ from the batched ones (load ${load()})`)
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
  await container.close()
  if (!process.env.BENCH_KEEP_DATABASE) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  else console.log(`kept database ${name}`)
}
