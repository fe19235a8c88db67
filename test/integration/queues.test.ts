import { TEST_ORIGIN } from '../factories/staff.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Priority } from '@prisma/client'
import { startTestApp, type TestApp } from '../support/app.js'
import { testClock } from '../support/clock.js'
import { createStaff } from '../factories/staff.js'
import { createAgency } from '../factories/records.js'
import { createQueuedReports, emptyQueues } from '../factories/queue.js'
import { createSqlPool } from '../../src/lib/sql.js'
import { createQueuesService, type QueueActor } from '../../src/modules/queues/queues.service.js'
import { verifyAuditChain } from '../../src/modules/audit/audit-verify.js'
import { AppError } from '../../src/lib/errors.js'

let app: TestApp
const clock = testClock()
const db = () => app.container.db
const MINUTE = 60_000

beforeAll(async () => {
  app = await startTestApp({ QUEUE_CAPACITY: '500', QUEUE_LEASE_MINUTES: '30' }, { clock })
})
afterAll(() => app.close())
beforeEach(() => emptyQueues(db()))

async function analyst(role: 'CVIP_ANALYST' | 'CYBERTIP_ANALYST' | 'SUPERVISOR' = 'CVIP_ANALYST'): Promise<QueueActor> {
  const user = await createStaff(db(), role)
  return { id: user.id, email: user.email, role, origin: TEST_ORIGIN }
}

const inMinutes = (m: number) => new Date(clock.now().getTime() + m * MINUTE)

