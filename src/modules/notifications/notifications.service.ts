// The outbox. A notification is written in the same transaction as its cause; a worker sends
// it; its row, not Redis, says whether it was sent. Each intended email has one idempotency
// key, so however often a cause is replayed or a job re-run, a person gets it once.
import type { Notification, Priority, Queue } from '@prisma/client'
import { Prisma } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type pg from 'pg'
import { executeAtCommit, sqlOf, type RawSql } from '../../lib/sql.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import {
  digestPeriod,
  notificationsForRoutedReport,
  slaBreachNotification,
  auditIntegrityAlert,
  accountLockedAlert,
  type AuditProblem,
  type LockedAccount,
  type BreachedReport,
  queueContact,
  type NotificationDraft,
  type NotificationPolicy,
  type RoutedReport,
} from './notifications.policy.js'

/**
 * A row handed to BullMQ; `takeover` is the claim (attempts count) of a dead sender it replaces;
 * `rehand` marks a pending row handed over before, whose job did not send it in time.
 */
export type RelayRow = { id: number; priority: Priority | null; takeover?: number; rehand?: boolean }

export type NotificationsDeps = {
  db: Db
  clock: Clock
  audit: AuditService
  policy: NotificationPolicy
  lockSeconds?: number
  /** node-postgres for the statements every email takes (claim, mark sent, relay); Prisma without it. */
  pool?: pg.Pool
}

const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'INFO']

