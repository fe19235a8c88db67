// The audit trail: append-only and hash-chained. Each row's hash covers the previous row's
// hash and its own canonical content, so an edited, removed or reordered row breaks the chain.
import { createHash } from 'node:crypto'
import type { ActorType, AuditOutcome, Prisma } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { currentRequest } from '../../lib/request-context.js'
import type { RawSql, SqlTx } from '../../lib/sql.js'

export type AuditEntry = {
  actorType: ActorType
  actorId?: string | number | null
  actorLabel?: string | null
  action: string
  objectType?: string | null
  objectId?: string | number | null
  outcome: AuditOutcome
  sourceIp?: string | null
  sessionId?: string | null
  details?: Prisma.InputJsonValue | null
}

// Any constant: it names the one lock that serialises writers so the chain cannot fork.
const AUDIT_CHAIN_LOCK = 7_305_001

/** A canonical JSON form: keys sorted at every depth, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export function auditRowHash(prevHash: string | null, row: Record<string, unknown>): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update(canonicalJson(row))
    .digest('hex')
}

export function createAuditService({ db, clock }: { db: Db; clock: Clock }) {
  function rowOf(entry: AuditEntry) {
    // A request's address and session, unless the caller named them.
    const request = currentRequest()
    return {
      occurredAt: clock.now(),
      actorType: entry.actorType,
      actorId: entry.actorId == null ? null : String(entry.actorId),
      actorLabel: entry.actorLabel ?? null,
      action: entry.action,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId == null ? null : String(entry.objectId),
      outcome: entry.outcome,
      sourceIp: entry.sourceIp ?? request?.sourceIp ?? null,
      sessionId: entry.sessionId ?? request?.sessionId ?? null,
      details: entry.details ?? null,
    }
  }

  /** Appends one event inside `tx` (so it commits or rolls back with the change it records). */
  async function recordInTx(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`
    const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { rowHash: true } })
    const prevHash = last?.rowHash ?? null
    const row = rowOf(entry)
    await tx.auditEvent.create({
      data: {
        ...row,
        details: row.details ?? undefined,
        prevHash,
        rowHash: auditRowHash(prevHash, row),
      },
    })
  }

  /**
   * The same append in hand-written SQL (node-postgres or a Prisma transaction), for hot paths:
   * the chain lock, then one INSERT that reads the previous hash and hashes in PostgreSQL, so the
   * lock is held for one statement and the commit. The canonical row does not contain the
   * previous hash, so SHA-256(prevHash || canonical row) is the same whichever side computes it.
   * The INSERT runs after the lock is granted, so its snapshot sees the previous holder's row.
   */
  async function recordRaw(tx: RawSql, entry: AuditEntry): Promise<void> {
    const row = rowOf(entry)
    const canonical = canonicalJson(row)
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`
    await tx.$executeRaw`
      INSERT INTO "AuditEvent" ("occurredAt", "actorType", "actorId", "actorLabel", action, "objectType", "objectId", outcome,
                                "sourceIp", "sessionId", details, "prevHash", "rowHash")
      SELECT ${row.occurredAt}::timestamp, ${row.actorType}::"ActorType", ${row.actorId}, ${row.actorLabel}, ${row.action}, ${row.objectType},
             ${row.objectId}, ${row.outcome}::"AuditOutcome", ${row.sourceIp}, ${row.sessionId},
             ${row.details === null ? null : JSON.stringify(row.details)}::jsonb,
             prev.hash, encode(sha256(convert_to(COALESCE(prev.hash, '') || ${canonical}::text, 'UTF8')), 'hex')
      FROM (SELECT (SELECT "rowHash" FROM "AuditEvent" ORDER BY id DESC LIMIT 1)::text AS hash) prev`
  }

  /**
   * The same append, sent with the transaction's COMMIT in one message (see lib/sql.ts): the
   * chain lock is then held for the INSERT and the commit only, with no client round trip in
   * between, which is what lets concurrent audited claims through quickly. Same lock, same
   * hash, same table as recordInTx and recordRaw, so all three interleave safely.
   */
  function recordAtCommit(tx: SqlTx, entry: AuditEntry): void {
    const row = rowOf(entry)
    const text = (value: string | null) => (value === null ? 'NULL' : tx.literal(value))
    tx.beforeCommit(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`)
    tx.beforeCommit(`
      INSERT INTO "AuditEvent" ("occurredAt", "actorType", "actorId", "actorLabel", action, "objectType", "objectId", outcome,
                                "sourceIp", "sessionId", details, "prevHash", "rowHash")
      SELECT ${text(row.occurredAt.toISOString())}::timestamp, ${text(row.actorType)}::"ActorType", ${text(row.actorId)}, ${text(row.actorLabel)},
             ${text(row.action)}, ${text(row.objectType)}, ${text(row.objectId)}, ${text(row.outcome)}::"AuditOutcome", ${text(row.sourceIp)},
             ${text(row.sessionId)}, ${text(row.details === null ? null : JSON.stringify(row.details))}::jsonb,
             prev.hash, encode(sha256(convert_to(COALESCE(prev.hash, '') || ${text(canonicalJson(row))}::text, 'UTF8')), 'hex')
      FROM (SELECT (SELECT "rowHash" FROM "AuditEvent" ORDER BY id DESC LIMIT 1)::text AS hash) prev`)
  }

  async function record(entry: AuditEntry): Promise<void> {
    await db.$transaction((tx) => recordInTx(tx, entry))
  }

  return { record, recordInTx, recordRaw, recordAtCommit }
}

export type AuditService = ReturnType<typeof createAuditService>
