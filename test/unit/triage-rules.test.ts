import { describe, expect, it } from 'vitest'
import type { IncidentType } from '@prisma/client'
import { levelOf, scoreReport, type TriageInput } from '../../src/modules/triage/scoring.js'
import { routeReport } from '../../src/modules/triage/routing.js'
import { deriveJurisdiction } from '../../src/modules/triage/jurisdiction.js'
import { ROUTING_RULES_V1, SCORING_RULES_V1 as RULES } from '../../src/modules/triage/triage.rules.js'

const received = new Date('2026-12-04T12:00:00Z')
const report = (overrides: Partial<TriageInput> = {}): TriageInput => ({
  incidentType: 'CHILD_PORNOGRAPHY',
  incidentAt: new Date(received.getTime() - 30 * 24 * 3_600_000), // old: no recency factor
  receivedAt: received,
  escalationText: null,
  annotations: [],
  batchedReason: null,
  files: [],
  priorReportCount: 0,
  locations: [],
  ...overrides,
})
const factorOf = (input: TriageInput, name: string) => scoreReport(input, RULES).factors.find((f) => f.factor === name)

describe('scoring factors', () => {
  it.each([
    ['escalation', { escalationText: 'Meeting the child tonight' }, 45, 'escalateToHighPriority present'],
    ['annotation:SEXTORTION', { annotations: ['SEXTORTION'] }, 20, 'annotated sextortion'],
    ['annotation:SADISTIC_ONLINE_EXPLOITATION', { annotations: ['SADISTIC_ONLINE_EXPLOITATION'] }, 25, 'annotated sadistic online exploitation'],
    ['annotation:MINOR_TO_MINOR_INTERACTION', { annotations: ['MINOR_TO_MINOR_INTERACTION'] }, -5, 'annotated minor to minor interaction'],
    ['annotation:SPAM', { annotations: ['SPAM'] }, -40, 'annotated spam'],
    ['annotation:INFORMATIONAL', { annotations: ['INFORMATIONAL'] }, -40, 'annotated informational'],
    ['unknownFiles', { files: [{ matchStatus: 'UNKNOWN' }, { matchStatus: 'KNOWN' }, { matchStatus: 'UNKNOWN' }, { matchStatus: 'UNKNOWN' }] }, 15, '3 of 4 files match no known hash'],
    ['allFilesKnown', { files: [{ matchStatus: 'KNOWN' }, { matchStatus: 'KNOWN' }] }, -5, 'all 2 files are in the known-hash catalog'],
    ['identifiedSeries', { files: [{ matchStatus: 'IDENTIFIED_SERIES' }, { matchStatus: 'KNOWN' }] }, -5, '1 of 2 files match an identified series'],
    ['viralMeme', { batchedReason: 'VIRAL_POTENTIAL_MEME' }, -35, 'batched by the ESP as a viral meme'],
    ['recent', { incidentAt: new Date(received.getTime() - 5 * 3_600_000) }, 10, 'incident 5 h before the report (within 72 h)'],
    ['priorReports', { priorReportCount: 1 }, 5, '1 earlier report about the same account, email, IP or file'],
    ['priorReports', { priorReportCount: 9 }, 15, '9 earlier reports about the same account, email, IP or file'],
    ['priorReports', { priorReportCount: 21 }, 15, 'more than 20 earlier reports about the same account, email, IP or file'],
  ] as const)('%s', (factor, overrides, weight, evidence) => {
    expect(factorOf(report(overrides as Partial<TriageInput>), factor)).toEqual({ factor, weight, evidence })
  })

  it('leaves out what is absent: no files, no escalation, an old incident, no prior reports', () => {
    expect(scoreReport(report(), RULES).factors.map((f) => f.factor)).toEqual(['base', 'incidentType'])
  })

  it.each(Object.entries(RULES.incidentType))('weighs incident type %s at %i', (type, weight) => {
    expect(factorOf(report({ incidentType: type as IncidentType }), 'incidentType')?.weight).toBe(weight)
  })

  it('sums the factors, clamps to 0..100, and records the rule version', () => {
    const high = scoreReport(report({ incidentType: 'CHILD_SEX_TRAFFICKING', escalationText: 'now', annotations: ['SADISTIC_ONLINE_EXPLOITATION'], priorReportCount: 3 }), RULES)
    expect(high.score).toBe(100)
    expect(high.level).toBe('P1')
    expect(high.ruleVersion).toBe(RULES.version)
    const low = scoreReport(report({ annotations: ['SPAM', 'INFORMATIONAL'], batchedReason: 'VIRAL_POTENTIAL_MEME' }), RULES)
    expect(low.score).toBe(0)
    expect(low.level).toBe('INFO')
  })
})

