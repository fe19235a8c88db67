// Recomputes the audit trail's hash chain from the first row and names the first broken link:
// a row whose content no longer matches its hash (edited), or whose prevHash is not the hash
// of the row before it (a row deleted, inserted or moved). Sequence gaps are not breaks: a
// rolled-back transaction consumes an id. Deleting the newest rows leaves a valid shorter chain;
// only a copy of the head kept elsewhere (see README) catches that.
import type { RawSql } from '../../lib/sql.js'
import { auditRowHash } from './audit.service.js'

export type ChainBreak = { id: bigint; reason: string }
export type ChainVerification = { checked: number; headId: bigint | null; headHash: string | null; firstBreak: ChainBreak | null }

const BATCH = 5000

type Row = {
  id: bigint | string; occurredAt: Date; actorType: string; actorId: string | null; actorLabel: string | null; action: string
  objectType: string | null; objectId: string | null; outcome: string; sourceIp: string | null; sessionId: string | null
  details: unknown; prevHash: string | null; rowHash: string
}

/** Reads through `sql` (a Prisma client or transaction, or node-postgres via lib/sql.ts). */
export async function verifyAuditChain(sql: RawSql): Promise<ChainVerification> {
  let previousHash: string | null = null
  let afterId = 0n
  let checked = 0
  let headId: bigint | null = null
  for (;;) {
    const rows = await sql.$queryRaw<Row[]>`
      SELECT id, "occurredAt", "actorType"::text AS "actorType", "actorId", "actorLabel", action, "objectType", "objectId",
             outcome::text AS outcome, "sourceIp", "sessionId", details, "prevHash", "rowHash"
      FROM "AuditEvent" WHERE id > ${afterId.toString()}::bigint ORDER BY id LIMIT ${BATCH}`
    for (const raw of rows) {
      const row = { ...raw, id: BigInt(raw.id) }
      if (row.prevHash !== previousHash) {
        return { checked, headId, headHash: previousHash, firstBreak: { id: row.id, reason: `its prevHash is not the hash of the row before it (${headId ?? 'none'}): a row was deleted, inserted or moved` } }
      }
      const expected = auditRowHash(row.prevHash, {
        occurredAt: row.occurredAt,
        actorType: row.actorType,
        actorId: row.actorId,
        actorLabel: row.actorLabel,
        action: row.action,
        objectType: row.objectType,
        objectId: row.objectId,
        outcome: row.outcome,
        sourceIp: row.sourceIp,
        sessionId: row.sessionId,
        details: row.details ?? null,
      })
      if (expected !== row.rowHash) {
        return { checked, headId, headHash: previousHash, firstBreak: { id: row.id, reason: 'its content does not match its hash: the row was changed' } }
      }
      previousHash = row.rowHash
      headId = row.id
      checked++
    }
    if (rows.length < BATCH) return { checked, headId, headHash: previousHash, firstBreak: null }
    afterId = BigInt(rows.at(-1)!.id)
  }
}
