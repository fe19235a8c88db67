// npm run bench:intake
// The ESP API under load: BENCH_REPORTS synthetic reports (default 20,000), each submit + 3
// uploads + 3 fileinfo + finish, from BENCH_CONCURRENCY clients (default 32), against the web
// process started as in production, on its own database. Prints finished reports/s, p50/p99 per
// call, the web process's peak RSS, and our calls/s as a ratio of a bare Express endpoint that
// inserts one row per request, measured in the same run on the same machine (before and after ours).
import { execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { loadConfig } from '../../src/config.js'
import { createContainer } from '../../src/container.js'
import { createLogger } from '../../src/lib/logger.js'
import { createEspAccount } from '../factories/esp.js'
import { fileDetailsXml, reportXml } from '../factories/cybertipline.js'
import { ispwsClient } from '../support/ispws-client.js'
import { adminQuery, databaseUrl } from '../support/database.js'
import { buildDist, cpuSecondsOf, cpuSecondsOfCommand, freePort, memoryOf, startProcess } from '../support/processes.js'
import { SMTPServer } from 'smtp-server'

const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
/** Requests to the yardstick in each of its two measurements. */
const BARE_REQUESTS = Number(process.env.BENCH_BARE_REQUESTS ?? 20_000)
const WARM_UP = 200
const INCIDENT_TYPES = ['Child Pornography (possession, manufacture, and distribution)', 'Online Enticement of Children for Sexual Acts', 'Child Sex Trafficking', 'Unsolicited Obscene Material Sent to a Child']

/**
 * CPU seconds so far of each part on the machine, by process: PostgreSQL is all its processes
 * (backends, WAL writer...), Redis the server (BullMQ's jobs, the rate limits), the benchmark's
 * client is this process.
 */
const cpuOf = (parts: Record<string, number>) => {
  const client = process.cpuUsage()
  return {
    ...Object.fromEntries(Object.entries(parts).map(([part, pid]) => [part, new Map([[pid, cpuSecondsOf(pid)]])])),
    postgres: cpuSecondsOfCommand('postgres'),
    redis: cpuSecondsOfCommand('redis-server'),
    client: new Map([[process.pid, (client.user + client.system) / 1e6]]),
  }
}
/** CPU milliseconds per call of each part between two readings (processes that started in between count from 0). */
const cpuPerCall = (before: ReturnType<typeof cpuOf>, after: ReturnType<typeof cpuOf>, calls: number) =>
  Object.entries(after)
    .map(([part, now]) => {
      let used = 0
      for (const [pid, seconds] of now) used += seconds - ((before as Record<string, Map<number, number>>)[part]!.get(pid) ?? 0)
      return `${part} ${((used * 1000) / calls).toFixed(2)}`
    })
    .join(', ')

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

const name = `tip_triage_bench_${randomBytes(4).toString('hex')}`
await adminQuery(`CREATE DATABASE "${name}"`)
const url = databaseUrl(name)
execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url }, stdio: 'pipe' })
const container = createContainer(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url }), { logger: createLogger('silent') })
const processes: ChildProcess[] = []
const onExit: (() => Promise<unknown> | unknown)[] = []