describe('levels', () => {
  it.each([
    [100, 'P1'], [75, 'P1'], [74, 'P2'], [50, 'P2'], [49, 'P3'], [25, 'P3'], [24, 'INFO'], [0, 'INFO'],
  ] as const)('score %i is %s', (score, level) => {
    expect(levelOf(score, RULES)).toBe(level)
  })

  it.each([
    ['ONLINE_ENTICEMENT', { escalationText: 'meeting tonight' }, 'P1'],
    ['CHILD_SEX_TRAFFICKING', { incidentAt: new Date(received.getTime() - 3_600_000) }, 'P2'],
    ['CHILD_SEXUAL_MOLESTATION', { files: [{ matchStatus: 'UNKNOWN' }] }, 'P2'],
    ['ONLINE_ENTICEMENT', { annotations: ['SEXTORTION'] }, 'P2'],
    ['CHILD_PORNOGRAPHY', { files: [{ matchStatus: 'UNKNOWN' }] }, 'P3'],
    ['CHILD_PORNOGRAPHY', { files: [{ matchStatus: 'KNOWN' }] }, 'P3'],
    ['CHILD_SEX_TOURISM', {}, 'P3'],
    ['UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD', {}, 'P3'],
    ['MISLEADING_DOMAIN_NAME', {}, 'INFO'],
    ['MISLEADING_WORDS_OR_DIGITAL_IMAGES', {}, 'INFO'],
    ['CHILD_PORNOGRAPHY', { batchedReason: 'VIRAL_POTENTIAL_MEME', files: [{ matchStatus: 'KNOWN' }] }, 'INFO'],
  ] as const)('a %s report with %j is %s', (incidentType, overrides, level) => {
    expect(scoreReport(report({ incidentType, ...(overrides as Partial<TriageInput>) }), RULES).level).toBe(level)
  })
})

describe('routing', () => {
  it.each([
    [{ files: [{ matchStatus: 'UNKNOWN' }, { matchStatus: 'KNOWN' }] }, 'CVIP', 'possible-new-victim', '1 of 2 files match no known hash: possible new victim'],
    [{ files: [{ matchStatus: 'IDENTIFIED_SERIES' }] }, 'CVIP', 'identified-series', '1 of 1 files match an identified series'],
    [{ files: [{ matchStatus: 'KNOWN' }] }, 'CYBERTIPLINE', 'default', 'no file suggests a new or identified victim'],
    [{ files: [] }, 'CYBERTIPLINE', 'default', 'no file suggests a new or identified victim'],
    [{ files: [{ matchStatus: 'UNKNOWN' }], batchedReason: 'VIRAL_POTENTIAL_MEME' }, 'CYBERTIPLINE', 'viral-batch', 'batched by the ESP as a viral meme'],
  ] as const)('%j goes to %s by rule %s', (input, queue, rule, reason) => {
    const route = routeReport({ batchedReason: null, ...(input as object) } as Parameters<typeof routeReport>[0], ROUTING_RULES_V1)
    expect(route).toEqual({ queue, rule: `${ROUTING_RULES_V1.version}:${rule}`, reason, ruleVersion: ROUTING_RULES_V1.version })
  })
})

describe('jurisdiction', () => {
  it('follows the most location evidence', () => {
    const j = deriveJurisdiction([
      { countryCode: 'US', region: 'tx', source: 'estimated location of the reported user' },
      { countryCode: 'US', region: 'TX', source: "reporter's address" },
      { countryCode: 'US', region: 'CA', source: 'estimated location of the victim' },
    ])
    expect(j).toEqual({ country: 'US', state: 'TX', evidence: "TX, US from estimated location of the reported user, reporter's address" })
  })

  it('gives a country without a state outside the US', () => {
    const j = deriveJurisdiction([{ countryCode: 'gb', region: 'London', source: 'estimated location of the reported user' }])
    expect(j).toMatchObject({ country: 'GB', state: null })
  })

  it('says so when the report has no usable location', () => {
    expect(deriveJurisdiction([{ countryCode: null, region: 'CA', source: 'x' }, { countryCode: 'United States', region: null, source: 'y' }])).toEqual({
      country: null, state: null, evidence: 'no location in the report',
    })
  })
})
