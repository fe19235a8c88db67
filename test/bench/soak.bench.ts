// npm run bench:soak
// A steady open-loop stream of reports (SOAK_RATE a second, default 50) for SOAK_MINUTES
// (default 10) against the web and worker processes built as production runs them (dist/, heap
// cap of npm run start:web), on a database of its own, a private Redis and an in-process SMTP
// server; production timings (relay every 2 s, and so on). Each report is submit + finish
// through /ispws, started on its schedule whether or not earlier ones have been answered (open
// loop: a slow server shows as latency, not as a lower rate), and is escalated sextortion: one
// immediate email to the CyberTipline contact each.
// Prints per minute: reports started, answered code 0, errors, latency (from the report's
// scheduled start to finish's answer) p50 / p99 / max, emails received, RSS of each process;
// then memory after the warm-up (first 2 minutes) against the end, and the end-state verdict
// (every accepted report stored and mailed once).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import { adminQuery, databaseUrl } from '../support/database.js'
import { buildDist, memoryOf } from '../support/processes.js'
import { formatVerdict, reportOf, sleep, startDeployment, verdict, type Load } from '../faults/harness.js'

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10)
const RATE = Number(process.env.SOAK_RATE ?? 50)
const WARMUP_MS = Math.min(2 * 60_000, (MINUTES * 60_000) / 3)
const SAMPLE_MS = 5000
/** The production defaults of the settings the fault tests shorten. */
const PRODUCTION_TIMINGS = {
  OUTBOX_RELAY_INTERVAL_MS: '2000', OUTBOX_RESEND_AFTER_SECONDS: '30', NOTIFY_SEND_LOCK_SECONDS: '120', NOTIFY_BACKOFF_MS: '5000', NOTIFY_ATTEMPTS: '8', SMTP_RATE_PER_SECOND: '100',
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN)
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const load1 = () => loadavg().map((l) => l.toFixed(2)).join(' ')

