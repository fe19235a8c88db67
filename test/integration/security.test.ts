// The security bar (../shared/domain/security-bar.md), item by item, through the real HTTP
// routes: MFA, lockout, session limits, session ids, CSRF, headers, the per-address limit,
// audit of reads. The README's "Security" section maps each test to its item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { testClock } from '../support/clock.js'
import { consoleClient } from '../support/console-client.js'
import { nextTotpCode, totpSecretOf } from '../support/totp.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { STAFF_ROLES } from '../../src/admin/access.js'
import { totpCode } from '../../src/modules/auth/totp.js'

let app: TestApp
const clock = testClock()
const LIST = '/admin/api/resources/Report/actions/list'

beforeAll(async () => {
  app = await startTestApp({}, { clock })
})
afterAll(() => app.close())

const db = () => app.container.db
// The body is read to its end: express-session saves a changed session before it ends the body,
// so the next request sees what this one recorded (lastSeenAt).
const signedIn = (client: ReturnType<typeof consoleClient>) => client.get(LIST).then(async (r) => (await r.text(), r.status === 200))

describe('MFA (CJIS IA-2(1)(2), IA-5(1); ASVS V2.8.1)', () => {
  it.each(STAFF_ROLES)('grants a %s no session for the password alone', async (role) => {
    const staff = await createStaff(db(), role)
    const client = consoleClient(app.baseUrl)
    const password = await client.signInPassword(staff.email, TEST_PASSWORD)
    expect(password.headers.get('location')).toBe('/admin/mfa')
    expect(await signedIn(client)).toBe(false)
    expect((await client.get('/admin')).headers.get('location')).toBe('/admin/login')
    await client.postForm('/admin/mfa', { code: await nextTotpCode(staff.email) })
    expect(await signedIn(client)).toBe(true)
  })

  it('refuses a code used once already, and a wrong one', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const code = await totpCode(totpSecretOf(staff.email)!, clock.now())
    const first = consoleClient(app.baseUrl)
    await first.signInPassword(staff.email, TEST_PASSWORD)
    expect((await first.postForm('/admin/mfa', { code })).headers.get('location')).toBe('/admin')
    const replay = consoleClient(app.baseUrl)
    await replay.signInPassword(staff.email, TEST_PASSWORD)
    const refused = await replay.postForm('/admin/mfa', { code })
    expect(refused.status).toBe(401)
    expect(await refused.text()).toContain('it was used already')
    expect(await signedIn(replay)).toBe(false)
    const wrong = await replay.postForm('/admin/mfa', { code: '000000' })
    expect(wrong.status).toBe(401)
    const events = await db().auditEvent.findMany({ where: { action: 'mfa.verify', actorId: String(staff.id) }, orderBy: { id: 'asc' } })
    expect(events.map((e) => e.outcome)).toEqual(['SUCCESS', 'FAILURE', 'FAILURE'])
  })

  it('enrols a staff member without a second factor before the first session, with ten single-use recovery codes', async () => {
    const staff = await createStaff(db(), 'SUPERVISOR', { mfa: false })
    const client = consoleClient(app.baseUrl)
    const done = await client.signIn(staff.email, TEST_PASSWORD)
    expect(done.headers.get('location')).toBe('/admin/mfa/recovery-codes')
    const page = await (await client.get('/admin/mfa/recovery-codes')).text()
    const codes = [...page.matchAll(/<li>([A-Z0-9]{5}-[A-Z0-9]{5})<\/li>/g)].map((m) => m[1]!)
    expect(codes).toHaveLength(10)
    // Shown once.
    expect((await client.get('/admin/mfa/recovery-codes')).headers.get('location')).toBe('/admin')
    const stored = await db().staffUser.findUniqueOrThrow({ where: { id: staff.id } })
    expect(stored.mfaSecret).toMatch(/^v1:/)
    expect(stored.mfaSecret).not.toContain(totpSecretOf(staff.email)!)
    expect(stored.mfaRecoveryCodes).toHaveLength(10)
    expect(stored.mfaRecoveryCodes.join()).not.toContain(codes[0]!.replace('-', ''))

    const lostPhone = consoleClient(app.baseUrl)
    await lostPhone.signInPassword(staff.email, TEST_PASSWORD)
    expect((await lostPhone.postForm('/admin/mfa', { code: codes[3]!.toLowerCase() })).headers.get('location')).toBe('/admin')
    const again = consoleClient(app.baseUrl)
    await again.signInPassword(staff.email, TEST_PASSWORD)
    expect((await again.postForm('/admin/mfa', { code: codes[3]! })).status).toBe(401)
  })

  it('lets the password step open only a short window for the code', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signInPassword(staff.email, TEST_PASSWORD)
    clock.advance(5 * 60_000 + 1000)
    try {
      const late = await client.postForm('/admin/mfa', { code: await nextTotpCode(staff.email, clock.now()) })
      expect(late.status).toBe(401)
      expect(await signedIn(client)).toBe(false)
    } finally {
      clock.advance(-(5 * 60_000 + 1000))
    }
  })
})

