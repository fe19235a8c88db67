// npm run bench:notify
// 10,000 notifications through the outbox to an in-process SMTP server: throughput and
// enqueue-to-accepted latency; then the same with Redis stopped and restarted mid-run, and
// with the worker process killed (SIGKILL) mid-run: delivered, lost, duplicated.
import { spawn, type ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'
import { loadConfig } from '../../src/config.js'
import { createContainer, type Container } from '../../src/container.js'
import { createLogger } from '../../src/lib/logger.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { adminQuery, databaseUrl } from '../support/database.js'
import { privateRedis } from '../support/private-redis.js'

const N = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000)
const BATCH = 200

type Smtp = { url: string; accepted: Map<string, number[]>; close(): Promise<void> }

async function startSmtp(): Promise<Smtp> {
  const accepted = new Map<string, number[]>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = ''
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('utf8')
      })
      stream.on('end', () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? 'unknown'
        accepted.set(id, [...(accepted.get(id) ?? []), Date.now()])
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return { url: `smtp://127.0.0.1:${port}`, accepted, close: () => new Promise((r) => server.close(() => r())) }
}

async function freshDatabase(): Promise<string> {
  const name = `tip_triage_bench_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE "${name}"`)
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl(name) }, stdio: 'pipe' })
  return name
}

function envFor(database: string, smtp: Smtp, redisUrl: string, prefix: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl(database),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtp.url,
    SMTP_RATE_PER_SECOND: '100000',
    OUTBOX_RELAY_INTERVAL_MS: '200',
    OUTBOX_RESEND_AFTER_SECONDS: '5',
    NOTIFY_BACKOFF_MS: '500',
    NOTIFY_SEND_LOCK_SECONDS: '10',
  }
}

/** Writes N P1 notifications, each batch in its own transaction, as routing would. */
async function produce(container: Container, onBatch?: (written: number) => Promise<void>, ratePerSecond?: number): Promise<Map<number, number>> {
  const createdAt = new Map<number, number>()
  const batch = ratePerSecond ? Math.max(1, Math.round(ratePerSecond / 10)) : BATCH
  const started = Date.now()
  for (let i = 0; i < N; i += batch) {
    if (ratePerSecond) {
      // Paced: the i-th notification is written no earlier than i / rate seconds in.
      const due = started + (i / ratePerSecond) * 1000
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()))
    }
    const drafts = Array.from({ length: Math.min(batch, N - i) }, (_, j) => {
      const reportId = 1_000_000 + i + j
      return {
        kind: 'P1_REPORT' as const,
        channel: 'IMMEDIATE' as const,
        recipient: container.config.contacts.cybertipline,
        template: 'p1-report' as const,
        data: { reportId, priority: 'P1', queue: 'CYBERTIPLINE', receivedAt: new Date().toISOString(), consoleUrl: `http://localhost:3000/admin/resources/Report/records/${reportId}/show` },
        idempotencyKey: `bench-${reportId}`,
        queue: 'CYBERTIPLINE' as const,
        priority: 'P1' as const,
      }
    })
    const now = Date.now()
    await container.db.$transaction((tx) => container.notifications.write(tx, drafts))
    await container.kickOutbox()
    const rows = await container.db.notification.findMany({ where: { idempotencyKey: { in: drafts.map((d) => d.idempotencyKey) } }, select: { id: true } })
    for (const r of rows) createdAt.set(r.id, now)
    await onBatch?.(i + drafts.length)
  }
  return createdAt
}

