// Matches hashes against the known-hash catalog: a report's files when the report is received
// (so triage can tell new material, a possible new victim, from circulating or identified
// files) and an officer's Hash Search. Cryptographic hashes match exactly; PDQ hashes match
// within a Hamming distance (see pdq.ts for the index that keeps this off the whole catalog).
import type { HashCategory, HashType } from '@prisma/client'
import { Prisma } from '@prisma/client'
import type { RawSql } from '../../lib/sql.js'
import { PDQ_CHUNKS, PDQ_MIN_QUALITY, pdqProbes } from './pdq.js'

export const DEFAULT_PDQ_RADIUS = 31

/** A catalog entry a hash matched: `distance` is set for PDQ (0 when identical). */
export type CatalogMatch = {
  knownHashId: number
  hashType: HashType
  category: HashCategory
  seriesName: string | null
  seriesIdentified: boolean
  distance: number | null
}

type MatchRow = { id: number; hashType: HashType; category: HashCategory; seriesName: string | null; identified: boolean | null; distance: number | null }

const toMatch = (row: MatchRow): CatalogMatch => ({
  knownHashId: row.id,
  hashType: row.hashType,
  category: row.category,
  seriesName: row.seriesName,
  seriesIdentified: row.identified === true,
  distance: row.distance,
})

/** The chunk expression exactly as the manual_KnownHash_pdq_chunk_* indexes are built on it. */
const chunkExpression = (i: number) => Prisma.raw(`(('x' || substr(kh."value", ${i * 4 + 1}, 4))::bit(16))::int`)

/**
 * The catalog's PDQ hashes within `radius` bits of `hex`: the best first (an identified series,
 * then the nearest). Each chunk's probe is one index scan; the exact distance filters.
 */
export async function nearestPdq(sql: RawSql, hex: string, radius: number, limit = 1): Promise<CatalogMatch[]> {
  const probes = pdqProbes(hex, radius)
  const anyChunk = Prisma.join(
    probes.map((values, i) => Prisma.sql`${chunkExpression(i)} = ANY(${values}::int[])`),
    ' OR ',
  )
  const rows = await sql.$queryRaw<MatchRow[]>`
    SELECT m.id, m."hashType", m.category, s.name AS "seriesName", s.identified, m.distance
    FROM (
      SELECT kh.id, kh."hashType", kh.category, kh."seriesId",
             bit_count(('x' || kh."value")::bit(256) # ('x' || ${hex}::text)::bit(256))::int AS distance
      FROM "KnownHash" kh
      WHERE kh."hashType" = 'PDQ' AND (${anyChunk})
    ) m
    LEFT JOIN "Series" s ON s.id = m."seriesId"
    WHERE m.distance <= ${radius}
    ORDER BY s.identified IS TRUE DESC, m.distance, m.id
    LIMIT ${limit}`
  return rows.map(toMatch)
}

/**
 * The best catalog match (as `nearestPdq` with limit 1) for each of many PDQ hashes, in one
 * statement: for each chunk, every hash's probe values are looked up in that chunk's index (one
 * index scan per probe value, forced by the LATERAL ... OFFSET 0 fence), each candidate's exact
 * distance to the hash that probed it decides, and the best per hash is kept. One round trip and
 * one plan for a thousand lines instead of a thousand. (Handing the planner the probe values as
 * constant arrays instead, `= ANY(...)`, cost more in planning, ~1 s for a thousand hashes, than
 * it saved; see README "Figures".)
 */
export async function nearestPdqMany(sql: RawSql, hexes: string[], radius: number): Promise<(CatalogMatch | null)[]> {
  if (hexes.length === 0) return []
  const probes = hexes.map((hex) => pdqProbes(hex, radius))
  const branches = Array.from({ length: PDQ_CHUNKS }, (_, chunk) => {
    const ords: number[] = []
    const values: number[] = []
    probes.forEach((perChunk, ord) => {
      for (const value of perChunk[chunk]!) {
        ords.push(ord)
        values.push(value)
      }
    })
    return Prisma.sql`
      SELECT p.ord, k.id, k."hashType", k.category, k."seriesId", k.distance
      FROM unnest(${ords}::int[], ${values}::int[]) AS p(ord, v)
      JOIN q ON q.ord = p.ord
      CROSS JOIN LATERAL (
        SELECT kh.id, kh."hashType", kh.category, kh."seriesId", bit_count(('x' || kh.value)::bit(256) # q.bits)::int AS distance
        FROM "KnownHash" kh
        WHERE kh."hashType" = 'PDQ' AND ${chunkExpression(chunk)} = p.v
        OFFSET 0
      ) k
      WHERE k.distance <= ${radius}`
  })
  const rows = await sql.$queryRaw<(MatchRow & { ord: number })[]>`
    WITH q AS MATERIALIZED (
      SELECT (u.ord - 1)::int AS ord, ('x' || u.hex)::bit(256) AS bits FROM unnest(${hexes}::text[]) WITH ORDINALITY AS u(hex, ord)
    )
    SELECT DISTINCT ON (m.ord) m.ord, m.id, m."hashType", m.category, s.name AS "seriesName", s.identified, m.distance
    FROM (${Prisma.join(branches, ' UNION ALL ')}) m
    LEFT JOIN "Series" s ON s.id = m."seriesId"
    ORDER BY m.ord, s.identified IS TRUE DESC, m.distance, m.id`
  const best: (CatalogMatch | null)[] = hexes.map(() => null)
  for (const row of rows) best[row.ord] = toMatch(row)
  return best
}

