// SLA clocks: a warning at 75 % of the time, and at breach one escalation email to the queue's
// contact through the outbox, however often the sweep runs (the worker's own schedule runs it
// too, every 5 seconds here).
import { TEST_ORIGIN } from '../factories/staff.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { createQueuedReports } from '../factories/queue.js'
import { createStaff } from '../factories/staff.js'

let app: TestApp
let smtp: TestSmtp
let workers: RunningWorkers
const db = () => app.container.db
const HOUR = 3600_000
const ago = (ms: number) => new Date(Date.now() - ms)
const ahead = (ms: number) => new Date(Date.now() + ms)

beforeAll(async () => {
  smtp = await startTestSmtp()
  app = await startTestApp({ SMTP_URL: smtp.url, OUTBOX_RELAY_INTERVAL_MS: '100', QUEUE_SWEEP_SECONDS: '5', SMTP_RATE_PER_SECOND: '1000' })
  workers = startWorkers(app.container)
})
afterAll(async () => {
  await workers.close()
  await app.close()
  await smtp.close()
})

const breachMails = (reportId: number) => smtp.received.filter((m) => m.subject?.includes(`SLA breached: report ${reportId} `))

describe('SLA sweep', () => {
  it('warns at 75 %, escalates a breach by one email to the queue contact, and does each once', async () => {
    const [nearlyDue, breached, early] = await createQueuedReports(db(), [
      { queue: 'CYBERTIPLINE', priority: 'P2', triagedAt: ago(20 * HOUR), slaDueAt: ahead(4 * HOUR) }, // 83 % used
      { queue: 'CVIP', priority: 'P1', triagedAt: ago(2 * HOUR), slaDueAt: ago(HOUR) }, // past due
      { queue: 'CYBERTIPLINE', priority: 'P3', triagedAt: ago(24 * HOUR), slaDueAt: ahead(6 * 24 * HOUR) }, // 14 % used
    ])
    const [settled] = await createQueuedReports(db(), [{ queue: 'CVIP', priority: 'P1', triagedAt: ago(3 * HOUR), slaDueAt: ago(2 * HOUR) }])
    await db().report.update({ where: { id: settled! }, data: { status: 'CLOSED', closingReason: 'DUPLICATE', closedAt: ago(2.5 * HOUR) } })

    await Promise.all([app.container.slaSweep.sweep(), app.container.slaSweep.sweep()])
    await app.container.slaSweep.sweep()
    await app.container.kickOutbox()

    const rows = await db().report.findMany({ where: { id: { in: [nearlyDue!, breached!, early!, settled!] } } })
    const byId = new Map(rows.map((r) => [r.id, r]))
    expect(byId.get(nearlyDue!)).toMatchObject({ slaBreachedAt: null })
    expect(byId.get(nearlyDue!)!.slaWarnedAt).not.toBeNull()
    expect(byId.get(breached!)!.slaBreachedAt).not.toBeNull()
    expect(byId.get(early!)).toMatchObject({ slaWarnedAt: null, slaBreachedAt: null })
    expect(byId.get(settled!)).toMatchObject({ slaWarnedAt: null, slaBreachedAt: null })

    const events = await db().reportEvent.findMany({ where: { reportId: { in: [nearlyDue!, breached!, early!, settled!] } } })
    expect(events.map((e) => `${e.reportId} ${e.kind}`).sort()).toEqual([`${breached} SLA_BREACHED`, `${nearlyDue} SLA_WARNING`].sort())
    expect(events.find((e) => e.kind === 'SLA_WARNING')!.note).toMatch(/^75% of the SLA time is used: due \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)

    const notifications = await db().notification.findMany({ where: { kind: 'SLA_BREACH' } })
    expect(notifications).toHaveLength(1)
    expect(notifications[0]).toMatchObject({ reportId: breached, recipient: 'cvip@clearinghouse.example.com', priority: 'P1', queue: 'CVIP' })
    await expect.poll(() => breachMails(breached!).length, { timeout: 15_000, interval: 100 }).toBe(1)
    const mail = breachMails(breached!)[0]!
    expect(mail.subject).toBe(`[P1] SLA breached: report ${breached} (CVIP)`)
    expect(mail.to).toMatchObject({ text: 'cvip@clearinghouse.example.com' })
    expect(mail.text).toContain(`/admin/resources/Report/records/${breached}/show`)
    expect(await db().auditEvent.count({ where: { action: 'report.sla_breach', objectId: String(breached) } })).toBe(1)

    // The worker's own schedule sweeps again meanwhile: still one email, one event.
    await new Promise((resolve) => setTimeout(resolve, 6_000))
    await app.container.slaSweep.sweep()
    expect(breachMails(breached!)).toHaveLength(1)
    expect(await db().reportEvent.count({ where: { reportId: breached!, kind: 'SLA_BREACHED' } })).toBe(1)
    expect(smtp.received.filter((m) => m.subject?.includes('SLA breached'))).toHaveLength(1)
  }, 40_000)

  it('escalates again when a new clock (an escalation to P1) is breached: once per breach', async () => {
    const [report] = await createQueuedReports(db(), [{ queue: 'CYBERTIPLINE', priority: 'P2', triagedAt: ago(20 * HOUR), slaDueAt: ahead(4 * HOUR) }])
    await app.container.slaSweep.sweep()
    expect((await db().report.findUniqueOrThrow({ where: { id: report! } })).slaWarnedAt).not.toBeNull()
    const who = await createStaff(db(), 'CYBERTIP_ANALYST')
    // P1 from the same triage time: one hour, long past.
    await app.container.overrides.escalate(report!, { reason: 'The child says the meeting is tonight' }, { id: who.id, email: who.email, origin: TEST_ORIGIN })
    expect(await db().report.findUniqueOrThrow({ where: { id: report! } })).toMatchObject({ priority: 'P1', slaWarnedAt: null, slaBreachedAt: null })
    await app.container.slaSweep.sweep()
    await app.container.slaSweep.sweep()
    await app.container.kickOutbox()
    await expect.poll(() => breachMails(report!).length, { timeout: 15_000, interval: 100 }).toBe(1)
    expect(breachMails(report!)[0]!.subject).toBe(`[P1] SLA breached: report ${report} (CYBERTIPLINE)`)
    expect(await db().notification.count({ where: { kind: 'SLA_BREACH', reportId: report! } })).toBe(1)
  }, 30_000)
})
