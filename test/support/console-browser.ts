// A staff member signed in to the console in a real browser: the password, then the code the
// tests' authenticator shows.
import type { Browser, Page } from 'playwright-core'
import { TEST_PASSWORD } from '../factories/staff.js'
import { nextTotpCode } from './totp.js'

export async function consoleInBrowser(browser: Browser, baseUrl: string, email: string, viewport = { width: 1300, height: 1400 }): Promise<Page> {
  const page = await browser.newPage({ viewport })
  await page.goto(`${baseUrl}/admin/login`)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', TEST_PASSWORD)
  await page.click('form button')
  await page.waitForURL(`${baseUrl}/admin/mfa`)
  await page.fill('#code', await nextTotpCode(email))
  await page.click('form button')
  await page.waitForURL(`${baseUrl}/admin`)
  return page
}
