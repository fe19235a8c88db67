// The known-hash catalog's imports and exports. An import streams its file through a reader
// (catalog-formats.ts) into batched multi-row inserts over node-postgres; a line that is not a
// hash is reported by number and the import goes on. Re-importing adds nothing: a hash already
// in the catalog (same type and value) is counted as a duplicate and left as it is. Imports and
// exports are audited with counts, never with hashes.
import type { Readable, Writable } from 'node:stream'
import type pg from 'pg'
import type { HashCategory, HashType } from '@prisma/client'
import type { Clock } from '../../lib/clock.js'
import type { AuditService } from '../audit/audit.service.js'
import { readCatalog, type CatalogFormat, type CatalogRecord, type ReadOptions, type RejectedLine } from './catalog-formats.js'

export type CatalogDeps = { pool: pg.Pool; audit: AuditService; clock: Clock }

export type ImportActor = { actorType: 'STAFF' | 'SYSTEM'; id: number | null; label: string; sourceIp?: string | null }

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
}

const BATCH = 20_000
const IMPORT_CONNECTIONS = 2
const REJECTED_KEPT = 1000

export function createCatalogService({ pool, audit, clock }: CatalogDeps) {
  async function hashSetId(hashSet: ImportRequest['hashSet'], actor: ImportActor): Promise<number> {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO "HashSet" (name, source, "importedById", "createdAt") VALUES ($1, $2, $3, $4::timestamp)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [hashSet.name.trim(), hashSet.source.trim(), actor.actorType === 'STAFF' ? actor.id : null, clock.now().toISOString()],
    )
    return rows[0]!.id
  }

  /** Series by name, made when new; a record saying its victim is identified marks the series so. */
  async function seriesIds(records: CatalogRecord[], known: Map<string, number>, now: Date): Promise<void> {
    const wanted = new Map<string, boolean>()
    for (const r of records) if (r.series && (!known.has(r.series) || r.seriesIdentified)) wanted.set(r.series, (wanted.get(r.series) ?? false) || r.seriesIdentified)
    if (wanted.size === 0) return
    const names = [...wanted.keys()]
    const { rows } = await pool.query<{ id: number; name: string }>(
      `INSERT INTO "Series" (name, identified, "identifiedAt", "createdAt")
       SELECT n, i, CASE WHEN i THEN $3::timestamp END, $3::timestamp FROM unnest($1::text[], $2::boolean[]) AS t(n, i)
       ON CONFLICT (name) DO UPDATE SET identified = "Series".identified OR EXCLUDED.identified,
         "identifiedAt" = COALESCE("Series"."identifiedAt", EXCLUDED."identifiedAt")
       RETURNING id, name`,
      [names, names.map((n) => wanted.get(n)), now.toISOString()],
    )
    for (const row of rows) known.set(row.name, row.id)
  }

  async function insertBatch(records: CatalogRecord[], setId: number, series: Map<string, number>): Promise<number> {
    const now = clock.now()
    await seriesIds(records, series, now)
    const result = await pool.query(
      `INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId", "seriesId", "addedAt")
       SELECT t, v, c, $4, s, $6::timestamp FROM unnest($1::"HashType"[], $2::varchar[], $3::"HashCategory"[], $5::int[]) AS u(t, v, c, s)
       ON CONFLICT ("hashType", value) DO NOTHING`,
      [records.map((r) => r.hashType), records.map((r) => r.value), records.map((r) => r.category), setId, records.map((r) => (r.series ? series.get(r.series) : null)), now.toISOString()],
    )
    return result.rowCount ?? 0
  }

  /** Imports a file; throws only when the import cannot go on (the database, an unreadable stream). */
  async function importCatalog(input: Readable, request: ImportRequest, actor: ImportActor): Promise<ImportSummary> {
    const started = performance.now()
    const setId = await hashSetId(request.hashSet, actor)
    const series = new Map<string, number>()
    const summary: ImportSummary = { hashSetId: setId, read: 0, added: 0, duplicates: 0, rejected: 0, rejectedLines: [], seconds: 0 }
    let batch: CatalogRecord[] = []
    // Batches are written on two connections while the next is read: parsing, and the
    // server's index work, overlap. (Sorted, so each batch walks the unique index in order.)
    const writing = new Set<Promise<void>>()
    let failure: unknown = null
    const flush = async () => {
      const records = batch.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      batch = []
      while (writing.size >= IMPORT_CONNECTIONS) await Promise.race(writing)
      if (failure) throw failure
      const write: Promise<void> = insertBatch(records, setId, series)
        .then((added) => {
          summary.added += added
        })
        .catch((error: unknown) => {
          failure ??= error
        })
        .finally(() => writing.delete(write))
      writing.add(write)
    }
    try {
      for await (const item of readCatalog(input, request.format, request)) {
        if ('reason' in item) {
          summary.rejected++
          if (summary.rejectedLines.length < REJECTED_KEPT) summary.rejectedLines.push(item)
          continue
        }
        summary.read++
        batch.push(item)
        if (batch.length >= BATCH) await flush()
      }
      if (batch.length) await flush()
      await Promise.all(writing)
      if (failure) throw failure
    } catch (error) {
      await Promise.all(writing)
      await audit.record({
        actorType: actor.actorType, actorId: actor.id, actorLabel: actor.label, action: 'catalog.import', objectType: 'HashSet', objectId: setId,
        outcome: 'FAILURE', sourceIp: actor.sourceIp ?? null,
        details: { format: request.format, fileName: request.fileName ?? null, read: summary.read, added: summary.added, error: (error as Error).message.slice(0, 300) },
      })
      throw error
    }
    summary.duplicates = summary.read - summary.added
    // Fresh statistics for the PDQ chunk expressions, or the planner may scan the whole catalog.
    if (summary.added >= 10_000) await pool.query('ANALYZE "KnownHash"')
    summary.seconds = (performance.now() - started) / 1000
    await audit.record({
      actorType: actor.actorType, actorId: actor.id, actorLabel: actor.label, action: 'catalog.import', objectType: 'HashSet', objectId: setId,
      outcome: 'SUCCESS', sourceIp: actor.sourceIp ?? null,
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
      outcome: 'SUCCESS', sourceIp: actor.sourceIp ?? null, details: { hashes: count },
    })
    return count
  }

  return { importCatalog, exportCatalog }
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export type CatalogService = ReturnType<typeof createCatalogService>