describe('a lost second factor (CJIS IA-5-n: re-proofing, then a new enrolment)', () => {
  it("lets an administrator reset it with the identity check recorded: sessions end and the next sign-in enrols anew", async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const device = consoleClient(app.baseUrl)
    await device.signIn(staff.email, TEST_PASSWORD)
    const admin = consoleClient(app.baseUrl)
    await admin.signIn((await createStaff(db(), 'ADMIN')).email, TEST_PASSWORD)
    const vague = await admin.json(`/admin/api/resources/StaffUser/records/${staff.id}/resetMfa`, { reason: 'asked' })
    expect(vague.notice).toMatchObject({ type: 'error', message: expect.stringContaining('how the owner was identified') })
    const shown = await admin.json(`/admin/api/resources/StaffUser/records/${staff.id}/show`)
    expect(shown.record.params).not.toHaveProperty('mfaSecret')
    expect(Object.keys(shown.record.params).some((k) => k.startsWith('mfaRecoveryCodes'))).toBe(false)
    const reset = await admin.json(`/admin/api/resources/StaffUser/records/${staff.id}/resetMfa`, { reason: 'Identified in person at the front desk, badge checked.' })
    expect(reset.notice).toMatchObject({ type: 'success' })
    expect(await signedIn(device)).toBe(false)
    expect(await db().auditEvent.count({ where: { action: 'mfa.reset', objectId: String(staff.id) } })).toBe(1)
    const again = consoleClient(app.baseUrl)
    expect((await again.signIn(staff.email, TEST_PASSWORD)).headers.get('location')).toBe('/admin/mfa/recovery-codes')
  })
})

