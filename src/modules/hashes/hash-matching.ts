// Matches a report's files against the known-hash catalog when the report is received, so
// triage can tell new material (a possible new victim) from circulating or identified files.
import type { RawSql } from '../../lib/sql.js'

/**
 * Exact matches on the cryptographic hashes (and an exact PDQ), one statement. A file matching
 * several catalog entries takes the one in an identified series first.
 */
export async function matchReportFiles(tx: RawSql, reportId: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE "ReportFile" f SET "knownHashId" = m.known_id,
      "matchStatus" = (CASE WHEN m.known_id IS NULL THEN 'UNKNOWN' WHEN m.identified THEN 'IDENTIFIED_SERIES' ELSE 'KNOWN' END)::"HashMatchStatus"
    FROM (
      SELECT file.id, k.id AS known_id, COALESCE(k.identified, false) AS identified
      FROM "ReportFile" file
      LEFT JOIN LATERAL (
        SELECT kh.id, s.identified FROM "KnownHash" kh LEFT JOIN "Series" s ON s.id = kh."seriesId"
        -- ::varchar, so each comparison is a lookup in the (hashType, value) index: comparing the
        -- catalog's varchar with a char(n) column would cast every catalog value instead.
        WHERE (kh."hashType" = 'MD5' AND kh.value = file.md5::varchar) OR (kh."hashType" = 'SHA1' AND kh.value = file.sha1::varchar)
           OR (kh."hashType" = 'SHA256' AND kh.value = file.sha256::varchar) OR (kh."hashType" = 'PDQ' AND kh.value = file.pdq::varchar)
        ORDER BY s.identified IS TRUE DESC, kh.id LIMIT 1) k ON true
      WHERE file."reportId" = ${reportId}
    ) m
    WHERE f.id = m.id`
}
