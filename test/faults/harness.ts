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
  web: ChildProcess
  worker: ChildProcess
  startWeb(): Promise<ChildProcess>
  startWorker(): Promise<ChildProcess>
  ready(): Promise<boolean>
  close(): Promise<void>
}

export async function startDeployment(databaseUrl: string, { env: extraEnv = {}, smtpDelayMs = 0 }: { env?: Record<string, string>; smtpDelayMs?: number } = {}): Promise<Deployment> {
  const db = createDb(databaseUrl) as unknown as PrismaClient
  const account = await createEspAccount(db as never)
  const redis = await privateRedis()
  const smtp = await startTestSmtp({ delayMs: smtpDelayMs })
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env = {
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: redis.url, LOG_LEVEL: 'error', QUEUE_PREFIX: `faults-${randomBytes(4).toString('hex')}`,
    SESSION_SECRET: randomBytes(32).toString('hex'), MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'), SMTP_URL: smtp.url, PUBLIC_URL: baseUrl,
    ...FAULT_ENV, ...extraEnv,
  }
  const startWeb = () => startProcess(['--max-old-space-size=256', 'dist/main.js', '--role=web'], env, port, 'ignore')
  const startWorker = async () => {
    const child = await startProcess(['--max-old-space-size=256', 'dist/main.js', '--role=worker'], env, null, 'ignore')
    return child
  }
  const deployment: Deployment = {
    port, baseUrl, db, redis, smtp,
    client: ispwsClient(baseUrl, account.username, account.secret),
    credentials: { username: account.username, password: account.secret },
    web: await startWeb(),
    worker: await startWorker(),
    startWeb, startWorker,
    ready: () => fetch(`${baseUrl}/readyz`).then((r) => r.status === 200, () => false),
    async close() {
      for (const child of [deployment.web, deployment.worker]) {
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

export type Load = {
  /** Report ids whose finish answered code 0, with when. */
  accepted: { reportId: number; at: number }[]
  /** Calls answered with another code, or that failed without an answer. */
  refused: number
  /** Calls that got no answer for another reason than a refused connection (cut off mid-request). */
  cutOff: number
  errors: string[]
  /** Start and end of every call that got an HTTP answer. */
  answered: [number, number][]
  stop(): Promise<void>
}

/**
 * A steady stream of P1 reports (escalated sextortion, no files): each one an immediate email
 * to the CyberTipline contact. `perSecond` reports a second from `clients` concurrent clients.
 */
export function startLoad(client: IspwsClient, { perSecond = 20, clients = 4 } = {}): Load {
  let running = true
  const load: Load = { accepted: [], refused: 0, cutOff: 0, errors: [], answered: [], stop: async () => undefined }
  const gap = (1000 * clients) / perSecond
  const note = (what: string) => {
    load.refused++
    if (load.errors.length < 20) load.errors.push(what)
  }
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const t0 = Date.now()
    const reply = await call()
    load.answered.push([t0, Date.now()])
    return reply
  }
  const loops = Array.from({ length: clients }, async (_, c) => {
    await sleep((gap / clients) * c)
    let n = 0
    while (running) {
      const started = Date.now()
      try {
        const xml = reportXml({ incidentType: 'Online Enticement of Children for Sexual Acts', annotations: ['sextortion'], escalate: 'Child at immediate risk', screenName: `fault_${c}_${n++}` })
        const submitted = await timed(() => client.submit(xml))
        if (submitted.code !== 0 || !submitted.reportId) note(`submit ${submitted.status} ${submitted.code}`)
        else {
          const finished = await timed(() => client.finish(submitted.reportId!))
          if (finished.code === 0) load.accepted.push({ reportId: submitted.reportId, at: Date.now() })
          else note(`finish ${finished.status} ${finished.code}`)
        }
      } catch (error) {
        const cause = String((error as { cause?: { code?: string } }).cause?.code ?? '')
        if (cause !== 'ECONNREFUSED') load.cutOff++
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
  const reports = await d.db.report.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, priority: true } })
  const problems: string[] = []
  const stored = reports.length
  const triaged = reports.filter((r) => r.status === 'TRIAGED' && r.priority === 'P1').length
  const reportsWithRow = new Set(rows.map((r) => r.reportId))
  const missingRows = ids.filter((id) => !reportsWithRow.has(id))
  const sent = rows.filter((r) => r.status === 'SENT')
  if (stored < ids.length) problems.push(`${ids.length - stored} accepted reports not stored`)
  if (triaged < stored) problems.push(`${stored - triaged} stored reports not triaged P1`)
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
