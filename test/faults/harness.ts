// The fault tests' deployment and bookkeeping. A deployment is a web and a worker process
// started from dist/ as production runs them, on a database of the caller's, with a private
// Redis (which a fault may stop) and an in-process SMTP server (which a fault may script).
// A load is a steady stream of P1 reports through the real /ispws API (submit + finish). The
// verdict compares the end state with what the clients were told.
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { PrismaClient } from '@prisma/client'
import { createDb } from '../../src/lib/db.js'
import { createEspAccount } from '../factories/esp.js'
import { reportXml } from '../factories/cybertipline.js'
import { ispwsClient, readReply, type IspwsClient, type IspwsReply } from '../support/ispws-client.js'
import { privateRedis, type PrivateRedis } from '../support/private-redis.js'
import { startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { exited, freePort, startProcess } from '../support/processes.js'

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Settings that make recovery quick enough to test: each is the production mechanism, only shorter. */
export const FAULT_ENV = {
  OUTBOX_RELAY_INTERVAL_MS: '250',
  OUTBOX_RESEND_AFTER_SECONDS: '3',
  NOTIFY_SEND_LOCK_SECONDS: '5',
  NOTIFY_BACKOFF_MS: '250',
  NOTIFY_ATTEMPTS: '20',
  SMTP_RATE_PER_SECOND: '1000',
}

export type Deployment = {
  port: number
  baseUrl: string
  db: PrismaClient
  redis: PrivateRedis
  smtp: TestSmtp
  client: IspwsClient
  credentials: { username: string; password: string }
  /** The first web and worker process (webs[0], workers[0]). */
  web: ChildProcess
  worker: ChildProcess
  /** Every web process, each on its own port (ports[i], baseUrls[i]), and every worker process. */
  webs: ChildProcess[]
  workers: ChildProcess[]
  ports: number[]
  baseUrls: string[]
  clients: IspwsClient[]
  env: Record<string, string>
  startWeb(port?: number): Promise<ChildProcess>
  startWorker(): Promise<ChildProcess>
  ready(baseUrl?: string): Promise<boolean>
  close(): Promise<void>
}

export type DeploymentOptions = { env?: Record<string, string>; smtpDelayMs?: number; webs?: number; workers?: number }

export async function startDeployment(databaseUrl: string, { env: extraEnv = {}, smtpDelayMs = 0, webs = 1, workers = 1 }: DeploymentOptions = {}): Promise<Deployment> {
  const db = createDb(databaseUrl) as unknown as PrismaClient
  const account = await createEspAccount(db as never)
  const redis = await privateRedis()
  const smtp = await startTestSmtp({ delayMs: smtpDelayMs })
  const ports = await Promise.all(Array.from({ length: webs }, () => freePort()))
  const baseUrls = ports.map((p) => `http://127.0.0.1:${p}`)
  const port = ports[0]!
  const baseUrl = baseUrls[0]!
  const env = {
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: redis.url, LOG_LEVEL: 'error', QUEUE_PREFIX: `faults-${randomBytes(4).toString('hex')}`,
    SESSION_SECRET: randomBytes(32).toString('hex'), MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'), SMTP_URL: smtp.url, PUBLIC_URL: baseUrl,
    ...FAULT_ENV, ...extraEnv,
  }
  // FAULT_PROCESS_STDERR=inherit shows the processes' errors (a crash's stack) in the output.
  const stderr = process.env.FAULT_PROCESS_STDERR === 'inherit' ? 'inherit' : 'ignore'
  const startWeb = (at = port) => startProcess(['--max-old-space-size=256', 'dist/main.js', '--role=web'], env, at, stderr)
  const startWorker = () => startProcess(['--max-old-space-size=256', 'dist/main.js', '--role=worker'], env, null, stderr)
  const webProcesses = await Promise.all(ports.map((p) => startWeb(p)))
  const workerProcesses = await Promise.all(Array.from({ length: workers }, () => startWorker()))
  const clients = baseUrls.map((url) => ispwsClient(url, account.username, account.secret))
  const deployment: Deployment = {
    port, baseUrl, db, redis, smtp, ports, baseUrls, clients, env,
    client: clients[0]!,
    credentials: { username: account.username, password: account.secret },
    webs: webProcesses,
    workers: workerProcesses,
    get web() {
      return this.webs[0]!
    },
    set web(child: ChildProcess) {
      this.webs[0] = child
    },
    get worker() {
      return this.workers[0]!
    },
    set worker(child: ChildProcess) {
      this.workers[0] = child
    },
    startWeb, startWorker,
    ready: (url = baseUrl) => fetch(`${url}/readyz`).then((r) => r.status === 200, () => false),
    async close() {
      for (const child of [...deployment.webs, ...deployment.workers]) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL')
          await exited(child)
        }
      }
      await redis.stop()
      await smtp.close()
      await db.$disconnect()
    },
  }
  return deployment
}

