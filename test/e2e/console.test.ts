// The console in a real browser: each role signs in and sees what it should; screenshots of
// the main pages go to test-results/screenshots for a person to look at.
import { createHash } from 'node:crypto'
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
let everything: Awaited<ReturnType<typeof createOneOfEverything>>

const signIn = (email: string): Promise<Page> => consoleInBrowser(browser, app.baseUrl, email, { width: 1400, height: 900 })

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  app = await startTestApp()
  staff = await createStaffOfEveryRole(app.container.db)
  everything = await createOneOfEverything(app.container.db, app.container.audit)
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

  it("shows a CVIP analyst a collection review's matches as a table, a page at a time, and nobody else any of it", async () => {
    const id = everything.collectionReview.id
    const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex')
    // 120 synthetic matches (hashes of harmless strings): PDQ near matches in an identified
    // series, SHA-1 in no series, MD5 in a series whose child is not identified.
    const matches = Array.from({ length: 120 }, (_, i) =>
      i % 3 === 0 ? { line: i + 1, hashType: 'PDQ', value: hex('sha256', `review-pdq-${i}`), category: 'CSAM', series: 'Lighthouse', seriesIdentified: true, distance: i % 32 }
      : i % 3 === 1 ? { line: i + 1, hashType: 'SHA1', value: hex('sha1', `review-sha1-${i}`), category: 'CHILD_EXPLOITIVE', series: null, seriesIdentified: false, distance: null }
      : { line: i + 1, hashType: 'MD5', value: hex('md5', `review-md5-${i}`), category: 'CGI_ANIMATION', series: 'Harbour', seriesIdentified: false, distance: null })
    await app.container.db.collectionReview.update({
      where: { id },
      data: { matches, matchCount: 120, identifiedCount: 40, lineCount: 600, processedCount: 600, invalidCount: 1, invalidLines: [{ line: 599, error: '"hello" is not hexadecimal' }] },
    })

    // Tall enough for the whole page: the console scrolls inside its own pane, so a full-page
    // screenshot would stop at the fold.
    const page = await consoleInBrowser(browser, app.baseUrl, staff.CVIP_ANALYST.email, { width: 1400, height: 4600 })
    await page.goto(`${app.baseUrl}/admin/resources/CollectionReview/records/${id}/show`)
    const table = page.getByTestId('review-matches')
    await expect.poll(() => table.textContent(), { timeout: 60_000 }).toContain('120 known, 40 in an identified series')
    const first = (await table.textContent()) ?? ''
    expect(first).toContain(matches[0]!.value)
    expect(first).toContain('PDQ, identical')
    expect(first).toContain('PDQ, 3 bits apart')
    expect(first).toContain('PDQ, 1 bit apart')
    expect(first).toMatch(/SHA-1.*Exact.*Child exploitive \(age difficult\)No series/)
    expect(first).toMatch(/Harbournot identified/)
    expect(first).toMatch(/Lighthouseidentified/)
    expect(first).toContain('1–50 of 120')
    expect(first).not.toContain(matches[50]!.value)
    expect(await page.getByTestId('review-invalid-lines').textContent()).toContain('599"hello" is not hexadecimal')
    // A table, not the raw JSON AdminJS showed before.
    expect(await page.locator('body').innerText()).not.toContain('seriesIdentified')
    await page.screenshot({ path: `${SCREENSHOTS}/collection-review-cvip.png` })
    const box = (await table.boundingBox())!
    await page.screenshot({ path: `${SCREENSHOTS}/collection-review-matches-cvip.png`, clip: { x: box.x - 16, y: box.y - 16, width: box.width + 32, height: 700 } })

    await page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => table.textContent()).toContain('51–100 of 120')
    expect(await table.textContent()).toContain(matches[50]!.value)
    await page.getByText('Identified series only').click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(40)
    expect(await table.locator('tbody tr', { hasText: 'not identified' }).count()).toBe(0)
    const after = (await table.boundingBox())!
    await page.screenshot({ path: `${SCREENSHOTS}/collection-review-matches-identified-only.png`, clip: { x: after.x - 16, y: after.y - 16, width: after.width + 32, height: 500 } })
    await page.close()

    // The list answers without any review's matches (they are read for one review's page only).
    const analyst = await signIn(staff.CVIP_ANALYST.email)
    const list = await analyst.request.get(`${app.baseUrl}/admin/api/resources/CollectionReview/actions/list`)
    expect(list.status()).toBe(200)
    const listed = await list.text()
    expect(listed).toContain(everything.collectionReview.caseNumber)
    expect(listed).not.toContain(matches[0]!.value)
    await analyst.close()
    // Roles that may not see collection reviews get neither the page nor the API's record.
    for (const role of ['TRIAGE', 'CYBERTIP_ANALYST'] as const) {
      const other = await signIn(staff[role].email)
      for (const path of [`/admin/api/resources/CollectionReview/records/${id}/show`, '/admin/api/resources/CollectionReview/actions/list']) {
        const body = await (await other.request.get(`${app.baseUrl}${path}`)).text()
        expect(body, `${role} ${path}`).not.toContain(matches[0]!.value)
        expect(body, `${role} ${path}`).toMatch(/ForbiddenError|forbiddenError/)
      }
      await other.close()
    }
  })
})
