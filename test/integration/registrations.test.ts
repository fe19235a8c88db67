import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ParsedMail } from 'mailparser'
import { startTestApp, type TestApp } from '../support/app.js'
import { linkIn, mailTo as waitForMail, mailsTo as mailsOf, startTestSmtp, type TestSmtp } from '../support/smtp.js'
import { testClock } from '../support/clock.js'
import { portalClient, textOf, type PortalClient } from '../support/portal-client.js'
import { consoleClient, type ConsoleClient } from '../support/console-client.js'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { sweepOfficerAccounts } from '../../jobs/sweep-officer-accounts.job.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { APPLICANT_PASSWORD, registrationForm } from '../factories/registrations.js'
import { commonPasswordProblem } from '../../src/modules/registrations/common-passwords.js'

let app: TestApp
let smtp: TestSmtp
let workers: RunningWorkers
const clock = testClock()
const DAY = 24 * 3600_000

beforeAll(async () => {
  smtp = await startTestSmtp()
  app = await startTestApp({ SMTP_URL: smtp.url, OUTBOX_RELAY_INTERVAL_MS: '100', SMTP_RATE_PER_SECOND: '1000' }, { clock })
  workers = startWorkers(app.container)
})
afterAll(async () => {
  await workers.close()
  await app.close()
  await smtp.close()
})

const db = () => app.container.db
const portal = () => portalClient(app.baseUrl)

/** Waits for the one email to `to` whose subject matches, and returns it. */
const mailTo = (to: string, subject: RegExp) => waitForMail(smtp, to, subject, { timeout: 15_000 })
const mailsTo = (to: string, subject: RegExp) => mailsOf(smtp, to, subject)
const tokenIn = (mail: ParsedMail) => new URL(linkIn(mail)).searchParams.get('token')!

/** Applies, confirms the email link, and returns the registration id and the applicant's form. */
async function confirmedApplicant(overrides: Record<string, string> = {}) {
  const form = await registrationForm(db(), overrides)
  const client = portal()
  expect((await client.post('/portal/register', form)).status).toBe(303)
  const mail = await mailTo(form.officialEmail!, /Confirm your email address/)
  expect((await client.post('/portal/confirm-email', { token: tokenIn(mail) })).status).toBe(200)
  const registration = await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })
  return { id: registration.id, form }
}

async function staffClient(role: 'ADMIN' | 'SUPERVISOR' | 'TRIAGE'): Promise<{ client: ConsoleClient; id: number }> {
  const staff = await createStaff(db(), role)
  const client = consoleClient(app.baseUrl)
  await client.signIn(staff.email, TEST_PASSWORD, { now: clock.now() })
  return { client, id: staff.id }
}

const action = (client: ConsoleClient, id: number, name: string, fields: Record<string, string> = {}) =>
  client.json<{ notice?: { type: string; message: string }; record: { params: Record<string, unknown> } }>(
    `/admin/api/resources/OfficerRegistration/records/${id}/${name}`,
    fields,
  )

