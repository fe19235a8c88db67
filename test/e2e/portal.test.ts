// The officers' portal in a real browser: an officer registers, confirms the emailed link and
// waits; two staff members vet the application in the console (four eyes); the officer signs
// in to the welcome page. Every portal page passes axe-core with no serious or critical
// violation; screenshots go to test-results/screenshots.
import { TEST_ORIGIN } from '../factories/staff.js'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { launchBrowser } from '../support/browser.js'
import { linkIn, mailTo, startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { createStaff } from '../factories/staff.js'
import { consoleInBrowser } from '../support/console-browser.js'
import { APPLICANT_PASSWORD, signedInOfficer } from '../factories/registrations.js'
import { md5Of, uniq } from '../factories/records.js'
import { nextTotpCode, rememberTotpSecret } from '../support/totp.js'

const SCREENSHOTS = 'test-results/screenshots'
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let app: TestApp
let smtp: TestSmtp
let workers: RunningWorkers
let browser: Browser

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  smtp = await startTestSmtp()
  app = await startTestApp({ SMTP_URL: smtp.url, OUTBOX_RELAY_INTERVAL_MS: '100', SMTP_RATE_PER_SECOND: '1000' })
  workers = startWorkers(app.container)
  browser = await launchBrowser()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await workers?.close()
  await app?.close()
  await smtp?.close()
})

/** axe-core in the page: the serious and critical violations, as "rule: target" lines. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run()
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`)
}

async function checkPage(page: Page, screenshot: string) {
  expect(await accessibilityProblems(page)).toEqual([])
  await page.screenshot({ path: `${SCREENSHOTS}/${screenshot}.png`, fullPage: true })
}

async function linkFromMail(to: string, subject: RegExp): Promise<string> {
  // Emails carry the public address; the test app listens elsewhere.
  return linkIn(await mailTo(smtp, to, subject)).replace('http://localhost:3000', app.baseUrl)
}

const staffPage = (email: string): Promise<Page> => consoleInBrowser(browser, app.baseUrl, email)

/** Password, then the second factor: enrolment (read the key off the page) the first time. */
async function portalSignIn(page: Page, email: string, landing: string) {
  await page.fill('#email', email)
  await page.fill('#password', APPLICANT_PASSWORD)
  await page.click('main button[type=submit]')
  await page.waitForURL(`${app.baseUrl}/portal/mfa`)
  const secret = (await page.getByTestId('totp-secret').count()) ? await page.getByTestId('totp-secret').textContent() : null
  if (secret) rememberTotpSecret(email, secret)
  await page.fill('#code', await nextTotpCode(email))
  await page.click('main button[type=submit]')
  if (secret) {
    await page.waitForURL(`${app.baseUrl}/portal/recovery-codes`)
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
    await checkPage(page, 'portal-recovery-codes')
    await page.click('text=I have kept them')
  }
  await page.waitForURL(`${app.baseUrl}${landing}`)
}

