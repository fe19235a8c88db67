// The faults, each a plain function so the test (once each, with assertions) and the figures
// script (npm run bench:faults, five times each) run the same thing. Each one: a deployment, a
// steady stream of P1 reports, the fault, a few seconds of stream after it, then the verdict.
import { randomBytes } from 'node:crypto'
import { exited } from '../support/processes.js'
import { balancer, formatVerdict, reportOf, sleep, slowUpload, startDeployment, startLoad, verdict, type Verdict } from './harness.js'
import { privatePostgres } from '../support/private-postgres.js'
import { scaleOut } from './scale-out.js'

export type FaultOptions = { before?: number; outage?: number; after?: number; perSecond?: number; log?: (line: string) => void }
export type FaultRun = Verdict & { notes: Record<string, number | string> }

const defaults = (o: FaultOptions) => ({ before: o.before ?? 4000, outage: o.outage ?? 10_000, after: o.after ?? 3000, perSecond: o.perSecond ?? 20, log: o.log ?? (() => undefined) })

/** (a) The worker process killed with SIGKILL mid-stream (jobs in hand), down a while, started again. */
export async function workerKilled(databaseUrl: string, options: FaultOptions = {}): Promise<FaultRun> {
  const o = defaults(options)
  // A slow SMTP server (100 ms to answer MAIL FROM), so the worker always has sends in hand.
  const d = await startDeployment(databaseUrl, { smtpDelayMs: 100 })
  try {
    const load = startLoad(d.client, { perSecond: o.perSecond })
    await sleep(o.before)
    // Kill it while it holds sends (claimed, not yet accepted by the SMTP server).
    for (let i = 0; i < 250 && (await d.db.notification.count({ where: { status: 'SENDING' } })) === 0; i++) await sleep(20)
    d.worker.kill('SIGKILL')
    const killedWith = await exited(d.worker)
    // Sends the dead worker held (claimed, not marked): they wait for their hold to lapse.
    const held = new Set((await d.db.notification.findMany({ where: { status: 'SENDING' }, select: { id: true } })).map((r) => r.id))
    const heldAtKill = held.size
    await sleep(Math.min(o.outage, 3000))
    const restartedAt = Date.now()
    d.worker = await d.startWorker()
    const faultEndedAt = Date.now()
    await sleep(o.after)
    await load.stop()
    const v = await verdict('worker SIGKILL', d, load, faultEndedAt, { killed: { restartedAt, held } })
    const run = { ...v, notes: { killedWith: String(killedWith), heldAtKill } }
    o.log(`${formatVerdict(run)}  (${heldAtKill} sends in hand when killed)`)
    return run
  } finally {
    await d.close()
  }
}

/**
 * (b) Redis stopped (SIGKILL, no persistence: it comes back empty) for `outage` ms, then started
 * on the same port. /readyz must say not ready during the outage and ready after, with the same
 * web process; the worker reconnects on its own.
 */
export async function redisOutage(databaseUrl: string, options: FaultOptions = {}): Promise<FaultRun> {
  const o = defaults(options)
  const d = await startDeployment(databaseUrl)
  try {
    const load = startLoad(d.client, { perSecond: o.perSecond })
    await sleep(o.before)
    if (!(await d.ready())) throw new Error('not ready before the fault')
    const stoppedAt = Date.now()
    await d.redis.stop()
    const { notReadyAfterMs, readyDuringOutage, samples } = await readinessDuring(d, stoppedAt, o.outage)
    await d.redis.start()
    const faultEndedAt = Date.now()
    const readyAgainAfterMs = await readyAgainAfter(d, faultEndedAt)
    await sleep(o.after)
    await load.stop()
    const v = await verdict('redis outage', d, load, faultEndedAt)
    const webPidSame = d.web.exitCode === null && d.worker.exitCode === null ? 1 : 0
    const run = { ...v, notes: { notReadyAfterMs, readyDuringOutage, samples, readyAgainAfterMs, processesStillUp: webPidSame } }
    o.log(`${formatVerdict(run)}  /readyz: 503 after ${notReadyAfterMs} ms, ready samples during outage ${readyDuringOutage}/${samples}, 200 again ${readyAgainAfterMs} ms after restart`)
    return run
  } finally {
    await d.close()
  }
}

/**
 * (c) The SMTP server answering 451 to every message for `outage` ms, then accepting. The stream
 * mixes P1 reports (an email to the CyberTipline contact) with possible new victims of lower
 * priority (an email to CVIP), so the order of delivery after the outage can be checked.
 */
