// npm run bench:claim
// Claim next under load: BENCH_OPEN_REPORTS open reports (default 1,000,000, written by
// generate_series), BENCH_CLAIMERS concurrent analysts (default 50) of ONE queue, the worst
// case (all of them contend for the head of the same index), claiming BENCH_CLAIMS reports in
// all (default 20,000) through the real service, each claim its own transaction with its
// timeline event and its audit event. Prints claims/s, claim latency p50/p99 and double claims.
// Then the console's report list API (/admin/api/resources/Report/actions/list, default sort,
// filtered by queue and status) through the real app, signed in: p50/p95 over BENCH_LIST_CALLS.
import { NO_REQUEST } from '../../src/lib/request-context.js'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createContainer } from '../../src/container.js'
import { createApp } from '../../src/app.js'
import { createLogger } from '../../src/lib/logger.js'
import { createSqlPool } from '../../src/lib/sql.js'
import { hashPassword } from '../../src/modules/auth/password.js'
import { createQueuesService, type QueueActor } from '../../src/modules/queues/queues.service.js'
import { adminQuery, databaseUrl } from '../support/database.js'
import { consoleClient } from '../support/console-client.js'
import { testConfig } from '../support/app.js'
import { verifyAuditChain } from '../../src/modules/audit/audit-verify.js'

const OPEN = Number(process.env.BENCH_OPEN_REPORTS ?? 1_000_000)
const CLAIMERS = Number(process.env.BENCH_CLAIMERS ?? 50)
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20_000)
const LIST_CALLS = Number(process.env.BENCH_LIST_CALLS ?? 300)
// The open-loop phase: claims arriving at each of these rates (claims/s) from the same 50
// analysts for OPEN_LOOP_SECONDS each.
const CLAIM_RATES = (process.env.BENCH_CLAIM_RATES ?? '500,1000').split(',').map(Number)
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 10)
const PASSWORD = 'bench password, synthetic only'

