// An account locked by failed sign-ins (lockout.ts decides when): the audit event and the
// security officer's alert, both written in the transaction that locks it. A lock is how a
// forgotten password shows, and how someone guessing one does (ASVS V6.3.1), so a person hears
// of each.
import type { Tx } from '../../lib/db.js'
import type { AuditService } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import type { LockoutPolicy } from './lockout.js'
import type { RequestOrigin } from '../../lib/request-context.js'

export type AccountLockDeps = {
  audit: Pick<AuditService, 'recordInTx'>
  notifications: Pick<NotificationsService, 'notifyAccountLocked'>
  lockout: LockoutPolicy
}

export async function recordAccountLocked(
  tx: Tx,
  { audit, notifications, lockout }: AccountLockDeps,
  locked: { kind: 'StaffUser' | 'OfficerRegistration'; id: number; lockedAt: Date; factor: 'password' | 'second factor'; origin: RequestOrigin },
): Promise<void> {
  const { kind, id, lockedAt, factor, origin } = locked
  const counted = { failures: lockout.attempts, windowMinutes: lockout.windowMinutes, factor }
  await audit.recordInTx(tx, { actorType: 'SYSTEM', action: kind === 'StaffUser' ? 'staff.lock' : 'officer.lock', objectType: kind, objectId: id, outcome: 'SUCCESS', ...origin, details: counted })
  await notifications.notifyAccountLocked(tx, { kind, id, lockedAt, ...counted })
}