async function settle(container: Container, timeoutMs: number): Promise<number> {
  const started = Date.now()
  for (;;) {
    const open = await container.db.notification.count({ where: { status: { notIn: ['SENT', 'FAILED'] } } })
    if (open === 0 || Date.now() - started > timeoutMs) return Date.now() - started
    await new Promise((r) => setTimeout(r, 250))
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

async function outcome(container: Container, smtp: Smtp) {
  const rows = await container.db.notification.findMany({ select: { id: true, status: true } })
  const sent = rows.filter((r) => r.status === 'SENT').length
  const messageIds = [...smtp.accepted.keys()].filter((k) => k.startsWith('<notification-'))
  const duplicated = [...smtp.accepted.values()].filter((times) => times.length > 1).length
  const keysTwice = await container.db.notification.groupBy({ by: ['idempotencyKey'], _count: { _all: true }, having: { idempotencyKey: { _count: { gt: 1 } } } })
  return {
    written: rows.length,
    sent,
    delivered: messageIds.length,
    lost: rows.length - messageIds.length,
    'duplicated (same key mailed twice)': duplicated,
    'rows sharing a key': keysTwice.length,
  }
}

type FaultContext = { redis: Awaited<ReturnType<typeof privateRedis>>; restartWorker(): Promise<void> }
type Fault = (ctx: FaultContext, written: number) => Promise<void>

async function scenario(name: string, fault?: Fault, { workerInChild = false, ratePerSecond }: { workerInChild?: boolean; ratePerSecond?: number } = {}) {
  const database = await freshDatabase()
  const smtp = await startSmtp()
  const redis = await privateRedis()
  const env = envFor(database, smtp, redis.url, `bench-${randomBytes(3).toString('hex')}`)
  const container = createContainer(loadConfig(env), { logger: createLogger('silent') })

  let inProcess: RunningWorkers | undefined
  let child: ChildProcess | undefined
  const startChild = () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=worker'], { env: { ...process.env, ...env }, stdio: 'ignore' })
  }
  if (workerInChild) startChild()
  else inProcess = startWorkers(container, { concurrency: 20 })

  const ctx: FaultContext = {
    redis,
    async restartWorker() {
      child?.kill('SIGKILL')
      await new Promise((r) => setTimeout(r, 1000))
      startChild()
    },
  }
  const started = Date.now()
  const createdAt = await produce(container, fault ? (written) => fault(ctx, written) : undefined, ratePerSecond)
  const produced = Date.now() - started
  const settleMs = await settle(container, 240_000)
  const total = Date.now() - started

  const latencies: number[] = []
  for (const [id, created] of createdAt) {
    const times = smtp.accepted.get(`<notification-${id}@localhost>`)
    if (times?.[0]) latencies.push(times[0] - created)
  }
  latencies.sort((a, b) => a - b)
  const firsts = [...smtp.accepted.values()].map((t) => t[0]!)
  const result = {
    scenario: name,
    ...(await outcome(container, smtp)),
    'emails/s': Math.round((smtp.accepted.size / (Math.max(...firsts) - Math.min(...firsts))) * 1000),
    'p50 ms': percentile(latencies, 50),
    'p99 ms': percentile(latencies, 99),
    'total s': +(total / 1000).toFixed(1),
    'settle s': +(settleMs / 1000).toFixed(1),
    'produce s': +(produced / 1000).toFixed(1),
  }

  await inProcess?.close()
  child?.kill('SIGTERM')
  await container.close()
  await redis.stop()
  await smtp.close()
  await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
  return result
}

/** Runs `fault` once, when the producer has written `share` of the notifications. */
function once(share: number, fault: (ctx: FaultContext) => Promise<void>): Fault {
  let done = false
  return async (ctx, written) => {
    if (done || written < N * share) return
    done = true
    await fault(ctx)
  }
}

const only = process.argv[2]
const scenarios: [string, Fault | undefined, { workerInChild?: boolean; ratePerSecond?: number }][] = [
  // All at once: the queue backs up, so this measures throughput; latency is mostly waiting.
  ['burst', undefined, {}],
  // Written at 200/s, below capacity: latency is the pipeline's own.
  ['paced at 200/s', undefined, { ratePerSecond: 200 }],
  ['redis killed 5 s mid-run, restarted empty', once(0.3, async ({ redis }) => {
    await redis.stop()
    await new Promise((r) => setTimeout(r, 5000))
    await redis.start()
  }), {}],
  ['worker process SIGKILLed mid-run', once(0.3, ({ restartWorker }) => restartWorker()), { workerInChild: true }],
]
const results = []
for (const [name, fault, options] of scenarios) {
  if (only && !name.startsWith(only)) continue
  results.push(await scenario(name, fault, options))
  console.log(JSON.stringify(results.at(-1)))
}
console.log(`\n${N} notifications per scenario; machine: ${(await import('node:os')).cpus().length} cores`)
console.table(results)
process.exit(0)
