// The second factor, for staff and officers alike: enrolment (a TOTP secret confirmed by a
// first code, and ten single-use recovery codes), verification at each sign-in (a code is
// never accepted twice; failures count towards the account lockout), and an administrator's
// reset when a device is lost. Every step is audited.
import QRCode from 'qrcode'
import { z } from 'zod'
import { Prisma } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import { failedSignInUpdate, type LockoutPolicy } from './lockout.js'
import { recordAccountLocked } from './account-lock.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { endSessionsOf } from './account-security.service.js'
import type { RequestOrigin } from '../../lib/request-context.js'
import {
  decryptSecret,
  encryptSecret,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeDigest,
  totpTimeStep,
  totpUri,
} from './totp.js'

export type MfaAccountKind = 'StaffUser' | 'OfficerRegistration'
export type MfaAccount = { kind: MfaAccountKind; id: number; label: string }
/** Where the sign-in came from, for the audit. */
export type MfaContext = RequestOrigin

export type MfaDeps = { db: Db; clock: Clock; audit: AuditService; notifications: Pick<NotificationsService, 'notifyAccountLocked'>; encryptionKey: string; toleranceSteps: number; lockout: LockoutPolicy }

type AccountRow = { mfaSecret: string | null; mfaLastTimeStep: number | null; mfaRecoveryCodes: string[]; lockedAt: Date | null; recentFailedSignIns: Date[] }

/** The two account tables share their MFA and lockout columns; this reads and writes either. */
type AccountTable = {
  findUniqueOrThrow(args: { where: { id: number }; select: Record<keyof AccountRow, true> }): Promise<AccountRow>
  update(args: { where: { id: number }; data: Record<string, unknown> }): Promise<unknown>
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>
}
const table = (tx: Tx | Db, kind: MfaAccountKind) => (kind === 'StaffUser' ? tx.staffUser : tx.officerRegistration) as unknown as AccountTable
const ROW = { mfaSecret: true, mfaLastTimeStep: true, mfaRecoveryCodes: true, lockedAt: true, recentFailedSignIns: true } as const

const actorType = (kind: MfaAccountKind): 'STAFF' | 'OFFICER' => (kind === 'StaffUser' ? 'STAFF' : 'OFFICER')

const resetSchema = z.object({ reason: z.string({ required_error: 'Say how the owner was identified: it is kept in the audit trail' }).trim().min(10, 'Say how the owner was identified (at least 10 characters): it is kept in the audit trail').max(2000) })

/** How long a password accepted at sign-in waits for the second factor. */
export const PENDING_SIGN_IN_MINUTES = 5

/** A password accepted at sign-in, waiting for its second factor (kept in the session). */
export type PendingSignIn = { at: number; enrolSecret?: string }

export type Enrolment = { encryptedSecret: string; secret: string; uri: string; qrSvg: string }

