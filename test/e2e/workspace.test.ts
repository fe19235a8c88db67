// The analyst's workspace in a real browser: claim next, a quick note, release.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleInBrowser } from '../support/console-browser.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { launchBrowser } from '../support/browser.js'
import { createStaff } from '../factories/staff.js'
import { createQueuedReports } from '../factories/queue.js'

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

describe('the analyst\'s workspace', () => {
  it('claims the most urgent report, notes on it and releases it, from one page', async () => {
    const analyst = await createStaff(app.container.db, 'CVIP_ANALYST')
    const [, urgent] = await createQueuedReports(app.container.db, [
      { queue: 'CVIP', priority: 'P3', slaDueAt: new Date(Date.now() + 5 * 86_400_000) },
      { queue: 'CVIP', priority: 'P1', slaDueAt: new Date(Date.now() + 40 * 60_000) },
    ])
    const page = await consoleInBrowser(browser, app.baseUrl, analyst.email, { width: 1300, height: 1000 })
    await page.goto(`${app.baseUrl}/admin/pages/workspace`)
    await page.getByTestId('workspace-empty').waitFor({ timeout: 60_000 })

    await page.getByTestId('claim-next').click()
    const row = page.getByTestId(`held-${urgent}`)
    await row.waitFor({ timeout: 15_000 })
    expect(await row.textContent()).toMatch(/P1.*CVIP.*min left.*min left/)
    await page.screenshot({ path: `${SCREENSHOTS}/workspace-analyst.png`, fullPage: true })

    await page.getByTestId(`addNote-${urgent}`).click()
    await page.getByTestId(`quick-addNote-${urgent}`).locator('textarea').fill('Asked the ESP to preserve the account')
    await page.getByTestId(`quick-addNote-${urgent}`).getByRole('button', { name: 'Add note' }).click()
    await expect.poll(() => app.container.db.reportEvent.count({ where: { reportId: urgent!, kind: 'NOTE' } }), { timeout: 15_000 }).toBe(1)
    // The page closes the note's form when its answer arrives, which can be after the row is in
    // the database: a form opened before that would be closed with it.
    await page.getByTestId(`quick-addNote-${urgent}`).waitFor({ state: 'detached', timeout: 15_000 })

    await page.getByTestId(`release-${urgent}`).click()
    await page.getByTestId(`quick-release-${urgent}`).getByRole('button', { name: 'Release to the queue' }).click()
    await page.getByTestId('workspace-empty').waitFor({ timeout: 15_000 })
    expect(await app.container.db.report.findUniqueOrThrow({ where: { id: urgent! } })).toMatchObject({ status: 'TRIAGED', assigneeId: null })
    await page.close()
  }, 120_000)
})
