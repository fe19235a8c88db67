import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Notification } from '@prisma/client'
import { startTestApp, type TestApp } from '../support/app.js'
import { startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { testClock } from '../support/clock.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { JOB_NAMES, jobIdFor } from '../../src/queue/index.js'
import { routeReport } from '../factories/routing.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { consoleClient } from '../support/console-client.js'

let app: TestApp
let smtp: TestSmtp
let workers: RunningWorkers
const clock = testClock()

beforeAll(async () => {
  smtp = await startTestSmtp()
  app = await startTestApp(
    { SMTP_URL: smtp.url, OUTBOX_RELAY_INTERVAL_MS: '100', OUTBOX_RESEND_AFTER_SECONDS: '2', NOTIFY_BACKOFF_MS: '200', NOTIFY_ATTEMPTS: '3', SMTP_RATE_PER_SECOND: '1000' },
    { clock },
  )
  workers = startWorkers(app.container)
})
afterAll(async () => {
  await workers.close()
  await app.close()
  await smtp.close()
})

const db = () => app.container.db
const notificationOf = (reportId: number) => db().notification.findFirstOrThrow({ where: { reportId } })
const settled = (id: number) =>
  expect.poll(async () => (await db().notification.findUniqueOrThrow({ where: { id } })).status, { timeout: 15_000, interval: 50 })
describe('notifications', () => {
  it('sends exactly one email to the CyberTipline contact for a routed P1 report, with its link and no hash', async () => {
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    const notification = await notificationOf(report.id)
    await settled(notification.id).toBe('SENT')

    const mails = smtp.received.filter((m) => m.subject === `[P1] Report ${report.id} routed to the CYBERTIPLINE queue`)
    expect(mails).toHaveLength(1)
    const mail = mails[0]!
    expect(mail.to).toMatchObject({ text: 'ecuassistance@clearinghouse.example.com' })
    expect(mail.text).toContain(`http://localhost:3000/admin/resources/Report/records/${report.id}/show`)
    expect(mail.html).toContain(`/admin/resources/Report/records/${report.id}/show`)
    expect(mail.messageId).toBe(`<notification-${notification.id}@localhost>`)
    for (const file of report.files) {
      expect(mail.text).not.toContain(file.md5!)
      expect(mail.html).not.toContain(file.md5!)
    }
    expect(`${mail.text}${mail.html}`).not.toMatch(/\b[0-9a-f]{32,64}\b/)
    const row = await db().notification.findUniqueOrThrow({ where: { id: notification.id } })
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, messageId: `<notification-${notification.id}@localhost>` })
  })

  it('mails the CVIP contact at once about a possible new victim', async () => {
    const report = await routeReport(db(), app.container.notifications, { priority: 'P2', queue: 'CVIP', unknownFiles: 2 })
    await settled((await notificationOf(report.id)).id).toBe('SENT')
    const mail = smtp.received.find((m) => m.subject === `[P2] Possible new victim: report ${report.id} routed to CVIP`)
    expect(mail?.to).toMatchObject({ text: 'cvip@clearinghouse.example.com' })
    expect(mail?.text).toContain('2 of its files match no known hash')
  })

  it('sends once however often the job runs', async () => {
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    const notification = await notificationOf(report.id)
    // The same row handed to BullMQ three more times, under ids BullMQ will not dedupe.
    for (const n of [1, 2, 3]) {
      await app.container.queues.notifications.add(JOB_NAMES.sendNotification, { notificationId: notification.id }, { jobId: `${jobIdFor('notification', notification.id)}-again-${n}` })
    }
    await settled(notification.id).toBe('SENT')
    await new Promise((r) => setTimeout(r, 1000))
    expect(smtp.received.filter((m) => m.subject === `[P1] Report ${report.id} routed to the CYBERTIPLINE queue`)).toHaveLength(1)
  })

  it('retries after a 451 and sends once', async () => {
    smtp.script(['451'])
    const before = smtp.attempts
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    const notification = await notificationOf(report.id)
    await settled(notification.id).toBe('SENT')
    expect(smtp.attempts - before).toBe(2)
    expect(smtp.received.filter((m) => m.subject === `[P1] Report ${report.id} routed to the CYBERTIPLINE queue`)).toHaveLength(1)
    expect((await db().notification.findUniqueOrThrow({ where: { id: notification.id } })).attempts).toBe(2)
  })

  it('marks a 550 as failed at once, with the reason, and does not retry', async () => {
    smtp.script(['550'])
    const before = smtp.attempts
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    const notification = await notificationOf(report.id)
    await settled(notification.id).toBe('FAILED')
    await new Promise((r) => setTimeout(r, 2500)) // past the relay's resend wait
    const row = await db().notification.findUniqueOrThrow({ where: { id: notification.id } })
    expect(row.attempts).toBe(1)
    expect(row.lastError).toMatch(/SMTP 550/)
    expect(smtp.attempts - before).toBe(1)
  })

  it('gives up after the configured tries of a temporary failure, and says so', async () => {
    smtp.script(['451', '451', '451'])
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    const notification = await notificationOf(report.id)
    await settled(notification.id).toBe('FAILED')
    const row = await db().notification.findUniqueOrThrow({ where: { id: notification.id } })
    expect(row.attempts).toBe(3)
    expect(row.lastError).toMatch(/^Gave up after 3 tries: SMTP 451/)
  })

  it('sends nothing when the transaction that caused it rolls back', async () => {
    const before = smtp.received.length
    const count = await db().notification.count()
    await expect(routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE', failAfterWrite: true })).rejects.toThrow(/failed after writing/)
    await new Promise((r) => setTimeout(r, 1000))
    expect(await db().notification.count()).toBe(count)
    expect(smtp.received.length).toBe(before)
  })

  it('writes one notification per report however often routing replays', async () => {
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    await db().$transaction((tx) =>
      app.container.notifications.notifyReportRouted(tx, { id: report.id, priority: 'P1', queue: 'CYBERTIPLINE', receivedAt: new Date(), unknownFileCount: 0 }),
    )
    expect(await db().notification.count({ where: { reportId: report.id } })).toBe(1)
  })
})

