// Every role against every resource action, through AdminJS's own API routes, compared with
// the access matrix: allowed actions succeed, every other one is refused.
import type { StaffRole } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILT_IN_ACTIONS, CONSOLE_RESOURCES, STAFF_ROLES, mayDo, teamQueueOf, type BuiltInAction, type ConsoleResource } from '../../src/admin/access.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { consoleClient, type ConsoleClient } from '../support/console-client.js'
import { createStaffOfEveryRole, TEST_PASSWORD } from '../factories/staff.js'
import { createAgency, createOneOfEverything, md5Of, uniq } from '../factories/records.js'

type Fixtures = Awaited<ReturnType<typeof createOneOfEverything>>
type Staff = Awaited<ReturnType<typeof createStaffOfEveryRole>>

let app: TestApp
let fixtures: Fixtures
let staff: Staff
const clients = new Map<StaffRole, ConsoleClient>()

/** The record a role would act on: for reports, one in the viewer's own queue. */
function recordId(resource: ConsoleResource, role: StaffRole): number | string {
  const byResource: Record<ConsoleResource, { id: number | bigint }> = {
    Report: teamQueueOf(role) === 'CVIP' ? fixtures.cvipReport : fixtures.cybertipReport,
    ReportFile: fixtures.file,
    ReportParty: fixtures.party,
    PartyIdentifier: fixtures.identifier,
    ReportEvent: fixtures.event,
    OfficerRegistration: fixtures.registration,
    RegistrationToken: fixtures.registrationToken,
    Agency: fixtures.agency,
    EspAccount: fixtures.esp,
    StaffUser: staff.TRIAGE,
    HashSet: fixtures.hashSet,
    Series: fixtures.series,
    KnownHash: fixtures.knownHash,
    HashSearch: fixtures.hashSearch,
    CollectionReview: fixtures.collectionReview,
    IpLocation: fixtures.ipLocation,
    Notification: fixtures.notification,
    AuditEvent: fixtures.auditEvent,
  }
  return String(byResource[resource].id)
}

/** A valid form for each resource that may be created or edited by someone. */
function validForm(resource: ConsoleResource, action: 'new' | 'edit'): Record<string, string> {
  const id = uniq()
  switch (resource) {
    case 'Agency':
      return { name: `Agency ${id}`, kind: 'LOCAL', state: 'CA', country: 'US', 'emailDomains.0': `${id}.example.com` }
    case 'EspAccount':
      return { name: `ESP ${id}`, username: `esp-${id}`, isActive: 'true' }
    case 'StaffUser':
      return action === 'new'
        ? { email: `new.${id}@staff.example.com`, name: `New ${id}`, role: 'TRIAGE', password: 'a long enough password' }
        : { name: `Renamed ${id}`, role: 'TRIAGE', isActive: 'true' }
    case 'HashSet':
      return { name: `Set ${id}`, source: 'test' }
    case 'Series':
      return { name: `Series ${id}`, identified: 'false' }
    case 'KnownHash':
      return { hashType: 'MD5', value: md5Of(id), category: 'CSAM', hashSetId: String(fixtures.hashSet.id) }
    case 'IpLocation':
      return { network: `2001:db8:${id.slice(0, 4)}::/48`, country: 'US', region: 'CA', source: 'test' }
    case 'OfficerRegistration':
      return { phone: '+1-202-555-0102', supervisorName: 'Pat Supervisor', supervisorEmail: `sup.${id}@police.example.com` }
    default:
      return { name: `x ${id}` }
  }
}

async function attempt(client: ConsoleClient, resource: ConsoleResource, action: BuiltInAction, role: StaffRole) {
  const base = `/admin/api/resources/${resource}`
  switch (action) {
    case 'list':
      return client.json(`${base}/actions/list`)
    case 'search':
      return client.json(`${base}/actions/search/`)
    case 'show':
      return client.json(`${base}/records/${recordId(resource, role)}/show`)
    case 'new':
      return client.json(`${base}/actions/new`, validForm(resource, 'new'))
    case 'edit':
      return client.json(`${base}/records/${recordId(resource, role)}/edit`, validForm(resource, 'edit'))
    case 'delete': {
      // A disposable record, so an allowed delete removes nothing another check needs.
      const id = resource === 'Agency'
        ? (await createAgency(app.container.db)).id
        : resource === 'IpLocation'
          ? (await app.container.db.ipLocation.create({ data: { network: `2001:db8:ffff:${uniq().slice(0, 4)}::/64`, country: 'US', source: 'test' } })).id
        : resource === 'KnownHash'
          ? (await app.container.db.knownHash.create({ data: { hashType: 'MD5', value: md5Of(uniq()), category: 'CSAM', hashSetId: fixtures.hashSet.id } })).id
          : recordId(resource, role)
      return client.json(`${base}/records/${id}/delete`, {})
    }
    case 'bulkDelete':
      return client.json(`${base}/bulk/bulkDelete?recordIds=${recordId(resource, role)}`, {})
  }
}

function refused(body: { record?: { baseError?: { type?: string } }; notice?: { type?: string; message?: string } }): boolean {
  return body.record?.baseError?.type === 'ForbiddenError' || (body.notice?.type === 'error' && body.notice.message === 'forbiddenError')
}