try {
  const account = await createEspAccount(container.db)
  // A small catalog, so a share of the uploads match known files as in real traffic.
  const known = Array.from({ length: 50 }, (_, i) => Buffer.from(`circulating file ${i}`))
  const set = await container.db.hashSet.create({ data: { name: 'bench', source: 'bench' } })
  const { createHash } = await import('node:crypto')
  await container.db.knownHash.createMany({ data: known.map((b) => ({ hashType: 'MD5' as const, value: createHash('md5').update(b).digest('hex'), category: 'CSAM' as const, hashSetId: set.id })) })

  async function drive(total: number, work: (n: number) => Promise<unknown>) {
    let next = 0
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) await work(next++)
    }))
  }

  /**
   * The yardstick: a bare Express endpoint that inserts one row per request, alone on the machine
   * (none of our processes running). Measured once before our run and once after it, so a
   * machine that speeds up or slows down meanwhile (this one does, by up to a fifth) moves the
   * ratio less.
   */
  await container.db.$executeRawUnsafe('CREATE TABLE bench_row (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())')
  async function measureYardstick() {
    const barePort = await freePort()
    const bare = await startProcess(['--import', 'tsx', 'test/bench/bare-insert-server.ts'], { DATABASE_URL: url }, barePort)
    try {
      const bareCall = () => fetch(`http://127.0.0.1:${barePort}/insert`, { method: 'POST', body: '<ping/>', headers: { 'content-type': 'text/xml' } }).then((r) => r.text())
      await drive(1000, bareCall)
      const cpuBefore = cpuOf({ server: bare.pid! })
      const started = performance.now()
      await drive(BARE_REQUESTS, bareCall)
      const rate = BARE_REQUESTS / ((performance.now() - started) / 1000)
      return { rate, cpu: cpuPerCall(cpuBefore, cpuOf({ server: bare.pid! }), BARE_REQUESTS) }
    } finally {
      bare.kill('SIGTERM')
      await new Promise((resolve) => bare.once('exit', resolve))
    }
  }
  const yardstickBefore = await measureYardstick()

  // The web and worker processes as production runs them: the esbuild bundle under plain node
  // (npm run build); the worker mails the teams through an SMTP sink, as the outbox requires.
  buildDist()
  // An SMTP sink that takes every message and keeps nothing (cheap, so it does not load the machine).
  const smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData: (stream, _s, done) => { stream.resume(); stream.on('end', () => done()) } })
  const smtpPort = await freePort()
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve))
  const port = await freePort()
  // LOG_LEVEL as production's default (info: a line per request, to stdout, which goes nowhere
  // here); BENCH_LOG_LEVEL=warn leaves the request lines out (about 7% less web CPU a call).
  const env = {
    NODE_ENV: 'production', DATABASE_URL: url, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', QUEUE_PREFIX: `bench-${name}`,
    SESSION_SECRET: randomBytes(32).toString('hex'), MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'), SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, PUBLIC_URL: `http://127.0.0.1:${port}`,
  }
  // The heap cap of npm run start:web / start:worker: without it V8 lets the heap grow with the
  // allocation rate (to ~400 MB here, no leak: capped at 128 MB it holds at ~210 MB RSS).
  // BENCH_CPU_PROFILE=<dir>: the web and worker processes write V8 CPU profiles there when they stop.
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []
  const web = await startProcess([...profile, '--max-old-space-size=256', 'dist/main.js', '--role=web'], env, port)
  processes.push(web)
  const worker = await startProcess([...profile, '--max-old-space-size=256', 'dist/main.js', '--role=worker'], env, null)
  processes.push(worker)
  onExit.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())))
  const client = ispwsClient(`http://127.0.0.1:${port}`, account.username, account.secret)

  const latencies: Record<string, number[]> = { submit: [], upload: [], fileinfo: [], finish: [] }
  let failures = 0
  const timed = async <T extends { code: number | null; description: string | null }>(kind: string, call: () => Promise<T>, record: boolean): Promise<T> => {
    const t0 = performance.now()
    const reply = await call()
    if (record) latencies[kind]!.push(performance.now() - t0)
    if (reply.code !== 0) {
      failures++
      if (failures <= 5) console.error(`${kind} answered ${reply.code}: ${reply.description}`)
    }
    return reply
  }

  async function fileOneReport(n: number, record: boolean) {
    const xml = reportXml({
      incidentType: INCIDENT_TYPES[n % INCIDENT_TYPES.length], screenName: `account_${n % 5000}`, ip: `198.51.100.${n % 250}`,
      annotations: n % 7 === 0 ? ['sextortion'] : [], escalate: n % 50 === 0 ? 'Child at immediate risk' : undefined, estimatedRegion: 'CA',
    })
    const { reportId } = await timed('submit', () => client.submit(xml), record)
    for (let f = 0; f < 3; f++) {
      const bytes = (n + f) % 4 === 0 ? known[(n + f) % known.length]! : randomBytes(16_384)
      const { fileId } = await timed('upload', () => client.upload(reportId!, bytes, `file_${f}.jpg`), record)
      await timed('fileinfo', () => client.fileinfo(fileDetailsXml(reportId!, fileId!, { annotations: f === 0 ? ['viral'] : [] })), record)
    }
    await timed('finish', () => client.finish(reportId!), record)
  }

  await drive(WARM_UP, (n) => fileOneReport(1_000_000 + n, false))
  let maxRss = 0
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, memoryOf(web.pid!).rssMb)), 500)
  const cpuBefore = cpuOf({ web: web.pid!, worker: worker.pid! })
  const started = performance.now()
  await drive(REPORTS, (n) => fileOneReport(n, true))
  const seconds = (performance.now() - started) / 1000
  const cpuAfter = cpuOf({ web: web.pid!, worker: worker.pid! })
  clearInterval(sampler)
  const memory = memoryOf(web.pid!)
  const calls = REPORTS * 8
  const finished = await container.db.report.count({ where: { status: 'TRIAGED', id: { gt: 0 } } })
  const outbox = await container.db.notification.groupBy({ by: ['status'], where: { channel: 'IMMEDIATE' }, _count: { _all: true } })

  // The yardstick again, with our processes stopped.
  for (const child of processes.splice(0)) child.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 3000))
  const yardstickAfter = await measureYardstick()
  const bareRate = (yardstickBefore.rate + yardstickAfter.rate) / 2

  const ourRate = calls / seconds
  console.log(`\nintake: ${REPORTS.toLocaleString()} reports x 8 calls at concurrency ${CONCURRENCY}, web process in production mode, on ${url.replace(/.*\//, '')}`)
  console.log(`  finished reports/s: ${(REPORTS / seconds).toFixed(0)} (target >= 250); ${finished.toLocaleString()} triaged in the database; ${failures} failed calls`)
  for (const [kind, values] of Object.entries(latencies)) {
    values.sort((a, b) => a - b)
    console.log(`  ${kind.padEnd(8)} p50 ${percentile(values, 50).toFixed(1)} ms  p99 ${percentile(values, 99).toFixed(1)} ms  (${values.length.toLocaleString()} calls)`)
  }
  console.log(`  immediate notifications by the end of the run: ${outbox.map((o) => `${o._count._all} ${o.status.toLowerCase()}`).join(', ')} (worker process running)`)
  console.log(`  web process RSS: peak ${memory.peakMb.toFixed(0)} MB since start (VmHWM), highest under load ${maxRss.toFixed(0)} MB (target < 400 MB)`)
  console.log(`  CPU ms per call, our API: ${cpuPerCall(cpuBefore, cpuAfter, calls)}; the bare endpoint, before our run: ${yardstickBefore.cpu}; after it: ${yardstickAfter.cpu}`)
  console.log(`  our API: ${ourRate.toFixed(0)} calls/s; bare Express insert-one-row: ${bareRate.toFixed(0)} requests/s (${yardstickBefore.rate.toFixed(0)} before our run, ${yardstickAfter.rate.toFixed(0)} after); ratio ${(ourRate / bareRate).toFixed(2)} (target >= 0.5)`)
} finally {
  for (const child of processes) child.kill('SIGTERM')
  for (const stop of onExit) await stop()
  await container.close()
  await new Promise((r) => setTimeout(r, 1500))
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
