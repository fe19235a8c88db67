// The sealer links committed audit events into the hash chain, in the order they committed.
//
// Business transactions insert their events unchained and without a lock (a chain lock held by
// every audited change made fifty concurrent claims queue on it). Here one sealer at a time
// (a try-lock, so any number of worker processes may run the loop) reads the unsealed events
// its snapshot sees, which are committed ones, and gives each the next place in the chain
// (`chainSeq`, gapless), the previous event's hash and its own. An event that commits later
// than an event with a higher id simply gets a later place. The database lets exactly this
// update through and nothing else (migration audit_sealed_asynchronously).
import type pg from 'pg'
import type { Clock } from '../../lib/clock.js'
import { sqlTransaction } from '../../lib/sql.js'
import { AUDIT_CHAIN_LOCK, EVENT_COLUMNS, eventHash, type StoredEvent } from './audit-chain.js'

const BATCH = 2000

/** Seals one batch; null if another sealer holds the chain and `wait` is false. */
async function sealBatch(pool: pg.Pool, clock: Clock, wait: boolean): Promise<number | null> {
  return sqlTransaction(pool, async (tx) => {
    if (wait) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`
    } else {
      const [got] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${AUDIT_CHAIN_LOCK}) AS locked`
      if (!got?.locked) return null
    }
    // Read after the lock: this statement's snapshot includes the previous sealer's commit.
    const [head] = await tx.$queryRaw<{ place: string; rowHash: string }[]>`
      SELECT e."chainSeq"::text AS place, e."rowHash" FROM "AuditEvent" e WHERE e."chainSeq" IS NOT NULL ORDER BY e."chainSeq" DESC LIMIT 1`
    const events = await tx.$queryRaw<StoredEvent[]>`
      SELECT ${EVENT_COLUMNS} FROM "AuditEvent" WHERE "chainSeq" IS NULL ORDER BY id LIMIT ${BATCH}`
    if (events.length === 0) return 0
    let seq = head ? BigInt(head.place) : 0n
    let prevHash = head?.rowHash ?? null
    const ids: string[] = [], seqs: string[] = [], prevs: (string | null)[] = [], hashes: string[] = []
    for (const event of events) {
      seq += 1n
      const hash = eventHash(prevHash, event)
      ids.push(String(event.id)); seqs.push(seq.toString()); prevs.push(prevHash); hashes.push(hash)
      prevHash = hash
    }
    await tx.$executeRaw`
      UPDATE "AuditEvent" e SET "chainSeq" = v.seq, "prevHash" = v.prev, "rowHash" = v.hash, "sealedAt" = ${clock.now()}::timestamp
      FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev, hash)
      WHERE e.id = v.id`
    return events.length
  })
}

/**
 * Seals every event committed so far, batch by batch; returns how many it sealed. With `wait`
 * it queues behind a sealer already at work instead of leaving the events to it (for callers
 * that need the chain complete when it returns: the verifier's tests, a shutdown).
 */
export async function sealAuditTrail(pool: pg.Pool, clock: Clock, { wait = false }: { wait?: boolean } = {}): Promise<number> {
  let total = 0
  for (;;) {
    const sealed = await sealBatch(pool, clock, wait)
    if (sealed === null) return total
    total += sealed
    if (sealed < BATCH) return total
  }
}
