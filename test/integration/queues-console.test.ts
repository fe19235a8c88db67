// The work queues through AdminJS's own API, as the browser calls it: who may run each action,
// the workspace page, the timeline, and that an analyst of one team can neither claim, see nor
// act on the other team's reports by any route.
import { TEST_ORIGIN } from '../factories/staff.js'
import type { StaffRole } from '@prisma/client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { STAFF_ROLES, customActionMatrix, mayRun } from '../../src/admin/access.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { consoleClient, type ConsoleClient } from '../support/console-client.js'
import { createStaffOfEveryRole, TEST_PASSWORD } from '../factories/staff.js'
import { createAgency } from '../factories/records.js'
import { createQueuedReports, emptyQueues } from '../factories/queue.js'

let app: TestApp
let staff: Awaited<ReturnType<typeof createStaffOfEveryRole>>
const clients = new Map<StaffRole, ConsoleClient>()
const db = () => app.container.db
const REPORT = '/admin/api/resources/Report'
const WORKFLOW_ACTIONS = ['claimNext', 'renewLease', 'release', 'assign', 'refer', 'close', 'addNote'] as const

function refused(body: { record?: { baseError?: { type?: string } }; notice?: { type?: string; message?: string } }): boolean {
  return body.record?.baseError?.type === 'ForbiddenError' || (body.notice?.type === 'error' && body.notice.message === 'forbiddenError')
}
const notFound = (body: { record?: { baseError?: { type?: string } }; notice?: { message?: string } }) =>
  body.record?.baseError?.type === 'NotFoundError' || /not found|NotFound/i.test(body.notice?.message ?? '')

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000)

beforeAll(async () => {
  app = await startTestApp()
  staff = await createStaffOfEveryRole(db())
  for (const role of STAFF_ROLES) {
    const client = consoleClient(app.baseUrl)
    expect((await client.signIn(staff[role].email, TEST_PASSWORD)).headers.get('location')).toBe('/admin')
    clients.set(role, client)
  }
}, 60_000)
afterAll(() => app.close())
beforeEach(() => emptyQueues(db()))

describe('who may run the work-queue actions', () => {
  it('matches the access matrix for every role and action', async () => {
    expect(Object.keys(customActionMatrix.Report)).toEqual(expect.arrayContaining([...WORKFLOW_ACTIONS]))
    const [cyber] = await createQueuedReports(db(), [{ queue: 'CYBERTIPLINE', priority: 'P3', slaDueAt: inMinutes(600) }])
    const [cvip] = await createQueuedReports(db(), [{ queue: 'CVIP', priority: 'P3', slaDueAt: inMinutes(600) }])
    for (const role of STAFF_ROLES) {
      const client = clients.get(role)!
      const id = role === 'CVIP_ANALYST' ? cvip : cyber
      const outcomes: string[] = []
      const expected: string[] = []
      for (const action of WORKFLOW_ACTIONS) {
        // GET: a record action answers its form's needs; claim next changes nothing on GET.
        const body = action === 'claimNext' ? await client.json(`${REPORT}/actions/claimNext`) : await client.json(`${REPORT}/records/${id}/${action}`)
        outcomes.push(`${action}: ${refused(body) ? 'refused' : 'allowed'}`)
        expected.push(`${action}: ${mayRun(role, 'Report', action) ? 'allowed' : 'refused'}`)
      }
      expect(outcomes, role).toEqual(expected)
    }
    // Nothing was claimed by any GET.
    expect(await db().report.count({ where: { id: { in: [cyber!, cvip!] }, status: 'IN_REVIEW' } })).toBe(0)
  })
})

