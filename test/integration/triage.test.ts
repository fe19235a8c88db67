import { TEST_ORIGIN } from '../factories/staff.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HashMatchStatus, IncidentType } from '@prisma/client'
import { startTestApp, type TestApp } from '../support/app.js'
import { createAgency, md5Of, uniq } from '../factories/records.js'

let app: TestApp
const db = () => app.container.db

beforeAll(async () => {
  app = await startTestApp()
})
afterAll(() => app.close())

/** A received, untriaged report as intake will leave it. */
async function receivedReport(opts: {
  incidentType?: IncidentType
  escalationText?: string
  files?: HashMatchStatus[]
  screenName?: string
  state?: string
  fileMd5?: string
}) {
  const receivedAt = new Date()
  const report = await db().report.create({
    data: {
      source: 'ESP',
      status: 'RECEIVED',
      incidentType: opts.incidentType ?? 'CHILD_PORNOGRAPHY',
      incidentAt: new Date(receivedAt.getTime() - 10 * 24 * 3_600_000),
      receivedAt,
      escalationText: opts.escalationText ?? null,
      files: { create: (opts.files ?? []).map((matchStatus, i) => ({ matchStatus, fileId: md5Of(`f ${uniq()}`).replace(/^\d/, 'c'), md5: i === 0 && opts.fileMd5 ? opts.fileMd5 : md5Of(uniq()) })) },
    },
  })
  const party = await db().reportParty.create({
    data: {
      reportId: report.id, role: 'REPORTED_USER', screenName: opts.screenName ?? `user_${uniq()}`, emails: [],
      estimatedLocation: opts.state ? { countryCode: 'US', region: opts.state } : undefined,
    },
  })
  await db().partyIdentifier.create({ data: { reportId: report.id, partyId: party.id, kind: 'SCREEN_NAME', value: party.screenName! } })
  return report
}

const triage = (id: number) => db().$transaction((tx) => app.container.triage.triageReport(tx, id))

