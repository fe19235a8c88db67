// The audit trail: append-only and hash-chained. An event is written in the transaction of
// the change it records (so no change commits without it), unchained and without a lock; the
// sealer (audit-sealer.ts) then gives each committed event its place in the chain and its hash,
// which covers the previous event's hash and the event's own canonical content, so an edited,
// removed or reordered event breaks the chain.
import type { RequestOrigin } from '../../lib/request-context.js'
import { createHash } from 'node:crypto'
import type { ActorType, AuditOutcome, Prisma } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import type pg from 'pg'
import type { RawSql, SqlTx } from '../../lib/sql.js'
import { sealAuditTrail } from './audit-sealer.js'

export type AuditEntry = {
  actorType: ActorType
  actorId?: string | number | null
  actorLabel?: string | null
  action: string
  objectType?: string | null
  objectId?: string | number | null
  outcome: AuditOutcome
  /** Where the request that caused it came from; NO_REQUEST for a job's (lib/request-context.ts). */
  sourceIp: string | null
  sessionId: string | null
  details?: Prisma.InputJsonValue | null
}

/** A staff member acting in the console, as the services that audit take one: who, and where the request came from. */
export type StaffActor = { id: number; email: string; origin: RequestOrigin }

/** The actor fields of an audit entry for something a staff member did. */
export function auditActor(actor: StaffActor) {
  return { actorType: 'STAFF' as const, actorId: actor.id, actorLabel: actor.email, ...actor.origin }
}

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

export function createAuditService({ db, clock, pool }: { db: Db; clock: Clock; pool: pg.Pool }) {
  function rowOf(entry: AuditEntry) {
    return {
      occurredAt: clock.now(),
      actorType: entry.actorType,
      actorId: entry.actorId == null ? null : String(entry.actorId),
      actorLabel: entry.actorLabel ?? null,
      action: entry.action,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId == null ? null : String(entry.objectId),
      outcome: entry.outcome,
      sourceIp: entry.sourceIp,
      sessionId: entry.sessionId,
      details: entry.details ?? null,
    }
  }

  /** Appends one event inside `tx` (so it commits or rolls back with the change it records). */
  async function recordInTx(tx: Tx, entry: AuditEntry): Promise<void> {
    const row = rowOf(entry)
    await tx.auditEvent.create({ data: { ...row, details: row.details ?? undefined } })
  }

  /** The same append in hand-written SQL (node-postgres or a Prisma transaction), for hot paths. */
  async function recordRaw(tx: RawSql, entry: AuditEntry): Promise<void> {
    const row = rowOf(entry)
    await tx.$executeRaw`
      INSERT INTO "AuditEvent" ("occurredAt", "actorType", "actorId", "actorLabel", action, "objectType", "objectId", outcome,
                                "sourceIp", "sessionId", details)
      VALUES (${row.occurredAt}::timestamp, ${row.actorType}::"ActorType", ${row.actorId}, ${row.actorLabel}, ${row.action}, ${row.objectType},
              ${row.objectId}, ${row.outcome}::"AuditOutcome", ${row.sourceIp}, ${row.sessionId},
              ${row.details === null ? null : JSON.stringify(row.details)}::jsonb)`
  }

  /**
   * The same append, sent with the transaction's COMMIT in one message (see lib/sql.ts): one
   * client round trip fewer on the hottest audited path, the claim.
   */
  function recordAtCommit(tx: SqlTx, entry: AuditEntry): void {
    const row = rowOf(entry)
    const text = (value: string | null) => (value === null ? 'NULL' : tx.literal(value))
    tx.beforeCommit(`
      INSERT INTO "AuditEvent" ("occurredAt", "actorType", "actorId", "actorLabel", action, "objectType", "objectId", outcome,
                                "sourceIp", "sessionId", details)
      VALUES (${text(row.occurredAt.toISOString())}::timestamp, ${text(row.actorType)}::"ActorType", ${text(row.actorId)}, ${text(row.actorLabel)},
              ${text(row.action)}, ${text(row.objectType)}, ${text(row.objectId)}, ${text(row.outcome)}::"AuditOutcome", ${text(row.sourceIp)},
              ${text(row.sessionId)}, ${text(row.details === null ? null : JSON.stringify(row.details))}::jsonb)`)
  }

  async function record(entry: AuditEntry): Promise<void> {
    await db.$transaction((tx) => recordInTx(tx, entry))
  }

  /** Links the events committed so far into the chain (the worker does this continually). */
  const seal = (options?: { wait?: boolean }) => sealAuditTrail(pool, clock, options)

  return { record, recordInTx, recordRaw, recordAtCommit, seal }
}

export type AuditService = ReturnType<typeof createAuditService>