describe('claim, work and settle a report through the console', () => {
  it('claims the next report, shows it with its timeline (audited, lease renewed), and refers it', async () => {
    const agency = await createAgency(db())
    const [p2, p1] = await createQueuedReports(db(), [
      { queue: 'CVIP', priority: 'P2', slaDueAt: inMinutes(60) },
      { queue: 'CVIP', priority: 'P1', slaDueAt: inMinutes(30) },
    ])
    const analyst = clients.get('CVIP_ANALYST')!
    const claim = await analyst.json(`${REPORT}/actions/claimNext`, {})
    expect(claim.notice).toMatchObject({ type: 'success', message: expect.stringContaining(`You claimed report ${p1} (P1, CVIP`) })
    expect(claim.redirectUrl).toBe(`/admin/resources/Report/records/${p1}/show`)

    const workspace = await analyst.json('/admin/api/pages/workspace')
    expect(workspace).toMatchObject({ allowed: true, capacity: 10, leaseMinutes: 30 })
    expect(workspace.claimed.map((r: { id: number }) => r.id)).toEqual([p1])
    expect(workspace.waiting.find((w: { queue: string; priority: string }) => w.queue === 'CVIP' && w.priority === 'P2').count).toBe(1)

    const before = (await db().report.findUniqueOrThrow({ where: { id: p1! } })).leaseExpiresAt!
    await new Promise((r) => setTimeout(r, 20))
    const show = await analyst.json(`${REPORT}/records/${p1}/show`)
    const timeline = JSON.parse(show.record.params.timeline)
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['CLAIMED'])
    expect(timeline[0].actor).toContain(staff.CVIP_ANALYST.email)
    expect((await db().report.findUniqueOrThrow({ where: { id: p1! } })).leaseExpiresAt!.getTime()).toBeGreaterThan(before.getTime())
    expect(await db().auditEvent.count({ where: { action: 'report.view', objectId: String(p1), actorId: String(staff.CVIP_ANALYST.id) } })).toBe(1)

    const choices = await analyst.json(`${REPORT}/records/${p1}/refer`)
    expect(choices.choices.agencies.map((a: { value: string }) => a.value)).toContain(String(agency.id))
    const bad = await analyst.json(`${REPORT}/records/${p1}/refer`, { agencyId: '' })
    expect(bad.notice).toMatchObject({ type: 'error', message: 'Choose the agency to refer to' })
    const referred = await analyst.json(`${REPORT}/records/${p1}/refer`, { agencyId: String(agency.id), note: 'Urgent: suspect in the task force area' })
    expect(referred.notice).toMatchObject({ type: 'success', message: `Report ${p1} is referred to ${agency.name}.` })
    expect(referred.record.params).toMatchObject({ status: 'REFERRED', referredAgency: agency.id, referredBy: staff.CVIP_ANALYST.id })
    expect(await db().auditEvent.count({ where: { action: 'report.refer', objectId: String(p1) } })).toBe(1)

    // The P2 is next; a supervisor closes it without claiming, and the list read is audited.
    const closed = await clients.get('SUPERVISOR')!.json(`${REPORT}/records/${p2}/close`, { closingReason: 'DUPLICATE' })
    expect(closed.notice).toMatchObject({ type: 'success', message: `Report ${p2} is closed (duplicate).` })
    const list = await clients.get('SUPERVISOR')!.json(`${REPORT}/actions/list?filters.queue=CVIP`)
    expect(list.records.length).toBeGreaterThan(0)
    const listed = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.list', actorId: String(staff.SUPERVISOR.id) }, orderBy: { id: 'desc' } })
    expect((listed.details as { reportIds: number[] }).reportIds).toEqual(list.records.map((r: { id: string }) => Number(r.id)))
  })

  it('tells an analyst at capacity why no report was claimed', async () => {
    const local = await startTestApp({ QUEUE_CAPACITY: '1' })
    try {
      const { createStaff } = await import('../factories/staff.js')
      const user = await createStaff(local.container.db, 'CYBERTIP_ANALYST')
      await createQueuedReports(local.container.db, [
        { queue: 'CYBERTIPLINE', priority: 'P3', slaDueAt: inMinutes(60) },
        { queue: 'CYBERTIPLINE', priority: 'P3', slaDueAt: inMinutes(61) },
      ])
      const client = consoleClient(local.baseUrl)
      await client.signIn(user.email, TEST_PASSWORD)
      expect((await client.json(`${REPORT}/actions/claimNext`, {})).notice.type).toBe('success')
      expect((await client.json(`${REPORT}/actions/claimNext`, {})).notice).toEqual({
        type: 'error', message: 'You hold 1 reports, the most one person may hold at once (1). Finish or release one first.',
      })
    } finally {
      await local.close()
    }
  })
})