/** What a report of the stream is, and so what it calls for. */
export type ReportKind =
  /** Escalated sextortion: P1 in the CyberTipline queue, an immediate email to its contact. */
  | 'p1'
  /** One uploaded file matching no known hash, not escalated: a possible new victim (P2/P3) routed to CVIP, an immediate email to CVIP. */
  | 'newVictim'

export type Call = { step: 'submit' | 'upload' | 'finish'; start: number; end: number; status: number; code: number | null; backend: number; error?: string }

export type Load = {
  /** Report ids whose finish answered code 0, with when and what kind of report. */
  accepted: { reportId: number; at: number; kind: ReportKind }[]
  /** Calls answered with another code, or that failed without an answer. */
  refused: number
  /** Calls that got no answer for another reason than a refused connection (cut off mid-request). */
  cutOff: number
  errors: string[]
  /** Start and end of every call that got an HTTP answer. */
  answered: [number, number][]
  /** Every call, answered or not. */
  calls: Call[]
  stop(): Promise<void>
}

/**
 * Several web processes behind a load balancer, as the test's clients see them: each call goes
 * to the next backend whose /readyz last answered 200 (checked every `checkMs`), round robin.
 * With one backend and no checks, every call goes to it (a client talking to one process).
 */
export type Balancer = { pick(): { client: IspwsClient; backend: number }; healthy: boolean[]; stop(): void }

export function balancer(clients: IspwsClient[], baseUrls: string[], { checkMs = 0 } = {}): Balancer {
  const healthy = clients.map(() => true)
  const misses = clients.map(() => 0)
  let next = 0
  let timer: NodeJS.Timeout | undefined
  if (checkMs > 0) {
    // As load balancers do: a 503 takes a backend out at once; a check that gets no answer (a
    // busy machine) only after three in a row; a 200 puts it back.
    timer = setInterval(() => {
      baseUrls.forEach((url, i) => {
        void fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
          (r) => {
            misses[i] = 0
            healthy[i] = r.status === 200
          },
          () => {
            if (++misses[i]! >= 3) healthy[i] = false
          },
        )
      })
    }, checkMs)
  }
  return {
    healthy,
    pick() {
      for (let i = 0; i < clients.length; i++) {
        const backend = (next + i) % clients.length
        if (healthy[backend]) {
          next = backend + 1
          return { client: clients[backend]!, backend }
        }
      }
      // None healthy: a balancer answers 503 itself; the client sees a refusal.
      throw Object.assign(new Error('no healthy backend'), { cause: { code: 'NO_BACKEND' } })
    },
    stop: () => clearInterval(timer),
  }
}

export function reportOf(kind: ReportKind, name: string): string {
  return kind === 'p1'
    ? reportXml({ incidentType: 'Online Enticement of Children for Sexual Acts', annotations: ['sextortion'], escalate: 'Child at immediate risk', screenName: name })
    : reportXml({ incidentType: 'Child Pornography (possession, manufacture, and distribution)', screenName: name })
}

/**
 * A steady stream of reports through /ispws (submit, an upload for a possible new victim,
 * finish), each one calling for one immediate email. `perSecond` reports a second from
 * `clients` concurrent clients; `mix` is the kinds in turn (all P1 by default).
 */