describe('lockout (CJIS AC-7: 5 failures within 15 minutes, until an administrator unlocks)', () => {
  const fail = (email: string) => consoleClient(app.baseUrl).signInPassword(email, 'not the password at all')

  it('locks at exactly the fifth failure, not the fourth, and the right password then gets the same answer as a wrong one', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    for (let i = 0; i < 4; i++) await fail(staff.email)
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: staff.id } })).lockedAt).toBeNull()
    const fourth = consoleClient(app.baseUrl)
    expect((await fourth.signIn(staff.email, TEST_PASSWORD)).headers.get('location')).toBe('/admin')

    // A success starts the count again: five more failures lock.
    for (let i = 0; i < 5; i++) await fail(staff.email)
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: staff.id } })).lockedAt).not.toBeNull()
    const right = await consoleClient(app.baseUrl).signInPassword(staff.email, TEST_PASSWORD)
    const wrong = await consoleClient(app.baseUrl).signInPassword(staff.email, 'not the password at all')
    const unknown = await consoleClient(app.baseUrl).signInPassword('nobody.here@staff.example.com', TEST_PASSWORD)
    expect([right.status, wrong.status, unknown.status]).toEqual([401, 401, 401])
    const [a, b, c] = await Promise.all([right.text(), wrong.text(), unknown.text()])
    const stripped = (html: string) => html.replace(/"[^"]*@staff\.example\.com"/g, '')
    expect(stripped(a)).toBe(stripped(b))
    expect(stripped(b)).toBe(stripped(c))
    expect(await db().auditEvent.count({ where: { action: 'staff.lock', objectId: String(staff.id) } })).toBe(1)
  })

  it('alerts the security officer once per lock (password, second factor, officer), naming the account and nothing else', async () => {
    const alerts = (kind: string, id: number) =>
      db().notification.findMany({ where: { kind: 'ACCOUNT_LOCKED', data: { path: ['consoleUrl'], string_ends_with: `/${kind}/records/${id}/show` } } })
    const staff = await createStaff(db(), 'TRIAGE')
    for (let i = 0; i < 4; i++) await fail(staff.email)
    expect(await alerts('StaffUser', staff.id)).toEqual([])
    // The fifth locks; more failures on the locked account add no alert.
    for (let i = 0; i < 7; i++) await fail(staff.email)
    const [alert, ...more] = await alerts('StaffUser', staff.id)
    expect(more).toEqual([])
    expect(alert).toMatchObject({ channel: 'IMMEDIATE', recipient: app.container.config.contacts.security, template: 'account-locked', status: 'PENDING', priority: 'P2' })
    expect(alert!.data).toMatchObject({ account: 'staff account', accountId: staff.id, failures: 5, windowMinutes: 15, factor: 'password' })
    expect(JSON.stringify(alert!.data)).not.toContain(staff.email)
    const { renderEmail } = await import('../../src/modules/notifications/templates.js')
    expect(renderEmail('account-locked', alert!.data).subject).toBe(`[SECURITY] Staff account ${staff.id} locked after failed sign-ins`)

    // Unlocked and locked again: another lock, another alert.
    await db().staffUser.update({ where: { id: staff.id }, data: { lockedAt: null, recentFailedSignIns: [] } })
    clock.advance(1000)
    try {
      for (let i = 0; i < 5; i++) await fail(staff.email)
    } finally {
      clock.advance(-1000)
    }
    expect(await alerts('StaffUser', staff.id)).toHaveLength(2)

    // Wrong second-factor codes lock too, and say so.
    const other = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signInPassword(other.email, TEST_PASSWORD)
    for (let i = 0; i < 5; i++) await client.postForm('/admin/mfa', { code: '123456' })
    expect((await alerts('StaffUser', other.id)).map((n) => n.data)).toMatchObject([{ factor: 'second factor' }])

    // An officer's account on the portal.
    const { signedInOfficer } = await import('../factories/registrations.js')
    const { portalClient } = await import('../support/portal-client.js')
    const { registration } = await signedInOfficer(db(), app.baseUrl, { now: clock.now() })
    for (let i = 0; i < 5; i++) await portalClient(app.baseUrl).post('/portal/sign-in', { email: registration.officialEmail, password: 'not the password at all' })
    expect((await db().officerRegistration.findUniqueOrThrow({ where: { id: registration.id } })).lockedAt).not.toBeNull()
    expect((await alerts('OfficerRegistration', registration.id)).map((n) => n.data)).toMatchObject([{ account: 'officer account', accountId: registration.id, factor: 'password' }])
    expect(await db().auditEvent.count({ where: { action: 'officer.lock', objectId: String(registration.id) } })).toBe(1)
  })

  it('counts only failures within the window', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    for (let i = 0; i < 4; i++) await fail(staff.email)
    clock.advance(15 * 60_000 + 1000)
    try {
      await fail(staff.email)
      expect((await db().staffUser.findUniqueOrThrow({ where: { id: staff.id } })).lockedAt).toBeNull()
    } finally {
      clock.advance(-(15 * 60_000 + 1000))
    }
  })

  it('counts wrong second-factor codes as failures too', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signInPassword(staff.email, TEST_PASSWORD)
    for (let i = 0; i < 5; i++) await client.postForm('/admin/mfa', { code: '123456' })
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: staff.id } })).lockedAt).not.toBeNull()
    expect((await client.postForm('/admin/mfa', { code: await nextTotpCode(staff.email) })).status).toBe(401)
  })

  it('is lifted only by an administrator, with a reason, audited', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    for (let i = 0; i < 5; i++) await fail(staff.email)
    const supervisor = consoleClient(app.baseUrl)
    await supervisor.signIn((await createStaff(db(), 'SUPERVISOR')).email, TEST_PASSWORD)
    const refused = await supervisor.json(`/admin/api/resources/StaffUser/records/${staff.id}/unlock`, { reason: 'it was me' })
    expect(refused.record?.baseError?.type ?? refused.notice?.message).toMatch(/Forbidden|forbidden/)

    const admin = consoleClient(app.baseUrl)
    await admin.signIn((await createStaff(db(), 'ADMIN')).email, TEST_PASSWORD)
    const noReason = await admin.json(`/admin/api/resources/StaffUser/records/${staff.id}/unlock`, { reason: '' })
    expect(noReason.notice).toMatchObject({ type: 'error' })
    const unlocked = await admin.json(`/admin/api/resources/StaffUser/records/${staff.id}/unlock`, { reason: 'Confirmed by phone: the owner mistyped.' })
    expect(unlocked.notice).toMatchObject({ type: 'success' })
    expect(await db().auditEvent.count({ where: { action: 'staff.unlock', objectId: String(staff.id) } })).toBe(1)
    expect((await consoleClient(app.baseUrl).signIn(staff.email, TEST_PASSWORD)).headers.get('location')).toBe('/admin')
  })
})