describe('team scoping of the work queues', () => {
  it('never lets an analyst claim, see or act on the other team\'s reports through any AdminJS route', async () => {
    const agency = await createAgency(db())
    for (const [role, ownQueue, otherQueue] of [
      ['CYBERTIP_ANALYST', 'CYBERTIPLINE', 'CVIP'],
      ['CVIP_ANALYST', 'CVIP', 'CYBERTIPLINE'],
    ] as const) {
      await emptyQueues(db())
      // The other team's reports are more urgent than anything in the analyst's own queue.
      const others = await createQueuedReports(db(), [
        { queue: otherQueue, priority: 'P1', slaDueAt: inMinutes(-30) },
        { queue: otherQueue, priority: 'P1', slaDueAt: inMinutes(5) },
      ])
      const [mine] = await createQueuedReports(db(), [{ queue: ownQueue, priority: 'INFO', slaDueAt: inMinutes(10_000) }])
      // Make one of the other team's reports claimed by their analyst, so every action applies.
      const otherRole = role === 'CVIP_ANALYST' ? 'CYBERTIP_ANALYST' : 'CVIP_ANALYST'
      await app.container.queuesService.claimNext({ id: staff[otherRole].id, email: staff[otherRole].email, role: otherRole, origin: TEST_ORIGIN })
      const client = clients.get(role)!

      // Claim: only ever from the own queue; then the queue is empty for this analyst.
      const claim = await client.json(`${REPORT}/actions/claimNext`, {})
      expect(claim.redirectUrl).toBe(`/admin/resources/Report/records/${mine}/show`)
      expect((await client.json(`${REPORT}/actions/claimNext`, {})).notice).toMatchObject({ type: 'info', message: expect.stringContaining('Your queue is empty') })

      for (const id of others) {
        // See: show, list (filtered and not), search, the workspace, the dashboard.
        expect(notFound(await client.json(`${REPORT}/records/${id}/show`))).toBe(true)
        // Act: every record action, read (GET) and write (POST).
        const payloads: Record<string, Record<string, string>> = {
          renewLease: {}, release: {}, assign: { assigneeId: String(staff[role].id) }, refer: { agencyId: String(agency.id) },
          close: { closingReason: 'DUPLICATE' }, addNote: { note: 'should not land' },
          changePriority: { priority: 'INFO', reason: 'a reason long enough' }, escalate: { reason: 'a reason long enough' },
        }
        for (const [action, payload] of Object.entries(payloads)) {
          const read = await client.json(`${REPORT}/records/${id}/${action}`)
          expect(notFound(read) || refused(read), `${role} GET ${action}`).toBe(true)
          const write = await client.json(`${REPORT}/records/${id}/${action}`, payload)
          expect(notFound(write) || refused(write), `${role} POST ${action}`).toBe(true)
        }
      }
      const list = await client.json(`${REPORT}/actions/list?filters.queue=${otherQueue}`)
      expect(list.records).toEqual([])
      const all = await client.json(`${REPORT}/actions/list?perPage=500`)
      expect(all.records.map((r: { id: string }) => Number(r.id))).not.toEqual(expect.arrayContaining([others[0]]))
      for (const id of others) {
        const search = await client.json(`${REPORT}/actions/search/${id}`)
        expect(search.records.map((r: { id: string }) => Number(r.id))).not.toContain(id)
      }
      const events = await client.json(`/admin/api/resources/ReportEvent/actions/list?filters.report=${others[0]}`)
      expect(refused(events)).toBe(true)
      const workspace = await client.json('/admin/api/pages/workspace')
      expect(workspace.claimed.map((r: { queue: string }) => r.queue)).toEqual([ownQueue])
      expect(workspace.waiting.every((w: { queue: string }) => w.queue === ownQueue)).toBe(true)
      const dashboard = await client.json('/admin/api/dashboard')
      expect(dashboard.queueHealth.queues).toEqual([ownQueue])

      // Nothing the analyst tried changed the other team's reports.
      for (const id of others) {
        expect(await db().reportEvent.count({ where: { reportId: id, actorId: staff[role].id } })).toBe(0)
      }
      expect(await db().report.count({ where: { id: { in: others }, assigneeId: staff[role].id } })).toBe(0)
      expect(await db().report.count({ where: { id: { in: others }, status: { in: ['REFERRED', 'CLOSED'] } } })).toBe(0)
    }
  })

  it('answers the workspace page only for those who work a queue', async () => {
    for (const role of STAFF_ROLES) {
      const page = await clients.get(role)!.json('/admin/api/pages/workspace')
      expect(page.allowed, role).toBe(['SUPERVISOR', 'CYBERTIP_ANALYST', 'CVIP_ANALYST'].includes(role))
      if (!page.allowed) expect(page.claimed).toEqual([])
    }
  })
})