export function createMfaService({ db, clock, audit, notifications, encryptionKey, toleranceSteps, lockout }: MfaDeps) {
  const record = (tx: Tx, account: MfaAccount, action: string, outcome: 'SUCCESS' | 'FAILURE', context: MfaContext, details: Record<string, string> | null = null) =>
    audit.recordInTx(tx, {
      actorType: actorType(account.kind),
      actorId: account.id,
      actorLabel: account.label,
      action,
      objectType: account.kind,
      objectId: account.id,
      outcome,
      ...context,
      details,
    })

  async function isEnrolled(kind: MfaAccountKind, id: number): Promise<boolean> {
    return (await table(db, kind).findUniqueOrThrow({ where: { id }, select: ROW })).mfaSecret !== null
  }

  /** Whether a sign-in's password step is recent enough for its second factor. */
  function stillPending<T extends PendingSignIn>(pending: T | undefined): T | null {
    return pending && clock.now().getTime() - pending.at <= PENDING_SIGN_IN_MINUTES * 60_000 ? pending : null
  }

  /**
   * The enrolment to show (QR code and text): the pending sign-in's own, re-shown after a wrong
   * code, or a new secret, which the caller keeps encrypted in the session until confirmed.
   */
  async function enrolmentFor(label: string, encryptedSecret?: string): Promise<Enrolment> {
    const encrypted = encryptedSecret ?? encryptSecret(newTotpSecret(), encryptionKey)
    const secret = decryptSecret(encrypted, encryptionKey)
    const uri = totpUri(secret, label)
    return { secret, uri, encryptedSecret: encrypted, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) }
  }

  /**
   * A sign-in's second step: confirms the enrolment it started (and then returns the recovery
   * codes to show once), or checks the enrolled factor.
   */
  async function secondFactor(account: MfaAccount, pending: PendingSignIn, code: string, context: MfaContext): Promise<{ accepted: boolean; recoveryCodes: string[] | null }> {
    if (pending.enrolSecret) {
      const recoveryCodes = await confirmEnrolment(account, pending.enrolSecret, code, context)
      return { accepted: recoveryCodes !== null, recoveryCodes }
    }
    return { accepted: await verify(account, code, context), recoveryCodes: null }
  }

  /**
   * Confirms an enrolment with the first code from the app: stores the secret and returns the
   * recovery codes, to be shown once. Refused if the account already has a second factor.
   */
  async function confirmEnrolment(account: MfaAccount, encryptedSecret: string, code: string, context: MfaContext): Promise<string[] | null> {
    const step = await totpTimeStep(decryptSecret(encryptedSecret, encryptionKey), code.trim(), clock.now(), toleranceSteps, null)
    const codes = newRecoveryCodes()
    return db.$transaction(async (tx) => {
      const enrolled = step === null
        ? 0
        : (await table(tx, account.kind).updateMany({
            where: { id: account.id, mfaSecret: null, lockedAt: null },
            data: { mfaSecret: encryptedSecret, mfaEnrolledAt: clock.now(), mfaLastTimeStep: step, mfaRecoveryCodes: codes.map(recoveryCodeDigest) },
          })).count
      await record(tx, account, 'mfa.enrol', enrolled ? 'SUCCESS' : 'FAILURE', context)
      if (!enrolled) await countFailure(tx, account, context)
      return enrolled ? codes : null
    })
  }

  /** Checks a sign-in's second factor: a TOTP code, or one of the recovery codes (used up). */
  async function verify(account: MfaAccount, code: string, context: MfaContext): Promise<boolean> {
    const given = String(code ?? '').trim()
    return db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`mfa:${account.kind}:${account.id}`}))`
      const row = await table(tx, account.kind).findUniqueOrThrow({ where: { id: account.id }, select: ROW })
      let method: 'totp' | 'recovery code' = 'totp'
      let ok = false
      if (row.mfaSecret && !row.lockedAt) {
        if (looksLikeRecoveryCode(given)) {
          method = 'recovery code'
          const digest = recoveryCodeDigest(given)
          if (row.mfaRecoveryCodes.includes(digest)) {
            await table(tx, account.kind).update({ where: { id: account.id }, data: { mfaRecoveryCodes: row.mfaRecoveryCodes.filter((d) => d !== digest) } })
            ok = true
          }
        } else {
          const step = await totpTimeStep(decryptSecret(row.mfaSecret, encryptionKey), given, clock.now(), toleranceSteps, row.mfaLastTimeStep)
          if (step !== null) {
            await table(tx, account.kind).update({ where: { id: account.id }, data: { mfaLastTimeStep: step } })
            ok = true
          }
        }
      }
      await record(tx, account, 'mfa.verify', ok ? 'SUCCESS' : 'FAILURE', context, { method })
      if (!ok) await countFailure(tx, account, context)
      return ok
    })
  }

  /**
   * A wrong code counts like a wrong password: five within the window lock the account. Counted
   * under the account row's lock, as password failures are, so failures arriving together (codes
   * and passwords, from any process) each count and one of them locks.
   */
  async function countFailure(tx: Tx, account: MfaAccount, context: MfaContext) {
    await tx.$queryRaw`SELECT id FROM ${Prisma.raw(account.kind === 'StaffUser' ? '"StaffUser"' : '"OfficerRegistration"')} WHERE id = ${account.id} FOR UPDATE`
    const row = await table(tx, account.kind).findUniqueOrThrow({ where: { id: account.id }, select: ROW })
    const now = clock.now()
    const failure = failedSignInUpdate(row, now, lockout)
    await table(tx, account.kind).update({ where: { id: account.id }, data: failure.data })
    if (failure.newlyLocked) {
      await recordAccountLocked(tx, { audit, notifications, lockout }, { kind: account.kind, id: account.id, lockedAt: now, factor: 'second factor', origin: context })
    }
  }

  /** A lost device: the second factor and recovery codes are removed, sessions end, the next sign-in enrols again. */
  async function reset(kind: MfaAccountKind, id: number, input: unknown, actor: StaffActor): Promise<void> {
    const { reason } = resetSchema.parse(input)
    await db.$transaction(async (tx) => {
      await table(tx, kind).update({ where: { id }, data: { mfaSecret: null, mfaEnrolledAt: null, mfaLastTimeStep: null, mfaRecoveryCodes: [] } })
      await endSessionsOf(tx, kind, id)
      await audit.recordInTx(tx, { ...auditActor(actor), action: 'mfa.reset', objectType: kind, objectId: id, outcome: 'SUCCESS', details: { reason } })
    })
  }

  return { isEnrolled, stillPending, enrolmentFor, secondFactor, confirmEnrolment, verify, reset }
}

export type MfaService = ReturnType<typeof createMfaService>