export async function smtpRefusing(databaseUrl: string, options: FaultOptions = {}): Promise<FaultRun> {
  const o = defaults(options)
  const d = await startDeployment(databaseUrl)
  try {
    const load = startLoad(d.client, { perSecond: o.perSecond, mix: ['p1', 'newVictim', 'newVictim'] })
    await sleep(o.before)
    // The worker must be sending before the outage (on a busy machine it can take longer to start).
    for (let i = 0; i < 100 && d.smtp.received.length === 0; i++) await sleep(100)
    const attemptsBefore = d.smtp.attempts
    const receivedBefore = d.smtp.received.length
    d.smtp.answerAll('451')
    await sleep(o.outage)
    d.smtp.answerAll(null)
    const faultEndedAt = Date.now()
    const receivedAtEnd = d.smtp.received.length
    const refusedDuring = d.smtp.attempts - attemptsBefore - (d.smtp.received.length - receivedBefore)
    await sleep(o.after)
    await load.stop()
    const v = await verdict('SMTP 451', d, load, faultEndedAt)
    const order = await priorityOrder(d, load, faultEndedAt, receivedAtEnd)
    const run = { ...v, notes: { refusedDuring, ...order } }
    o.log(`${formatVerdict(run)}  (${refusedDuring} deliveries answered 451 during the outage; waiting at its end: ${order.waitingP1} P1 and ${order.waitingLower} lower (${order.waitingByPriority}); of those lower, ${order.lowerBeforeLastP1} delivered before the last waiting P1; last waiting P1 ${order.lastP1Ms} ms, first waiting lower ${order.firstLowerMs} ms after the outage)`)
    return run
  } finally {
    await d.close()
  }
}

/**
 * The order of delivery after an outage. "Waiting" = the notifications of accepted reports that
 * were created before the outage ended and not yet received by the SMTP server then. Of those,
 * every P1 must reach the server before any of lower priority: `lowerBeforeLastP1` counts the
 * lower ones received before the last waiting P1 (target 0).
 */
/**
 * /readyz sampled every 250 ms until `forMs` after `since` (a fault began): how long after
 * `since` it first said not ready (-1: never), and how many of its answers said ready.
 */
async function readinessDuring(d: { ready(): Promise<boolean> }, since: number, forMs: number) {
  let notReadyAfterMs = -1
  let readyDuringOutage = 0
  let samples = 0
  while (Date.now() - since < forMs) {
    const ready = await d.ready()
    samples++
    if (ready) readyDuringOutage++
    else if (notReadyAfterMs < 0) notReadyAfterMs = Date.now() - since
    await sleep(250)
  }
  return { notReadyAfterMs, readyDuringOutage, samples }
}

/** How long after `since` (a fault ended) /readyz said ready again, polled every 100 ms for 30 s; -1 if it did not. */
async function readyAgainAfter(d: { ready(): Promise<boolean> }, since: number): Promise<number> {
  while (Date.now() - since < 30_000) {
    if (await d.ready()) return Date.now() - since
    await sleep(100)
  }
  return -1
}

function priorityOrder(d: Awaited<ReturnType<typeof startDeployment>>, load: { accepted: { reportId: number }[] }, faultEndedAt: number, receivedAtEnd: number) {
  return (async () => {
    const rows = await d.db.notification.findMany({
      where: { reportId: { in: load.accepted.map((a) => a.reportId) }, channel: 'IMMEDIATE', createdAt: { lt: new Date(faultEndedAt) } },
      select: { id: true, priority: true },
    })
    const host = new URL(d.baseUrl).hostname
    const position = new Map<string, number>()
    d.smtp.received.forEach((m, i) => {
      if (m.messageId && !position.has(m.messageId)) position.set(m.messageId, i)
    })
    const waiting = rows
      .map((r) => ({ ...r, at: position.get(`<notification-${r.id}@${host}>`) ?? Infinity }))
      .filter((r) => r.at >= receivedAtEnd && r.at !== Infinity)
    const p1 = waiting.filter((r) => r.priority === 'P1')
    const lower = waiting.filter((r) => r.priority !== 'P1')
    const lastP1 = Math.max(-1, ...p1.map((r) => r.at))
    const firstLower = Math.min(Infinity, ...lower.map((r) => r.at))
    const msAfter = (index: number) => (Number.isFinite(index) && index >= 0 ? d.smtp.receivedAt[index]! - faultEndedAt : -1)
    const byPriority: Record<string, number> = {}
    for (const r of waiting) byPriority[r.priority ?? 'none'] = (byPriority[r.priority ?? 'none'] ?? 0) + 1
    return {
      waitingP1: p1.length,
      waitingLower: lower.length,
      waitingByPriority: Object.entries(byPriority).map(([k, n]) => `${k} ${n}`).join(', '),
      lowerBeforeLastP1: lower.filter((r) => r.at < lastP1).length,
      lastP1Ms: msAfter(lastP1),
      firstLowerMs: msAfter(firstLower),
    }
  })()
}

