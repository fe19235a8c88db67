import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONSOLE_RESOURCES, STAFF_ROLES, mayDo, type ConsoleResource } from '../../src/admin/access.js'
import { espSecretMatches } from '../../src/modules/intake/esp-credentials.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { consoleClient, type ConsoleClient } from '../support/console-client.js'
import { createStaff, TEST_PASSWORD } from '../factories/staff.js'
import { createOneOfEverything, md5Of, uniq } from '../factories/records.js'

let app: TestApp
let admin: ConsoleClient
let fixtures: Awaited<ReturnType<typeof createOneOfEverything>>
let staffId: number

const idOf: Record<ConsoleResource, () => number | bigint> = {
  Report: () => fixtures.cybertipReport.id,
  ReportFile: () => fixtures.file.id,
  ReportParty: () => fixtures.party.id,
  PartyIdentifier: () => fixtures.identifier.id,
  ReportEvent: () => fixtures.event.id,
  OfficerRegistration: () => fixtures.registration.id,
  RegistrationToken: () => fixtures.registrationToken.id,
  Agency: () => fixtures.agency.id,
  EspAccount: () => fixtures.esp.id,
  StaffUser: () => staffId,
  HashSet: () => fixtures.hashSet.id,
  Series: () => fixtures.series.id,
  KnownHash: () => fixtures.knownHash.id,
  HashSearch: () => fixtures.hashSearch.id,
  CollectionReview: () => fixtures.collectionReview.id,
  IpLocation: () => fixtures.ipLocation.id,
  Notification: () => fixtures.notification.id,
  AuditEvent: () => fixtures.auditEvent.id,
}

beforeAll(async () => {
  app = await startTestApp()
  fixtures = await createOneOfEverything(app.container.db, app.container.audit)
  const adminUser = await createStaff(app.container.db, 'ADMIN')
  staffId = adminUser.id
  admin = consoleClient(app.baseUrl)
  await admin.signIn(adminUser.email, TEST_PASSWORD)
}, 60_000)
afterAll(() => app.close())

// Every resource an administrator may list (the rest are refused to all: console-access.test.ts).
describe.each(CONSOLE_RESOURCES.filter((r) => mayDo('ADMIN', r, 'list')))('%s', (resource) => {
  it('lists and shows its records with ids, enum values and relations', async () => {
    const id = String(idOf[resource]())
    const list = await admin.json(`/admin/api/resources/${resource}/actions/list?perPage=500`)
    expect(list.records.map((r: { id: string | number }) => String(r.id))).toContain(id)

    const { record } = await admin.json(`/admin/api/resources/${resource}/records/${id}/show`)
    expect(String(record.id)).toBe(id)
    expect(String(record.params.id)).toBe(id)

    const decorated = app.admin.findResource(resource).decorate()
    const properties = Object.values(decorated.properties)
    for (const property of properties) {
      const value = record.params[property.propertyPath]
      const enumValues = property.availableValues()
      if (enumValues && value != null && !Array.isArray(value)) expect(enumValues.map((v) => v.value)).toContain(value)
      if (property.type() === 'reference' && value != null) {
        // The related record is loaded, so the console can show its title and link to it.
        expect(String(record.populated[property.propertyPath]?.id)).toBe(String(value))
      }
    }
    expect(properties.some((p) => p.isId())).toBe(true)
  })
})

describe('relations and enums come from the full DMMF', () => {
  it('knows the report enums and its relations', () => {
    const report = app.admin.findResource('Report').decorate()
    expect(report.getPropertyByKey('priority')?.availableValues()?.map((v) => v.value)).toEqual(['P1', 'P2', 'P3', 'INFO'])
    expect(report.getPropertyByKey('incidentType')?.availableValues()).toHaveLength(8)
    expect(report.getPropertyByKey('espAccount')?.reference()?.id()).toBe('EspAccount')
    expect(report.getPropertyByKey('assignee')?.reference()?.id()).toBe('StaffUser')
  })
})

