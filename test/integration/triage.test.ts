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