describe('the officers portal in a browser', () => {
  it('takes an officer from registration through vetting to the welcome page', async () => {
    const agency = await app.container.db.agency.create({ data: { name: `Example Task Force ${uniq()}`, kind: 'ICAC_TASK_FORCE', state: 'CA', emailDomains: ['tf.example.com'] } })
    const email = `riley.${uniq()}@tf.example.com`
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } })

    await page.goto(`${app.baseUrl}/portal/register`)
    await checkPage(page, 'portal-register')
    // Sent empty: every problem listed at the top, each linked to its field.
    await page.click('button[type=submit]')
    await expect.poll(() => page.locator('.error-summary li').count()).toBeGreaterThan(8)
    await checkPage(page, 'portal-register-errors')

    await page.fill('#firstName', 'Riley')
    await page.fill('#lastName', 'Example')
    await page.check('input[name=kind][value=OFFICER]')
    await page.selectOption('#agency', String(agency.id))
    await page.fill('#badgeNumber', `B-${uniq()}`)
    await page.fill('#officialEmail', email)
    await page.fill('#phone', '202-555-0147')
    await page.fill('#supervisorName', 'Sam Sergeant')
    await page.fill('#supervisorEmail', `sam.${uniq()}@tf.example.com`)
    await page.fill('#password', APPLICANT_PASSWORD)
    await page.fill('#passwordConfirmation', APPLICANT_PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL(`${app.baseUrl}/portal/registered`)
    expect(await page.textContent('main')).toContain('What happens next')
    await checkPage(page, 'portal-registered')

    await page.goto(await linkFromMail(email, /Confirm your email address/))
    await checkPage(page, 'portal-confirm-email')
    await page.click('button[type=submit]')
    expect(await page.textContent('main')).toContain('Email address confirmed')

    await page.goto(`${app.baseUrl}/portal/sign-in`)
    await checkPage(page, 'portal-sign-in')
    await page.fill('#email', email)
    await page.fill('#password', APPLICANT_PASSWORD)
    await page.click('main button[type=submit]')
    await page.waitForURL(`${app.baseUrl}/portal/mfa`)
    await checkPage(page, 'portal-mfa-enrol')
    await page.goto(`${app.baseUrl}/portal/sign-in`)
    await portalSignIn(page, email, '/portal/application')
    expect(await page.textContent('main')).toContain('Being checked by our staff')
    await checkPage(page, 'portal-awaiting-verification')

    // Four eyes in the console: one records the evidence, another verifies.
    const registration = await app.container.db.officerRegistration.findUniqueOrThrow({ where: { officialEmail: email } })
    const recorder = await createStaff(app.container.db, 'SUPERVISOR')
    const verifier = await createStaff(app.container.db, 'ADMIN')
    const recorderPage = await staffPage(recorder.email)
    await recorderPage.goto(`${app.baseUrl}/admin/resources/OfficerRegistration/records/${registration.id}/recordEvidence`)
    await recorderPage.getByTestId('evidence-checks').waitFor({ timeout: 60_000 })
    await recorderPage.fill('#reason', 'Called the task force: badge confirmed.')
    await recorderPage.screenshot({ path: `${SCREENSHOTS}/console-registration-record-evidence.png`, fullPage: true })
    await recorderPage.getByRole('button', { name: 'Record evidence' }).click()
    await recorderPage.waitForURL(/\/show$/)
    // The one who recorded cannot also verify.
    await recorderPage.goto(`${app.baseUrl}/admin/resources/OfficerRegistration/records/${registration.id}/verify`)
    await recorderPage.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(() => recorderPage.textContent('body'), { timeout: 20_000 }).toContain('Four eyes')

    const verifierPage = await staffPage(verifier.email)
    await verifierPage.goto(`${app.baseUrl}/admin/resources/OfficerRegistration/records/${registration.id}/verify`)
    await verifierPage.getByTestId('evidence-checks').waitFor({ timeout: 60_000 })
    await verifierPage.fill('#reason', 'Supervisor confirmed by phone.')
    await verifierPage.getByRole('button', { name: 'Verify' }).click()
    await verifierPage.waitForURL(/\/show$/)
    await expect.poll(() => verifierPage.textContent('body'), { timeout: 20_000 }).toContain('VERIFIED')
    await verifierPage.screenshot({ path: `${SCREENSHOTS}/console-registration-verified.png`, fullPage: true })

    // The applicant's session ends with the change; signing in again opens the portal.
    await page.goto(`${app.baseUrl}/portal/application`)
    expect(await page.textContent('main')).toContain('Sign in')
    await portalSignIn(page, email, '/portal')
    expect(await page.textContent('main')).toContain('Welcome, Riley Example')
    await checkPage(page, 'portal-welcome')
    await page.click('text=Sign out')
    await page.waitForURL(/\/portal\/sign-in\?signedOut=1$/)
    expect(await page.textContent('main')).toContain('You have signed out')
  }, 120_000)

  it('passes the accessibility check on its remaining pages', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } })
    for (const [path, name] of [
      ['/portal/resend-confirmation', 'portal-resend-confirmation'],
      ['/portal/confirm-email?token=not-a-real-token', 'portal-confirm-email-form'],
      ['/portal/supervisor-confirmation?token=not-a-real-token', 'portal-link-invalid'],
      ['/portal/no-such-page', 'portal-not-found'],
    ] as const) {
      await page.goto(`${app.baseUrl}${path}`)
      await checkPage(page, name)
    }
    await page.goto(`${app.baseUrl}/portal/sign-in`)
    await page.fill('#email', 'nobody@tf.example.com')
    await page.fill('#password', 'not the right password')
    await page.click('main button[type=submit]')
    expect(await page.textContent('main')).toContain('Wrong email address or password')
    await checkPage(page, 'portal-sign-in-failed')
  })

  it('runs a Hash Search, pasted and uploaded, and shows My Reports, each page accessible', async () => {
    const db = app.container.db
    const set = await db.hashSet.create({ data: { name: `E2E set ${uniq()}`, source: 'test' } })
    const identified = await db.series.create({ data: { name: `Lighthouse ${uniq()}`, identified: true, identifiedAt: new Date() } })
    const known = md5Of(`e2e-known-${uniq()}`)
    await db.knownHash.create({ data: { hashType: 'MD5', value: known, category: 'CSAM', hashSetId: set.id, seriesId: identified.id } })
    const { registration } = await signedInOfficer(db, app.baseUrl)

    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } })
    await page.goto(`${app.baseUrl}/portal/sign-in`)
    await portalSignIn(page, registration.officialEmail, '/portal')
    await page.click('nav >> text=Hash Search')
    await checkPage(page, 'portal-hash-search')

    // Nothing searchable: the lines come back with the reasons.
    await page.fill('#hashes', 'hello\n1234')
    await page.click('main button[type=submit]')
    expect(await page.textContent('main')).toContain('None of the lines is a hash we can search')
    await checkPage(page, 'portal-hash-search-invalid')

    // A pasted search of a few hashes is answered at once.
    await page.fill('#hashes', [known, md5Of(`e2e-unknown-${uniq()}`), 'sha1: 1234'].join('\n'))
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/portal\/my-reports\/\d+$/)
    expect(await page.textContent('main')).toContain('Yes: the child in this series has been identified')
    await checkPage(page, 'portal-my-report')

    // An uploaded file of 20 hashes runs as a job; the page says so until it is done.
    await page.goto(`${app.baseUrl}/portal/hash-search`)
    await page.setInputFiles('#file', { name: 'case.txt', mimeType: 'text/plain', buffer: Buffer.from(Array.from({ length: 20 }, (_, i) => md5Of(`e2e-bulk-${i}`)).join('\n')) })
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/portal\/my-reports\/\d+$/)
    await checkPage(page, 'portal-my-report-pending')
    await expect.poll(async () => (await page.reload(), await page.textContent('main')), { timeout: 20_000 }).toContain('Download CSV')
    // The officer downloads the results: one row per line searched, no other officer's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download CSV')])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.trim().split('\n')).toHaveLength(21)
    expect(csv).toContain(md5Of('e2e-bulk-7'))
    await page.goto(`${app.baseUrl}/portal/my-reports`)
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThanOrEqual(2)
    await checkPage(page, 'portal-my-reports')

    // A collection review: the form with its errors, then the request's status page.
    await page.goto(`${app.baseUrl}/portal/collection-reviews/new`)
    await checkPage(page, 'portal-collection-review-form')
    await page.click('main button[type=submit]')
    expect(await page.textContent('main')).toContain('Enter the case number')
    await checkPage(page, 'portal-collection-review-form-errors')
    await page.fill('#caseNumber', 'CASE-2026-0042')
    await page.fill('#statute', '18 U.S.C. 2252A')
    await page.setInputFiles('#file', { name: 'collection.txt', mimeType: 'text/plain', buffer: Buffer.from([known, md5Of('e2e-review-unknown'), 'bad line'].join('\n')) })
    await page.click('main button[type=submit]')
    await page.waitForURL(/\/portal\/collection-reviews\/\d+$/)
    await checkPage(page, 'portal-collection-review-status')
    // Matched by the job, then released by an analyst: the officer's review report.
    const reviewId = Number(/(\d+)$/.exec(page.url())![1])
    const review = await db.collectionReview.findUniqueOrThrow({ where: { id: reviewId } })
    await expect.poll(async () => (await db.collectionReview.findUniqueOrThrow({ where: { id: reviewId } })).status, { timeout: 20_000 }).toBe('IN_REVIEW')
    const analyst = await createStaff(db, 'CVIP_ANALYST')
    await app.container.collectionReview.release(review.reportId, { reason: 'One file shows a child identified in 2024; contact CVIP for the identifying agency.' }, { id: analyst.id, email: analyst.email, origin: TEST_ORIGIN })
    await page.reload()
    expect(await page.textContent('main')).toContain('Notes from CVIP')
    await checkPage(page, 'portal-collection-review-released')

    await page.click('text=All my reports')
    await checkPage(page, 'portal-my-reports')
  })
})