/**
 * (d) SIGTERM to a web process under load, behind a load balancer (the test's: round robin over
 * the web processes whose /readyz answered 200 at its last check, every 250 ms), as in a rolling
 * update: two web processes serve, the first gets SIGTERM. It must answer /readyz 503 at once
 * while it goes on serving for SHUTDOWN_DRAIN_MS (the balancer takes it out meanwhile), then
 * stop accepting, finish the requests in hand (a slow upload) and exit 0. No call is cut off or
 * refused, and nothing accepted is lost.
 */
export async function webTerminated(databaseUrl: string, options: FaultOptions = {}): Promise<FaultRun> {
  const o = defaults(options)
  const drainMs = 1500
  const d = await startDeployment(databaseUrl, { webs: 2, env: { SHUTDOWN_DRAIN_MS: String(drainMs) } })
  const lb = balancer(d.clients, d.baseUrls, { checkMs: 250 })
  try {
    const load = startLoad(lb, { perSecond: o.perSecond })
    await sleep(o.before)
    // A request certainly in flight: an upload whose body takes 2 s to arrive, 0.5 s under way.
    const old = d.web
    const oldClient = d.clients[0]!
    const open = await oldClient.submit(reportOf('p1', 'slow_uploader'))
    const upload = slowUpload(d, open.reportId!, Buffer.from(randomBytes(64 * 1024)), 2000).then((r) => r, (e: Error) => e)
    await sleep(500)
    const sigtermAt = Date.now()
    old.kill('SIGTERM')
    // /readyz turns 503 at once.
    let notReadyAfterMs = -1
    while (Date.now() - sigtermAt < 2000) {
      if (!(await d.ready(d.baseUrls[0]))) {
        notReadyAfterMs = Date.now() - sigtermAt
        break
      }
      await sleep(20)
    }
    // While draining it still serves a new request sent straight to it (a client the balancer
    // has not yet told): a whole report, submitted and finished.
    const late = await oldClient.submit(reportOf('p1', 'late_during_drain')).then(async (r) => (r.code === 0 ? oldClient.finish(r.reportId!) : r), (e: Error) => e)
    const lateCode = late instanceof Error ? `no answer: ${late.message}` : String(late.code)
    if (!(late instanceof Error) && late.code === 0) load.accepted.push({ reportId: late.reportId!, at: Date.now(), kind: 'p1' })
    const lateAt = Date.now() - sigtermAt
    const code = await exited(old)
    const exitedAt = Date.now()
    const faultEndedAt = exitedAt
    const uploaded = await upload
    const slowUploadCode = uploaded instanceof Error ? `cut off: ${uploaded.message}` : String(uploaded.code)
    const slowUploadStored = await d.db.reportFile.count({ where: { reportId: open.reportId! } })
    // Finished through the balancer, it counts with the others.
    const finished = await d.clients[1]!.finish(open.reportId!)
    // Escalated with a file matching no known hash: a P1 possible new victim, mailed to CVIP.
    if (finished.code === 0) load.accepted.push({ reportId: open.reportId!, at: Date.now(), kind: 'newVictim' })
    await sleep(o.after)
    await load.stop()
    const v = await verdict('web SIGTERM', d, load, faultEndedAt)
    // The balancer's calls to the stopping process after SIGTERM (before its check noticed): all answered.
    const toOldAfterSigterm = load.calls.filter((c) => c.backend === 0 && c.start >= sigtermAt)
    const run = {
      ...v,
      notes: {
        exitCode: String(code), drainMs, exitMs: exitedAt - sigtermAt, notReadyAfterMs, lateCode, lateAtMs: lateAt, slowUploadCode, slowUploadStored,
        callsToOldAfterSigterm: toOldAfterSigterm.length, unansweredToOld: toOldAfterSigterm.filter((c) => c.status === 0).length,
        cutOff: load.cutOff, errors: load.errors.slice(0, 5).join(' | '),
      },
    }
    o.log(`${formatVerdict(run)}  (/readyz 503 ${notReadyAfterMs} ms after SIGTERM; a report sent to it ${lateAt} ms after SIGTERM answered code ${lateCode}; the balancer sent it ${toOldAfterSigterm.length} calls after SIGTERM, ${run.notes.unansweredToOld} unanswered; slow upload in flight answered code ${slowUploadCode}, ${slowUploadStored} file stored; exited ${code} ${exitedAt - sigtermAt} ms after SIGTERM (drain ${drainMs} ms); ${load.cutOff} calls cut off${load.errors.length ? `; refusals: ${load.errors.slice(0, 5).join(' | ')}` : ''})`)
    return run
  } finally {
    lb.stop()
    await d.close()
  }
}