describe('creating records', () => {
  const forms: Partial<Record<ConsoleResource, () => Record<string, string>>> = {
    Agency: () => ({ name: `Agency ${uniq()}`, kind: 'STATE', state: 'TX', country: 'US', 'emailDomains.0': 'state.example.com', 'emailDomains.1': 'Alt.Example.com' }),
    EspAccount: () => ({ name: `ESP ${uniq()}`, username: `esp-${uniq()}`, contactEmail: 'safety@esp.example.com' }),
    StaffUser: () => ({ email: `Staff.${uniq()}@staff.example.com`, name: 'New Person', role: 'CVIP_ANALYST', password: 'a long enough password' }),
    HashSet: () => ({ name: `Set ${uniq()}`, source: 'test', description: '' }),
    Series: () => ({ name: `Series ${uniq()}`, identified: 'true' }),
    IpLocation: () => ({ network: '203.0.113.0/25', country: 'us', region: 'ny', source: 'synthetic test range' }),
    KnownHash: () => ({ hashType: 'SHA1', value: 'A'.repeat(40), category: 'CSAM', hashSetId: String(fixtures.hashSet.id), seriesId: String(fixtures.series.id) }),
  }

  it.each(Object.keys(forms) as ConsoleResource[])('creates a %s as a role allowed to', async (resource) => {
    const role = STAFF_ROLES.find((r) => mayDo(r, resource, 'new'))!
    const user = await createStaff(app.container.db, role)
    const client = consoleClient(app.baseUrl)
    await client.signIn(user.email, TEST_PASSWORD)
    const body = await client.json(`/admin/api/resources/${resource}/actions/new`, forms[resource]!())
    expect(body.record.errors, JSON.stringify(body.notice)).toEqual({})
    expect(body.record.params.id).toBeDefined()
    const { record } = await client.json(`/admin/api/resources/${resource}/records/${body.record.params.id}/show`)
    expect(String(record.id)).toBe(String(body.record.params.id))
  })

  it('normalises what it stores: lower-case emails, domains and hashes; identifiedAt set', async () => {
    const db = app.container.db
    expect(await db.agency.count({ where: { emailDomains: { has: 'alt.example.com' } } })).toBe(1)
    expect(await db.knownHash.count({ where: { value: 'a'.repeat(40), hashType: 'SHA1' } })).toBe(1)
    const staff = await db.staffUser.findFirstOrThrow({ where: { role: 'CVIP_ANALYST', name: 'New Person' } })
    expect(staff.email).toBe(staff.email.toLowerCase())
    expect(staff.passwordHash).toMatch(/^\$argon2id\$/)
    expect(staff.mustChangePassword).toBe(true)
    expect(await db.series.count({ where: { identified: true, identifiedAt: { not: null } } })).toBeGreaterThanOrEqual(2)
  })

  it('shows a new ESP account its secret once, and stores only its SHA-256 digest', async () => {
    const username = `esp-${uniq()}`
    const body = await admin.json('/admin/api/resources/EspAccount/actions/new', { name: `ESP ${uniq()}`, username })
    const secret = /shown only this once: (\S+)$/.exec(body.notice.message)?.[1]
    expect(secret).toBeDefined()
    const stored = await app.container.db.espAccount.findUniqueOrThrow({ where: { username } })
    expect(stored.secretDigest).not.toContain(secret!)
    expect(espSecretMatches(secret!, stored.secretDigest)).toBe(true)
    expect(JSON.stringify(body.record.params)).not.toContain(stored.secretDigest)
  })

  it('does not echo a new staff user\'s password or its hash back to the browser', async () => {
    const body = await admin.json('/admin/api/resources/StaffUser/actions/new', forms.StaffUser!())
    expect(body.record.params).not.toHaveProperty('passwordHash')
    expect(JSON.stringify(body.record.params)).not.toContain('argon2')
  })
})

