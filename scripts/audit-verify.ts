// npm run audit:verify — recomputes the audit trail's hash chain; exits 1 at the first broken
// link, naming it, and 2 when events have waited longer than AUDIT_SEAL_ALERT_SECONDS to be
// sealed (the sealer, in the worker process, is not running or is failing). Prints the head
// (place and hash) to keep outside the database: comparing it with the next run's catches the
// newest events being removed, which a chain alone cannot.
import { loadConfig } from '../src/config.js'
import { createDb } from '../src/lib/db.js'
import { verifyAuditChain } from '../src/modules/audit/audit-verify.js'
import { unsealedTooLong } from '../src/modules/audit/audit-chain.js'

const config = loadConfig()
const db = createDb(config.databaseUrl, { max: 2 })
try {
  const result = await verifyAuditChain(db)
  if (result.firstBreak) {
    const { id, chainSeq, reason } = result.firstBreak
    console.error(`Audit chain BROKEN at place ${chainSeq} (event ${id}): ${reason}.`)
    console.error(`${result.checked} events before it verify; the last good one is place ${result.headSeq ?? 'none'} (${result.headHash ?? '-'}).`)
    process.exitCode = 1
  } else {
    console.log(`Audit chain verified: ${result.checked} events, head place ${result.headSeq ?? 'none'} (event ${result.headId ?? 'none'}) ${result.headHash ?? ''}`.trim())
    const { count, oldestAt } = result.unsealed
    if (count > 0 && oldestAt) {
      const message = `${count} events not yet sealed; the oldest happened ${Math.round((Date.now() - oldestAt.getTime()) / 1000)} s ago.`
      if (unsealedTooLong(result.unsealed, new Date(), config.audit.sealAlertSeconds) !== null) {
        console.error(`${message} That is longer than ${config.audit.sealAlertSeconds} s: is the worker's sealer running?`)
        process.exitCode = 2
      } else {
        console.log(message)
      }
    }
  }
} finally {
  await db.$disconnect()
}