/**
 * (e) PostgreSQL restarted mid-stream. The deployment runs on a PostgreSQL cluster of the run's
 * own (test/support/private-postgres.ts: initdb, a free port, migrated with the app's runner),
 * which is stopped (pg_ctl -m fast: every connection cut) for `outage` ms and started again.
 * Clients must get errors, never a success for a report that was not stored; /readyz says not
 * ready during the outage and ready after; the same processes serve again.
 */
export async function postgresRestarted(_databaseUrl: string, options: FaultOptions = {}): Promise<FaultRun> {
  const o = defaults({ outage: 8000, ...options })
  const pg = await privatePostgres()
  try {
    const url = await pg.createMigratedDatabase('tip_triage_faults')
    const d = await startDeployment(url)
    try {
      const pids = [d.web.pid, d.worker.pid]
      const load = startLoad(d.client, { perSecond: o.perSecond })
      await sleep(o.before)
      if (!(await d.ready())) throw new Error('not ready before the fault')
      const stoppingAt = Date.now()
      await pg.stop()
      const stoppedAt = Date.now()
      const { notReadyAfterMs, readyDuringOutage, samples } = await readinessDuring(d, stoppingAt, o.outage)
      const startingAt = Date.now()
      await pg.start()
      const faultEndedAt = Date.now()
      const readyAgainAfterMs = await readyAgainAfter(d, faultEndedAt)
      await sleep(o.after)
      await load.stop()
      const v = await verdict('PostgreSQL restart', d, load, faultEndedAt)
      // Calls made entirely while PostgreSQL was down: each must be an error, never code 0.
      const down = load.calls.filter((c) => c.start >= stoppedAt && c.end <= startingAt)
      const falseSuccesses = down.filter((c) => c.code === 0).length
      const errors5xx = down.filter((c) => c.status >= 500).length
      const code1000 = down.filter((c) => c.code === 1000).length
      const noAnswer = down.filter((c) => c.status === 0).length
      // Once ready again, the same processes serve: reports submitted from then on are accepted.
      const readyAt = faultEndedAt + Math.max(0, readyAgainAfterMs)
      const afterReady = load.calls.filter((c) => c.start >= readyAt)
      const failedAfterReady = afterReady.filter((c) => c.code !== 0).length
      const acceptedAfterReady = load.accepted.filter((a) => a.at >= readyAt).length
      const processesStillUp = d.web.exitCode === null && d.worker.exitCode === null && d.web.pid === pids[0] && d.worker.pid === pids[1] ? 1 : 0
      const run = {
        ...v,
        notes: {
          stopMs: stoppedAt - stoppingAt, notReadyAfterMs, readyDuringOutage, samples, readyAgainAfterMs, callsDuringOutage: down.length, falseSuccesses, errors5xx, code1000, noAnswer,
          acceptedAfterReady, failedAfterReady, processesStillUp, errors: load.errors.slice(0, 5).join(' | '),
        },
      }
      o.log(`${formatVerdict(run)}  (${down.length} calls while down: ${errors5xx} answered 5xx (${code1000} with code 1000), ${noAnswer} no answer, ${falseSuccesses} code 0; /readyz 503 ${notReadyAfterMs} ms after the stop began, ready ${readyDuringOutage}/${samples} polls during the outage, 200 again ${readyAgainAfterMs} ms after the start; after that ${acceptedAfterReady} accepted, ${failedAfterReady} calls failed; same processes: ${processesStillUp === 1})`)
      return run
    } finally {
      await d.close()
    }
  } finally {
    pg.destroy()
  }
}

export const FAULTS = { workerKilled, redisOutage, smtpRefusing, webTerminated, postgresRestarted, scaleOut }
