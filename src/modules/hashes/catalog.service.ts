// The known-hash catalog's imports and exports. An import streams its file through a reader
// (catalog-formats.ts) into chunks written by COPY and one set-based insert each
// (catalog-copy.ts); a line that is not a
// hash is reported by number and the import goes on. Re-importing adds nothing: a hash already
// in the catalog (same type and value) is counted as a duplicate and left as it is. Imports and
// exports are audited with counts, never with hashes.
import type { RequestOrigin } from '../../lib/request-context.js'
import type { Readable, Writable } from 'node:stream'
import type pg from 'pg'
import type { HashCategory, HashType } from '@prisma/client'
import type { Clock } from '../../lib/clock.js'
import type { AuditService } from '../audit/audit.service.js'
import { readCatalog, type CatalogFormat, type ReadOptions, type RejectedLine } from './catalog-formats.js'
import { CatalogChunk } from './catalog-copy.js'

/**
 * What the audit trail keeps of a failed import's error: PostgreSQL's SQLSTATE with its message,
 * or the message, with anything that looks like a hash (a run of 32 or more hex digits) taken
 * out: the trail names counts and causes, never hashes.
 */
export function describeImportError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null
  const message = String(e?.message ?? error).replace(/[0-9a-f]{32,}/gi, '[hash]').slice(0, 300)
  return typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? `SQLSTATE ${e.code}: ${message}` : message
}

/** Who imports or exports, and where the request came from (NO_REQUEST from the command line). */
export type ImportActor = { actorType: 'STAFF' | 'SYSTEM'; id: number | null; label: string; origin: RequestOrigin }

export type ImportRequest = ReadOptions & {
  format: CatalogFormat
  /** The hash set the hashes join: found by name, or made with this source. */
  hashSet: { name: string; source: string }
  fileName?: string | null
}

export type ImportSummary = {
  hashSetId: number
  /** Hashes read from valid lines (a CSV line or a VICS record may hold several). */
  read: number
  added: number
  /** Already in the catalog, or repeated in the file. */
  duplicates: number
  rejected: number
  /** The first rejected lines, by line number (all are counted). */
  rejectedLines: RejectedLine[]
  seconds: number
  /**
   * Where the time went, in seconds: reading and validating the file (the loop, alone),
   * COPY and INSERT (summed over the connections, so they may overlap each other and the
   * reading), and waiting for a connection to be free.
   */
  phases?: { read: number; copy: number; insert: number; waiting: number }
}

/**
 * How an import writes: rows a chunk (each chunk one COPY, one INSERT and one commit) and
 * connections (chunks committing at once while the next is read). `synchronousCommit: false`
 * lets a chunk's commit return before its WAL is on disk. The defaults are the fastest measured
 * (README, "Figures").
 */
export type ImportTuning = { chunkRows: number; connections: number; synchronousCommit: boolean }
export const DEFAULT_IMPORT_TUNING: ImportTuning = { chunkRows: 500_000, connections: 2, synchronousCommit: false }

export type CatalogDeps = { pool: pg.Pool; audit: AuditService; clock: Clock; tuning?: Partial<ImportTuning> }

const REJECTED_KEPT = 1000

