// (f) Scale-out: two web processes and two worker processes on one PostgreSQL and one Redis,
// under the intake stream, while analysts of both teams claim the next report through the
// console of either web process. No report may be claimed twice, no email sent twice, and each
// repeatable job must run once per period, not once per worker process.
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { DEV_MFA_ENCRYPTION_KEY } from '../../src/config.js'
import { JOB_NAMES, QUEUE_NAMES } from '../../src/queue/index.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { consoleClient, type ConsoleClient } from '../support/console-client.js'
import { exited } from '../support/processes.js'
import { balancer, formatVerdict, sleep, startDeployment, startLoad, verdict, type Verdict } from './harness.js'

export type ScaleOutOptions = { seconds?: number; perSecond?: number; log?: (line: string) => void }
export type ScaleOutRun = Verdict & { notes: Record<string, number | string> }

/** Every schedule of jobs/schedules.ts at a short period (seconds), so a run sees several periods. */
const PERIOD_SECONDS = 5
const SCHEDULED = [JOB_NAMES.sendQueueDigest, JOB_NAMES.expireOpenReports, JOB_NAMES.sweepOfficerAccounts, JOB_NAMES.expireLeases, JOB_NAMES.sweepSla, JOB_NAMES.resumeHashSearches, JOB_NAMES.verifyAuditTrail] as const
const REPORT = '/admin/api/resources/Report'

type Claim = { reportId: number; analyst: number; web: number; at: number }