describe('sessions (CJIS AC-11, IA-5-j-10/11, IA-5-o; ASVS V3.2, V3.3)', () => {
  it('ends a session idle for more than 30 minutes, on the server', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signIn(staff.email, TEST_PASSWORD)
    clock.advance(29 * 60_000)
    try {
      expect(await signedIn(client)).toBe(true)
      clock.advance(30 * 60_000 + 1000)
      const late = await client.get(LIST)
      expect(late.status).toBe(401)
      expect((await late.json()).error.message).toMatch(/timed out/)
    } finally {
      clock.advance(-(59 * 60_000 + 1000))
    }
  })

  it('ends an active session after 12 hours', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signIn(staff.email, TEST_PASSWORD)
    let moved = 0
    try {
      while (moved + 25 < 12 * 60) {
        clock.advance(25 * 60_000)
        moved += 25
        expect(await signedIn(client)).toBe(true)
      }
      clock.advance(25 * 60_000)
      moved += 25
      expect((await client.get(LIST)).status).toBe(401)
    } finally {
      clock.advance(-moved * 60_000)
    }
  })

  it('issues a new session id at the password step and again at the second factor', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.get('/admin/login')
    await client.signInPassword(staff.email, TEST_PASSWORD)
    const afterPassword = client.cookie
    await client.postForm('/admin/mfa', { code: await nextTotpCode(staff.email) })
    expect(client.cookie).not.toBe(afterPassword)
    const half = consoleClient(app.baseUrl)
    half.cookie = afterPassword
    expect(await signedIn(half)).toBe(false)
  })

  it("ends every session of an account at once on an administrator's order, audited", async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const laptop = consoleClient(app.baseUrl)
    const desktop = consoleClient(app.baseUrl)
    await laptop.signIn(staff.email, TEST_PASSWORD)
    await desktop.signIn(staff.email, TEST_PASSWORD)
    const admin = consoleClient(app.baseUrl)
    await admin.signIn((await createStaff(db(), 'ADMIN')).email, TEST_PASSWORD)
    const ended = await admin.json(`/admin/api/resources/StaffUser/records/${staff.id}/endSessions`, { reason: 'Laptop reported stolen.' })
    expect(ended.notice).toMatchObject({ type: 'success', message: 'Ended 2 sessions.' })
    expect(await signedIn(laptop)).toBe(false)
    expect(await signedIn(desktop)).toBe(false)
    expect(await signedIn(admin)).toBe(true)
  })
})

