// npm run test:faults (not part of npm test): each fault once against real web and worker
// processes, asserting "nothing lost, nothing twice". npm run bench:faults runs each five times
// and prints the figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { buildDist } from '../support/processes.js'
import type { FaultRun } from './scenarios.js'
import { scaleOut } from './scale-out.js'
import { postgresRestarted, redisOutage, smtpRefusing, webTerminated, workerKilled } from './scenarios.js'

let database: TestDatabase
beforeAll(async () => {
  buildDist()
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

const log = (line: string) => console.log(line)

function expectNothingLostNothingTwice(run: FaultRun) {
  expect(run.accepted).toBeGreaterThan(50)
  expect(run.problems).toEqual([])
  expect(run).toMatchObject({ stored: run.accepted, triaged: run.accepted, notified: run.accepted, lost: 0 })
  // The one duplicate the design allows (README "Notifications"): a worker killed between the
  // SMTP server's 250 and recording it. Any other is a failure (counted in problems above).
  expect(run.duplicated).toBe(run.duplicatedAfterKill)
}

/** /readyz said not ready soon after the fault began and never ready during it, ready soon after it ended; the processes lived through it. */
function expectNotReadyDuringAndReadyAfter(run: FaultRun) {
  expect(run.notes.notReadyAfterMs).toBeGreaterThanOrEqual(0)
  expect(run.notes.notReadyAfterMs).toBeLessThan(3000)
  expect(run.notes.readyDuringOutage).toBe(0)
  expect(run.notes.readyAgainAfterMs).toBeGreaterThanOrEqual(0)
  expect(run.notes.readyAgainAfterMs).toBeLessThan(10_000)
  expect(run.notes.processesStillUp).toBe(1)
}

describe('faults', () => {
  it('(a) worker killed with SIGKILL mid-send, then started again: every accepted report notified, none twice but a message the dead worker sent and could not record', async () => {
    const run = await workerKilled(database.url, { log })
    expect(run.notes.killedWith).toBe('SIGKILL')
    // Sends the dead worker held are taken over once their hold lapses (NOTIFY_SEND_LOCK_SECONDS=5
    // here), not when BullMQ's stall check gets round to the dead worker's jobs (30-60 s).
    expect(run.notes.heldAtKill).toBeGreaterThan(0)
    expect(run.recoverSeconds).toBeLessThan(15)
    expectNothingLostNothingTwice(run)
  })

  it('(b) Redis stopped and restarted empty: /readyz not ready during, ready after without a restart; every accepted report notified once', async () => {
    const run = await redisOutage(database.url, { log, outage: 12_000 })
    expectNotReadyDuringAndReadyAfter(run)
    expectNothingLostNothingTwice(run)
  })

  it('(c) SMTP answering 451 for a while, then accepting: all sent once, the P1s waiting before the lower ones waiting with them', async () => {
    const run = await smtpRefusing(database.url, { log })
    expect(run.notes.refusedDuring).toBeGreaterThan(0)
    // Emails of both kinds were waiting when the server took mail again; every waiting P1 reached
    // it before any waiting lower-priority one (README, "Resilience": the order check).
    expect(run.notes.waitingP1).toBeGreaterThan(10)
    expect(run.notes.waitingLower).toBeGreaterThan(10)
    expect(run.notes.lowerBeforeLastP1).toBe(0)
    expectNothingLostNothingTwice(run)
  })

  it('(d) SIGTERM to a web process behind a load balancer: /readyz 503 at once, still serving while it drains, the upload in flight answered, exit 0, nothing accepted lost', async () => {
    const run = await webTerminated(database.url, { log })
    expect(run.notes.notReadyAfterMs).toBeGreaterThanOrEqual(0)
    expect(run.notes.notReadyAfterMs).toBeLessThan(500)
    // A report sent straight to it after /readyz turned 503 is still taken (code 0, and stored:
    // it is among the accepted the verdict checks).
    expect(run.notes.lateCode).toBe('0')
    // An upload 0.5 s into its 2 s body when SIGTERM came was answered and its file kept.
    expect(run.notes.slowUploadCode).toBe('0')
    expect(run.notes.slowUploadStored).toBe(1)
    // It stops only after the drain (SHUTDOWN_DRAIN_MS), then exits 0 promptly.
    expect(run.notes.exitCode).toBe('0')
    expect(Number(run.notes.exitMs)).toBeGreaterThanOrEqual(Number(run.notes.drainMs))
    expect(Number(run.notes.exitMs)).toBeLessThan(Number(run.notes.drainMs) + 5000)
    // The balancer moved the stream to the other process: no call refused or cut off.
    expect(run.notes.unansweredToOld).toBe(0)
    expect(run.notes.cutOff).toBe(0)
    expect(run.refused).toBe(0)
    expectNothingLostNothingTwice(run)
  })

  it('(e) PostgreSQL restarted mid-stream: calls while it is down get errors, never a false success; /readyz 503 during, 200 after; the same processes serve again', async () => {
    const run = await postgresRestarted(database.url, { log })
    // Every call made while PostgreSQL was down was refused in the protocol's words (HTTP 500,
    // code 1000) or got no answer; none was told code 0.
    expect(run.notes.callsDuringOutage).toBeGreaterThan(20)
    expect(run.notes.falseSuccesses).toBe(0)
    expect(Number(run.notes.errors5xx) + Number(run.notes.noAnswer)).toBe(run.notes.callsDuringOutage)
    expectNotReadyDuringAndReadyAfter(run)
    expect(run.notes.acceptedAfterReady).toBeGreaterThan(10)
    expect(run.notes.failedAfterReady).toBe(0)
    expectNothingLostNothingTwice(run)
  })

  it('(f) two web and two worker processes on one PostgreSQL and one Redis: no report claimed twice, no email twice, each repeatable job once per period', async () => {
    const run = await scaleOut(database.url, { log })
    // Six analysts claimed through both web processes at once while the stream ran.
    expect(run.notes.claims).toBeGreaterThan(100)
    expect(run.notes.claimsWeb1).toBeGreaterThan(0)
    expect(run.notes.claimsWeb2).toBeGreaterThan(0)
    expect(run.notes).toMatchObject({ claimedTwiceTold: 0, claimedTwiceTimeline: 0, wrongAssignee: 0, claimErrors: '' })
    // Every schedule ran each period once (problems lists any that ran twice in a period, closer
    // than half a period, more often than the periods that passed, or skipped periods); the
    // rescore runs once per rule version. One worker was restarted halfway.
    expect(run.notes.rescoreRuns).toBe(1)
    expect(run.notes.workersUp).toBe(2)
    expectNothingLostNothingTwice(run)
  })
})
