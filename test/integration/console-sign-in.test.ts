import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { consoleClient, sessionCookieFrom } from '../support/console-client.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'

describe('console sign-in', () => {
  let app: TestApp
  let email: string

  beforeAll(async () => {
    app = await startTestApp()
    email = (await createStaff(app.container.db, 'TRIAGE')).email
  })
  afterAll(() => app.close())

  it('sends a visitor without a session to the sign-in page, for pages and API alike', async () => {
    const client = consoleClient(app.baseUrl)
    for (const path of ['/admin', '/admin/api/resources/Report/actions/list']) {
      const response = await client.get(path)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/admin/login')
    }
  })

  it('gives no session for a wrong password, an unknown email or a disabled account, and records each', async () => {
    const disabled = await createStaff(app.container.db, 'TRIAGE', { isActive: false })
    for (const [who, password] of [[email, 'wrong password!'], ['nobody@staff.example.com', TEST_PASSWORD], [disabled.email, TEST_PASSWORD]] as const) {
      const client = consoleClient(app.baseUrl)
      const response = await client.signIn(who, password)
      expect(response.status).toBe(200) // the sign-in page again, with its error
      expect(await response.text()).toContain('invalidCredentials')
      const api = await client.get('/admin/api/resources/Report/actions/list')
      expect(api.status).toBe(302)
    }
    const failures = await app.container.db.auditEvent.count({ where: { action: 'staff.sign_in', outcome: 'FAILURE' } })
    expect(failures).toBe(3)
    const staff = await app.container.db.staffUser.findUniqueOrThrow({ where: { email } })
    expect(staff.failedSignInCount).toBe(1)
  })

  it('signs in with the right password: an httpOnly, sameSite=strict cookie and a working API', async () => {
    const client = consoleClient(app.baseUrl)
    const response = await client.signIn(email.toUpperCase(), TEST_PASSWORD)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/admin')
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tt.console='))!
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    expect(cookie).toMatch(/; Path=\/admin/)
    expect(cookie).not.toMatch(/; Secure/) // plain HTTP in tests; production sets it (below)
    const list = await client.json('/admin/api/resources/Report/actions/list')
    expect(list.meta).toBeDefined()
    expect(await app.container.db.auditEvent.count({ where: { action: 'staff.sign_in', outcome: 'SUCCESS' } })).toBe(1)
  })

  it('issues a new session id at sign-in, so a session id planted before is worthless', async () => {
    // The attacker's own valid session id, planted in the victim's browser before sign-in.
    const attacker = await createStaff(app.container.db, 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signIn(attacker.email, TEST_PASSWORD)
    const before = client.cookie
    expect(before).toMatch(/^tt\.console=/)
    await client.signIn(email, TEST_PASSWORD)
    expect(client.cookie).toMatch(/^tt\.console=/)
    expect(client.cookie).not.toBe(before)

    // The planted id was destroyed, not upgraded to the victim's session.
    const planted = consoleClient(app.baseUrl)
    planted.cookie = before
    expect((await planted.get('/admin/api/resources/Report/actions/list')).status).toBe(302)
  })

  it('keeps sessions in PostgreSQL and ends them at sign-out', async () => {
    const client = consoleClient(app.baseUrl)
    await client.signIn(email, TEST_PASSWORD)
    const sid = decodeURIComponent(client.cookie!.split('=')[1]!).slice(2).split('.')[0]!
    expect(await app.container.db.consoleSession.count({ where: { sid } })).toBe(1)
    await client.get('/admin/logout')
    expect(await app.container.db.consoleSession.count({ where: { sid } })).toBe(0)
    expect((await client.get('/admin/api/resources/Report/actions/list')).status).toBe(302)
  })
})

describe('console sign-in in production', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ SESSION_COOKIE_SECURE: 'true', TRUST_PROXY_HOPS: '1' })
  })
  afterAll(() => app.close())

  it('marks the session cookie Secure behind a TLS-terminating proxy', async () => {
    const staff = await createStaff(app.container.db, 'ADMIN')
    const body = new FormData()
    body.append('email', staff.email)
    body.append('password', TEST_PASSWORD)
    const response = await fetch(`${app.baseUrl}/admin/login`, {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(sessionCookieFrom(response)).toBeDefined()
    expect(response.headers.getSetCookie().find((c) => c.startsWith('tt.console='))).toMatch(/; Secure/)
  })
})