describe('triage of a received report', () => {
  it('scores, routes and places it, sets its SLA clock, records why, and writes the P1 email once', async () => {
    const agency = await createAgency(db())
    await db().agency.update({ where: { id: agency.id }, data: { state: 'WA' } })
    const report = await receivedReport({ incidentType: 'ONLINE_ENTICEMENT', escalationText: 'meeting the child tonight', files: ['KNOWN'], state: 'WA' })
    await triage(report.id)

    const triaged = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    expect(triaged).toMatchObject({
      status: 'TRIAGED', priority: 'P1', score: 85, queue: 'CYBERTIPLINE', ruleVersion: 'scoring-2026-12-04',
      routeRule: 'routing-2026-12-04:default', jurisdictionCountry: 'US', jurisdictionState: 'WA', proposedAgencyId: agency.id,
    })
    expect(triaged.priorityFactors).toEqual([
      { factor: 'base', weight: 15, evidence: 'every report starts here' },
      { factor: 'incidentType', weight: 30, evidence: 'incident type: online enticement' },
      { factor: 'escalation', weight: 45, evidence: 'escalateToHighPriority present' },
      { factor: 'allFilesKnown', weight: -5, evidence: 'all 1 files are in the known-hash catalog' },
    ])
    // P1: one hour to first action.
    expect(triaged.slaDueAt!.getTime() - triaged.triagedAt!.getTime()).toBe(60 * 60_000)
    const events = await db().reportEvent.findMany({ where: { reportId: report.id } })
    expect(events.map((e) => e.kind)).toEqual(['TRIAGED'])
    expect(events[0]!.note).toMatch(/Scored 85 \(P1\).*routed to CYBERTIPLINE.*jurisdiction: WA, US from estimated location of the reported user/)

    const notifications = await db().notification.findMany({ where: { reportId: report.id } })
    expect(notifications).toHaveLength(1)
    expect(notifications[0]).toMatchObject({ kind: 'P1_REPORT', recipient: 'ecuassistance@clearinghouse.example.com', channel: 'IMMEDIATE' })
    await triage(report.id) // triaged again (a re-run): still one email
    expect(await db().notification.count({ where: { reportId: report.id } })).toBe(1)
  })

  it('places a report by its IP capture events, using the most specific known network', async () => {
    await db().ipLocation.createMany({
      data: [
        { network: '192.0.2.0/24', country: 'US', region: 'CA', source: 'synthetic' },
        { network: '192.0.2.128/25', country: 'US', region: 'FL', source: 'synthetic' },
      ],
    })
    const report = await receivedReport({})
    const party = await db().reportParty.findFirstOrThrow({ where: { reportId: report.id } })
    await db().partyIdentifier.createMany({
      data: ['192.0.2.200', '192.0.2.201'].map((value) => ({ reportId: report.id, partyId: party.id, kind: 'IP_ADDRESS' as const, value })),
    })
    // A value that is not an address is refused when written, so triage can trust them.
    await expect(db().partyIdentifier.create({ data: { reportId: report.id, partyId: party.id, kind: 'IP_ADDRESS', value: 'not-an-ip' } })).rejects.toThrow()
    const result = await triage(report.id)
    expect(result.jurisdiction).toEqual({ country: 'US', state: 'FL', evidence: 'FL, US from IP 192.0.2.200, IP 192.0.2.201' })
  })

  it('routes a possible new victim to CVIP and writes the CVIP email', async () => {
    const report = await receivedReport({ files: ['UNKNOWN', 'KNOWN'] })
    const result = await triage(report.id)
    expect(result.route).toMatchObject({ queue: 'CVIP', rule: 'routing-2026-12-04:possible-new-victim' })
    const [notification] = await db().notification.findMany({ where: { reportId: report.id } })
    expect(notification).toMatchObject({ kind: 'POSSIBLE_NEW_VICTIM', recipient: 'cvip@clearinghouse.example.com' })
  })

  it('counts earlier reports about the same account or the same new file', async () => {
    const screenName = `repeat_${uniq()}`
    const newFile = md5Of(`new file ${uniq()}`)
    await triage((await receivedReport({ screenName })).id)
    await triage((await receivedReport({ files: ['UNKNOWN'], fileMd5: newFile })).id)
    const third = await receivedReport({ screenName, files: ['UNKNOWN'], fileMd5: newFile })
    const result = await triage(third.id)
    expect(result.factors.find((f) => f.factor === 'priorReports')).toEqual({
      factor: 'priorReports', weight: 10, evidence: '2 earlier reports about the same account, email, IP or file',
    })
  })

  it('puts non-urgent reports in the digest, not in an email of their own', async () => {
    const report = await receivedReport({ incidentType: 'MISLEADING_DOMAIN_NAME' })
    const result = await triage(report.id)
    expect(result.level).toBe('INFO')
    expect(await db().notification.findMany({ where: { reportId: report.id } })).toMatchObject([{ kind: 'REPORT_ROUTED', channel: 'DIGEST' }])
  })

  it('refuses a report that is not received yet, and changes nothing', async () => {
    const open = await db().report.create({ data: { source: 'ESP', status: 'OPEN', incidentType: 'CHILD_PORNOGRAPHY', incidentAt: new Date() } })
    await expect(triage(open.id)).rejects.toThrow(`Report ${open.id} is not a received report`)
    expect(await db().report.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: 'OPEN', priority: null })
  })
})