describe('CSRF and headers (ASVS V3.4, V50; AdminJS #1447)', () => {
  it('refuses a state-changing console request from another site, or with no origin at all', async () => {
    const client = consoleClient(app.baseUrl)
    await client.signIn((await createStaff(db(), 'ADMIN')).email, TEST_PASSWORD)
    const path = '/admin/api/resources/Agency/actions/new'
    const form = { name: 'Cross Site Agency', kind: 'LOCAL', state: 'CA', country: 'US' }
    expect((await client.post(path, form, { origin: 'https://evil.example.net' })).status).toBe(403)
    expect((await client.post(path, form, { origin: null })).status).toBe(403)
    expect(await db().agency.count({ where: { name: 'Cross Site Agency' } })).toBe(0)
    expect((await client.post(path, form)).status).toBe(200)
    expect(await db().agency.count({ where: { name: 'Cross Site Agency' } })).toBe(1)
  })

  it('sends security headers and no framework banner', async () => {
    const console = await fetch(`${app.baseUrl}/admin/login`)
    expect(console.headers.get('x-powered-by')).toBeNull()
    expect(console.headers.get('x-content-type-options')).toBe('nosniff')
    expect(console.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(console.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(console.headers.get('content-security-policy')).toContain("object-src 'none'")
    const portal = await fetch(`${app.baseUrl}/portal/sign-in`)
    expect(portal.headers.get('content-security-policy')).toContain("default-src 'none'")
    const missing = await fetch(`${app.baseUrl}/no/such/route`)
    expect(await missing.text()).not.toMatch(/at .*\.(ts|js):\d+/)
  })
})

describe('per-address limit on sign-in (ASVS V2.2.1, V6.1.1: against guessing and mass lockout)', () => {
  let limited: TestApp
  beforeAll(async () => {
    limited = await startTestApp({ AUTH_RATE_PER_IP: '3' })
    // The count lives in Redis: wait until the app's connection is up (until then it lets requests through).
    for (let i = 0; i < 100 && limited.container.redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 20))
  })
  afterAll(() => limited.close())

  it('refuses the fourth sign-in attempt from one address within the window', async () => {
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await consoleClient(limited.baseUrl).signInPassword(`guess${i}@staff.example.com`, 'guess guess guess')).status)
    expect(statuses).toEqual([401, 401, 401, 429])
    const portal = await fetch(`${limited.baseUrl}/portal/sign-in`, { method: 'POST', body: new URLSearchParams({ email: 'x@tf.example.com', password: 'y' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect([401, 429]).toContain(portal.status)
  })
})

describe('audit of reads (CJIS AU-2, AU-3)', () => {
  it('records each report shown and each list page with the ids it returned, the viewer and the address', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signIn(staff.email, TEST_PASSWORD)
    const report = await db().report.create({ data: { source: 'PUBLIC', status: 'TRIAGED', incidentType: 'ONLINE_ENTICEMENT', incidentAt: new Date(), receivedAt: new Date(), queue: 'CYBERTIPLINE', priority: 'P2' } })
    await client.json(`/admin/api/resources/Report/records/${report.id}/show`)
    await client.json(`${LIST}?filters.priority=P2`)
    const shown = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.view', objectId: String(report.id) } })
    expect(shown).toMatchObject({ actorType: 'STAFF', actorId: String(staff.id), actorLabel: staff.email, outcome: 'SUCCESS', sourceIp: expect.stringMatching(/127\.0\.0\.1/) })
    expect(shown.sessionId).toMatch(/^[0-9a-f]{16}$/)
    const listed = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.list', actorId: String(staff.id) }, orderBy: { id: 'desc' } })
    expect((listed.details as { reportIds: number[] }).reportIds).toContain(report.id)
    expect(listed.sourceIp).toMatch(/127\.0\.0\.1/)
    expect(listed.sessionId).toBe(shown.sessionId)
  })

  it("records an analyst's attempt to open another team's report as DENIED, and shows nothing", async () => {
    const analyst = await createStaff(db(), 'CYBERTIP_ANALYST')
    const client = consoleClient(app.baseUrl)
    await client.signIn(analyst.email, TEST_PASSWORD)
    const cvip = await db().report.create({ data: { source: 'PUBLIC', status: 'TRIAGED', incidentType: 'ONLINE_ENTICEMENT', incidentAt: new Date(), receivedAt: new Date(), queue: 'CVIP', priority: 'P2' } })
    const shown = await client.json(`/admin/api/resources/Report/records/${cvip.id}/show`)
    expect(shown.record.params).toEqual({})
    const denied = await db().auditEvent.findFirstOrThrow({ where: { action: 'Report.out_of_scope', objectId: String(cvip.id) } })
    expect(denied).toMatchObject({ actorId: String(analyst.id), outcome: 'DENIED', sourceIp: expect.stringMatching(/127\.0\.0\.1/), sessionId: expect.stringMatching(/^[0-9a-f]{16}$/) })
  })

  it('records where each change came from: a console action, a console sign-in and a portal sign-in, each with its own session', async () => {
    const staff = await createStaff(db(), 'TRIAGE')
    const client = consoleClient(app.baseUrl)
    await client.signIn(staff.email, TEST_PASSWORD)
    const signedIn = await db().auditEvent.findFirstOrThrow({ where: { action: 'staff.sign_in', actorId: String(staff.id), outcome: 'SUCCESS' }, orderBy: { id: 'desc' } })
    expect(signedIn.sourceIp).toMatch(/127\.0\.0\.1/)
    const report = await db().report.create({ data: { source: 'PUBLIC', status: 'TRIAGED', incidentType: 'ONLINE_ENTICEMENT', incidentAt: new Date(), receivedAt: new Date(), queue: 'CYBERTIPLINE', priority: 'P3' } })
    await client.json(`/admin/api/resources/Report/records/${report.id}/show`)
    const answer = await client.json(`/admin/api/resources/Report/records/${report.id}/changePriority`, { priority: 'P2', reason: 'The account also messaged a second child' })
    expect(answer.notice.type).toBe('success')
    const shown = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.view', objectId: String(report.id) } })
    const changed = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.change_priority', objectId: String(report.id) } })
    expect(changed).toMatchObject({ actorId: String(staff.id), sourceIp: expect.stringMatching(/127\.0\.0\.1/), sessionId: shown.sessionId })
    expect(changed.sessionId).toMatch(/^[0-9a-f]{16}$/)

    // Another browser, another session: its events name its own.
    const other = consoleClient(app.baseUrl)
    await other.signIn(staff.email, TEST_PASSWORD)
    await other.json(`/admin/api/resources/Report/records/${report.id}/show`)
    const again = await db().auditEvent.findFirstOrThrow({ where: { action: 'report.view', objectId: String(report.id) }, orderBy: { id: 'desc' } })
    expect(again.sessionId).toMatch(/^[0-9a-f]{16}$/)
    expect(again.sessionId).not.toBe(shown.sessionId)

    const email = `nobody.${Date.now()}@tf.example.com`
    await fetch(`${app.baseUrl}/portal/sign-in`, { method: 'POST', body: new URLSearchParams({ email, password: 'not the password' }), headers: { origin: app.baseUrl } })
    const portal = await db().auditEvent.findFirstOrThrow({ where: { action: 'officer.sign_in', actorLabel: email } })
    expect(portal).toMatchObject({ outcome: 'FAILURE', sourceIp: expect.stringMatching(/127\.0\.0\.1/) })
  })

  it('records each registration shown and each page of registrations listed', async () => {
    const staff = await createStaff(db(), 'SUPERVISOR')
    const client = consoleClient(app.baseUrl)
    await client.signIn(staff.email, TEST_PASSWORD)
    const listing = await client.json('/admin/api/resources/OfficerRegistration/actions/list?filters.kind=OFFICER')
    const listed = await db().auditEvent.findFirstOrThrow({ where: { action: 'OfficerRegistration.list', actorId: String(staff.id) }, orderBy: { id: 'desc' } })
    expect((listed.details as { ids: string[] }).ids).toEqual(listing.records.map((r: { id: string }) => String(r.id)))
    expect((listed.details as { query: Record<string, string> }).query).toMatchObject({ 'filters.kind': 'OFFICER' })
  })
})