export function createCatalogService({ pool, audit, clock, tuning: tuningGiven }: CatalogDeps) {
  const tuning = { ...DEFAULT_IMPORT_TUNING, ...tuningGiven }

  async function hashSetId(hashSet: ImportRequest['hashSet'], actor: ImportActor): Promise<number> {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO "HashSet" (name, source, "importedById", "createdAt") VALUES ($1, $2, $3, $4::timestamp)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [hashSet.name.trim(), hashSet.source.trim(), actor.actorType === 'STAFF' ? actor.id : null, clock.now().toISOString()],
    )
    return rows[0]!.id
  }

  /**
   * Makes the series a chunk names (committed at once: a series is only a name, harmless to keep
   * if the chunk fails); a row saying its series' child is identified marks the series so.
   * `made` holds the names already made by this import, to skip them next time.
   */
  async function makeSeries(named: Map<string, boolean>, made: Set<string>): Promise<void> {
    const names = [...named.keys()].filter((n) => !made.has(n) || named.get(n)).sort()
    if (names.length === 0) return
    const now = clock.now().toISOString()
    await pool.query(
      `INSERT INTO "Series" (name, identified, "identifiedAt", "createdAt")
       SELECT n, i, CASE WHEN i THEN $3::timestamp END, $3::timestamp FROM unnest($1::text[], $2::boolean[]) AS t(n, i)
       ON CONFLICT (name) DO UPDATE SET identified = "Series".identified OR EXCLUDED.identified,
         "identifiedAt" = COALESCE("Series"."identifiedAt", EXCLUDED."identifiedAt")`,
      [names, names.map((n) => named.get(n)), now],
    )
    for (const n of names) made.add(n)
  }

  /**
   * Imports a file; throws only when the import cannot go on (the database, an unreadable
   * stream). Rows go in chunks, each committed whole (see catalog-copy.ts): an import that fails
   * midway leaves the chunks committed before the failure, never part of one, and says how many
   * it added in its FAILURE audit row; importing the same file again adds the rest.
   */
  async function importCatalog(input: Readable, request: ImportRequest, actor: ImportActor): Promise<ImportSummary> {
    const started = performance.now()
    const setId = await hashSetId(request.hashSet, actor)
    const summary: ImportSummary = { hashSetId: setId, read: 0, added: 0, duplicates: 0, rejected: 0, rejectedLines: [], seconds: 0, phases: { read: 0, copy: 0, insert: 0, waiting: 0 } }
    const phases = summary.phases!
    const seriesMade = new Set<string>()
    const idle: pg.PoolClient[] = []
    const busy = new Set<pg.PoolClient>()
    const committing = new Set<Promise<void>>()
    let failure: unknown = null
    let chunk: { chunk: CatalogChunk; client: pg.PoolClient } | null = null

    const startChunk = async () => {
      const waitStarted = performance.now()
      while (idle.length === 0 && busy.size >= tuning.connections) {
        await Promise.race(committing)
        if (failure) throw failure
      }
      phases.waiting += (performance.now() - waitStarted) / 1000
      const client = idle.pop() ?? (await pool.connect())
      busy.add(client)
      chunk = { client, chunk: await CatalogChunk.begin(client, tuning) }
    }
    const commitChunk = () => {
      const { chunk: ending, client } = chunk!
      chunk = null
      const commit: Promise<void> = (async () => {
        await makeSeries(ending.series, seriesMade)
        const result = await ending.commit({ hashSetId: setId, addedAt: clock.now() })
        summary.added += result.added
        phases.copy += result.copySeconds
        phases.insert += result.insertSeconds
        busy.delete(client)
        idle.push(client)
      })()
        .catch((error: unknown) => {
          failure ??= error
        })
        .finally(() => committing.delete(commit))
      committing.add(commit)
    }

    try {
      const items = readCatalog(input, request.format, request)[Symbol.asyncIterator]()
      for (;;) {
        const readStarted = performance.now()
        const next = await items.next()
        phases.read += (performance.now() - readStarted) / 1000
        if (next.done) break
        const item = next.value
        if ('reason' in item) {
          summary.rejected++
          if (summary.rejectedLines.length < REJECTED_KEPT) summary.rejectedLines.push(item)
          continue
        }
        summary.read++
        if (!chunk) await startChunk()
        const behind = chunk!.chunk.add(item)
        if (behind) await behind
        if (chunk!.chunk.rows >= tuning.chunkRows) commitChunk()
      }
      if (chunk) commitChunk()
      await Promise.all(committing)
      if (failure) throw failure
    } catch (error) {
      // A chunk being written or committing when the import fails is rolled back by dropping its
      // connection; the chunks committed before stay (each whole).
      const open = chunk as { chunk: CatalogChunk } | null
      open?.chunk.abort()
      await Promise.all(committing)
      for (const client of busy) client.release(new Error('catalog import failed'))
      busy.clear()
      await audit.record({
        actorType: actor.actorType, actorId: actor.id, actorLabel: actor.label, action: 'catalog.import', objectType: 'HashSet', objectId: setId,
        outcome: 'FAILURE', ...actor.origin,
        details: { format: request.format, fileName: request.fileName ?? null, read: summary.read, added: summary.added, error: describeImportError(error) },
      })
      throw error
    } finally {
      for (const client of idle) client.release()
    }
    summary.duplicates = summary.read - summary.added
    // Fresh statistics for the PDQ chunk expressions, or the planner may scan the whole catalog.
    if (summary.added >= 10_000) await pool.query('ANALYZE "KnownHash"')
    summary.seconds = (performance.now() - started) / 1000
    await audit.record({
      actorType: actor.actorType, actorId: actor.id, actorLabel: actor.label, action: 'catalog.import', objectType: 'HashSet', objectId: setId,
      outcome: 'SUCCESS', ...actor.origin,
      details: { format: request.format, fileName: request.fileName ?? null, read: summary.read, added: summary.added, duplicates: summary.duplicates, rejected: summary.rejected },
    })
    return summary
  }

  /**
   * Writes the catalog (or one hash set) as CSV in the import's own CSV format, so an export
   * imports back unchanged. Read in id order, 10,000 rows at a time.
   */
  async function exportCatalog(output: Writable, { hashSetId }: { hashSetId?: number | null }, actor: ImportActor): Promise<number> {
    const write = (text: string) => (output.write(text) ? Promise.resolve() : new Promise<void>((resolve) => output.once('drain', () => resolve())))
    await write('type,hash,category,series,series_identified,hash_set,added_at\n')
    let after = 0
    let count = 0
    for (;;) {
      const { rows } = await pool.query<{ id: number; hashType: HashType; value: string; category: HashCategory; series: string | null; identified: boolean | null; hashSet: string; addedAt: Date }>(
        `SELECT kh.id, kh."hashType", kh.value, kh.category, s.name AS series, s.identified, hs.name AS "hashSet", kh."addedAt"
         FROM "KnownHash" kh JOIN "HashSet" hs ON hs.id = kh."hashSetId" LEFT JOIN "Series" s ON s.id = kh."seriesId"
         WHERE kh.id > $1 AND ($2::int IS NULL OR kh."hashSetId" = $2) ORDER BY kh.id LIMIT 10000`,
        [after, hashSetId ?? null],
      )
      if (rows.length === 0) break
      await write(rows.map((r) => [r.hashType, r.value, r.category, csvField(r.series ?? ''), r.identified ? 'true' : 'false', csvField(r.hashSet), r.addedAt.toISOString()].join(',')).join('\n') + '\n')
      count += rows.length
      after = rows[rows.length - 1]!.id
    }
    await audit.record({
      actorType: actor.actorType, actorId: actor.id, actorLabel: actor.label, action: 'catalog.export', objectType: 'HashSet', objectId: hashSetId ?? null,
      outcome: 'SUCCESS', ...actor.origin, details: { hashes: count },
    })
    return count
  }

  return { importCatalog, exportCatalog }
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export type CatalogService = ReturnType<typeof createCatalogService>