describe('portal registration', () => {
  it('files an application, emails a confirmation link and says what happens next', async () => {
    const form = await registrationForm(db())
    const client = portal()
    const response = await client.post('/portal/register', form)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/portal/registered')
    const next = textOf((await client.get('/portal/registered')).html)
    expect(next).toContain('Confirm your email address')
    expect(next).toContain('Our staff check your application')

    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })
    expect(registration).toMatchObject({ status: 'EMAIL_UNCONFIRMED', firstName: 'Jordan', kind: 'OFFICER', emailConfirmedAt: null })
    expect(registration.passwordHash).toMatch(/^\$argon2id\$/)
    const mail = await mailTo(form.officialEmail!, /Confirm your email address/)
    expect(linkIn(mail)).toMatch(/\/portal\/confirm-email\?token=/)
    expect(`${mail.text}`).not.toContain('Jordan')
    expect(await db().auditEvent.count({ where: { action: 'registration.apply', objectId: String(registration.id) } })).toBe(1)
  })

  it.each([
    ['firstName', '', 'Enter your first name'],
    ['lastName', ' ', 'Enter your last name'],
    ['kind', 'SHERIFF', 'Choose whether you are a law-enforcement officer or a prosecutor'],
    ['agency', '', 'Choose your agency'],
    ['agency', 'nonsense', 'Choose your agency from the list'],
    ['agency', '99999999', 'Choose your agency from the list'],
    ['badgeNumber', '<b>1', 'A badge or bar number has letters'],
    ['officialEmail', 'not-an-email', 'Enter your official email address in the form'],
    ['phone', '12', 'Enter a phone number with its area code'],
    ['supervisorName', '', "Enter your supervisor's name"],
    ['supervisorEmail', 'boss@', "Enter your supervisor's email address in the form"],
    ['password', 'short pass', 'at least 12 characters'],
    ['passwordConfirmation', 'something else entirely', 'The two passwords differ'],
  ])('refuses a bad %s (%j) with a message on the field, and stores nothing', async (field, value, message) => {
    const form = await registrationForm(db(), { [field]: value })
    const before = await db().officerRegistration.count()
    const response = await portal().post('/portal/register', form)
    expect(response.status).toBe(400)
    expect(textOf(response.html)).toContain(message)
    // The summary links to the field, and the field says it is invalid.
    expect(response.html).toContain(`href="#${field}"`)
    if (!['kind'].includes(field)) expect(response.html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`))
    expect(await db().officerRegistration.count()).toBe(before)
  })

  it('lists every problem at once, keeps what was typed but never the password', async () => {
    const form = await registrationForm(db(), { firstName: '', phone: 'x', password: 'password1234', passwordConfirmation: 'password1234' })
    const response = await portal().post('/portal/register', form)
    const text = textOf(response.html)
    expect(text).toContain('Enter your first name')
    expect(text).toContain('Enter a phone number')
    expect(text).toContain('commonly used passwords')
    expect(response.html).toContain(`value="${form.officialEmail}"`)
    expect(response.html).not.toContain('password1234')
  })

  it.each([
    ['password1234', 'commonly used'],
    ['Dragon2024!!!!', 'commonly used'],
    ['aaaaaaaaaaaaaa', 'repeated or sequential'],
    ['abcdefghijklmn', 'repeated or sequential'],
    ['123456789012', 'commonly used|repeated or sequential'],
  ])('refuses the common or patterned password %j', (password, problem) => {
    expect(commonPasswordProblem(password)).toMatch(new RegExp(problem))
  })

  it("refuses a password built on the applicant's own name", async () => {
    const form = await registrationForm(db(), { lastName: 'Quillfeather', password: 'quillfeather2026', passwordConfirmation: 'quillfeather2026' })
    const response = await portal().post('/portal/register', form)
    expect(textOf(response.html)).toContain('built on your name, email or agency')
  })

  it('accepts a long passphrase and a proposed agency', async () => {
    const form = await registrationForm(db(), { agency: 'other', proposedAgencyName: 'Example County Sheriff Office' })
    expect((await portal().post('/portal/register', form)).status).toBe(303)
    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })
    expect(registration).toMatchObject({ agencyId: null, proposedAgencyName: 'Example County Sheriff Office' })
  })

  it('refuses a second application with the same email, or the same badge number at the same agency', async () => {
    const form = await registrationForm(db())
    expect((await portal().post('/portal/register', form)).status).toBe(303)
    const sameEmail = await portal().post('/portal/register', { ...form, badgeNumber: 'OTHER-1' })
    expect(sameEmail.status).toBe(400)
    expect(textOf(sameEmail.html)).toContain('An application with this email address exists already')
    const sameBadge = await portal().post('/portal/register', { ...form, officialEmail: `other.${Date.now()}@tf.example.com`, badgeNumber: form.badgeNumber!.toLowerCase() })
    expect(sameBadge.status).toBe(400)
    expect(textOf(sameBadge.html)).toContain('badge or bar number at this agency exists already')
    // The same badge number at another agency is another officer.
    const other = await registrationForm(db(), { badgeNumber: form.badgeNumber! })
    expect((await portal().post('/portal/register', other)).status).toBe(303)
  })

  it('lets a new application replace one whose email was never confirmed and whose link has lapsed', async () => {
    const form = await registrationForm(db())
    await portal().post('/portal/register', form)
    expect((await portal().post('/portal/register', form)).status).toBe(400)
    clock.advance(25 * 3600_000)
    try {
      expect((await portal().post('/portal/register', { ...form, firstName: 'Jordan-Lee' })).status).toBe(303)
      const rows = await db().officerRegistration.findMany({ where: { officialEmail: form.officialEmail! } })
      expect(rows).toHaveLength(1)
      expect(rows[0]!.firstName).toBe('Jordan-Lee')
    } finally {
      clock.advance(-25 * 3600_000)
    }
  })

  it('refuses a registration form posted from another site', async () => {
    const form = await registrationForm(db())
    const response = await portal().post('/portal/register', form, { origin: 'https://evil.example.net' })
    expect(response.status).toBe(403)
    expect(await db().officerRegistration.count({ where: { officialEmail: form.officialEmail! } })).toBe(0)
  })

  it('renders a form that works without JavaScript, with a label for every field', async () => {
    const { html } = await portal().get('/portal/register')
    expect(html).not.toContain('<script')
    for (const field of ['firstName', 'lastName', 'agency', 'proposedAgencyName', 'badgeNumber', 'officialEmail', 'phone', 'supervisorName', 'supervisorEmail', 'password', 'passwordConfirmation']) {
      expect(html).toContain(`<label for="${field}">`)
    }
  })
})

describe('the email confirmation link', () => {
  it('works once: a GET only shows the button, the POST confirms, a second POST is refused', async () => {
    const form = await registrationForm(db())
    await portal().post('/portal/register', form)
    const mail = await mailTo(form.officialEmail!, /Confirm your email address/)
    const client = portal()
    const page = await client.get(`/portal/confirm-email?token=${tokenIn(mail)}`)
    expect(page.status).toBe(200)
    expect((await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })).status).toBe('EMAIL_UNCONFIRMED')

    const confirmed = await client.post('/portal/confirm-email', { token: tokenIn(mail) })
    expect(textOf(confirmed.html)).toContain('Your application is now with our staff')
    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })
    expect(registration.status).toBe('PENDING_REVIEW')
    expect(registration.emailConfirmedAt).not.toBeNull()

    const again = await client.post('/portal/confirm-email', { token: tokenIn(mail) })
    expect(again.status).toBe(410)
    expect(textOf(again.html)).toContain('This link has been used already')
    // The link left the outbox with the email.
    const row = await db().notification.findFirstOrThrow({ where: { recipient: form.officialEmail!, kind: 'EMAIL_CONFIRMATION' } })
    expect(row.status).toBe('SENT')
    expect(row.data).not.toHaveProperty('confirmUrl')
  })

  it('expires after 24 hours, and a new link can be asked for', async () => {
    const form = await registrationForm(db())
    await portal().post('/portal/register', form)
    const mail = await mailTo(form.officialEmail!, /Confirm your email address/)
    clock.advance(24 * 3600_000 + 60_000)
    try {
      const late = await portal().post('/portal/confirm-email', { token: tokenIn(mail) })
      expect(late.status).toBe(410)
      expect(textOf(late.html)).toContain('This link has expired')
      expect((await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })).status).toBe('EMAIL_UNCONFIRMED')

      await portal().post('/portal/resend-confirmation', { officialEmail: form.officialEmail! })
      await expect.poll(() => mailsTo(form.officialEmail!, /Confirm your email address/).length, { timeout: 15_000 }).toBe(2)
      const fresh = mailsTo(form.officialEmail!, /Confirm your email address/)[1]!
      expect((await portal().post('/portal/confirm-email', { token: tokenIn(fresh) })).status).toBe(200)
    } finally {
      clock.advance(-(24 * 3600_000 + 60_000))
    }
  })

  it('refuses a made-up token and staff never see an unconfirmed application', async () => {
    const response = await portal().post('/portal/confirm-email', { token: 'A'.repeat(43) })
    expect(response.status).toBe(410)
    expect(textOf(response.html)).toContain('This link is not valid')
    const form = await registrationForm(db())
    await portal().post('/portal/register', form)
    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { officialEmail: form.officialEmail! } })
    const { client } = await staffClient('SUPERVISOR')
    const shown = await client.json(`/admin/api/resources/OfficerRegistration/records/${registration.id}/show`)
    expect(shown.record.baseError).toMatchObject({ type: 'NotFoundError' })
    expect(shown.record.params).toEqual({})
  })
})

describe('the verification workflow in the console', () => {
  it('records evidence, refuses the same person verifying (four eyes), and lets another verify; the officer is emailed', async () => {
    const { id, form } = await confirmedApplicant()
    const recorder = await staffClient('SUPERVISOR')
    const verifier = await staffClient('ADMIN')

    const tooEarly = await action(verifier.client, id, 'verify', {})
    expect(tooEarly.notice).toMatchObject({ type: 'error', message: expect.stringContaining('Record the evidence first') })

    const recorded = await action(recorder.client, id, 'recordEvidence', { notes: 'Called the task force: badge confirmed.' })
    expect(recorded.notice?.type).toBe('success')
    const evidence = JSON.parse(recorded.record.params.evidenceView as string)
    expect(evidence.recorded.notes).toBe('Called the task force: badge confirmed.')
    expect(evidence.current.map((c: { name: string; passed: boolean }) => [c.name, c.passed])).toEqual([
      ['emailConfirmed', true],
      ['agencyExists', true],
      ['emailDomainMatchesAgency', true],
      ['supervisorEmailDomainMatchesAgency', true],
      ['supervisorConfirmed', false],
    ])

    const sameEyes = await action(recorder.client, id, 'verify', { reason: 'supervisor on leave' })
    expect(sameEyes.notice).toMatchObject({ type: 'error', message: expect.stringContaining('Four eyes') })
    expect((await db().officerRegistration.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING_REVIEW')

    // A failing check (the supervisor has not confirmed) needs the verifier's reason.
    const noReason = await action(verifier.client, id, 'verify', {})
    expect(noReason.notice).toMatchObject({ type: 'error', message: expect.stringContaining('give your reason') })
    const verified = await action(verifier.client, id, 'verify', { reason: 'Supervisor on leave; confirmed with the commander by phone.' })
    expect(verified.notice?.type).toBe('success')

    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { id } })
    expect(registration).toMatchObject({ status: 'VERIFIED', verifiedById: verifier.id, evidenceRecordedById: recorder.id })
    expect(registration.verificationExpiresAt!.getTime() - registration.verifiedAt!.getTime()).toBe(365 * DAY)
    const mail = await mailTo(form.officialEmail!, /Your portal registration: verified/)
    expect(mail.text).toContain('You can now sign in to the portal')
    const audit = await db().auditEvent.findMany({ where: { objectType: 'OfficerRegistration', objectId: String(id) }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['registration.apply', 'registration.confirm_email', 'registration.record_evidence', 'registration.verify'])
    expect(audit.at(-1)).toMatchObject({ actorId: String(verifier.id), outcome: 'SUCCESS' })
  })

  it('rejects with a reason the applicant reads, and the rejected applicant cannot sign in', async () => {
    const { id, form } = await confirmedApplicant()
    const { client } = await staffClient('SUPERVISOR')
    const empty = await action(client, id, 'reject', { reason: '' })
    expect(empty.notice).toMatchObject({ type: 'error', message: expect.stringContaining('Give a reason') })
    await action(client, id, 'reject', { reason: 'Your agency could not confirm your employment.' })
    const mail = await mailTo(form.officialEmail!, /not approved/)
    expect(mail.text).toContain('Your agency could not confirm your employment.')
    const signIn = await portal().signIn(form.officialEmail!, APPLICANT_PASSWORD)
    expect(signIn.status).toBe(403)
    expect(textOf(signIn.html)).toContain('was not approved')
  })

  it('asks for more information; the applicant answers after signing in and the application is reviewed again', async () => {
    const { id, form } = await confirmedApplicant()
    const { client } = await staffClient('SUPERVISOR')
    await action(client, id, 'recordEvidence', {})
    await action(client, id, 'requestMoreInfo', { reason: 'Send us the name of your unit commander.' })
    await mailTo(form.officialEmail!, /more information needed/)

    const applicant = portal()
    const signIn = await applicant.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    expect(signIn.headers.get('location')).toBe('/portal/application')
    const page = await applicant.get('/portal/application')
    expect(textOf(page.html)).toContain('Send us the name of your unit commander.')
    // An applicant's session reaches only the application page.
    expect((await applicant.get('/portal')).headers.get('location')).toBe('/portal/application')

    const tooShort = await applicant.post('/portal/application', { response: 'no', _csrf: applicant.csrfToken! })
    expect(tooShort.status).toBe(400)
    const answered = await applicant.post('/portal/application', { response: 'Commander Avery Example, Unit 4.', _csrf: applicant.csrfToken! })
    expect(textOf(answered.html)).toContain('your answer is with our staff')
    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { id } })
    expect(registration).toMatchObject({ status: 'PENDING_REVIEW', applicantResponse: 'Commander Avery Example, Unit 4.', evidenceRecordedById: null })
  })

  it("emails the supervisor a single-use link; the page shows the applicant and the answer reaches the checks", async () => {
    const { id, form } = await confirmedApplicant()
    const { client } = await staffClient('SUPERVISOR')
    await action(client, id, 'requestSupervisorConfirmation')
    const mail = await mailTo(form.supervisorEmail!, /Please confirm an employment/)
    expect(mail.text).not.toContain('Jordan')
    const page = await portal().get(`/portal/supervisor-confirmation?token=${tokenIn(mail)}`)
    expect(textOf(page.html)).toContain('Jordan Example')
    expect(textOf(page.html)).toContain(form.badgeNumber!)

    const answered = await portal().post('/portal/supervisor-confirmation', { token: tokenIn(mail), answer: 'CONFIRMED' })
    expect(textOf(answered.html)).toContain('You confirmed the employment')
    expect((await portal().post('/portal/supervisor-confirmation', { token: tokenIn(mail), answer: 'DENIED' })).status).toBe(410)
    const registration = await db().officerRegistration.findUniqueOrThrow({ where: { id } })
    expect(registration.supervisorConfirmation).toBe('CONFIRMED')
    const shown = await client.json<{ record: { params: Record<string, string> } }>(`/admin/api/resources/OfficerRegistration/records/${id}/show`)
    const checks = JSON.parse(shown.record.params.evidenceView!).current as { name: string; passed: boolean }[]
    expect(checks.find((c) => c.name === 'supervisorConfirmed')!.passed).toBe(true)
  })

  it('refuses decisions to roles without vetting rights and to registrations in the wrong state', async () => {
    const { id } = await confirmedApplicant()
    const triage = await staffClient('TRIAGE')
    const refused = await triage.client.json(`/admin/api/resources/OfficerRegistration/records/${id}/recordEvidence`, { notes: 'x' })
    expect(refused.record?.baseError?.type ?? refused.notice?.message).toMatch(/ForbiddenError|forbiddenError/)
    const { client } = await staffClient('ADMIN')
    const wrongState = await client.json(`/admin/api/resources/OfficerRegistration/records/${id}/suspend`, { reason: 'no reason at all' })
    expect(wrongState.record?.baseError?.type ?? wrongState.notice?.message).toMatch(/ForbiddenError|forbiddenError/)
    expect((await db().officerRegistration.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING_REVIEW')
  })
})

/** A verified officer, through the whole workflow. */
async function verifiedOfficer() {
  const applicant = await confirmedApplicant()
  const recorder = await staffClient('SUPERVISOR')
  const verifier = await staffClient('ADMIN')
  await action(recorder.client, applicant.id, 'recordEvidence', {})
  await action(verifier.client, applicant.id, 'verify', { reason: 'Supervisor confirmed by phone.' })
  return { ...applicant, verifier }
}

describe('portal sign-in and sessions', () => {
  it('signs a verified officer in under a new session id to the welcome page, and out again', async () => {
    const { form } = await verifiedOfficer()
    const officer = portal()
    const wrong = await officer.signIn(form.officialEmail!, 'not the password at all')
    expect(wrong.status).toBe(401)
    expect(textOf(wrong.html)).toContain('Wrong email address or password')
    const unknown = await portal().signIn('nobody@tf.example.com', 'not the password at all')
    expect(textOf(unknown.html)).toBe(textOf(wrong.html).replace(form.officialEmail!, 'nobody@tf.example.com'))

    const first = await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    expect(first.headers.get('location')).toBe('/portal')
    const firstCookie = officer.cookie
    const welcome = await officer.get('/portal')
    const text = textOf(welcome.html)
    expect(text).toContain('Welcome, Jordan Example')
    expect(text).toContain('Hash Search')
    expect(text).toContain('My Reports')
    expect(text).toContain('ecuassistance@clearinghouse.example.com')
    expect(text).toContain('cvip@clearinghouse.example.com')
    expect(welcome.headers.get('cache-control')).toBe('no-store')
    expect(welcome.headers.get('content-security-policy')).toContain("default-src 'none'")

    await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    expect(officer.cookie).not.toBe(firstCookie)
    const stale = portalClient(app.baseUrl)
    stale.cookie = firstCookie
    expect((await stale.get('/portal')).headers.get('location')).toBe('/portal/sign-in')

    // Sign-out needs the page's CSRF token; with it, the session ends at once.
    expect((await officer.post('/portal/sign-out', { _csrf: 'forged' })).status).toBe(403)
    const cookie = officer.cookie
    expect((await officer.post('/portal/sign-out', { _csrf: officer.csrfToken! })).headers.get('location')).toBe('/portal/sign-in?signedOut=1')
    const after = portalClient(app.baseUrl)
    after.cookie = cookie
    expect((await after.get('/portal')).headers.get('location')).toBe('/portal/sign-in')
    const audit = await db().auditEvent.findMany({ where: { action: 'officer.sign_in', actorLabel: form.officialEmail! } })
    expect(audit.map((a) => a.outcome).sort()).toEqual(['FAILURE', 'SUCCESS', 'SUCCESS'])
  })

  it("ends a suspended officer's live session on its next request", async () => {
    const { id, form } = await verifiedOfficer()
    const officer = portal()
    await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    expect((await officer.get('/portal')).status).toBe(200)

    const { client } = await staffClient('SUPERVISOR')
    await action(client, id, 'suspend', { reason: 'Under internal investigation.' })
    // The suspension deleted the session: the next request is a stranger's.
    const next = await officer.get('/portal')
    expect(next.headers.get('location')).toBe('/portal/sign-in')
    const again = await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    expect(again.status).toBe(403)
    expect(textOf(again.html)).toContain('Your account is suspended')
    await mailTo(form.officialEmail!, /suspended/)

    await action(client, id, 'reinstate', {})
    expect((await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)).headers.get('location')).toBe('/portal')
    await mailTo(form.officialEmail!, /reinstated/)
  })

  it('ends a session past its absolute lifetime however active it was', async () => {
    const { form } = await verifiedOfficer()
    const officer = portal()
    await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    clock.advance(12 * 3600_000 + 1000)
    try {
      const late = await officer.get('/portal')
      expect(late.status).toBe(401)
      expect(textOf(late.html)).toContain('Your session ended after 12 hours')
    } finally {
      clock.advance(-(12 * 3600_000 + 1000))
    }
  })
})

describe('the lifecycle sweeps', () => {
  it('expires a verification after a year: the live session ends, the officer is mailed once, and signing in asks for re-verification', async () => {
    const { id, form } = await verifiedOfficer()
    const officer = portal()
    await officer.signIn(form.officialEmail!, APPLICANT_PASSWORD)
    // Keep the account in use, so only the expiry applies.
    await db().officerRegistration.update({ where: { id }, data: { lastSignInAt: new Date(clock.now().getTime() + 360 * DAY) } })
    clock.advance(365 * DAY + 1000)
    try {
      expect((await officer.get('/portal')).status).toBe(401)
      await sweepOfficerAccounts({} as never, app.container)
      await sweepOfficerAccounts({} as never, app.container)
      expect((await db().officerRegistration.findUniqueOrThrow({ where: { id } })).status).toBe('EXPIRED')
      await mailTo(form.officialEmail!, /expired/)
      expect(await db().notification.count({ where: { recipient: form.officialEmail!, template: 'registration-decision', data: { path: ['decision'], equals: 'EXPIRED' } } })).toBe(1)
      expect(await db().auditEvent.count({ where: { action: 'registration.expire', objectId: String(id), actorType: 'SYSTEM' } })).toBe(1)

      const signIn = await portal().signIn(form.officialEmail!, APPLICANT_PASSWORD)
      expect(signIn.status).toBe(403)
      expect(textOf(signIn.html)).toContain('back in our verification queue')
      expect(await db().officerRegistration.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'PENDING_REVIEW', verifiedById: null, evidenceRecordedById: null })
    } finally {
      clock.advance(-(365 * DAY + 1000))
    }
  })

  it('disables an account unused for 90 days, audited and mailed once, and a reinstatement restarts the clock', async () => {
    const { id, form } = await verifiedOfficer()
    clock.advance(91 * DAY)
    try {
      const result = await sweepOfficerAccounts({} as never, app.container)
      expect(result.disabled).toBeGreaterThanOrEqual(1)
      await sweepOfficerAccounts({} as never, app.container)
      expect((await db().officerRegistration.findUniqueOrThrow({ where: { id } })).status).toBe('DISABLED')
      expect(await db().auditEvent.count({ where: { action: 'registration.disable_inactive', objectId: String(id) } })).toBe(1)
      await mailTo(form.officialEmail!, /disabled/)
      const signIn = await portal().signIn(form.officialEmail!, APPLICANT_PASSWORD)
      expect(textOf(signIn.html)).toContain('disabled after 90 days without use')

      const { client } = await staffClient('ADMIN')
      await action(client, id, 'reinstate', { reason: 'Back from secondment.' })
      await sweepOfficerAccounts({} as never, app.container)
      expect((await db().officerRegistration.findUniqueOrThrow({ where: { id } })).status).toBe('VERIFIED')
    } finally {
      clock.advance(-91 * DAY)
    }
  })
})