export async function scaleOut(databaseUrl: string, options: ScaleOutOptions = {}): Promise<ScaleOutRun> {
  const seconds = options.seconds ?? 30
  const log = options.log ?? (() => undefined)
  const d = await startDeployment(databaseUrl, {
    webs: 2,
    workers: 2,
    env: {
      QUEUE_SWEEP_SECONDS: String(PERIOD_SECONDS), OPEN_REPORTS_SWEEP_SECONDS: String(PERIOD_SECONDS), HASH_SEARCH_RESUME_SECONDS: String(PERIOD_SECONDS),
      DIGEST_CRON: `*/${PERIOD_SECONDS} * * * * *`, OFFICER_SWEEP_CRON: `*/${PERIOD_SECONDS} * * * * *`, AUDIT_VERIFY_CRON: `*/${PERIOD_SECONDS} * * * * *`,
      // The analysts: the tests' authenticator encrypts with the development key; plain HTTP.
      MFA_ENCRYPTION_KEY: DEV_MFA_ENCRYPTION_KEY, MFA_TOLERANCE_STEPS: '10', SESSION_COOKIE_SECURE: 'false', AUTH_RATE_PER_IP: '1000', QUEUE_CAPACITY: '500',
    },
  })
  const redis = new Redis(d.redis.url, { maxRetriesPerRequest: null })
  const scheduled = new Queue(QUEUE_NAMES.scheduled, { connection: redis, prefix: d.env.QUEUE_PREFIX })
  try {
    const startedAt = Date.now()
    // Three analysts of each team, each signed in once and then claiming through both web
    // processes at once (the session lives in PostgreSQL): 12 concurrent claimants.
    const analysts = await Promise.all(
      (['CYBERTIP_ANALYST', 'CYBERTIP_ANALYST', 'CYBERTIP_ANALYST', 'CVIP_ANALYST', 'CVIP_ANALYST', 'CVIP_ANALYST'] as const).map((role) => createStaff(d.db as never, role)),
    )
    const consoles: ConsoleClient[][] = []
    for (const [i, analyst] of analysts.entries()) {
      const first = consoleClient(d.baseUrls[i % 2]!)
      const answer = await first.signIn(analyst.email, TEST_PASSWORD)
      if (answer.headers.get('location') !== '/admin') throw new Error(`${analyst.email} could not sign in: ${answer.status} ${answer.headers.get('location')}`)
      const other = consoleClient(d.baseUrls[(i + 1) % 2]!)
      other.cookie = first.cookie
      consoles.push(i % 2 === 0 ? [first, other] : [other, first])
    }

    const load = startLoad(balancer(d.clients, d.baseUrls), { perSecond: options.perSecond ?? 20, mix: ['p1', 'newVictim'] })
    const claims: Claim[] = []
    const claimErrors: string[] = []
    let claiming = true
    const claimants = consoles.flatMap((pair, analyst) =>
      pair.map(async (client, web) => {
        while (claiming) {
          try {
            const body = await client.json<{ notice?: { type?: string; message?: string }; redirectUrl?: string }>(`${REPORT}/actions/claimNext`, {})
            const id = /records\/(\d+)\/show/.exec(body.redirectUrl ?? '')?.[1]
            if (body.notice?.type === 'success' && id) claims.push({ reportId: Number(id), analyst, web, at: Date.now() })
            else if (/empty/i.test(body.notice?.message ?? '')) await sleep(200)
            else if (claimErrors.length < 10) claimErrors.push(JSON.stringify(body.notice))
          } catch (error) {
            if (claimErrors.length < 10) claimErrors.push((error as Error).message)
            await sleep(200)
          }
          await sleep(50)
        }
      }),
    )
    // Halfway, a rolling restart of one worker: the new one upserts every schedule again (as it
    // does at each start and whenever Redis comes back), which must not add runs.
    await sleep((seconds * 1000) / 2)
    d.workers[1]!.kill('SIGTERM')
    const restartedWith = await exited(d.workers[1]!)
    d.workers[1] = await d.startWorker()
    await sleep((seconds * 1000) / 2)
    await load.stop()
    // Let the claimants empty the queues of what the stream left, then stop them.
    await sleep(3000)
    claiming = false
    await Promise.all(claimants)
    const endedAt = Date.now()
    const v = await verdict('scale-out 2+2', d, load, endedAt)

    // Claims: once each, by what the analysts were told and by the reports' timelines.
    const told = new Map<number, number>()
    for (const c of claims) told.set(c.reportId, (told.get(c.reportId) ?? 0) + 1)
    const claimedTwiceTold = [...told.values()].filter((n) => n > 1).length
    const events = await d.db.reportEvent.groupBy({ by: ['reportId'], where: { kind: 'CLAIMED' }, _count: { _all: true } })
    const claimedTwiceTimeline = events.filter((e) => e._count._all > 1).length
    const assignees = await d.db.report.findMany({ where: { id: { in: [...told.keys()] } }, select: { id: true, assigneeId: true } })
    const wrongAssignee = assignees.filter((r) => r.assigneeId !== analysts[claims.find((c) => c.reportId === r.id)!.analyst]!.id).length
    const claimsPerWeb = [0, 1].map((w) => claims.filter((c) => c.web === w).length)

    // Repeatable jobs: each run is a BullMQ job of its scheduler, one per period ("repeat:<key>:<period start>").
    const jobs = await scheduled.getJobs(['completed', 'failed'])
    const periodSeconds = (endedAt - startedAt) / 1000 // the run's length, from the sign-ins to the end
    const schedules: Record<string, { runs: number; periods: number; closest: number }> = {}
    const scheduleProblems: string[] = []
    for (const name of SCHEDULED) {
      const runs = jobs.filter((j) => j.name === name).map((j) => j.processedOn ?? 0).sort((a, b) => a - b)
      const periods = new Set(jobs.filter((j) => j.name === name).map((j) => String(j.id).split(':').at(-1))).size
      const gaps = runs.slice(1).map((t, i) => t - runs[i]!)
      const closest = gaps.length ? Math.min(...gaps) : -1
      schedules[name] = { runs: runs.length, periods, closest }
      // Once per period: no two runs of one schedule in the same period, none closer than half a
      // period, and no more runs than periods elapsed (+1 for the edges).
      if (runs.length !== periods) scheduleProblems.push(`${name}: ${runs.length} runs in ${periods} periods`)
      if (closest >= 0 && closest < (PERIOD_SECONDS * 1000) / 2) scheduleProblems.push(`${name}: two runs ${closest} ms apart`)
      // And it does run every period: from its first run to the end, no period skipped (±1).
      const expected = Math.floor((endedAt - (runs[0] ?? endedAt)) / (PERIOD_SECONDS * 1000)) + 1
      if (runs.length > expected + 1) scheduleProblems.push(`${name}: ${runs.length} runs where ${expected} periods passed`)
      if (runs.length < expected - 1) scheduleProblems.push(`${name}: only ${runs.length} runs where ${expected} periods passed`)
    }
    const rescoreRuns = jobs.filter((j) => j.name === JOB_NAMES.rescoreOpenReports).length
    if (rescoreRuns !== 1) scheduleProblems.push(`${JOB_NAMES.rescoreOpenReports}: ${rescoreRuns} runs (once per rule version)`)

    const run: ScaleOutRun = {
      ...v,
      problems: [...v.problems, ...scheduleProblems],
      notes: {
        claims: claims.length, claimedTwiceTold, claimedTwiceTimeline, wrongAssignee, claimsWeb1: claimsPerWeb[0]!, claimsWeb2: claimsPerWeb[1]!, claimErrors: claimErrors.join(' | '),
        rescoreRuns, scheduleProblems: scheduleProblems.length, periodSeconds: Math.round(periodSeconds),
        schedules: Object.entries(schedules).map(([name, s]) => `${name} ${s.runs}`).join(', '),
        workersUp: d.workers.filter((w) => w.exitCode === null).length, restartedWith: String(restartedWith),
      },
    }
    log(`${formatVerdict(run)}  (${claims.length} claims, ${claimsPerWeb.join(' + ')} through each web process, ${claimedTwiceTold} reports told claimed twice, ${claimedTwiceTimeline} with two CLAIMED events; runs in ${Math.round(periodSeconds)} s at a ${PERIOD_SECONDS} s period: ${run.notes.schedules}, rescore ${rescoreRuns})`)
    return run
  } finally {
    await scheduled.close()
    redis.disconnect()
    await d.close()
  }
}