describe('hourly digest', () => {
  it('collects the hour\'s non-urgent reports into one email per queue, once', async () => {
    const routed = [
      await routeReport(db(), app.container.notifications, { priority: 'P2', queue: 'CYBERTIPLINE' }),
      await routeReport(db(), app.container.notifications, { priority: 'P3', queue: 'CYBERTIPLINE' }),
      await routeReport(db(), app.container.notifications, { priority: 'INFO', queue: 'CYBERTIPLINE' }),
      await routeReport(db(), app.container.notifications, { priority: 'P3', queue: 'CVIP', unknownFiles: 0 }),
    ]
    const items = await db().notification.findMany({ where: { reportId: { in: routed.map((r) => r.id) } } })
    expect(items.every((n: Notification) => n.channel === 'DIGEST' && n.status === 'PENDING')).toBe(true)
    await new Promise((r) => setTimeout(r, 500))
    expect(smtp.received.filter((m) => m.subject?.includes('digest'))).toHaveLength(0) // not mailed one by one

    clock.advance(3600_000) // the next hour: the digest covers the hour these arrived in
    const run = async () => {
      const job = await app.container.queues.scheduled.add(JOB_NAMES.sendQueueDigest, {})
      await expect.poll(async () => (await job.getState()), { timeout: 10_000 }).toBe('completed')
    }
    await run()
    await expect.poll(() => smtp.received.filter((m) => m.subject?.includes('digest')).length, { timeout: 10_000 }).toBe(2)
    const ct = smtp.received.find((m) => m.subject?.startsWith('CYBERTIPLINE digest: 3 new reports'))!
    expect(ct.to).toMatchObject({ text: 'ecuassistance@clearinghouse.example.com' })
    expect(ct.text).toMatch(/P2: 1\nP3: 1\nINFO: 1/)
    const cvip = smtp.received.find((m) => m.subject?.startsWith('CVIP digest: 1 new report'))!
    expect(cvip.to).toMatchObject({ text: 'cvip@clearinghouse.example.com' })

    await run()
    await new Promise((r) => setTimeout(r, 500))
    expect(smtp.received.filter((m) => m.subject?.includes('digest'))).toHaveLength(2)
    expect(await db().notification.count({ where: { id: { in: items.map((i) => i.id) }, status: 'DIGESTED' } })).toBe(4)
  })
})

describe('failed notifications in the console', () => {
  it('lets an administrator retry a failed one (audited), and refuses a supervisor', async () => {
    smtp.script(['550'])
    const report = await routeReport(db(), app.container.notifications, { priority: 'P1', queue: 'CYBERTIPLINE' })
    const notification = await notificationOf(report.id)
    await settled(notification.id).toBe('FAILED')

    const supervisor = consoleClient(app.baseUrl)
    await supervisor.signIn((await createStaff(db(), 'SUPERVISOR')).email, TEST_PASSWORD, { now: clock.now() })
    const shown = await supervisor.json(`/admin/api/resources/Notification/records/${notification.id}/show`)
    expect(shown.record.params).toMatchObject({ status: 'FAILED', attempts: 1 })
    expect(shown.record.params.lastError).toMatch(/550/)
    const refused = await supervisor.json(`/admin/api/resources/Notification/records/${notification.id}/retry`, {})
    expect(refused.notice.message).toBe('forbiddenError')

    const admin = consoleClient(app.baseUrl)
    const adminUser = await createStaff(db(), 'ADMIN')
    await admin.signIn(adminUser.email, TEST_PASSWORD, { now: clock.now() })
    const retried = await admin.json(`/admin/api/resources/Notification/records/${notification.id}/retry`, {})
    expect(retried.notice).toMatchObject({ type: 'success' })
    await settled(notification.id).toBe('SENT')
    expect(await db().auditEvent.count({ where: { action: 'notification.retry', objectId: String(notification.id), actorId: String(adminUser.id) } })).toBe(1)

    const again = await admin.json(`/admin/api/resources/Notification/records/${notification.id}/retry`, {})
    expect(again.notice.message).toBe('forbiddenError') // only a failed notification can be retried
  })

  it('shows the queue monitor to administrators and supervisors only, read-only for supervisors', async () => {
    for (const [role, status] of [['ADMIN', 200], ['SUPERVISOR', 200], ['TRIAGE', 403], ['CVIP_ANALYST', 403]] as const) {
      const client = consoleClient(app.baseUrl)
      await client.signIn((await createStaff(db(), role)).email, TEST_PASSWORD, { now: clock.now() })
      const page = await client.get('/admin/queues/')
      expect(page.status, role).toBe(status)
      if (status !== 200) continue
      const api = await client.get('/admin/queues/api/queues?activeQueue=notifications&status=latest&page=1')
      expect(api.status).toBe(200)
      const body = await api.json()
      const queue = body.queues.find((q: { name: string }) => q.name === 'notifications')
      expect(queue.readOnlyMode).toBe(role === 'SUPERVISOR')
      for (const job of queue.jobs) expect(Object.keys(job.data)).toEqual(['notificationId'])
    }
    const anonymous = await fetch(`${app.baseUrl}/admin/queues/`, { redirect: 'manual' })
    expect(anonymous.status).toBe(302)
  })
})
