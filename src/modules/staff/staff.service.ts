import { NO_REQUEST, type RequestOrigin } from '../../lib/request-context.js'
import type { StaffRole } from '@prisma/client'
import type { Db } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { generatePassword } from '../../lib/random.js'
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.js'
import type { AuditService } from '../audit/audit.service.js'
import { newStaffUserSchema, type NewStaffUser } from './staff.schemas.js'
import { CLEAR_FAILURES, DEFAULT_LOCKOUT, failedSignInUpdate, type LockoutPolicy } from '../auth/lockout.js'
import { recordAccountLocked } from '../auth/account-lock.js'
import type { NotificationsService } from '../notifications/notifications.service.js'

/** What the console keeps in the session about the signed-in staff member. */
export type StaffSessionUser = {
  id: number
  email: string
  title: string
  role: StaffRole
  /** Signed in with a one-time password: nothing else is allowed until it is changed. */
  mustChangePassword: boolean
}

/** Where the request came from, for the audit. */
export type SignInContext = RequestOrigin

// Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
const UNKNOWN_USER_HASH = hashPassword('no such user: timing equaliser')

export function createStaffService({
  db,
  audit,
  notifications,
  clock,
  lockout = DEFAULT_LOCKOUT,
}: {
  db: Db
  audit: AuditService
  notifications: Pick<NotificationsService, 'notifyAccountLocked'>
  clock: Clock
  lockout?: LockoutPolicy
}) {
  /**
   * Creates a staff user with a generated one-time password, returned once and stored only as
   * an argon2id hash; the user must change it.
   */
  async function createStaffUser(input: NewStaffUser): Promise<{ id: number; oneTimePassword: string }> {
    const data = newStaffUserSchema.parse(input)
    const existing = await db.staffUser.findUnique({ where: { email: data.email }, select: { id: true } })
    if (existing) throw new AppError('CONFLICT', `A staff user with email "${data.email}" already exists`)
    const oneTimePassword = generatePassword()
    const user = await db.$transaction(async (tx) => {
      const created = await tx.staffUser.create({
        data: { ...data, passwordHash: await hashPassword(oneTimePassword), mustChangePassword: true },
      })
      await audit.recordInTx(tx, {
        actorType: 'SYSTEM',
        ...NO_REQUEST,
        action: 'staff.create',
        objectType: 'StaffUser',
        objectId: created.id,
        outcome: 'SUCCESS',
        details: { role: data.role },
      })
      return created
    })
    return { id: user.id, oneTimePassword }
  }

  /** Returns the session user for a right email and password of an active account, else null. */
  async function authenticateStaff(email: string, password: string, context: SignInContext): Promise<StaffSessionUser | null> {
    const normalised = String(email ?? '').trim().toLowerCase()
    const user = normalised ? await db.staffUser.findUnique({ where: { email: normalised } }) : null
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await UNKNOWN_USER_HASH), String(password ?? ''))
    const ok = Boolean(user && user.isActive && !user.lockedAt && passwordOk)
    const now = clock.now()
    await db.$transaction(async (tx) => {
      let newlyLocked = false
      if (user && ok) {
        await tx.staffUser.update({ where: { id: user.id }, data: { lastSignInAt: now, ...CLEAR_FAILURES } })
      } else if (user && !passwordOk) {
        // Counted under the row's lock, so concurrent guesses from many processes all count.
        await tx.$queryRaw`SELECT id FROM "StaffUser" WHERE id = ${user.id} FOR UPDATE`
        const row = await tx.staffUser.findUniqueOrThrow({ where: { id: user.id }, select: { recentFailedSignIns: true, lockedAt: true } })
        const failure = failedSignInUpdate(row, now, lockout)
        newlyLocked = failure.newlyLocked
        await tx.staffUser.update({ where: { id: user.id }, data: { ...failure.data, lastFailedSignInAt: now } })
      }
      await audit.recordInTx(tx, {
        actorType: 'STAFF',
        actorId: user?.id ?? null,
        // An unknown email is recorded as typed, so an attack on guessed accounts is visible.
        actorLabel: normalised.slice(0, 254) || null,
        action: 'staff.sign_in',
        outcome: ok ? 'SUCCESS' : 'FAILURE',
        ...context,
      })
      if (newlyLocked) {
        await recordAccountLocked(tx, { audit, notifications, lockout }, { kind: 'StaffUser', id: user!.id, lockedAt: now, factor: 'password', origin: context })
      }
    })
    if (!ok || !user) return null
    return { id: user.id, email: user.email, title: user.name, role: user.role, mustChangePassword: user.mustChangePassword }
  }

  /**
   * Replaces a password, given the current one: how a one-time password is retired. Returns
   * what is wrong (for the form), or null when changed.
   */
  async function changePassword(userId: number, current: string, next: string, context: SignInContext): Promise<string | null> {
    const user = await db.staffUser.findUnique({ where: { id: userId } })
    if (!user || !user.isActive) return 'This account cannot change its password'
    const problem = !(await verifyPassword(user.passwordHash, current))
      ? 'The current password is wrong'
      : (passwordProblem(next) ?? (next === current ? 'The new password must differ from the current one' : null))
    await db.$transaction(async (tx) => {
      if (!problem) {
        await tx.staffUser.update({ where: { id: userId }, data: { passwordHash: await hashPassword(next), mustChangePassword: false } })
      }
      await audit.recordInTx(tx, {
        actorType: 'STAFF',
        actorId: userId,
        actorLabel: user.email,
        action: 'staff.password_change',
        objectType: 'StaffUser',
        objectId: userId,
        outcome: problem ? 'FAILURE' : 'SUCCESS',
        ...context,
        details: problem ? { reason: problem } : null,
      })
    })
    return problem
  }

  /** The session user for an active, unlocked account (after its second factor), else null. */
  async function sessionUser(id: number): Promise<StaffSessionUser | null> {
    const user = await db.staffUser.findUnique({ where: { id } })
    if (!user || !user.isActive || user.lockedAt) return null
    return { id: user.id, email: user.email, title: user.name, role: user.role, mustChangePassword: user.mustChangePassword }
  }

  return { createStaffUser, authenticateStaff, sessionUser, changePassword }
}

export type StaffService = ReturnType<typeof createStaffService>
