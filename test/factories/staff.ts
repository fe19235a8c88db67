import type { RequestOrigin } from '../../src/lib/request-context.js'
import type { StaffRole } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { hashPassword } from '../../src/modules/auth/password.js'
import { encryptSecret, newTotpSecret } from '../../src/modules/auth/totp.js'
import { DEV_MFA_ENCRYPTION_KEY } from '../../src/config.js'
import { STAFF_ROLES } from '../../src/admin/access.js'
import { rememberTotpSecret } from '../support/totp.js'

export const TEST_PASSWORD = 'correct horse battery staple'

let passwordHash: Promise<string> | undefined

/** A staff member with a password and, unless `mfa: false`, a second factor the tests' authenticator knows. */
export async function createStaff(db: Db, role: StaffRole, overrides: { email?: string; isActive?: boolean; mfa?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD)
  const email = overrides.email ?? `${role.toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@staff.example.com`
  const secret = overrides.mfa === false ? null : newTotpSecret()
  if (secret) rememberTotpSecret(email, secret)
  return db.staffUser.create({
    data: {
      email, name: `Test ${role}`, role, passwordHash: await passwordHash, isActive: overrides.isActive ?? true,
      ...(secret ? { mfaSecret: encryptSecret(secret, DEV_MFA_ENCRYPTION_KEY), mfaEnrolledAt: new Date() } : {}),
    },
  })
}

/** One staff user of each role, keyed by role. */
export async function createStaffOfEveryRole(db: Db) {
  const entries = await Promise.all(STAFF_ROLES.map(async (role) => [role, await createStaff(db, role)] as const))
  return Object.fromEntries(entries) as Record<StaffRole, Awaited<ReturnType<typeof createStaff>>>
}

/** Where a test's console or portal request "came from", for services called directly (RFC 5737 address). */
export const TEST_ORIGIN: RequestOrigin = { sourceIp: '198.51.100.23', sessionId: '0123456789abcdef' }
