import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../../src/lib/db.js'
import { seedDemoData, DEMO_REPORT_COUNT, DEMO_STAFF } from '../../prisma/seed/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { STAFF_ROLES } from '../../src/admin/access.js'

const TABLES = ['staffUser', 'agency', 'ipLocation', 'officerRegistration', 'espAccount', 'report', 'reportFile', 'reportParty', 'partyIdentifier', 'reportEvent', 'hashSet', 'series', 'knownHash'] as const

async function counts(db: Db) {
  const entries = await Promise.all(TABLES.map(async (t) => [t, await (db[t] as { count(): Promise<number> }).count()] as const))
  return Object.fromEntries(entries)
}

describe('demo seed', () => {
  let database: TestDatabase
  let db: Db

  beforeAll(async () => {
    database = await createTestDatabase()
    db = createDb(database.url)
    await seedDemoData(db)
  }, 120_000)
  afterAll(async () => {
    await db.$disconnect()
    await database.drop()
  })

  it('adds nothing when run a second time', async () => {
    const before = await counts(db)
    await seedDemoData(db)
    expect(await counts(db)).toEqual(before)
  }, 120_000)

  it('has staff of every role, agencies, registrations in every status and a catalog of thousands', async () => {
    const roles = await db.staffUser.groupBy({ by: ['role'], _count: true })
    expect(roles.map((r) => r.role).sort()).toEqual([...STAFF_ROLES].sort())
    expect(await db.staffUser.count()).toBe(DEMO_STAFF.length)
    expect(await db.agency.count()).toBeGreaterThanOrEqual(5)
    expect(await db.officerRegistration.count()).toBe(30)
    const statuses = await db.officerRegistration.groupBy({ by: ['status'], _count: true })
    expect(statuses).toHaveLength(8)
    expect(await db.knownHash.count()).toBeGreaterThanOrEqual(3000)
    expect(await db.knownHash.groupBy({ by: ['hashType'], _count: true })).toHaveLength(4)
    expect(await db.series.count({ where: { identified: true } })).toBeGreaterThan(0)
  })

  it('has 2,000 reports across every incident type, priority, queue and status, with files', async () => {
    expect(await db.report.count()).toBe(DEMO_REPORT_COUNT)
    expect(await db.report.groupBy({ by: ['incidentType'], _count: true })).toHaveLength(8)
    const priorities = (await db.report.groupBy({ by: ['priority'], _count: true })).map((g) => g.priority)
    expect(priorities).toEqual(expect.arrayContaining(['P1', 'P2', 'P3', 'INFO']))
    const queues = (await db.report.groupBy({ by: ['queue'], _count: true })).map((g) => g.queue)
    expect(queues).toEqual(expect.arrayContaining(['CYBERTIPLINE', 'CVIP']))
    expect(await db.report.groupBy({ by: ['status'], _count: true })).toHaveLength(7)
    expect(await db.reportFile.count()).toBeGreaterThan(DEMO_REPORT_COUNT)
    expect(await db.reportFile.count({ where: { matchStatus: 'IDENTIFIED_SERIES' } })).toBeGreaterThan(0)
    expect(await db.reportFile.count({ where: { matchStatus: 'UNKNOWN' } })).toBeGreaterThan(0)
  })

  it('leaves every demo analyst room to claim, and reports in both queues to claim', async () => {
    const held = await db.report.groupBy({ by: ['assigneeId'], where: { status: 'IN_REVIEW' }, _count: { _all: true } })
    expect(held.length).toBeGreaterThan(0)
    for (const h of held) expect(h._count._all).toBeLessThanOrEqual(3)
    for (const queue of ['CYBERTIPLINE', 'CVIP'] as const) {
      expect(await db.report.count({ where: { queue, status: 'TRIAGED', assigneeId: null } })).toBeGreaterThan(10)
    }
    // Clocks already past due start out marked (with their timeline), so the sweep does not
    // escalate the whole demo history at once.
    expect(await db.report.count({ where: { status: { in: ['TRIAGED', 'IN_REVIEW'] }, slaDueAt: { lt: new Date() }, slaBreachedAt: null } })).toBe(0)
    expect(await db.reportEvent.count({ where: { kind: 'SLA_BREACHED' } })).toBeGreaterThan(0)
  })

  it('holds only synthetic contact data: example.com addresses, 555-01xx phones, RFC 5737 IPs', async () => {
    const emails = [
      ...(await db.staffUser.findMany({ select: { email: true } })).map((s) => s.email),
      ...(await db.officerRegistration.findMany({ select: { officialEmail: true, supervisorEmail: true } })).flatMap((r) => [r.officialEmail, r.supervisorEmail]),
      ...(await db.partyIdentifier.findMany({ where: { kind: 'EMAIL' }, select: { value: true } })).map((p) => p.value),
    ]
    for (const email of emails) expect(email).toMatch(/@([a-z0-9-]+\.)*example\.com$/)
    for (const { phone } of await db.officerRegistration.findMany({ select: { phone: true } })) expect(phone).toMatch(/555-01\d\d$/)
    for (const { value } of await db.partyIdentifier.findMany({ where: { kind: 'IP_ADDRESS' }, select: { value: true } })) {
      expect(value).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/)
    }
  })
})
