// What an administrator does about an account's access: unlock it after a lockout, and end all
// of its sessions at once (a lost device, a suspicion). Each is audited. Sessions live in
// PostgreSQL (the "session" table), so ending them is one DELETE, seen by every process.
import { z } from 'zod'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import { CLEAR_FAILURES } from './lockout.js'

type Account = 'StaffUser' | 'OfficerRegistration'

const reasonSchema = z.object({ reason: z.string({ required_error: 'Give a reason: it is kept in the audit trail' }).trim().min(3, 'Give a reason: it is kept in the audit trail').max(2000) })

/** Deletes every session of an account, signed in or half-way through sign-in; returns how many. */
export async function endSessionsOf(tx: Tx | Db, account: Account, id: number): Promise<number> {
  const key = String(id)
  return account === 'StaffUser'
    ? tx.$executeRaw`DELETE FROM "session" WHERE sess -> 'adminUser' ->> 'id' = ${key} OR sess -> 'pendingSignIn' ->> 'staffId' = ${key}`
    : tx.$executeRaw`DELETE FROM "session" WHERE sess -> 'portal' ->> 'registrationId' = ${key} OR sess -> 'pendingPortalSignIn' ->> 'registrationId' = ${key}`
}

export function createAccountSecurityService({ db, audit }: { db: Db; audit: AuditService; clock: Clock }) {
  const record = (tx: Tx, actor: StaffActor, account: Account, id: number, action: string, details: Record<string, string | number>) =>
    audit.recordInTx(tx, { ...auditActor(actor), action, objectType: account, objectId: id, outcome: 'SUCCESS', details })

  async function unlock(account: Account, id: number, input: unknown, actor: StaffActor): Promise<void> {
    const { reason } = reasonSchema.parse(input)
    await db.$transaction(async (tx) => {
      const updated =
        account === 'StaffUser'
          ? await tx.staffUser.updateMany({ where: { id, lockedAt: { not: null } }, data: { lockedAt: null, ...CLEAR_FAILURES } })
          : await tx.officerRegistration.updateMany({ where: { id, lockedAt: { not: null } }, data: { lockedAt: null, ...CLEAR_FAILURES } })
      if (updated.count === 0) throw new AppError('CONFLICT', `${account === 'StaffUser' ? 'Staff user' : 'Registration'} ${id} is not locked`)
      await record(tx, actor, account, id, account === 'StaffUser' ? 'staff.unlock' : 'officer.unlock', { reason })
    })
  }

  async function endSessions(account: Account, id: number, input: unknown, actor: StaffActor): Promise<number> {
    const { reason } = reasonSchema.parse(input)
    return db.$transaction(async (tx) => {
      const ended = await endSessionsOf(tx, account, id)
      await record(tx, actor, account, id, account === 'StaffUser' ? 'staff.end_sessions' : 'officer.end_sessions', { reason, ended })
      return ended
    })
  }

  return { unlock, endSessions }
}

export type AccountSecurityService = ReturnType<typeof createAccountSecurityService>