export function createNotificationsService({ db, clock, audit, policy, lockSeconds = 120, pool }: NotificationsDeps) {
  // Hand-written SQL on node-postgres where it runs once or twice per email (see lib/sql.ts).
  const sql: RawSql = pool ? sqlOf(pool) : db

  /** Writes drafts inside the caller's transaction; a draft whose key exists already is skipped. */
  async function write(tx: RawSql, drafts: NotificationDraft[]): Promise<void> {
    if (drafts.length === 0) return
    // One statement, hand-written: it runs inside the transactions that make reports visible,
    // and is sent with their COMMIT when they run on node-postgres.
    const now = clock.now()
    const rows = drafts.map(
      (d) => Prisma.sql`(${d.kind}::"NotificationKind", ${d.channel}::"NotificationChannel", ${d.recipient}, ${d.template}, ${JSON.stringify(d.data)}::jsonb,
        ${d.idempotencyKey}, ${d.reportId ?? null}, ${d.queue ?? null}::"Queue", ${d.priority ?? null}::"Priority", ${now}, ${now})`,
    )
    await executeAtCommit(tx)`
      INSERT INTO "Notification" (kind, channel, recipient, template, data, "idempotencyKey", "reportId", queue, priority, "createdAt", "updatedAt")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("idempotencyKey") DO NOTHING`
  }

  /** Call in the transaction that routes a report: writes what the policy asks for. */
  async function notifyReportRouted(tx: RawSql, report: RoutedReport): Promise<void> {
    await write(tx, notificationsForRoutedReport(report, policy))
  }

  /** Call in the transaction that marks reports as past their SLA: one escalation email each. */
  async function notifySlaBreached(tx: RawSql, reports: BreachedReport[]): Promise<void> {
    await write(tx, reports.map((report) => slaBreachNotification(report, policy)))
  }

  /** Call in the transaction that records the integrity check: the security officer's alert. */
  async function notifyAuditProblem(tx: RawSql, found: AuditProblem): Promise<void> {
    await write(tx, [auditIntegrityAlert(found, clock.now(), policy)])
  }

  /** Call in the transaction that locks an account: the security officer's alert. */
  async function notifyAccountLocked(tx: RawSql, locked: LockedAccount): Promise<void> {
    await write(tx, [accountLockedAlert(locked, policy)])
  }

  /**
   * Takes a notification for sending: only a pending one, or one whose previous sender's hold
   * has lapsed (a worker that died mid-send). Returns null when there is nothing to send.
   */
  async function claimForSending(id: number): Promise<Notification | null> {
    const now = clock.now()
    const rows = await sql.$queryRaw<Notification[]>`
      UPDATE "Notification"
      SET status = 'SENDING', attempts = attempts + 1, "lockedUntil" = ${new Date(now.getTime() + lockSeconds * 1000)}, "updatedAt" = ${now}
      WHERE id = ${id} AND channel = 'IMMEDIATE'
        AND (status = 'PENDING' OR (status = 'SENDING' AND "lockedUntil" < ${now}))
      RETURNING *`
    return rows[0] ?? null
  }

  // Each mark* takes the claim it acts on (the attempts count it was claimed at): a worker whose
  // hold lapsed and was taken over cannot overwrite what the new holder does.
  type Claim = { id: number; attempts: number }

  async function markSent({ id, attempts }: Claim, messageId: string): Promise<void> {
    // A single-use link (email or supervisor confirmation) is not kept once it has gone out.
    const now = clock.now()
    await sql.$executeRaw`
      UPDATE "Notification"
      SET status = 'SENT', "sentAt" = ${now}, "messageId" = ${messageId}, "lockedUntil" = NULL, "lastError" = NULL,
          data = data - 'confirmUrl', "updatedAt" = ${now}
      WHERE id = ${id} AND attempts = ${attempts} AND status = 'SENDING'`
  }

  /** A failure that may pass: back to pending, for the next try. */
  async function markRetryable({ id, attempts }: Claim, error: string): Promise<void> {
    await db.notification.updateMany({ where: { id, attempts, status: 'SENDING' }, data: { status: 'PENDING', lastError: error.slice(0, 2000), lockedUntil: null } })
  }

  /** A failure no retry can mend: shown in the console, retried only by a person. */
  async function markFailed({ id, attempts }: Claim, error: string): Promise<void> {
    await db.notification.updateMany({ where: { id, attempts, status: 'SENDING' }, data: { status: 'FAILED', lastError: error.slice(0, 2000), lockedUntil: null } })
  }

  /**
   * Hands the rows due for sending to `enqueue`: pending ones never handed over, or handed over
   * long enough ago that the job may have been lost (Redis restarted), and sends whose worker
   * died. A row handed over twice is harmless: the job id and claimForSending dedupe.
   */
  async function relayDue(
    enqueue: (rows: RelayRow[]) => Promise<void>,
    { resendAfterSeconds, limit = 1000 }: { resendAfterSeconds: number; limit?: number },
  ): Promise<number> {
    const now = clock.now()
    const staleBefore = new Date(now.getTime() - resendAfterSeconds * 1000)
    const due = await sql.$queryRaw<{ id: number; priority: Priority | null; status: string; attempts: number; handedBefore: Date | null }[]>`
      UPDATE "Notification" n SET "enqueuedAt" = ${now}
      FROM (
        SELECT id, "enqueuedAt" AS "handedBefore" FROM "Notification"
        WHERE channel = 'IMMEDIATE'
          AND ((status = 'PENDING' AND ("enqueuedAt" IS NULL OR "enqueuedAt" < ${staleBefore}))
            OR (status = 'SENDING' AND "lockedUntil" < ${now}))
        ORDER BY id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED) due
      WHERE n.id = due.id
      RETURNING n.id, n.priority, n.status, n.attempts, due."handedBefore"`
    if (due.length === 0) return 0
    // A send whose hold lapsed is a takeover: its worker died holding the job, which BullMQ still
    // counts as active under the row's job id until its stall check (30-60 s) moves it on, so a
    // hand-over under that id would be dropped. It goes under an id of its own (the claim it
    // takes over); the old job, when it runs again, finds the row sent and skips it. A pending
    // row handed over before is a re-hand: its job may be lost (Redis restarted), waiting, or
    // held by a worker that died before it could claim the row (enqueueNotifications looks).
    const rows: RelayRow[] = due.map((r) => ({
      id: r.id,
      priority: r.priority,
      ...(r.status === 'SENDING' ? { takeover: r.attempts } : r.handedBefore ? { rehand: true } : {}),
    }))
    try {
      await enqueue(rows)
    } catch (error) {
      // Redis is away: let the next pass try these again at once rather than after the wait.
      await db.notification.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { enqueuedAt: null } })
      throw error
    }
    return rows.length
  }

  /**
   * Folds each queue's pending digest items from before the current hour into one digest email.
   * Safe to run twice: the digest's key is per queue and hour, and folded items leave PENDING.
   */
  async function collectDigests(): Promise<number[]> {
    const { start, end } = digestPeriod(clock.now())
    const created: number[] = []
    for (const queue of ['CYBERTIPLINE', 'CVIP'] as Queue[]) {
      const id = await db.$transaction(async (tx) => {
        const items = await tx.$queryRaw<{ id: number; priority: Priority | null }[]>`
          SELECT id, priority FROM "Notification"
          WHERE channel = 'DIGEST' AND status = 'PENDING' AND queue = ${queue}::"Queue" AND "createdAt" < ${end}
          ORDER BY id FOR UPDATE SKIP LOCKED`
        if (items.length === 0) return null
        const idempotencyKey = `digest-${queue}-${end.toISOString()}`
        if (await tx.notification.findUnique({ where: { idempotencyKey }, select: { id: true } })) return null
        const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, items.filter((i) => i.priority === p).length]))
        const digest = await tx.notification.create({
          data: {
            kind: 'QUEUE_DIGEST',
            channel: 'IMMEDIATE',
            recipient: queueContact(policy, queue),
            template: 'queue-digest',
            queue,
            idempotencyKey,
            data: {
              queue,
              periodStart: start.toISOString(),
              periodEnd: end.toISOString(),
              total: items.length,
              byPriority,
              consoleUrl: `${policy.publicUrl}/admin/resources/Report?filters.queue=${queue}`,
            },
          },
        })
        await tx.notification.updateMany({ where: { id: { in: items.map((i) => i.id) } }, data: { status: 'DIGESTED', digestId: digest.id } })
        return digest.id
      })
      if (id !== null) created.push(id)
    }
    return created
  }

  /** A person's retry of a failed notification (console action); audited. */
  async function retryFailed(id: number, actor: StaffActor): Promise<void> {
    await db.$transaction(async (tx) => {
      const updated = await tx.notification.updateMany({
        where: { id, status: 'FAILED' },
        data: { status: 'PENDING', enqueuedAt: null, lockedUntil: null },
      })
      if (updated.count === 0) throw new AppError('CONFLICT', `Notification ${id} is not failed, so there is nothing to retry`)
      await audit.recordInTx(tx, {
        ...auditActor(actor),
        action: 'notification.retry',
        objectType: 'Notification',
        objectId: id,
        outcome: 'SUCCESS',
      })
    })
  }

  return { notifyAuditProblem, notifyAccountLocked, write, notifyReportRouted, notifySlaBreached, claimForSending, markSent, markRetryable, markFailed, relayDue, collectDigests, retryFailed }
}

export type NotificationsService = ReturnType<typeof createNotificationsService>
