// npm run bench:triage:db
// Triage against PostgreSQL: the latency triage adds to the transaction that makes a report
// visible (p50/p99, one report per transaction), and the time to re-score every open report
// under a new rule version. BENCH_OPEN_REPORTS sets how many open reports (default 100,000).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { loadConfig } from '../../src/config.js'
import { createContainer } from '../../src/container.js'
import { createLogger } from '../../src/lib/logger.js'
import { adminQuery, databaseUrl } from '../support/database.js'
import { createSqlPool, sqlTransaction, type SqlTx } from '../../src/lib/sql.js'

const OPEN = Number(process.env.BENCH_OPEN_REPORTS ?? 100_000)
const LATENCY_SAMPLE = Number(process.env.BENCH_LATENCY_SAMPLE ?? 4_000)
const CHUNK = 5_000
const TYPES = ['CHILD_PORNOGRAPHY', 'ONLINE_ENTICEMENT', 'CHILD_SEX_TRAFFICKING', 'UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD'] as const

const name = `tip_triage_bench_${randomBytes(4).toString('hex')}`
await adminQuery(`CREATE DATABASE "${name}"`)
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl(name) }, stdio: 'pipe' })
const container = createContainer(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl(name) }), { logger: createLogger('silent') })
const { db } = container

try {
  await db.ipLocation.create({ data: { network: '192.0.2.0/24', country: 'US', region: 'CA', source: 'bench' } })
  await db.agency.create({ data: { name: 'Bench ICAC', kind: 'ICAC_TASK_FORCE', state: 'CA', emailDomains: ['icac.example.com'] } })

  // Received reports, each with files, a reported user and identifiers; accounts recur.
  const started = Date.now()
  const now = Date.now()
  for (let base = 0; base < OPEN + LATENCY_SAMPLE; base += CHUNK) {
    const n = Math.min(CHUNK, OPEN + LATENCY_SAMPLE - base)
    const ids = Array.from({ length: n }, (_, i) => base + i + 1)
    await db.report.createMany({
      data: ids.map((id) => ({
        id, source: 'ESP' as const, status: 'RECEIVED' as const, incidentType: TYPES[id % TYPES.length]!,
        incidentAt: new Date(now - (id % 300) * 3_600_000), receivedAt: new Date(now - (OPEN - id) * 1000),
        escalationText: id % 97 === 0 ? 'child at risk' : null,
      })),
    })
    await db.reportFile.createMany({
      data: ids.flatMap((id) => Array.from({ length: 1 + (id % 3) }, (_, j) => ({
        reportId: id, fileId: `f${randomBytes(15).toString('hex')}`, md5: randomBytes(16).toString('hex'),
        matchStatus: (j + id) % 3 === 0 ? 'UNKNOWN' as const : 'KNOWN' as const,
      }))),
    })
    await db.reportParty.createMany({
      data: ids.map((id) => ({ reportId: id, role: 'REPORTED_USER' as const, screenName: `acct_${id % 20_000}`, emails: [], ipCaptureEvents: [{ ipAddress: `192.0.2.${id % 250}` }] })),
    })
    const parties = await db.reportParty.findMany({ where: { reportId: { in: ids } }, select: { id: true, reportId: true, screenName: true } })
    await db.partyIdentifier.createMany({
      data: parties.flatMap((p) => [
        { reportId: p.reportId, partyId: p.id, kind: 'SCREEN_NAME' as const, value: p.screenName! },
        { reportId: p.reportId, partyId: p.id, kind: 'IP_ADDRESS' as const, value: `192.0.2.${p.reportId % 250}` },
      ]),
    })
  }
  await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"Report"', 'id'), ${OPEN + LATENCY_SAMPLE})`)
  // Steady state, as a database that has been running is: vacuumed and analysed (otherwise
  // autovacuum starts on the new tables in the middle of the timings).
  await db.$executeRawUnsafe('VACUUM ANALYZE')
  console.log(`${(OPEN + LATENCY_SAMPLE).toLocaleString()} received reports written in ${((Date.now() - started) / 1000).toFixed(1)} s`)

  // 1. The latency triage adds to a finish transaction, one report per transaction on
  // node-postgres as intake's finish runs it. Triage reads the report in one statement and sends
  // its writes (the triage, its timeline entry, the notifications) with the COMMIT, so what it
  // adds is timed from just before it runs to the end of the COMMIT, against the same
  // transaction without triage (the finish's own write, then the COMMIT), timed the same way.
  const pool = createSqlPool(databaseUrl(name), { max: 4 })
  const finishLike = (tx: SqlTx, id: number) => tx.$executeRaw`UPDATE "Report" SET "updatedAt" = now() WHERE id = ${id}`
  // One transaction with triage, then one without, in turn, so both see the machine as it is
  // at that moment (a stall lands in either).
  const measure = async (ids: number[]) => {
    const latencies = { with: [] as number[], without: [] as number[] }
    for (const [i, id] of ids.entries()) {
      const withTriage = i % 2 === 0
      let t0 = 0n
      await sqlTransaction(pool, async (tx) => {
        await finishLike(tx, id)
        t0 = process.hrtime.bigint()
        if (withTriage) await container.triage.triageReport(tx, id)
      })
      latencies[withTriage ? 'with' : 'without'].push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    const at = (values: number[]) => {
      values.sort((a, b) => a - b)
      return (p: number) => values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!
    }
    return { withTriage: at(latencies.with), without: at(latencies.without) }
  }
  // Steady state, as a long-running web process is: each pooled connection has planned the
  // triage statements (PostgreSQL re-plans a named statement for its first five runs).
  await measure(Array.from({ length: 400 }, (_, i) => i + 1))
  const half = LATENCY_SAMPLE / 2
  const { withTriage, without } = await measure(Array.from({ length: LATENCY_SAMPLE }, (_, i) => OPEN + 1 + i))
  await pool.end()
  const ms = (v: number) => `${v.toFixed(2)} ms`
  console.log(`finish transaction from the point triage runs to the end of its COMMIT, ${half.toLocaleString()} reports each:`)
  console.log(`  with triage:    p50 ${ms(withTriage(50))}, p99 ${ms(withTriage(99))}`)
  console.log(`  without triage: p50 ${ms(without(50))}, p99 ${ms(without(99))}`)
  console.log(`  added by triage: p50 ${ms(withTriage(50) - without(50))}, p99 ${ms(withTriage(99) - without(99))} (target p99 < 5 ms)`)

  // 2. Re-score every open report under a new rule version.
  await db.$executeRawUnsafe(`UPDATE "Report" SET status = 'TRIAGED', priority = 'P3', queue = 'CYBERTIPLINE', "ruleVersion" = 'scoring-old', "triagedAt" = "receivedAt", "routeRule" = 'routing-old:default' WHERE id <= ${OPEN}`)
  const t1 = Date.now()
  const result = await container.triage.rescoreOpenReports({ batchSize: 500 })
  const seconds = (Date.now() - t1) / 1000
  console.log(`re-scored ${result.rescored.toLocaleString()} open reports (${result.changed.toLocaleString()} changed level or queue) in ${seconds.toFixed(1)} s: ${Math.round(result.rescored / seconds).toLocaleString()} reports/s`)
} finally {
  await container.close()
  if (!process.env.BENCH_KEEP_DB) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  else console.log(`kept ${name}`)
}
process.exit(0)
