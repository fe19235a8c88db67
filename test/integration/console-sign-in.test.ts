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
      expect(response.status).toBe(401) // the sign-in page again, with its error
      expect(await response.text()).toContain('invalidCredentials')
      const api = await client.get('/admin/api/resources/Report/actions/list')
      expect(api.status).toBe(302)
    }
    const failures = await app.container.db.auditEvent.count({ where: { action: 'staff.sign_in', outcome: 'FAILURE' } })
    expect(failures).toBe(3)
    const staff = await app.container.db.staffUser.findUniqueOrThrow({ where: { email } })
    expect(staff.failedSignInCount).toBe(1)
  })

  it('signs in with the right password and code: an httpOnly, sameSite=strict cookie and a working API', async () => {
    const client = consoleClient(app.baseUrl)
    const response = await client.signIn(email.toUpperCase(), TEST_PASSWORD)
    expect(response.status).toBe(303)
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
    const response = await fetch(`${app.baseUrl}/admin/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: staff.email, password: TEST_PASSWORD }),
      redirect: 'manual',
      headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded', origin: app.baseUrl.replace('http:', 'https:') },
    })
    expect(sessionCookieFrom(response)).toBeDefined()
    expect(response.headers.getSetCookie().find((c) => c.startsWith('tt.console='))).toMatch(/; Secure/)
  })
})

describe('one-time passwords', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp()
  })
  afterAll(() => app.close())

  it('keeps a user who signed in with one on the change-password page until they choose their own', async () => {
    const { oneTimePassword } = await app.container.staff.createStaffUser({ email: 'new.person@staff.example.com', name: 'New Person', role: 'TRIAGE' })
    const client = consoleClient(app.baseUrl)
    // No second factor yet: the sign-in enrols one and shows the recovery codes first.
    const signedIn = await client.signIn('new.person@staff.example.com', oneTimePassword)
    expect(signedIn.headers.get('location')).toBe('/admin/mfa/recovery-codes')

    const home = await client.get('/admin')
    expect(home.status).toBe(302)
    expect(home.headers.get('location')).toBe('/admin/change-password')
    const api = await client.get('/admin/api/resources/Report/actions/list')
    expect(api.status).toBe(403)
    expect((await api.json()).error.message).toMatch(/Choose your own password first/)
    const form = await client.get('/admin/change-password')
    expect(form.status).toBe(200)
    expect(await form.text()).toContain('<label for="next">New password</label>')

    const change = (fields: Record<string, string>) =>
      fetch(`${app.baseUrl}/admin/change-password`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: client.cookie!, 'content-type': 'application/x-www-form-urlencoded', origin: app.baseUrl },
        body: new URLSearchParams(fields),
      })
    const wrongCurrent = await change({ current: 'not it at all', next: 'my own good password', confirm: 'my own good password' })
    expect(wrongCurrent.status).toBe(400)
    expect(await wrongCurrent.text()).toContain('The current password is wrong')
    const tooShort = await change({ current: oneTimePassword, next: 'short', confirm: 'short' })
    expect(await tooShort.text()).toContain('at least 12 characters')
    const differ = await change({ current: oneTimePassword, next: 'my own good password', confirm: 'my own good passw0rd' })
    expect(await differ.text()).toContain('The two new passwords differ')
    const crossSite = await fetch(`${app.baseUrl}/admin/change-password`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: client.cookie!, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example.com' },
      body: new URLSearchParams({ current: oneTimePassword, next: 'my own good password', confirm: 'my own good password' }),
    })
    expect(crossSite.status).toBe(403)

    const before = client.cookie
    const done = await change({ current: oneTimePassword, next: 'my own good password', confirm: 'my own good password' })
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe('/admin')
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith('tt.console='))!.split(';')[0]!
    expect(cookie).not.toBe(before)
    client.cookie = cookie
    expect((await client.get('/admin/api/resources/Report/actions/list')).status).toBe(200)

    const user = await app.container.db.staffUser.findUniqueOrThrow({ where: { email: 'new.person@staff.example.com' } })
    expect(user.mustChangePassword).toBe(false)
    expect(await app.container.db.auditEvent.count({ where: { action: 'staff.password_change', outcome: 'SUCCESS' } })).toBe(1)
    expect(await app.container.db.auditEvent.count({ where: { action: 'staff.password_change', outcome: 'FAILURE' } })).toBe(2)

    // The one-time password is spent.
    const again = consoleClient(app.baseUrl)
    expect((await again.signIn('new.person@staff.example.com', oneTimePassword)).status).toBe(401)
  })
})

describe('a session follows its account', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp()
  })
  afterAll(() => app.close())

  it('ends at once when the account is disabled, and takes a new role on the next request', async () => {
    const user = await createStaff(app.container.db, 'SUPERVISOR')
    const client = consoleClient(app.baseUrl)
    await client.signIn(user.email, TEST_PASSWORD)
    expect((await client.json('/admin/api/resources/StaffUser/actions/list')).records.length).toBeGreaterThan(0)

    await app.container.db.staffUser.update({ where: { id: user.id }, data: { role: 'TRIAGE' } })
    const demoted = await client.json('/admin/api/resources/StaffUser/actions/list')
    expect(demoted.notice.message).toBe('forbiddenError')

    await app.container.db.staffUser.update({ where: { id: user.id }, data: { isActive: false } })
    const disabled = await client.get('/admin/api/resources/Report/actions/list')
    expect(disabled.status).toBe(401)
    await app.container.db.staffUser.update({ where: { id: user.id }, data: { isActive: true } })
    expect((await client.get('/admin/api/resources/Report/actions/list')).status).toBe(302) // the session is gone for good
  })
})