export function startLoad(target: IspwsClient | Balancer, { perSecond = 20, clients = 4, mix = ['p1'] as ReportKind[] } = {}): Load {
  const lb: Balancer = 'pick' in target ? target : { pick: () => ({ client: target, backend: 0 }), healthy: [true], stop: () => undefined }
  let running = true
  const load: Load = { accepted: [], refused: 0, cutOff: 0, errors: [], answered: [], calls: [], stop: async () => undefined }
  const gap = (1000 * clients) / perSecond
  const note = (what: string) => {
    load.refused++
    if (load.errors.length < 20) load.errors.push(what)
  }
  const timed = async (step: Call['step'], call: (client: IspwsClient) => Promise<IspwsReply>): Promise<IspwsReply> => {
    const start = Date.now()
    let backend = -1
    try {
      const picked = lb.pick()
      backend = picked.backend
      const reply = await call(picked.client)
      load.answered.push([start, Date.now()])
      load.calls.push({ step, start, end: Date.now(), status: reply.status, code: reply.code, backend })
      return reply
    } catch (error) {
      load.calls.push({ step, start, end: Date.now(), status: 0, code: null, backend, error: String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message) })
      throw error
    }
  }
  let sequence = 0
  const loops = Array.from({ length: clients }, async (_, c) => {
    await sleep((gap / clients) * c)
    let n = 0
    while (running) {
      const started = Date.now()
      const kind = mix[sequence++ % mix.length]!
      try {
        const submitted = await timed('submit', (cl) => cl.submit(reportOf(kind, `fault_${c}_${n++}`)))
        if (submitted.code !== 0 || !submitted.reportId) note(`submit ${submitted.status} ${submitted.code}`)
        else {
          const uploaded = kind === 'newVictim' ? await timed('upload', (cl) => cl.upload(submitted.reportId!, randomBytes(256), 'photo.jpg')) : null
          if (uploaded && uploaded.code !== 0) note(`upload ${uploaded.status} ${uploaded.code}`)
          else {
            const finished = await timed('finish', (cl) => cl.finish(submitted.reportId!))
            if (finished.code === 0) load.accepted.push({ reportId: submitted.reportId, at: Date.now(), kind })
            else note(`finish ${finished.status} ${finished.code}`)
          }
        }
      } catch (error) {
        const cause = String((error as { cause?: { code?: string } }).cause?.code ?? '')
        if (cause !== 'ECONNREFUSED' && cause !== 'NO_BACKEND') load.cutOff++
        note(`no answer: ${(error as Error).cause ? String((error as { cause: Error }).cause.message ?? (error as { cause: unknown }).cause) : (error as Error).message}`)
      }
      await sleep(Math.max(0, gap - (Date.now() - started)))
    }
  })
  load.stop = async () => {
    running = false
    await Promise.all(loops)
  }
  return load
}

export type Verdict = {
  fault: string
  accepted: number
  stored: number
  triaged: number
  /** Immediate notifications the accepted reports call for (one P1 email each). */
  expected: number
  /** Rows SENT, and emails the SMTP server took for them (by Message-ID, once each). */
  notified: number
  lost: number
  duplicated: number
  /**
   * Of duplicated: second copies of a message the killed worker held whose first copy the SMTP
   * server took before a new worker was started: only the killed worker can have sent it, and it
   * died before recording it (the at-least-once window, same Message-ID).
   */
  duplicatedAfterKill: number
  /** From the end of the fault until every notification for a report accepted before then was sent. */
  recoverSeconds: number
  refused: number
  problems: string[]
}

/**
 * Waits (up to timeoutMs) until every accepted report's notification is SENT, then compares the
 * database and the SMTP server's mailbox with what the clients were told.
 */