describe('overrides', () => {
  const actor = async (role: 'TRIAGE' | 'CVIP_ANALYST' = 'TRIAGE') => {
    const { createStaff } = await import('../factories/staff.js')
    const user = await createStaff(db(), role)
    return { id: user.id, email: user.email, origin: TEST_ORIGIN }
  }

  it('changes a priority with a reason, audits it, puts it on the timeline, and keeps it through re-scoring', async () => {
    const report = await receivedReport({ incidentType: 'MISLEADING_DOMAIN_NAME' })
    await triage(report.id)
    const who = await actor()
    await app.container.overrides.changePriority(report.id, { priority: 'P2', reason: 'The domain targets a named school' }, who)

    let row = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    expect(row).toMatchObject({ priority: 'P2', priorityOverridden: true, overrideReason: 'The domain targets a named school', overriddenById: who.id })
    expect(row.slaDueAt!.getTime() - row.triagedAt!.getTime()).toBe(24 * 60 * 60_000)
    expect(await db().auditEvent.count({ where: { action: 'report.change_priority', objectId: String(report.id), actorId: String(who.id) } })).toBe(1)
    const event = await db().reportEvent.findFirstOrThrow({ where: { reportId: report.id, kind: 'PRIORITY_CHANGED' } })
    expect(event).toMatchObject({ actorId: who.id, note: 'The domain targets a named school' })

    await triage(report.id) // re-scored: the rules still say INFO, the person said P2
    row = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    expect(row.priority).toBe('P2')
    expect(row.score).toBeLessThan(25)
  })

  it('re-routes to the other team, releasing a claim, and notifies by the new route', async () => {
    const report = await receivedReport({ files: ['UNKNOWN'] })
    await triage(report.id)
    const analyst = await actor('CVIP_ANALYST')
    await db().report.update({ where: { id: report.id }, data: { status: 'IN_REVIEW', assigneeId: analyst.id, claimedAt: new Date() } })
    await app.container.overrides.reroute(report.id, { queue: 'CYBERTIPLINE', reason: 'Known series per the CVIP analyst' }, await actor())
    const row = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    expect(row).toMatchObject({ queue: 'CYBERTIPLINE', queueOverridden: true, routeRule: 'override', status: 'TRIAGED', assigneeId: null })
    await triage(report.id)
    expect((await db().report.findUniqueOrThrow({ where: { id: report.id } })).queue).toBe('CYBERTIPLINE')
  })

  it('escalates to P1 and mails the CyberTipline contact once', async () => {
    const report = await receivedReport({ incidentType: 'CHILD_SEX_TOURISM' })
    await triage(report.id)
    await app.container.overrides.escalate(report.id, { reason: 'Travel to meet the child is booked for tomorrow' }, await actor())
    expect((await db().report.findUniqueOrThrow({ where: { id: report.id } })).priority).toBe('P1')
    expect(await db().notification.count({ where: { reportId: report.id, kind: 'P1_REPORT' } })).toBe(1)
  })

  it('refuses without a reason, a no-op change, or a closed report, and changes nothing', async () => {
    const report = await receivedReport({})
    await triage(report.id)
    const who = await actor()
    const before = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    await expect(app.container.overrides.changePriority(report.id, { priority: 'P1', reason: 'short' }, who)).rejects.toThrow(/at least 10 characters/)
    await expect(app.container.overrides.changePriority(report.id, { priority: 'P0', reason: 'a long enough reason' }, who)).rejects.toThrow(/Choose P1, P2, P3 or INFO/)
    await expect(app.container.overrides.changePriority(report.id, { priority: before.priority, reason: 'a long enough reason' }, who)).rejects.toThrow(/is already/)
    await db().report.update({ where: { id: report.id }, data: { status: 'CLOSED', closingReason: 'INFORMATIONAL' } })
    await expect(app.container.overrides.escalate(report.id, { reason: 'a long enough reason' }, who)).rejects.toThrow(/closed: its priority and queue can no longer change/)
    const after = await db().report.findUniqueOrThrow({ where: { id: report.id } })
    expect(after.priority).toBe(before.priority)
    expect(await db().auditEvent.count({ where: { objectId: String(report.id), objectType: 'Report' } })).toBe(0)
  })
})

describe('overrides in the console', () => {
  it('lets triage staff re-route with a reason, refuses an analyst, and answers a missing reason clearly', async () => {
    const { createStaff, TEST_PASSWORD } = await import('../factories/staff.js')
    const { consoleClient } = await import('../support/console-client.js')
    const report = await receivedReport({ files: ['KNOWN'] })
    await triage(report.id)

    const triageUser = consoleClient(app.baseUrl)
    await triageUser.signIn((await createStaff(db(), 'TRIAGE')).email, TEST_PASSWORD)
    const missing = await triageUser.json(`/admin/api/resources/Report/records/${report.id}/reroute`, { queue: 'CVIP', reason: '' })
    expect(missing.notice).toMatchObject({ type: 'error', message: 'Give a reason of at least 10 characters' })
    const done = await triageUser.json(`/admin/api/resources/Report/records/${report.id}/reroute`, { queue: 'CVIP', reason: 'Background matches a CVIP case' })
    expect(done.notice).toMatchObject({ type: 'success', message: `Report ${report.id} is now P3 in the CVIP queue.` })

    const analyst = consoleClient(app.baseUrl)
    await analyst.signIn((await createStaff(db(), 'CVIP_ANALYST')).email, TEST_PASSWORD)
    const refused = await analyst.json(`/admin/api/resources/Report/records/${report.id}/changePriority`, { priority: 'P1', reason: 'I would like it higher' })
    expect(refused.notice.message).toBe('forbiddenError')
    const escalated = await analyst.json(`/admin/api/resources/Report/records/${report.id}/escalate`, { reason: 'The child says they are in danger now' })
    expect(escalated.notice).toMatchObject({ type: 'success' })
    expect((await db().report.findUniqueOrThrow({ where: { id: report.id } })).priority).toBe('P1')
  })
})