beforeAll(async () => {
  app = await startTestApp()
  staff = await createStaffOfEveryRole(app.container.db)
  fixtures = await createOneOfEverything(app.container.db, app.container.audit)
  for (const role of STAFF_ROLES) {
    const client = consoleClient(app.baseUrl)
    const response = await client.signIn(staff[role].email, TEST_PASSWORD)
    expect(response.headers.get('location')).toBe('/admin')
    clients.set(role, client)
  }
}, 60_000)
afterAll(() => app.close())

describe.each(STAFF_ROLES)('%s', (role) => {
  it.each(CONSOLE_RESOURCES)('gets exactly what the matrix allows on %s', async (resource) => {
    const outcomes: string[] = []
    const expected: string[] = []
    for (const action of BUILT_IN_ACTIONS) {
      const body = await attempt(clients.get(role)!, resource, action, role)
      const allowed = mayDo(role, resource, action)
      expected.push(`${action}: ${allowed ? 'allowed' : 'refused'}`)
      if (refused(body)) {
        outcomes.push(`${action}: refused`)
      } else {
        // An allowed action must also have worked, not failed for another reason.
        expect(body.notice?.type, `${role} ${action} ${resource}: ${JSON.stringify(body.notice ?? body.record?.errors)}`).not.toBe('error')
        expect(Object.keys(body.record?.errors ?? {}), `${role} ${action} ${resource}`).toEqual([])
        outcomes.push(`${action}: allowed`)
      }
    }
    expect(outcomes).toEqual(expected)
  })
})

describe('team scoping', () => {
  it('never shows an analyst the other team\'s reports, by list, filter, show or search', async () => {
    for (const role of ['CYBERTIP_ANALYST', 'CVIP_ANALYST'] as const) {
      const client = clients.get(role)!
      const other = role === 'CVIP_ANALYST' ? fixtures.cybertipReport : fixtures.cvipReport
      const otherQueue = other.queue!
      const list = await client.json(`/admin/api/resources/Report/actions/list?filters.queue=${otherQueue}`)
      expect(list.records).toEqual([])
      const all = await client.json('/admin/api/resources/Report/actions/list?perPage=500')
      expect(all.records.map((r: { params: { queue: string } }) => r.params.queue)).not.toContain(otherQueue)
      const show = await client.json(`/admin/api/resources/Report/records/${other.id}/show`)
      expect(show.record?.baseError?.type).toBe('NotFoundError')
      const search = await client.json(`/admin/api/resources/Report/actions/search/${other.id}`)
      expect(search.records.map((r: { id: string }) => r.id)).not.toContain(String(other.id))
    }
  })

  it('hides reports that are still open (between submit and finish) from everyone', async () => {
    const open = await app.container.db.report.create({
      data: { source: 'ESP', status: 'OPEN', incidentType: 'CHILD_PORNOGRAPHY', incidentAt: new Date() },
    })
    const show = await clients.get('ADMIN')!.json(`/admin/api/resources/Report/records/${open.id}/show`)
    expect(show.record?.baseError?.type).toBe('NotFoundError')
  })
})

describe('what a role may not show never arrives by another way', () => {
  it('does not send an analyst the staff user or ESP account a report refers to', async () => {
    await app.container.db.report.update({ where: { id: fixtures.cybertipReport.id }, data: { assigneeId: staff.CYBERTIP_ANALYST.id } })
    const analyst = await clients.get('CYBERTIP_ANALYST')!.json(`/admin/api/resources/Report/records/${fixtures.cybertipReport.id}/show`)
    expect(analyst.record.params.assignee).toBe(staff.CYBERTIP_ANALYST.id) // the id, as a column
    expect(analyst.record.populated).not.toHaveProperty('assignee') // but not the staff record
    expect(analyst.record.populated).not.toHaveProperty('espAccount')
    const list = await clients.get('CYBERTIP_ANALYST')!.json('/admin/api/resources/Report/actions/list')
    for (const record of list.records) expect(Object.keys(record.populated)).toEqual([])

    const admin = await clients.get('ADMIN')!.json(`/admin/api/resources/Report/records/${fixtures.cybertipReport.id}/show`)
    expect(admin.record.populated.assignee.params.email).toBe(staff.CYBERTIP_ANALYST.email)
    expect(admin.record.populated.espAccount.params.username).toMatch(/^esp-/)
  })

  it('ignores a filter or sort on a secret column, so it cannot be guessed a character at a time', async () => {
    const supervisor = clients.get('SUPERVISOR')!
    const hash = (await app.container.db.staffUser.findUniqueOrThrow({ where: { id: staff.ADMIN.id } })).passwordHash
    const right = await supervisor.json(`/admin/api/resources/StaffUser/actions/list?filters.passwordHash=${encodeURIComponent(hash.slice(0, 12))}`)
    const wrong = await supervisor.json('/admin/api/resources/StaffUser/actions/list?filters.passwordHash=no-such-prefix')
    expect(wrong.meta.total).toBe(right.meta.total)
    expect(wrong.meta.total).toBe(await app.container.db.staffUser.count())
    const sorted = await supervisor.json('/admin/api/resources/StaffUser/actions/list?sortBy=passwordHash')
    expect(sorted.records.length).toBeGreaterThan(0)
  })
})