export async function verdict(fault: string, d: Deployment, load: Load, faultEndedAt: number, { timeoutMs = 90_000, killed }: { timeoutMs?: number; killed?: { restartedAt: number; held: Set<number> } } = {}): Promise<Verdict> {
  const ids = load.accepted.map((a) => a.reportId)
  const deadline = Date.now() + timeoutMs
  type Row = { id: number; reportId: number | null; status: string; sentAt: Date | null; messageId: string | null; priority: string | null }
  let rows: Row[] = []
  for (;;) {
    rows = (await d.db.notification.findMany({ where: { reportId: { in: ids }, channel: 'IMMEDIATE' }, select: { id: true, reportId: true, status: true, sentAt: true, messageId: true, priority: true } })) as Row[]
    const done = rows.length >= ids.length && rows.every((r) => r.status === 'SENT' || r.status === 'FAILED')
    if (done || Date.now() > deadline) break
    await sleep(250)
  }
  await sleep(1000) // let a late duplicate, if any, arrive
  const reports = await d.db.report.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, priority: true, queue: true } })
  const kindOf = new Map(load.accepted.map((a) => [a.reportId, a.kind]))
  const problems: string[] = []
  const stored = reports.length
  // Triaged as the stream meant: a P1 to the CyberTipline, or a possible new victim to CVIP.
  const triaged = reports.filter((r) => (r.status === 'TRIAGED' || r.status === 'IN_REVIEW') && (kindOf.get(r.id) === 'p1' ? r.priority === 'P1' && r.queue === 'CYBERTIPLINE' : r.queue === 'CVIP')).length
  const reportsWithRow = new Set(rows.map((r) => r.reportId))
  const missingRows = ids.filter((id) => !reportsWithRow.has(id))
  const sent = rows.filter((r) => r.status === 'SENT')
  if (stored < ids.length) problems.push(`${ids.length - stored} accepted reports not stored`)
  if (triaged < stored) problems.push(`${stored - triaged} stored reports not triaged as their kind calls for`)
  if (missingRows.length) problems.push(`${missingRows.length} accepted reports without their notification row`)
  const unsent = rows.filter((r) => r.status !== 'SENT')
  if (unsent.length) problems.push(`${unsent.length} notifications not sent: ${[...new Set(unsent.map((r) => r.status))].join(', ')}`)

  // What the SMTP server received, by Message-ID: each row's once.
  const received = new Map<string, number>()
  const firstAt = new Map<string, number>()
  d.smtp.received.forEach((mail, i) => {
    if (!mail.messageId) return
    received.set(mail.messageId, (received.get(mail.messageId) ?? 0) + 1)
    if (!firstAt.has(mail.messageId)) firstAt.set(mail.messageId, d.smtp.receivedAt[i]!)
  })
  const host = new URL(d.baseUrl).hostname
  let mailed = 0
  let duplicated = 0
  let duplicatedAfterKill = 0
  for (const row of rows) {
    const count = received.get(`<notification-${row.id}@${host}>`) ?? 0
    if (count > 0) mailed++
    if (count > 1) {
      duplicated += count - 1
      const first = firstAt.get(`<notification-${row.id}@${host}>`)!
      if (killed && killed.held.has(row.id) && first < killed.restartedAt) duplicatedAfterKill += count - 1
      else problems.push(`row ${row.id} (${row.status}) received ${count} times; held by the killed worker: ${killed?.held.has(row.id) ?? 'n/a'}; first copy ${killed ? `${first - killed.restartedAt} ms after the restart` : ''}`)
    }
  }
  const sentNoMail = sent.filter((r) => !received.has(`<notification-${r.id}@${host}>`)).length
  if (sentNoMail) problems.push(`${sentNoMail} rows SENT but never received by the SMTP server`)
  if (duplicated > duplicatedAfterKill) problems.push(`${duplicated - duplicatedAfterKill} duplicate emails`)
  const lost = ids.length - stored + missingRows.length + (rows.length - mailed)

  const before = new Set(load.accepted.filter((a) => a.at <= faultEndedAt).map((a) => a.reportId))
  const lastSent = Math.max(faultEndedAt, ...sent.filter((r) => before.has(r.reportId!)).map((r) => r.sentAt!.getTime()))
  return {
    fault, accepted: ids.length, stored, triaged, expected: ids.length, notified: Math.min(mailed, sent.length), lost, duplicated, duplicatedAfterKill,
    recoverSeconds: Math.round((lastSent - faultEndedAt) / 100) / 10, refused: load.refused, problems,
  }
}

export const formatVerdict = (v: Verdict) =>
  `${v.fault.padEnd(22)} accepted ${String(v.accepted).padStart(4)}  stored ${String(v.stored).padStart(4)}  triaged ${String(v.triaged).padStart(4)}  notified ${String(v.notified).padStart(4)}  lost ${v.lost}  duplicated ${v.duplicated}${v.duplicatedAfterKill ? ` (${v.duplicatedAfterKill} accepted by SMTP before the kill, not recorded)` : ''}  recover ${v.recoverSeconds.toFixed(1)} s  refused calls ${v.refused}${v.problems.length ? `  PROBLEMS: ${v.problems.join('; ')}` : ''}`

/**
 * An /ispws/upload whose body trickles in over `overMs` (a slow client on a slow link): a
 * request certainly in flight when a fault strikes. Resolves with the reply, or rejects if the
 * connection is cut.
 */
export function slowUpload(d: Deployment, reportId: number, bytes: Buffer, overMs: number): Promise<IspwsReply> {
  const boundary = `----fault${randomBytes(8).toString('hex')}`
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="id"\r\n\r\n${reportId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.jpg"\r\nContent-Type: application/octet-stream\r\n\r\n`)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const body = Buffer.concat([head, bytes, tail])
  const chunks = 10
  return new Promise((resolve, reject) => {
    const req = request(`${d.baseUrl}/ispws/upload`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${d.credentials.username}:${d.credentials.password}`).toString('base64')}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(body.length),
      },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve(readReply(res.statusCode ?? 0, text)))
      res.on('error', reject)
    })
    req.on('error', reject)
    let sent = 0
    const size = Math.ceil(body.length / chunks)
    const timer = setInterval(() => {
      req.write(body.subarray(sent, sent + size))
      sent += size
      if (sent >= body.length) {
        clearInterval(timer)
        req.end()
      }
    }, overMs / chunks)
  })
}
