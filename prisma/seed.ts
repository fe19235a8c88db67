// `npm run db:seed`: seeds demo data unless the configuration forbids it (always in production).
import { loadConfig } from '../src/config.js'
import { createDb } from '../src/lib/db.js'
import { seedDemoData } from './seed/index.js'

const config = loadConfig()
if (!config.seedDemoData) {
  console.log(`Demo data not seeded (NODE_ENV=${config.env}, SEED_DEMO_DATA off).`)
  process.exit(0)
}
const db = createDb(config.databaseUrl)
const started = Date.now()
try {
  await seedDemoData(db, { slaMinutes: config.slaMinutes, mfaEncryptionKey: config.mfa.encryptionKey })
  const [reports, staff] = await Promise.all([db.report.count(), db.staffUser.count()])
  console.log(`Demo data ready: ${reports} reports, ${staff} staff users (${Date.now() - started} ms).`)
} finally {
  await db.$disconnect()
}
