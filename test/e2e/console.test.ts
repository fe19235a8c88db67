// The console in a real browser: each role signs in and sees what it should; screenshots of
// the main pages go to test-results/screenshots for a person to look at.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { launchBrowser } from '../support/browser.js'
import { createStaffOfEveryRole } from '../factories/staff.js'
import { createOneOfEverything } from '../factories/records.js'
import { consoleInBrowser } from '../support/console-browser.js'

const SCREENSHOTS = 'test-results/screenshots'

let app: TestApp
let browser: Browser
let staff: Awaited<ReturnType<typeof createStaffOfEveryRole>>

const signIn = (email: string): Promise<Page> => consoleInBrowser(browser, app.baseUrl, email, { width: 1400, height: 900 })

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  app = await startTestApp()
  staff = await createStaffOfEveryRole(app.container.db)
  await createOneOfEverything(app.container.db, app.container.audit)
  browser = await launchBrowser()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe('console in a browser', () => {
  it('shows an administrator the dashboard with real counts and every navigation group', async () => {
    const page = await signIn(staff.ADMIN.email)
    const dashboard = page.getByTestId('dashboard')
    await expect.poll(() => dashboard.textContent(), { timeout: 60_000 }).toContain('Triage overview')
    const text = (await dashboard.textContent()) ?? ''
    expect(text).toContain('Open reports2')
    expect(text).toContain('Registrations awaiting review1')
    for (const group of ['Reports', 'Registrations', 'Hash Catalog', 'Notifications', 'Administration']) {
      await expect.poll(() => page.getByText(group, { exact: true }).count()).toBeGreaterThan(0)
    }
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-admin.png`, fullPage: true })
    await page.close()
  })

  it('shows triage staff the report list with priority, incident type, queue and SLA', async () => {
    const page = await signIn(staff.TRIAGE.email)
    await page.goto(`${app.baseUrl}/admin/resources/Report`)
    const rows = page.locator('[data-css="Report-table-row"], table tbody tr')
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2)
    const table = (await page.locator('table').textContent()) ?? ''
    expect(table).toContain('P2')
    expect(table).toContain('Online enticement')
    expect(table).toContain('CYBERTIPLINE')
    expect(table).toMatch(/left|overdue|–/)
    // Triage staff do not see the administration group.
    expect(await page.getByText('Administration', { exact: true }).count()).toBe(0)
    await page.screenshot({ path: `${SCREENSHOTS}/report-list-triage.png`, fullPage: true })
    await page.close()
  })

  it('shows a CVIP analyst only the CVIP queue', async () => {
    const page = await signIn(staff.CVIP_ANALYST.email)
    await page.goto(`${app.baseUrl}/admin/resources/Report`)
    const rows = page.locator('table tbody tr')
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(1)
    expect(await page.locator('table').textContent()).not.toContain('CYBERTIPLINE')
    await page.close()
  })
})
