// What the audit chain hashes, read back from the table: shared by the sealer, which links
// events, and the verifier, which recomputes the links. Both hash the stored form, so what is
// sealed is exactly what a later reader finds.
import { Prisma } from '@prisma/client'
import type { RawSql } from '../../lib/sql.js'
import { auditRowHash } from './audit.service.js'

// Any constant: it names the lock one sealer at a time holds, so the chain cannot fork.
export const AUDIT_CHAIN_LOCK = 7_305_001

export type StoredEvent = {
  id: bigint | string; occurredAt: Date; actorType: string; actorId: string | null; actorLabel: string | null; action: string
  objectType: string | null; objectId: string | null; outcome: string; sourceIp: string | null; sessionId: string | null
  details: unknown; chainSeq: bigint | string | null; prevHash: string | null; rowHash: string | null
}

/** The columns a sealer or verifier reads (enums as text), for `SELECT ${EVENT_COLUMNS} FROM "AuditEvent"`. */
export const EVENT_COLUMNS = Prisma.raw(`id, "occurredAt", "actorType"::text AS "actorType", "actorId", "actorLabel", action, "objectType", "objectId",
  outcome::text AS outcome, "sourceIp", "sessionId", details, "chainSeq", "prevHash", "rowHash"`)

export function eventHash(prevHash: string | null, event: StoredEvent): string {
  return auditRowHash(prevHash, {
    occurredAt: event.occurredAt,
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    outcome: event.outcome,
    sourceIp: event.sourceIp,
    sessionId: event.sessionId,
    details: event.details ?? null,
  })
}

export type SealBacklog = { count: number; oldestAt: Date | null }

/** How long the oldest unsealed event has waited, in seconds, if longer than the alarm allows; else null. */
export function unsealedTooLong({ count, oldestAt }: SealBacklog, now: Date, alertSeconds: number): number | null {
  if (count === 0 || !oldestAt) return null
  const waited = Math.round((now.getTime() - oldestAt.getTime()) / 1000)
  return waited > alertSeconds ? waited : null
}

/** Events committed but not yet sealed: how many, and when the oldest happened. */
export async function sealBacklog(sql: RawSql): Promise<SealBacklog> {
  const [row] = await sql.$queryRaw<{ count: number; oldestAt: Date | null }[]>`
    SELECT count(*)::int AS count, min("occurredAt") AS "oldestAt" FROM "AuditEvent" WHERE "chainSeq" IS NULL`
  return { count: row?.count ?? 0, oldestAt: row?.oldestAt ?? null }
}