const name = `tip_triage_bench_${randomBytes(4).toString('hex')}`
await adminQuery(`CREATE DATABASE "${name}"`)
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl(name) }, stdio: 'pipe' })
// The tests' configuration: the supervisor below signs in with the tests' authenticator.
const config = testConfig({ DATABASE_URL: databaseUrl(name), QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}` })
const container = createContainer(config, { logger: createLogger('silent') })
const { db } = container

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

try {
  // 1. A million open reports: triaged into both queues at every level over the last 30 days,
  // SLA clocks as triage sets them, 5 % already claimed; in one statement.
  let started = Date.now()
  const passwordHash = await hashPassword(PASSWORD)
  await db.staffUser.createMany({
    data: [
      ...Array.from({ length: CLAIMERS }, (_, i) => ({ email: `analyst${i}@staff.example.com`, name: `Analyst ${i}`, role: 'CYBERTIP_ANALYST' as const, passwordHash })),
      { email: 'supervisor@staff.example.com', name: 'Bench Supervisor', role: 'SUPERVISOR' as const, passwordHash },
    ],
  })
  const holder = (await db.staffUser.findFirstOrThrow({ where: { role: 'SUPERVISOR' } })).id
  const sla = config.slaMinutes
  await db.$executeRawUnsafe(`
    INSERT INTO "Report" (source, status, "incidentType", "incidentAt", "receivedAt", "triagedAt", priority, score, queue, "slaDueAt",
                          "assigneeId", "claimedAt", "leaseExpiresAt", "openedAt", "updatedAt", "ruleVersion", "routeRule")
    SELECT 'ESP', CASE WHEN claimed THEN 'IN_REVIEW' ELSE 'TRIAGED' END::"ReportStatus",
           (ARRAY['CHILD_PORNOGRAPHY','ONLINE_ENTICEMENT','CHILD_SEX_TRAFFICKING','UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD'])[1 + g % 4]::"IncidentType",
           t - interval '2 days', t, t, p, 40, q,
           t + make_interval(mins => CASE p WHEN 'P1' THEN ${sla.P1} WHEN 'P2' THEN ${sla.P2} WHEN 'P3' THEN ${sla.P3} ELSE ${sla.INFO} END),
           CASE WHEN claimed THEN ${holder} END, CASE WHEN claimed THEN now() END, CASE WHEN claimed THEN now() + interval '30 minutes' END,
           t, t, 'scoring-2026-12-04', 'routing-2026-12-04:default'
    FROM (
      SELECT g, t, claimed, CASE WHEN random() < 0.5 THEN 'CYBERTIPLINE' ELSE 'CVIP' END::"Queue" AS q,
             (CASE WHEN r < 0.05 THEN 'P1' WHEN r < 0.30 THEN 'P2' WHEN r < 0.70 THEN 'P3' ELSE 'INFO' END)::"Priority" AS p
      FROM (SELECT g, now() - (random() * interval '30 days') AS t, random() AS r, random() < 0.05 AS claimed FROM generate_series(1, ${OPEN}) AS g) x
    ) s`)
  await db.$executeRawUnsafe('VACUUM ANALYZE "Report"')
  console.log(`${OPEN.toLocaleString()} open reports written and analysed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const byLevel = await db.report.groupBy({ by: ['queue', 'priority'], where: { status: 'TRIAGED' }, _count: { _all: true } })
  console.log('claimable:', byLevel.map((g) => `${g.queue} ${g.priority} ${g._count._all}`).join(', '))

  // 2. Claims: CLAIMERS analysts of the CyberTipline team at once, a connection each, until
  // CLAIMS reports are claimed. Capacity is lifted for the run (it would stop each at 10).
  const pool = createSqlPool(databaseUrl(name), { max: CLAIMERS })
  const queues = createQueuesService({ pool, clock: container.clock, audit: container.audit, leaseMinutes: 30, capacity: 1_000_000 })
  const analysts: QueueActor[] = (await db.staffUser.findMany({ where: { role: 'CYBERTIP_ANALYST' }, orderBy: { id: 'asc' } }))
    .map((s) => ({ id: s.id, email: s.email, role: s.role, origin: NO_REQUEST }))
  // Warm-up: each connection plans the statements (PostgreSQL re-plans a named statement for its first runs).
  await Promise.all(analysts.map(async (a) => { for (let i = 0; i < 6; i++) await queues.claimNext(a) }))

  const run = async (service: typeof queues, total: number) => {
    const latencies: number[] = []
    const claimed: number[] = []
    let remaining = total
    const t = Date.now()
    await Promise.all(analysts.map(async (analyst) => {
      while (remaining-- > 0) {
        const t0 = process.hrtime.bigint()
        const report = await service.claimNext(analyst)
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
        if (!report) throw new Error('the queue ran dry during the benchmark')
        claimed.push(report.id)
      }
    }))
    latencies.sort((a, b) => a - b)
    return { latencies, claimed, seconds: (Date.now() - t) / 1000 }
  }
  // Claims arriving at a steady rate, whether or not earlier ones have finished (latency counted
  // from when each was due, so a stall shows however many claims queue behind it).
  const openLoop = async (service: typeof queues, perSecond: number, forSeconds: number) => {
    const latencies: number[] = []
    const claimed: number[] = []
    const total = Math.round(perSecond * forSeconds)
    const t = performance.now()
    await Promise.all(Array.from({ length: total }, async (_, i) => {
      const due = t + (i * 1000) / perSecond
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())))
      const report = await service.claimNext(analysts[i % analysts.length]!)
      latencies.push(performance.now() - due)
      if (!report) throw new Error('the queue ran dry during the benchmark')
      claimed.push(report.id)
    }))
    latencies.sort((a, b) => a - b)
    return { latencies, claimed, seconds: (performance.now() - t) / 1000 }
  }

  const { latencies, claimed, seconds } = await run(queues, CLAIMS)
  const duplicatesInRun = claimed.length - new Set(claimed).size
  const [doubles] = await db.$queryRawUnsafe<{ n: number }[]>(`
    SELECT count(*)::int AS n FROM (SELECT "reportId" FROM "ReportEvent" WHERE kind = 'CLAIMED' GROUP BY "reportId" HAVING count(*) > 1) d`)
  const [audits] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'report.claim'`)
  console.log(`\nclaim next: ${CLAIMERS} concurrent claimers, one queue, ${claimed.length.toLocaleString()} claims in ${seconds.toFixed(1)} s`)
  console.log(`  claims/s            ${(claimed.length / seconds).toFixed(0)}   (target >= 1,000)`)
  console.log(`  latency p50 / p99   ${pct(latencies, 50).toFixed(2)} / ${pct(latencies, 99).toFixed(2)} ms   (target p99 < 25 ms)`)
  console.log(`  double claims       ${duplicatesInRun} in the run, ${doubles!.n} in the database   (target 0)`)
  console.log(`  audit events        ${audits!.n.toLocaleString()} report.claim rows (one per claim, warm-up included)`)
  const allClaimed = [...claimed]
  for (const rate of CLAIM_RATES) {
    const steady = await openLoop(queues, rate, OPEN_LOOP_SECONDS)
    allClaimed.push(...steady.claimed)
    console.log(`  open loop: ${rate} claims/s arriving from the same ${CLAIMERS} analysts for ${OPEN_LOOP_SECONDS} s: ${steady.claimed.length.toLocaleString()} claims in ${steady.seconds.toFixed(1)} s (${(steady.claimed.length / steady.seconds).toFixed(0)}/s), p50 / p99 ${pct(steady.latencies, 50).toFixed(2)} / ${pct(steady.latencies, 99).toFixed(2)} ms${rate >= 1000 ? '   (targets together: >= 1,000/s, p99 < 25 ms)' : ''}`)
  }
  console.log(`  double claims over every phase so far: ${allClaimed.length - new Set(allClaimed).size}`)
  // The sealer links the claims' audit events into the chain after they commit (the worker
  // does it every AUDIT_SEAL_INTERVAL_MS); here at once, to time it and verify the chain.
  const sealStarted = Date.now()
  const sealedNow = await container.audit.seal({ wait: true })
  const sealSeconds = (Date.now() - sealStarted) / 1000
  const chain = await verifyAuditChain(db)
  console.log(`  audit sealing       ${sealedNow.toLocaleString()} events sealed in ${sealSeconds.toFixed(2)} s (${(sealedNow / sealSeconds).toFixed(0)}/s); chain of ${chain.checked.toLocaleString()} ${chain.firstBreak ? `BROKEN at ${chain.firstBreak.id}` : 'verifies'}`)
  // The same crowd through one web process's pool (10 connections, as the app runs): fewer
  // backends competing for the CPU; latency includes the wait for a connection.
  const appPool = createSqlPool(databaseUrl(name), { max: 10 })
  const viaAppPool = await run(createQueuesService({ pool: appPool, clock: container.clock, audit: container.audit, leaseMinutes: 30, capacity: 1_000_000 }), Math.min(CLAIMS, 10_000))
  console.log(`  through one web process's pool of 10 connections (${viaAppPool.claimed.length.toLocaleString()} claims): ${(viaAppPool.claimed.length / viaAppPool.seconds).toFixed(0)} claims/s, p50 / p99 ${pct(viaAppPool.latencies, 50).toFixed(2)} / ${pct(viaAppPool.latencies, 99).toFixed(2)} ms, ${viaAppPool.claimed.length - new Set(viaAppPool.claimed).size} double`)
  await appPool.end()
  // For comparison (what the audit event costs): the same claims without it. Not how the
  // product runs.
  const unaudited = createQueuesService({ pool, clock: container.clock, audit: { recordRaw: async () => undefined, recordAtCommit: () => undefined }, leaseMinutes: 30, capacity: 1_000_000 })
  const bare = await run(unaudited, Math.min(CLAIMS, 10_000))
  console.log(`  for comparison, without the audit event (${bare.claimed.length.toLocaleString()} claims): ${(bare.claimed.length / bare.seconds).toFixed(0)} claims/s, p50 / p99 ${pct(bare.latencies, 50).toFixed(2)} / ${pct(bare.latencies, 99).toFixed(2)} ms`)
  await pool.end()

  // 3. The report list API through the real app, as a supervisor: default sort (received,
  // newest first), filtered by queue and status. Each call is also audited (report.list).
  const { app } = await createApp(container)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const client = consoleClient(baseUrl)
  const signedIn = await client.signIn('supervisor@staff.example.com', PASSWORD)
  // The bench's supervisor has no second factor yet: the client enrols one on the way in.
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`)
  const listings: Record<string, string> = {
    'queue=CYBERTIPLINE, status=TRIAGED': '?filters.queue=CYBERTIPLINE&filters.status=TRIAGED',
    'queue=CVIP, status=IN_REVIEW': '?filters.queue=CVIP&filters.status=IN_REVIEW',
    'queue=CVIP, status=TRIAGED, page 50': '?filters.queue=CVIP&filters.status=TRIAGED&page=50',
    'no filter (every report)': '',
  }
  console.log(`\nreport list API, ${LIST_CALLS} calls each, one at a time, signed in as a supervisor:`)
  for (const [label, query] of Object.entries(listings)) {
    const times: number[] = []
    for (let i = 0; i < LIST_CALLS + 20; i++) {
      const t0 = process.hrtime.bigint()
      const body = await client.json<{ records: unknown[]; meta: { total: number } }>(`/admin/api/resources/Report/actions/list${query}`)
      if (i >= 20) times.push(Number(process.hrtime.bigint() - t0) / 1e6) // the first 20 warm up
      if (i === 0 && body.records.length === 0) throw new Error(`no records for ${label}`)
      if (i === 0) {
        const params = new URLSearchParams(query.slice(1))
        const [exact] = await db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM "Report" WHERE status NOT IN ('OPEN', 'RETRACTED')` +
            (params.get('filters.queue') ? ` AND queue = '${params.get('filters.queue')}' AND status = '${params.get('filters.status')}'` : ''),
        )
        console.log(`  ${label}: ${exact!.n.toLocaleString()} matching (the pager counts ${body.meta.total.toLocaleString()})`)
      }
    }
    times.sort((a, b) => a - b)
    console.log(`    p50 / p95 / p99   ${pct(times, 50).toFixed(1)} / ${pct(times, 95).toFixed(1)} / ${pct(times, 99).toFixed(1)} ms${query.includes('filters.queue') && !query.includes('page') ? '   (target p95 < 300 ms)' : ''}`)
  }
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
} finally {
  await container.close()
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
