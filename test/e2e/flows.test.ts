// The console's main flows in a real browser, each from sign-in to the visible result (issue 9):
// an ESP's report reaches triage, which reads why it has its priority and re-routes it; a CVIP
// analyst claims the most urgent CVIP report, notes on it and refers it, and the timeline shows
// each step; a CyberTipline analyst cannot open a CVIP report by its URL.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { launchBrowser } from '../support/browser.js'
import { consoleInBrowser } from '../support/console-browser.js'
import { ispwsClient } from '../support/ispws-client.js'
import { createStaff } from '../factories/staff.js'
import { createEspAccount } from '../factories/esp.js'
import { createQueuedReports, emptyQueues } from '../factories/queue.js'
import { reportXml } from '../factories/cybertipline.js'
import { createAgency } from '../factories/records.js'

const SCREENSHOTS = 'test-results/screenshots'
let app: TestApp
let browser: Browser

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  app = await startTestApp()
  browser = await launchBrowser()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.close()
})

const db = () => app.container.db

describe('console flows in a browser', () => {
  it('shows triage an ESP report with its priority and the reasons, and lets them re-route it with a reason', async () => {
    const account = await createEspAccount(db())
    const esp = ispwsClient(app.baseUrl, account.username, account.secret)
    const opened = await esp.submit(reportXml({ escalate: 'The child says the adult is driving to meet them tonight.' }))
    expect(opened.code).toBe(0)
    expect((await esp.finish(opened.reportId!)).code).toBe(0)
    const report = await db().report.findUniqueOrThrow({ where: { id: opened.reportId! } })
    expect(report).toMatchObject({ status: 'TRIAGED', priority: 'P1', queue: 'CYBERTIPLINE' })

    const triage = await createStaff(db(), 'TRIAGE')
    const page = await consoleInBrowser(browser, app.baseUrl, triage.email)
    await page.goto(`${app.baseUrl}/admin/resources/Report`)
    const row = page.locator('table tbody tr', { hasText: String(report.id) }).first()
    await row.waitFor({ timeout: 60_000 })
    expect(await row.textContent()).toContain('P1')
    await page.screenshot({ path: `${SCREENSHOTS}/flow-report-list.png`, fullPage: true })

    await page.goto(`${app.baseUrl}/admin/resources/Report/records/${report.id}/show`)
    const explanation = page.getByTestId('score-explanation')
    await explanation.waitFor({ timeout: 60_000 })
    expect(await explanation.textContent()).toMatch(/escalateToHighPriority/)
    await page.screenshot({ path: `${SCREENSHOTS}/flow-report-show.png`, fullPage: true })

    await page.goto(`${app.baseUrl}/admin/resources/Report/records/${report.id}/reroute`)
    const form = page.getByTestId('action-reroute')
    await form.waitFor({ timeout: 60_000 })
    await form.locator('#choice').click()
    await page.getByText('CVIP', { exact: true }).last().click()
    await form.locator('#reason').fill('The files show a child not yet identified: CVIP should look first.')
    await form.getByRole('button', { name: 'Re-route' }).click()
    await page.waitForURL(/\/show$/)
    await expect.poll(async () => (await db().report.findUniqueOrThrow({ where: { id: report.id } })).queue, { timeout: 15_000 }).toBe('CVIP')
    const after = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    expect(after).toMatchObject({ queueOverridden: true, overrideReason: 'The files show a child not yet identified: CVIP should look first.' })
    await page.screenshot({ path: `${SCREENSHOTS}/flow-report-rerouted.png`, fullPage: true })
    await page.close()
  }, 120_000)

  it('lets a CVIP analyst claim the most urgent CVIP report, note on it and refer it; the timeline shows each step', async () => {
    await emptyQueues(db())
    const agency = await createAgency(db(), { name: 'Example Task Force for Referrals' })
    const [, urgent] = await createQueuedReports(db(), [
      { queue: 'CVIP', priority: 'P3', slaDueAt: new Date(Date.now() + 5 * 86_400_000) },
      { queue: 'CVIP', priority: 'P1', slaDueAt: new Date(Date.now() + 40 * 60_000) },
      { queue: 'CYBERTIPLINE', priority: 'P1', slaDueAt: new Date(Date.now() + 10 * 60_000) },
    ])
    const analyst = await createStaff(db(), 'CVIP_ANALYST')
    const page = await consoleInBrowser(browser, app.baseUrl, analyst.email)
    await page.goto(`${app.baseUrl}/admin/pages/workspace`)
    await page.getByTestId('claim-next').click()
    await page.getByTestId(`held-${urgent}`).waitFor({ timeout: 60_000 })

    await page.getByTestId(`addNote-${urgent}`).click()
    await page.getByTestId(`quick-addNote-${urgent}`).locator('textarea').fill('Asked the ESP to preserve the account.')
    await page.getByTestId(`quick-addNote-${urgent}`).getByRole('button', { name: 'Add note' }).click()
    await expect.poll(() => db().reportEvent.count({ where: { reportId: urgent!, kind: 'NOTE' } }), { timeout: 15_000 }).toBe(1)
    // Closed by the page when the note's answer arrives (possibly after the row is written).
    await page.getByTestId(`quick-addNote-${urgent}`).waitFor({ state: 'detached', timeout: 15_000 })

    await page.getByTestId(`refer-${urgent}`).click()
    const refer = page.getByTestId(`quick-refer-${urgent}`)
    const agencyInput = refer.locator('input').first()
    await agencyInput.fill(agency.name)
    await agencyInput.press('Enter')
    await refer.getByRole('button', { name: 'Refer' }).click()
    await expect.poll(async () => (await db().report.findUniqueOrThrow({ where: { id: urgent! } })).status, { timeout: 15_000 }).toBe('REFERRED')
    expect(await db().report.findUniqueOrThrow({ where: { id: urgent! } })).toMatchObject({ referredAgencyId: agency.id, referredById: analyst.id })

    await page.goto(`${app.baseUrl}/admin/resources/Report/records/${urgent}/show`)
    const timeline = page.getByTestId('report-timeline')
    await timeline.waitFor({ timeout: 60_000 })
    const text = (await timeline.textContent()) ?? ''
    for (const step of [/claim/i, /Asked the ESP to preserve the account/, /refer/i]) expect(text).toMatch(step)
    await page.screenshot({ path: `${SCREENSHOTS}/flow-cvip-referred.png`, fullPage: true })
    await page.close()
  }, 120_000)

  it("does not let a CyberTipline analyst open a CVIP report by its URL", async () => {
    const [cvipReport] = await createQueuedReports(db(), [{ queue: 'CVIP', priority: 'P2', slaDueAt: new Date(Date.now() + 86_400_000) }])
    const analyst = await createStaff(db(), 'CYBERTIP_ANALYST')
    const page = await consoleInBrowser(browser, app.baseUrl, analyst.email)
    await page.goto(`${app.baseUrl}/admin/resources/Report/records/${cvipReport}/show`)
    await expect.poll(() => page.textContent('body'), { timeout: 60_000 }).toMatch(/cannot be found|not found/i)
    expect(await page.textContent('body')).not.toContain('CHILD_PORNOGRAPHY')
    // The attempt is in the audit trail.
    expect(await db().auditEvent.count({ where: { action: 'Report.out_of_scope', objectId: String(cvipReport), actorId: String(analyst.id), outcome: 'DENIED' } })).toBeGreaterThanOrEqual(1)
    await page.screenshot({ path: `${SCREENSHOTS}/flow-other-team-refused.png`, fullPage: true })
    await page.close()
  }, 120_000)
})
