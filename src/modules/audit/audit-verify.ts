// Recomputes the audit trail's hash chain from its first place and names the first broken
// link: an event whose content no longer matches its hash (edited), whose place is not the next
// one (an event removed), or whose prevHash is not the hash of the event before it (removed,
// inserted or moved). Deleting the newest events leaves a valid shorter chain; only a copy of
// the head kept elsewhere (see README) catches that. Events not yet sealed are counted apart:
// the sealer links them within a second, and a backlog that grows old is itself an alarm.
import type { RawSql } from '../../lib/sql.js'
import { EVENT_COLUMNS, eventHash, sealBacklog, type SealBacklog, type StoredEvent } from './audit-chain.js'

export type ChainBreak = { id: bigint; chainSeq: bigint; reason: string }
export type ChainVerification = {
  checked: number
  headSeq: bigint | null
  headId: bigint | null
  headHash: string | null
  firstBreak: ChainBreak | null
  unsealed: SealBacklog
}

const BATCH = 5000

/** Reads through `sql` (a Prisma client or transaction, or node-postgres via lib/sql.ts). */
export async function verifyAuditChain(sql: RawSql): Promise<ChainVerification> {
  let previousHash: string | null = null
  let headSeq: bigint | null = null
  let headId: bigint | null = null
  let checked = 0
  const result = (firstBreak: ChainBreak | null, unsealed: SealBacklog): ChainVerification =>
    ({ checked, headSeq, headId, headHash: previousHash, firstBreak, unsealed })
  for (;;) {
    const after: string = (headSeq ?? 0n).toString()
    const rows: StoredEvent[] = await sql.$queryRaw<StoredEvent[]>`
      SELECT ${EVENT_COLUMNS} FROM "AuditEvent" WHERE "chainSeq" > ${after}::bigint ORDER BY "chainSeq" LIMIT ${BATCH}`
    for (const event of rows) {
      const id = BigInt(event.id)
      const chainSeq: bigint = BigInt(event.chainSeq!)
      const expectedSeq: bigint = (headSeq ?? 0n) + 1n
      const broken = (reason: string) => result({ id, chainSeq, reason }, { count: 0, oldestAt: null })
      if (chainSeq !== expectedSeq) {
        return broken(`it is sealed at place ${chainSeq} but the next place is ${expectedSeq}: the events between were deleted`)
      }
      if (event.prevHash !== previousHash) {
        return broken(`its prevHash is not the hash of the event before it (${headId ?? 'none'}): an event was deleted, inserted or moved`)
      }
      if (eventHash(event.prevHash, event) !== event.rowHash) {
        return broken('its content does not match its hash: the event was changed')
      }
      previousHash = event.rowHash
      headSeq = chainSeq
      headId = id
      checked++
    }
    if (rows.length < BATCH) return result(null, await sealBacklog(sql))
  }
}
