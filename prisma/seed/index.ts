// Demo data for development: staff of every role, agencies, ESP accounts, 30 registrations,
// a known-hash catalog and 2,000 reports. Safe to run again: it adds only what is missing.
import type { Priority } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { DEV_MFA_ENCRYPTION_KEY, loadConfig } from '../../src/config.js'
import { encryptSecret } from '../../src/modules/auth/totp.js'
import { hashPassword } from '../../src/modules/auth/password.js'
import { createRandom } from './random.js'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, seedAgencies, seedEspAccounts, seedIpLocations, seedRegistrations, seedStaff } from './people.js'
import { seedCatalog } from './catalog.js'
import { seedReports } from './reports.js'

export { DEMO_PASSWORD, DEMO_STAFF, DEMO_ESP, DEMO_OFFICER_EMAIL, DEMO_TOTP_SECRET } from './people.js'
export { DEMO_REPORT_COUNT } from './reports.js'

const DEFAULT_SLA_MINUTES = loadConfig({}).slaMinutes

export async function seedDemoData(
  db: Db,
  { now = new Date(), slaMinutes = DEFAULT_SLA_MINUTES, mfaEncryptionKey = DEV_MFA_ENCRYPTION_KEY }: { now?: Date; slaMinutes?: Record<Priority, number>; mfaEncryptionKey?: string } = {},
): Promise<void> {
  const random = createRandom(20261204)
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const mfaSecret = encryptSecret(DEMO_TOTP_SECRET, mfaEncryptionKey)
  const staff = await seedStaff(db, passwordHash, mfaSecret)
  const agencies = await seedAgencies(db)
  await seedIpLocations(db)
  const esps = await seedEspAccounts(db)
  await seedRegistrations(db, random, agencies, staff, passwordHash, now, mfaSecret)
  const knownByMd5 = await seedCatalog(db, random)
  await seedReports(db, random, { now, staff, agencies, espAccountIds: esps.map((e) => e.id), knownByMd5, slaMinutes })
}