describe('bad input', () => {
  it('refuses an invalid agency with an error on each wrong field and saves nothing', async () => {
    const before = await app.container.db.agency.count()
    const body = await admin.json('/admin/api/resources/Agency/actions/new', {
      name: '', kind: 'SHERIFF', ori: 'bad', state: 'California', country: 'US', 'emailDomains.0': 'not a domain',
    })
    expect(Object.keys(body.record.errors).sort()).toEqual(['emailDomains', 'kind', 'name', 'ori', 'state'])
    expect(body.record.errors.ori.message).toMatch(/9 letters or digits/)
    expect(body.notice.type).toBe('error')
    expect(await app.container.db.agency.count()).toBe(before)
  })

  it('refuses a network that is not one, quoting it', async () => {
    const body = await admin.json('/admin/api/resources/IpLocation/actions/new', { network: '192.0.2.300/24', country: 'USA', source: 'x' })
    expect(body.record.errors.network.message).toBe('"192.0.2.300/24" is not a network such as 192.0.2.0/24')
    expect(body.record.errors.country.message).toMatch(/2-letter/)
    const prefix = await admin.json('/admin/api/resources/IpLocation/actions/new', { network: '192.0.2.0/33', country: 'US', source: 'x' })
    expect(prefix.record.errors.network.message).toBe('"192.0.2.0/33" has a prefix length outside 0..32')
  })

  it('refuses a hash of the wrong length for its type, quoting it', async () => {
    const before = await app.container.db.knownHash.count()
    const body = await admin.json('/admin/api/resources/KnownHash/actions/new', {
      hashType: 'SHA256', value: md5Of('x'), category: 'CSAM', hashSetId: String(fixtures.hashSet.id),
    })
    expect(body.record.errors.value.message).toMatch(/SHA256 hash has 64 hex characters; ".{32}" has 32/)
    expect(await app.container.db.knownHash.count()).toBe(before)
  })

  it("refuses a hash whose hash set or series does not exist, naming the field, and shows a hash's set and series as links", async () => {
    const before = await app.container.db.knownHash.count()
    const body = await admin.json('/admin/api/resources/KnownHash/actions/new', {
      hashType: 'MD5', value: md5Of(uniq()), category: 'CSAM', hashSetId: '987654', seriesId: '876543',
    })
    expect(body.record.errors.hashSetId.message).toBe('There is no hash set 987654')
    expect(body.record.errors.seriesId.message).toBe('There is no series 876543')
    expect(await app.container.db.knownHash.count()).toBe(before)
    const { record } = await admin.json(`/admin/api/resources/KnownHash/records/${fixtures.knownHash.id}/show`)
    expect(record.populated.hashSetId).toMatchObject({ id: fixtures.hashSet.id, title: fixtures.hashSet.name })
    expect(record.populated.seriesId).toMatchObject({ id: fixtures.series.id, title: fixtures.series.name })
  })

  it('refuses a short staff password and a duplicate email', async () => {
    const short = await admin.json('/admin/api/resources/StaffUser/actions/new', { email: `x.${uniq()}@staff.example.com`, name: 'X', role: 'TRIAGE', password: 'short' })
    expect(short.record.errors.password.message).toMatch(/at least 12/)
    const existing = await app.container.db.staffUser.findUniqueOrThrow({ where: { id: staffId } })
    const duplicate = await admin.json('/admin/api/resources/StaffUser/actions/new', { email: existing.email, name: 'X', role: 'TRIAGE', password: 'a long enough password' })
    expect(duplicate.notice.type).toBe('error')
    expect(duplicate.record.errors.email.message).toBe('This email is already in use')
    expect(await app.container.db.staffUser.count({ where: { email: existing.email } })).toBe(1)
  })

  it('will not let an administrator demote or disable themselves', async () => {
    const body = await admin.json(`/admin/api/resources/StaffUser/records/${staffId}/edit`, { name: 'Me', role: 'TRIAGE', isActive: 'true' })
    expect(body.notice.type).toBe('error')
    expect(body.notice.message).toMatch(/cannot change your own role/)
    expect((await app.container.db.staffUser.findUniqueOrThrow({ where: { id: staffId } })).role).toBe('ADMIN')
  })
})

describe('secrets', () => {
  it('never sends password hashes, MFA secrets or ESP secret digests to the browser', async () => {
    for (const [resource, fields] of [
      ['StaffUser', ['passwordHash', 'mfaSecret']],
      ['OfficerRegistration', ['passwordHash', 'mfaSecret']],
      ['EspAccount', ['secretDigest']],
    ] as const) {
      const list = await admin.json(`/admin/api/resources/${resource}/actions/list?perPage=500`)
      const show = await admin.json(`/admin/api/resources/${resource}/records/${idOf[resource]()}/show`)
      for (const record of [...list.records, show.record]) {
        for (const field of fields) expect(record.params).not.toHaveProperty(field)
      }
    }
  })
})