describe('claim next', () => {
  it('claims each report exactly once under 50 concurrent analysts, and none is skipped while free', async () => {
    const ids = await createQueuedReports(db(), Array.from({ length: 300 }, (_, i) => ({
      queue: 'CVIP' as const, priority: (['P1', 'P2', 'P3', 'INFO'] as const)[i % 4]!, slaDueAt: inMinutes(60 + i),
    })))
    const claimants = await Promise.all(Array.from({ length: 50 }, () => analyst('CVIP_ANALYST')))
    // A pool as large as the crowd, so all 50 transactions are in PostgreSQL at once.
    const pool = createSqlPool(app.database.url, { max: 50 })
    const queues = createQueuesService({ pool, clock, audit: app.container.audit, leaseMinutes: 30, capacity: 500 })
    try {
      // Round one: 50 at once with 300 free: each gets one, and together the 50 most urgent.
      const first = await Promise.all(claimants.map((c) => queues.claimNext(c)))
      expect(first.every((r) => r !== null)).toBe(true)
      const expectedHead = await db().report.findMany({
        where: { id: { in: ids } }, orderBy: [{ priority: 'asc' }, { slaDueAt: 'asc' }, { id: 'asc' }], take: 50, select: { id: true },
      })
      expect(new Set(first.map((r) => r!.id))).toEqual(new Set(expectedHead.map((r) => r.id)))

      // Then everyone claims until the queue is empty.
      const claimed = new Map<number, number[]>()
      first.forEach((r, i) => claimed.set(claimants[i]!.id, [r!.id]))
      await Promise.all(claimants.map(async (c) => {
        for (;;) {
          const report = await queues.claimNext(c)
          if (!report) return
          claimed.get(c.id)!.push(report.id)
        }
      }))
      const all = [...claimed.values()].flat()
      expect(all).toHaveLength(300)
      expect(new Set(all).size).toBe(300)
      expect(new Set(all)).toEqual(new Set(ids))

      // The database agrees: each report held by the one who got it, one CLAIMED event and one audit event each.
      const rows = await db().report.findMany({ where: { id: { in: ids } }, select: { id: true, assigneeId: true, status: true, firstActionAt: true } })
      for (const [staffId, reportIds] of claimed) {
        for (const id of reportIds) expect(rows.find((r) => r.id === id)).toMatchObject({ assigneeId: staffId, status: 'IN_REVIEW' })
      }
      expect(rows.every((r) => r.firstActionAt !== null)).toBe(true)
      const events = await db().reportEvent.groupBy({ by: ['reportId'], where: { reportId: { in: ids }, kind: 'CLAIMED' }, _count: { _all: true } })
      expect(events).toHaveLength(300)
      expect(events.every((e) => e._count._all === 1)).toBe(true)
      expect(await db().auditEvent.count({ where: { action: 'report.claim', objectId: { in: ids.map(String) } } })).toBe(300)
    } finally {
      await pool.end()
    }
  }, 60_000)

  it('keeps the audit trail one unbroken hash chain when claims are audited concurrently', async () => {
    await app.container.audit.seal({ wait: true })
    const result = await verifyAuditChain(db())
    expect(result.firstBreak).toBeNull()
    expect(result.checked).toBeGreaterThanOrEqual(300)
    expect(result.checked).toBe(await db().auditEvent.count())
  })

  it('hands out P1 before P2 before P3 before INFO, and within a level the earliest due time first', async () => {
    const specs: { priority: Priority; due: number }[] = [
      { priority: 'INFO', due: 5 }, { priority: 'P3', due: 300 }, { priority: 'P1', due: 50 }, { priority: 'P2', due: 10 },
      { priority: 'P1', due: 20 }, { priority: 'P3', due: 100 }, { priority: 'P2', due: 900 }, { priority: 'INFO', due: 1 },
    ]
    const ids = await createQueuedReports(db(), specs.map((s) => ({ queue: 'CYBERTIPLINE' as const, priority: s.priority, slaDueAt: inMinutes(s.due) })))
    // A report of the other queue, more urgent than all: a CyberTipline analyst never gets it.
    const [cvip] = await createQueuedReports(db(), [{ queue: 'CVIP', priority: 'P1', slaDueAt: inMinutes(-10) }])
    const me = await analyst('CYBERTIP_ANALYST')
    const order: number[] = []
    for (let r = await app.container.queuesService.claimNext(me); r; r = await app.container.queuesService.claimNext(me)) order.push(r.id)
    const expected = ids
      .map((id, i) => ({ id, ...specs[i]! }))
      .sort((a, b) => ['P1', 'P2', 'P3', 'INFO'].indexOf(a.priority) - ['P1', 'P2', 'P3', 'INFO'].indexOf(b.priority) || a.due - b.due)
      .map((r) => r.id)
    expect(order).toEqual(expected)
    expect(order).not.toContain(cvip)

    // A supervisor works both queues: the CVIP P1 is the most urgent of all.
    const supervisor = await analyst('SUPERVISOR')
    expect((await app.container.queuesService.claimNext(supervisor))?.id).toBe(cvip)
  })

  it('refuses a claim past the capacity limit, and allows it again once one is released', async () => {
    await createQueuedReports(db(), Array.from({ length: 5 }, (_, i) => ({ queue: 'CVIP' as const, priority: 'P3' as const, slaDueAt: inMinutes(100 + i) })))
    const queues = createQueuesService({ pool: app.container.pgPool, clock, audit: app.container.audit, leaseMinutes: 30, capacity: 3 })
    const me = await analyst('CVIP_ANALYST')
    const held = [await queues.claimNext(me), await queues.claimNext(me), await queues.claimNext(me)]
    expect(held.every(Boolean)).toBe(true)
    const refused = await queues.claimNext(me).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ code: 'CONFLICT', message: 'You hold 3 reports, the most one person may hold at once (3). Finish or release one first.' })
    expect(await db().report.count({ where: { assigneeId: me.id, status: 'IN_REVIEW' } })).toBe(3)

    await queues.release(held[0]!.id, me, 'Needs a CVIP specialist')
    expect(await db().report.findUniqueOrThrow({ where: { id: held[0]!.id } })).toMatchObject({ status: 'TRIAGED', assigneeId: null, leaseExpiresAt: null })
    expect(await queues.claimNext(me)).not.toBeNull()

    // Two tabs at once cannot outrun the limit either.
    const other = await analyst('CVIP_ANALYST')
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => queues.claimNext(other)))
    expect(await db().report.count({ where: { assigneeId: other.id, status: 'IN_REVIEW' } })).toBeLessThanOrEqual(3)
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value).length).toBe(await db().report.count({ where: { assigneeId: other.id, status: 'IN_REVIEW' } }))
  })

  it('refuses roles that do not work a queue', async () => {
    const triage = await createStaff(db(), 'TRIAGE')
    await expect(app.container.queuesService.claimNext({ id: triage.id, email: triage.email, role: 'TRIAGE', origin: TEST_ORIGIN })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('leases', () => {
  it('returns a lapsed claim to the queue with a timeline entry and an audit event, and a renewal keeps it', async () => {
    const [a, b] = await createQueuedReports(db(), [
      { queue: 'CVIP', priority: 'P2', slaDueAt: inMinutes(600) },
      { queue: 'CVIP', priority: 'P2', slaDueAt: inMinutes(601) },
    ])
    const queues = app.container.queuesService
    const me = await analyst('CVIP_ANALYST')
    expect((await queues.claimNext(me))?.id).toBe(a)
    expect((await queues.claimNext(me))?.id).toBe(b)

    clock.advance(20 * MINUTE)
    const renewed = await queues.renewLease(a!, me)
    expect(Math.abs(renewed.leaseExpiresAt.getTime() - (clock.now().getTime() + 30 * MINUTE))).toBeLessThan(1000)
    // A note by the holder renews too (any work does).
    clock.advance(5 * MINUTE)
    await app.container.workflow.addNote(b!, { note: 'Checking the ESP account history' }, me)

    clock.advance(20 * MINUTE) // a: 25 min since renewal, b: 20 since the note
    expect(await queues.expireLeases()).toBe(0)
    clock.advance(6 * MINUTE) // a: 31 min since renewal, b: 26
    expect(await queues.expireLeases()).toBe(1)
    expect(await db().report.findUniqueOrThrow({ where: { id: a! } })).toMatchObject({ status: 'TRIAGED', assigneeId: null, claimedAt: null, leaseExpiresAt: null })
    expect(await db().report.findUniqueOrThrow({ where: { id: b! } })).toMatchObject({ status: 'IN_REVIEW', assigneeId: me.id })
    const events = await db().reportEvent.findMany({ where: { reportId: a! }, orderBy: { id: 'asc' } })
    expect(events.map((e) => e.kind)).toEqual(['CLAIMED', 'LEASE_EXPIRED'])
    expect(events[1]!.details).toMatchObject({ heldBy: me.id, from: 'IN_REVIEW', to: 'TRIAGED' })
    expect(await db().auditEvent.findMany({ where: { objectId: String(a), action: { in: ['report.claim', 'report.lease_renew', 'report.lease_expired'] } }, orderBy: { id: 'asc' } }))
      .toMatchObject([{ action: 'report.claim', actorId: String(me.id) }, { action: 'report.lease_renew' }, { action: 'report.lease_expired', actorType: 'SYSTEM' }])
    expect(await queues.expireLeases()).toBe(0) // run again: nothing more
    // The lapsed report is the next one claimed again.
    const other = await analyst('CVIP_ANALYST')
    expect((await queues.claimNext(other))?.id).toBe(a)
    // The old holder can no longer renew or act on it.
    await expect(queues.renewLease(a!, me)).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(app.container.workflow.close(a!, { closingReason: 'DUPLICATE' }, me)).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('lets a supervisor assign, reassign and release, within the assignee\'s team and capacity', async () => {
    const [id] = await createQueuedReports(db(), [{ queue: 'CYBERTIPLINE', priority: 'P1', slaDueAt: inMinutes(30) }])
    const supervisor = await analyst('SUPERVISOR')
    const first = await analyst('CYBERTIP_ANALYST')
    const second = await analyst('CYBERTIP_ANALYST')
    const wrongTeam = await analyst('CVIP_ANALYST')
    const queues = app.container.queuesService
    await expect(queues.assign(id!, wrongTeam.id, supervisor)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: `${wrongTeam.email} does not work the CYBERTIPLINE queue` })
    await expect(queues.assign(id!, second.id, first)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await queues.assign(id!, first.id, supervisor)
    await queues.assign(id!, second.id, supervisor, 'First is on leave today')
    expect(await db().report.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ status: 'IN_REVIEW', assigneeId: second.id })
    await expect(queues.release(id!, first, null)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await queues.release(id!, supervisor, 'Back to the queue for the night shift')
    const events = await db().reportEvent.findMany({ where: { reportId: id! }, orderBy: { id: 'asc' } })
    expect(events.map((e) => e.kind)).toEqual(['ASSIGNED', 'ASSIGNED', 'RELEASED'])
    expect(events[1]).toMatchObject({ note: 'First is on leave today', details: { previousAssignee: first.id, assignee: second.id } })
    expect(await db().auditEvent.count({ where: { objectId: String(id), action: { in: ['report.assign', 'report.release'] }, actorId: String(supervisor.id) } })).toBe(3)
  })
})

describe('workflow', () => {
  it('refers a claimed report to an agency, recording which, when and by whom, with its audit event', async () => {
    const agency = await createAgency(db())
    const [id] = await createQueuedReports(db(), [{ queue: 'CVIP', priority: 'P2', slaDueAt: inMinutes(100) }])
    const me = await analyst('CVIP_ANALYST')
    // Not claimed yet: an analyst refers only what they hold.
    await expect(app.container.workflow.refer(id!, { agencyId: agency.id }, me)).rejects.toMatchObject({ code: 'CONFLICT', message: `Claim report ${id} before it is referred: it is not held by you` })
    await app.container.queuesService.claimNext(me)
    await expect(app.container.workflow.refer(id!, { agencyId: 999_999 }, me)).rejects.toMatchObject({ message: 'Agency 999999 does not exist' })
    await app.container.workflow.refer(id!, { agencyId: agency.id, note: 'Suspect located in the task force area' }, me)

    const report = await db().report.findUniqueOrThrow({ where: { id: id! } })
    expect(report).toMatchObject({ status: 'REFERRED', referredAgencyId: agency.id, referredById: me.id, leaseExpiresAt: null })
    expect(report.referredAt!.getTime()).toBeCloseTo(clock.now().getTime(), -3)
    const [event] = await db().reportEvent.findMany({ where: { reportId: id!, kind: 'REFERRED' } })
    expect(event).toMatchObject({ actorId: me.id, note: 'Suspect located in the task force area', details: { from: 'IN_REVIEW', to: 'REFERRED', agencyId: agency.id } })
    const audits = await db().auditEvent.findMany({ where: { action: 'report.refer', objectId: String(id) } })
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ actorType: 'STAFF', actorId: String(me.id), actorLabel: me.email, outcome: 'SUCCESS', details: { agencyId: agency.id } })
    // Settled: nothing more to do to it.
    await expect(app.container.workflow.close(id!, { closingReason: 'DUPLICATE' }, me)).rejects.toMatchObject({ code: 'CONFLICT', message: `Report ${id} is referred: it can no longer be closed` })
  })

  it('closes a claimed report with a closing reason and its audit event; a reason is required', async () => {
    const [id] = await createQueuedReports(db(), [{ queue: 'CYBERTIPLINE', priority: 'INFO', slaDueAt: inMinutes(1000) }])
    const me = await analyst('CYBERTIP_ANALYST')
    await app.container.queuesService.claimNext(me)
    await expect(app.container.workflow.close(id!, { closingReason: 'BORED' }, me)).rejects.toThrow(/Choose a closing reason/)
    await app.container.workflow.close(id!, { closingReason: 'INSUFFICIENT_INFORMATION', note: 'No upload location or account details' }, me)
    expect(await db().report.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ status: 'CLOSED', closingReason: 'INSUFFICIENT_INFORMATION', leaseExpiresAt: null })
    expect(await db().reportEvent.findMany({ where: { reportId: id! }, orderBy: { id: 'asc' } })).toMatchObject([
      { kind: 'CLAIMED' }, { kind: 'CLOSED', actorId: me.id, note: 'No upload location or account details', details: { closingReason: 'INSUFFICIENT_INFORMATION' } },
    ])
    const audits = await db().auditEvent.findMany({ where: { action: 'report.close', objectId: String(id) } })
    expect(audits).toMatchObject([{ actorId: String(me.id), details: { closingReason: 'INSUFFICIENT_INFORMATION' } }])
    // The audit names the note's event, never its words.
    const note = await app.container.workflow.addNote(id!, { note: 'Screen name suspect_account_123' }, me)
    const noteAudit = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.note', objectId: String(id) } })
    expect(noteAudit.details).toEqual({ eventId: note.eventId })
    expect(JSON.stringify(noteAudit)).not.toContain('suspect_account')
  })

  it('does not let an analyst act on the other team\'s report, nor learn that it exists', async () => {
    const [id] = await createQueuedReports(db(), [{ queue: 'CYBERTIPLINE', priority: 'P1', slaDueAt: inMinutes(10) }])
    const cvip = await analyst('CVIP_ANALYST')
    const workflow = app.container.workflow
    for (const attempt of [
      () => workflow.addNote(id!, { note: 'x' }, cvip),
      () => workflow.close(id!, { closingReason: 'DUPLICATE' }, cvip),
      () => workflow.refer(id!, { agencyId: 1 }, cvip),
      () => app.container.queuesService.renewLease(id!, cvip),
      () => app.container.queuesService.release(id!, cvip),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Report ${id} not found` })
    }
    expect(await app.container.queuesService.claimNext(cvip)).toBeNull()
    expect(await db().reportEvent.count({ where: { reportId: id! } })).toBe(0)
  })
})
