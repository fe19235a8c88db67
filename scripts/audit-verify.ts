// npm run audit:verify — recomputes the audit trail's hash chain; exits 1 at the first broken
// link, naming it. Prints the head (id and hash) to keep outside the database: comparing it with
// the next run's catches the newest rows being removed, which a chain alone cannot.
import { loadConfig } from '../src/config.js'
import { createDb } from '../src/lib/db.js'
import { verifyAuditChain } from '../src/modules/audit/audit-verify.js'

const db = createDb(loadConfig().databaseUrl, { max: 2 })
try {
  const result = await verifyAuditChain(db)
  if (result.firstBreak) {
    console.error(`Audit chain BROKEN at event ${result.firstBreak.id}: ${result.firstBreak.reason}.`)
    console.error(`${result.checked} events before it verify; the last good one is ${result.headId ?? 'none'} (${result.headHash ?? '-'}).`)
    process.exitCode = 1
  } else {
    console.log(`Audit chain verified: ${result.checked} events, head ${result.headId ?? 'none'} ${result.headHash ?? ''}`.trim())
  }
} finally {
  await db.$disconnect()
}