const name = `tip_triage_soak_${randomBytes(4).toString('hex')}`
await adminQuery(`CREATE DATABASE "${name}"`)
const url = databaseUrl(name)
try {
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url }, stdio: 'pipe' })
  buildDist()
  const d = await startDeployment(url, { env: { ...PRODUCTION_TIMINGS, LOG_LEVEL: 'warn' } })
  try {
    console.log(`soak: ${RATE} reports/s for ${MINUTES} min, open loop, web pid ${d.web.pid}, worker pid ${d.worker.pid}; load average at start ${load1()}`)
    type Outcome = { minute: number; latency: number; ok: boolean; error?: string }
    const outcomes: Outcome[] = []
    const accepted: Load['accepted'] = []
    const samples: { at: number; web: number; worker: number }[] = []
    const loads: string[] = []
    const t0 = Date.now()
    const end = t0 + MINUTES * 60_000
    let started = 0
    let inFlight = 0
    let maxInFlight = 0
    const pending = new Set<Promise<void>>()

    const one = async (i: number, due: number) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      const minute = Math.floor((due - t0) / 60_000)
      try {
        const submitted = await d.client.submit(reportOf('p1', `soak_${i}`))
        if (submitted.code !== 0 || !submitted.reportId) throw new Error(`submit ${submitted.status} ${submitted.code}`)
        const finished = await d.client.finish(submitted.reportId)
        if (finished.code !== 0) throw new Error(`finish ${finished.status} ${finished.code}`)
        accepted.push({ reportId: submitted.reportId, at: Date.now(), kind: 'p1' })
        outcomes.push({ minute, latency: Date.now() - due, ok: true })
      } catch (error) {
        outcomes.push({ minute, latency: Date.now() - due, ok: false, error: (error as Error).message })
      } finally {
        inFlight--
      }
    }

    const sampler = setInterval(() => {
      samples.push({ at: Date.now() - t0, web: memoryOf(d.web.pid!).rssMb, worker: memoryOf(d.worker.pid!).rssMb })
      if (samples.length % 12 === 0) loads.push(load1())
    }, SAMPLE_MS)
    // Open loop: every report starts at t0 + i / RATE, however the earlier ones are doing.
    let lagMax = 0
    while (Date.now() < end) {
      const now = Date.now()
      while (t0 + (started * 1000) / RATE <= now && t0 + (started * 1000) / RATE < end) {
        const due = t0 + (started * 1000) / RATE
        lagMax = Math.max(lagMax, now - due)
        const p = one(started++, due)
        pending.add(p)
        void p.finally(() => pending.delete(p))
      }
      await sleep(5)
    }
    await Promise.all(pending)
    clearInterval(sampler)

    console.log(`\n| minute | started | code 0 | errors | p50 | p99 | max | emails received | web RSS | worker RSS |`)
    console.log('|---|---|---|---|---|---|---|---|---|---|')
    const mailedAt = d.smtp.receivedAt.map((t) => Math.floor((t - t0) / 60_000))
    for (let m = 0; m < MINUTES; m++) {
      const of = outcomes.filter((o) => o.minute === m)
      const lat = of.filter((o) => o.ok).map((o) => o.latency).sort((a, b) => a - b)
      const inMinute = samples.filter((s) => Math.floor(s.at / 60_000) === m)
      const last = inMinute.at(-1)
      console.log(`| ${m + 1} | ${of.length} | ${lat.length} | ${of.length - lat.length} | ${quantile(lat, 0.5)} ms | ${quantile(lat, 0.99)} ms | ${lat.at(-1) ?? NaN} ms | ${mailedAt.filter((x) => x === m).length} | ${last?.web.toFixed(0)} MB | ${last?.worker.toFixed(0)} MB |`)
    }
    const window = 30_000
    const after = samples.filter((s) => s.at >= WARMUP_MS && s.at < WARMUP_MS + window)
    const atEnd = samples.filter((s) => s.at >= MINUTES * 60_000 - window)
    const growth = (key: 'web' | 'worker') => {
      const a = mean(after.map((s) => s[key]))
      const b = mean(atEnd.map((s) => s[key]))
      return `${key} ${a.toFixed(0)} MB after warm-up -> ${b.toFixed(0)} MB at the end (${(((b - a) / a) * 100).toFixed(1)} %), peak ${Math.max(...samples.map((s) => s[key])).toFixed(0)} MB`
    }
    const errors = outcomes.filter((o) => !o.ok)
    const allLat = outcomes.filter((o) => o.ok).map((o) => o.latency).sort((a, b) => a - b)
    console.log(`\nmemory (mean RSS over 30 s from ${WARMUP_MS / 1000} s, and over the last 30 s): ${growth('web')}; ${growth('worker')}`)
    console.log(`reports: ${outcomes.length} started (${(outcomes.length / (MINUTES * 60)).toFixed(1)}/s), ${allLat.length} code 0, ${errors.length} errors${errors.length ? ` (${[...new Set(errors.map((e) => e.error))].slice(0, 5).join('; ')})` : ''}; latency p50 ${quantile(allLat, 0.5)} ms, p99 ${quantile(allLat, 0.99)} ms, max ${allLat.at(-1)} ms; most in flight at once ${maxInFlight}; the client's worst lag behind its schedule ${lagMax} ms`)
    console.log(`load average (1/5/15 min) each minute: ${loads.join(' | ')}; at the end ${load1()}`)

    const load: Load = { accepted, refused: errors.length, cutOff: 0, errors: [], answered: [], calls: [], stop: async () => undefined }
    const v = await verdict('soak', d, load, Date.now(), { timeoutMs: 300_000 })
    console.log(formatVerdict(v))
    if (errors.length || v.lost || v.duplicated || v.problems.length) process.exitCode = 1
  } finally {
    await d.close()
  }
} finally {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