describe('new rule versions', () => {
  it('re-scores open reports triaged under other rules, keeps overrides, and is done after one pass', async () => {
    const stale = await receivedReport({ incidentType: 'ONLINE_ENTICEMENT', escalationText: 'meeting tonight' })
    await triage(stale.id)
    const overridden = await receivedReport({ incidentType: 'MISLEADING_DOMAIN_NAME' })
    await triage(overridden.id)
    await app.container.overrides.changePriority(overridden.id, { priority: 'P2', reason: 'A person knows better here' }, { id: (await db().staffUser.create({ data: { email: `s.${uniq()}@staff.example.com`, name: 'S', role: 'TRIAGE', passwordHash: 'x' } })).id, email: 'x@staff.example.com', origin: TEST_ORIGIN })
    // As if both were scored by older rules.
    await db().report.updateMany({ where: { id: { in: [stale.id, overridden.id] } }, data: { ruleVersion: 'scoring-2025-01-01' } })
    await db().report.update({ where: { id: stale.id }, data: { priority: 'P3' } })

    const first = await app.container.triage.rescoreOpenReports()
    expect(first.rescored).toBeGreaterThanOrEqual(2)
    const [a, b] = await Promise.all([db().report.findUniqueOrThrow({ where: { id: stale.id } }), db().report.findUniqueOrThrow({ where: { id: overridden.id } })])
    expect(a).toMatchObject({ priority: 'P1', ruleVersion: 'scoring-2026-12-04' })
    expect(b).toMatchObject({ priority: 'P2', ruleVersion: 'scoring-2026-12-04', priorityOverridden: true })
    expect(await db().reportEvent.count({ where: { reportId: stale.id, kind: 'PRIORITY_CHANGED' } })).toBe(1)
    expect(await app.container.triage.rescoreOpenReports()).toEqual({ rescored: 0, changed: 0 })
  })

  it('waits for a change a person is committing and keeps it: an override stays, a report closed meanwhile is left alone', async () => {
    const moved = await receivedReport({ incidentType: 'ONLINE_ENTICEMENT' })
    await triage(moved.id)
    const closed = await receivedReport({ incidentType: 'ONLINE_ENTICEMENT' })
    await triage(closed.id)
    await db().report.updateMany({ where: { id: { in: [moved.id, closed.id] } }, data: { ruleVersion: 'scoring-2025-01-01' } })
    const other = (await db().report.findUniqueOrThrow({ where: { id: moved.id } })).queue === 'CVIP' ? 'CYBERTIPLINE' : 'CVIP'
    // A person's change in flight: it holds both reports while the rescore starts.
    const person = await app.container.pgPool.connect()
    try {
      await person.query('BEGIN')
      await person.query('SELECT id FROM "Report" WHERE id = ANY($1::int[]) FOR UPDATE', [[moved.id, closed.id]])
      const rescoring = app.container.triage.rescoreOpenReports()
      await new Promise((resolve) => setTimeout(resolve, 300))
      await person.query(`UPDATE "Report" SET queue = $2::"Queue", "queueOverridden" = true, "routeRule" = 'override', "routeReason" = 'a person moved it' WHERE id = $1`, [moved.id, other])
      await person.query(`UPDATE "Report" SET status = 'CLOSED', "closingReason" = 'INFORMATIONAL', "closedAt" = now() WHERE id = $1`, [closed.id])
      await person.query('COMMIT')
      await rescoring
    } finally {
      person.release(true)
    }
    expect(await db().report.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ queue: other, queueOverridden: true, routeRule: 'override', ruleVersion: 'scoring-2026-12-04' })
    expect(await db().report.findUniqueOrThrow({ where: { id: closed.id } })).toMatchObject({ status: 'CLOSED', ruleVersion: 'scoring-2025-01-01' })
    expect(await db().reportEvent.count({ where: { reportId: closed.id, kind: 'PRIORITY_CHANGED' } })).toBe(0)
  })

  it('dry-runs candidate rules over recent reports, reporting changes and changing nothing', async () => {
    const { SCORING_RULES_V1, ROUTING_RULES_V1 } = await import('../../src/modules/triage/triage.rules.js')
    const snapshot = async () => (await db().report.findMany({ select: { id: true, priority: true, queue: true, score: true, ruleVersion: true }, orderBy: { id: 'asc' } }))
    const before = await snapshot()
    const same = await app.container.triage.dryRun({ scoring: SCORING_RULES_V1, routing: ROUTING_RULES_V1 }, 1000)
    expect(same.examined).toBe(before.filter((r) => r.priority).length)
    // Re-scored reports agree with the rules in force, except where a person overrode them.
    expect(same.levelChanged).toBe(0)

    const stricter = { ...SCORING_RULES_V1, version: 'scoring-candidate', escalation: 0 }
    const result = await app.container.triage.dryRun({ scoring: stricter, routing: ROUTING_RULES_V1 }, 1000)
    expect(result.levelChanged).toBeGreaterThan(0)
    expect(result.transitions).toHaveProperty(['P1 CYBERTIPLINE -> P3 CYBERTIPLINE'])
    expect(result.examples[0]).toMatchObject({ from: expect.stringMatching(/^P1 /) })
    expect(await snapshot()).toEqual(before)
  })

  it('offers the dry run in the console to administrators only, audited', async () => {
    const { createStaff, TEST_PASSWORD } = await import('../factories/staff.js')
    const { consoleClient } = await import('../support/console-client.js')
    const admin = consoleClient(app.baseUrl)
    await admin.signIn((await createStaff(db(), 'ADMIN')).email, TEST_PASSWORD)
    const ran = await admin.json('/admin/api/resources/Report/actions/dryRun', { scoring: 'scoring-2026-12-04', routing: 'routing-2026-12-04', lastN: '50' })
    expect(ran.result).toMatchObject({ candidate: { scoring: 'scoring-2026-12-04' }, examined: expect.any(Number) })
    const bad = await admin.json('/admin/api/resources/Report/actions/dryRun', { scoring: 'nope', routing: 'routing-2026-12-04', lastN: '999999' })
    expect(bad.notice).toMatchObject({ type: 'error', message: 'No scoring rules "nope"; At most 5,000 reports' })
    expect(await db().auditEvent.count({ where: { action: 'triage.dry_run' } })).toBe(1)

    const triageUser = consoleClient(app.baseUrl)
    await triageUser.signIn((await createStaff(db(), 'TRIAGE')).email, TEST_PASSWORD)
    const refused = await triageUser.json('/admin/api/resources/Report/actions/dryRun', { scoring: 'scoring-2026-12-04', routing: 'routing-2026-12-04', lastN: '50' })
    expect(refused.notice.message).toBe('forbiddenError')
  })
})