/** Exact matches for cryptographic hashes, one statement: per (type, value), the best entry. */
export async function exactMatches(sql: RawSql, hashes: { hashType: HashType; value: string }[]): Promise<Map<string, CatalogMatch>> {
  const found = new Map<string, CatalogMatch>()
  if (hashes.length === 0) return found
  const rows = await sql.$queryRaw<(MatchRow & { value: string })[]>`
    SELECT DISTINCT ON (kh."hashType", kh.value) kh.id, kh."hashType", kh.value, kh.category, s.name AS "seriesName", s.identified, NULL::int AS distance
    FROM unnest(${hashes.map((h) => h.hashType)}::"HashType"[], ${hashes.map((h) => h.value)}::varchar[]) AS q("hashType", value)
    JOIN "KnownHash" kh ON kh."hashType" = q."hashType" AND kh.value = q.value
    LEFT JOIN "Series" s ON s.id = kh."seriesId"
    ORDER BY kh."hashType", kh.value`
  for (const row of rows) found.set(`${row.hashType}:${row.value}`, toMatch(row))
  return found
}

/** Looks each hash up: exact for MD5, SHA-1 and SHA-256, within `pdqRadius` for PDQ. */
export async function lookUpHashes(
  sql: RawSql,
  hashes: { hashType: HashType; value: string }[],
  pdqRadius: number,
): Promise<(CatalogMatch | null)[]> {
  const exact = await exactMatches(sql, hashes.filter((h) => h.hashType !== 'PDQ'))
  const pdq = [...new Set(hashes.filter((h) => h.hashType === 'PDQ').map((h) => h.value))]
  const best = await nearestPdqMany(sql, pdq, pdqRadius)
  const near = new Map(pdq.map((value, i) => [value, best[i] ?? null]))
  return hashes.map((h) => (h.hashType === 'PDQ' ? near.get(h.value) ?? null : exact.get(`${h.hashType}:${h.value}`) ?? null))
}

/**
 * Matches every file of a report, inside the transaction that receives it. The cryptographic
 * hashes match exactly (one statement); a file with a PDQ hash of usable quality is then
 * near-matched, and a near match wins when the file has no match yet or the near match is in an
 * identified series. A file matching several entries takes one in an identified series first.
 */
export async function matchReportFiles(tx: RawSql, reportId: number, { pdqRadius = DEFAULT_PDQ_RADIUS }: { pdqRadius?: number } = {}): Promise<{ fileIds: string[] }> {
  // One statement matches the cryptographic hashes and returns every file (their ids, in
  // upload order), marking those left to near-match.
  const files = await tx.$queryRaw<{ id: number; fileId: string; pdq: string | null; matchStatus: string; nearMatch: boolean }[]>`
    WITH matched AS (
      UPDATE "ReportFile" f SET "knownHashId" = m.known_id, "pdqDistance" = NULL,
        "matchStatus" = (CASE WHEN m.known_id IS NULL THEN 'UNKNOWN' WHEN m.identified THEN 'IDENTIFIED_SERIES' ELSE 'KNOWN' END)::"HashMatchStatus"
      FROM (
        SELECT file.id, k.id AS known_id, COALESCE(k.identified, false) AS identified
        FROM "ReportFile" file
        LEFT JOIN LATERAL (
          SELECT kh.id, s.identified FROM "KnownHash" kh LEFT JOIN "Series" s ON s.id = kh."seriesId"
          -- ::varchar, so each comparison is a lookup in the (hashType, value) index: comparing the
          -- catalog's varchar with a char(n) column would cast every catalog value instead.
          WHERE (kh."hashType" = 'MD5' AND kh.value = file.md5::varchar) OR (kh."hashType" = 'SHA1' AND kh.value = file.sha1::varchar)
             OR (kh."hashType" = 'SHA256' AND kh.value = file.sha256::varchar)
          ORDER BY s.identified IS TRUE DESC, kh.id LIMIT 1) k ON true
        WHERE file."reportId" = ${reportId}
      ) m
      WHERE f.id = m.id
      RETURNING f.id, f."fileId", f.pdq, f."pdqQuality", f."matchStatus"
    )
    SELECT id, "fileId", pdq::text AS pdq, "matchStatus",
      (pdq IS NOT NULL AND "matchStatus" <> 'IDENTIFIED_SERIES' AND ("pdqQuality" IS NULL OR "pdqQuality" >= ${PDQ_MIN_QUALITY})) AS "nearMatch"
    FROM matched
    ORDER BY id`
  const fileIds = files.map((f) => f.fileId)
  const withPdq = files.filter((f): f is typeof f & { pdq: string } => f.nearMatch)
  if (withPdq.length === 0) return { fileIds }
  const nearest = await nearestPdqMany(tx, withPdq.map((f) => f.pdq), pdqRadius)
  const better = withPdq.flatMap((file, i) => {
    const best = nearest[i]
    return !best || (file.matchStatus === 'KNOWN' && !best.seriesIdentified) ? [] : [{ id: file.id, best }]
  })
  if (better.length === 0) return { fileIds }
  await tx.$executeRaw`
    UPDATE "ReportFile" f SET "knownHashId" = b.known_id, "pdqDistance" = b.distance,
      "matchStatus" = (CASE WHEN b.identified THEN 'IDENTIFIED_SERIES' ELSE 'KNOWN' END)::"HashMatchStatus"
    FROM unnest(${better.map((b) => b.id)}::int[], ${better.map((b) => b.best.knownHashId)}::int[], ${better.map((b) => b.best.distance)}::int[],
                ${better.map((b) => b.best.seriesIdentified)}::boolean[]) AS b(id, known_id, distance, identified)
    WHERE f.id = b.id`
  return { fileIds }
}