describe('duplicates', () => {
  const someone = async () => {
    const user = await db().staffUser.create({ data: { email: `t.${uniq()}@staff.example.com`, name: 'T', role: 'TRIAGE', passwordHash: 'x' } })
    return { id: user.id, email: user.email, origin: TEST_ORIGIN }
  }

  it('links reports by a shared account and by a shared file, within what the viewer may see', async () => {
    const screenName = `dup_${uniq()}`
    const md5 = md5Of(`dup file ${uniq()}`)
    const a = await receivedReport({ screenName })
    const b = await receivedReport({ screenName })
    const c = await receivedReport({ files: ['UNKNOWN'], fileMd5: md5 })
    const d = await receivedReport({ files: ['UNKNOWN'], fileMd5: md5 })
    for (const r of [a, b, c, d]) await triage(r.id)

    const byAccount = await app.container.duplicates.relatedReports(a.id)
    expect(byAccount.map((r) => r.id)).toEqual([b.id])
    expect(byAccount[0]!.why).toBe(`shares screen name ${screenName}`)
    const byFile = await app.container.duplicates.relatedReports(c.id)
    expect(byFile.map((r) => r.id)).toEqual([d.id])
    expect(byFile[0]!.why).toMatch(/^shares a file \(MD5 [0-9a-f]{8}…\)$/)
    // c and d went to CVIP (unknown files): a CyberTipline analyst's scope hides them.
    expect(await app.container.duplicates.relatedReports(c.id, { queue: 'CYBERTIPLINE' })).toEqual([])
  })

  it('merges a duplicate into its original, which keeps the higher priority, and undoes it exactly', async () => {
    const screenName = `merge_${uniq()}`
    const original = await receivedReport({ screenName, incidentType: 'MISLEADING_DOMAIN_NAME' })
    const duplicate = await receivedReport({ screenName, incidentType: 'ONLINE_ENTICEMENT', escalationText: 'tonight' })
    await triage(original.id)
    await triage(duplicate.id)
    const who = await someone()
    const result = await app.container.duplicates.merge(duplicate.id, { originalId: original.id, reason: 'Same account, same conversation' }, who)
    expect(result).toEqual({ originalId: original.id, raised: true })
    expect(await db().report.findUniqueOrThrow({ where: { id: duplicate.id } })).toMatchObject({ status: 'CLOSED', closingReason: 'DUPLICATE', mergedIntoId: original.id })
    expect(await db().report.findUniqueOrThrow({ where: { id: original.id } })).toMatchObject({ priority: 'P1', priorityOverridden: true })
    expect(await db().auditEvent.count({ where: { action: 'report.merge', objectId: String(duplicate.id) } })).toBe(1)

    await expect(app.container.duplicates.merge(duplicate.id, { originalId: original.id, reason: 'Same account, same conversation' }, who)).rejects.toThrow(/already merged/)
    await expect(app.container.duplicates.merge(original.id, { originalId: original.id, reason: 'Same account, same conversation' }, who)).rejects.toThrow(/cannot be merged into itself/)

    await app.container.duplicates.unmerge(duplicate.id, { reason: 'Different victims after all' }, who)
    expect(await db().report.findUniqueOrThrow({ where: { id: duplicate.id } })).toMatchObject({ status: 'TRIAGED', closingReason: null, mergedIntoId: null })
    expect((await db().report.findUniqueOrThrow({ where: { id: original.id } })).priority).toBe('INFO')
    expect((await db().reportEvent.findMany({ where: { reportId: duplicate.id }, orderBy: { id: 'asc' } })).map((e) => e.kind)).toEqual(['TRIAGED', 'MERGED', 'UNMERGED'])
    await expect(app.container.duplicates.unmerge(duplicate.id, { reason: 'Different victims after all' }, who)).rejects.toThrow(/is not merged/)
  })

  it('shows related reports on a report\'s page in the console and merges from there', async () => {
    const { createStaff, TEST_PASSWORD } = await import('../factories/staff.js')
    const { consoleClient } = await import('../support/console-client.js')
    const screenName = `console_${uniq()}`
    const a = await receivedReport({ screenName })
    const b = await receivedReport({ screenName })
    await triage(a.id)
    await triage(b.id)
    const client = consoleClient(app.baseUrl)
    await client.signIn((await createStaff(db(), 'TRIAGE')).email, TEST_PASSWORD)
    const shown = await client.json(`/admin/api/resources/Report/records/${b.id}/show`)
    expect(shown.record.params['related.0.id']).toBe(a.id)
    expect(shown.record.params['related.0.why']).toBe(`shares screen name ${screenName}`)
    const merged = await client.json(`/admin/api/resources/Report/records/${b.id}/merge`, { originalId: String(a.id), reason: 'The same account reported twice' })
    expect(merged.notice).toMatchObject({ type: 'success', message: `Report ${b.id} is now merged into report ${a.id}.` })
    const bad = await client.json(`/admin/api/resources/Report/records/${a.id}/merge`, { originalId: 'abc', reason: 'x' })
    expect(bad.notice).toMatchObject({ type: 'error', message: 'The original report: a report id; Give a reason of at least 10 characters' })
  })
})
