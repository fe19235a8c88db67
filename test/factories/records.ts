// One record of every model, for tests that walk the console's resources.
import { NO_REQUEST } from '../../src/lib/request-context.js'
import { createHash, randomBytes } from 'node:crypto'
import type { Queue } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { ROUTING_RULES_V1, SCORING_RULES_V1 } from '../../src/modules/triage/triage.rules.js'
import type { AuditService } from '../../src/modules/audit/audit.service.js'
import { digestEspSecret } from '../../src/modules/intake/esp-credentials.js'

export const uniq = () => randomBytes(4).toString('hex')
export const md5Of = (text: string) => createHash('md5').update(text).digest('hex')

export async function createAgency(db: Db, overrides: { name?: string } = {}) {
  const id = uniq()
  return db.agency.create({
    data: { name: overrides.name ?? `Test Agency ${id}`, kind: 'ICAC_TASK_FORCE', state: 'CA', emailDomains: [`${id}.example.com`] },
  })
}

export async function createReport(db: Db, queue: Queue, espAccountId?: number) {
  const report = await db.report.create({
    data: {
      source: 'ESP',
      espAccountId: espAccountId ?? null,
      status: 'TRIAGED',
      incidentType: 'ONLINE_ENTICEMENT',
      incidentAt: new Date(Date.now() - 3600_000),
      priority: 'P2',
      score: 70,
      ruleVersion: SCORING_RULES_V1.version,
      routeRule: `${ROUTING_RULES_V1.version}:default`,
      queue,
      receivedAt: new Date(),
      triagedAt: new Date(),
      files: { create: { fileId: md5Of(`file ${uniq()}`).replace(/^\d/, 'a'), md5: md5Of(`content ${uniq()}`), matchStatus: 'UNKNOWN' } },
      events: { create: { kind: 'RECEIVED' } },
    },
  })
  const party = await db.reportParty.create({ data: { reportId: report.id, role: 'REPORTED_USER', screenName: `user_${uniq()}`, emails: [] } })
  await db.partyIdentifier.create({ data: { reportId: report.id, partyId: party.id, kind: 'SCREEN_NAME', value: party.screenName! } })
  return report
}

export async function createOneOfEverything(db: Db, audit: AuditService) {
  const agency = await createAgency(db)
  const esp = await db.espAccount.create({ data: { name: `ESP ${uniq()}`, username: `esp-${uniq()}`, secretDigest: digestEspSecret(uniq()) } })
  const cybertipReport = await createReport(db, 'CYBERTIPLINE', esp.id)
  const cvipReport = await createReport(db, 'CVIP', esp.id)
  const registration = await db.officerRegistration.create({
    data: {
      firstName: 'Jordan', lastName: 'Example', kind: 'OFFICER', agencyId: agency.id, badgeNumber: `B-${uniq()}`,
      officialEmail: `officer.${uniq()}@${agency.emailDomains[0]}`, phone: '+1-202-555-0101', supervisorName: 'Sam Supervisor',
      supervisorEmail: `sup.${uniq()}@${agency.emailDomains[0]}`, status: 'PENDING_REVIEW', passwordHash: 'not-a-real-hash', emailConfirmedAt: new Date(),
    },
  })
  const hashSet = await db.hashSet.create({ data: { name: `Set ${uniq()}`, source: 'test' } })
  const series = await db.series.create({ data: { name: `Series ${uniq()}`, identified: true, identifiedAt: new Date() } })
  const knownHash = await db.knownHash.create({ data: { hashType: 'MD5', value: md5Of(uniq()), category: 'CSAM', hashSetId: hashSet.id, seriesId: series.id } })
  const ipLocation = await db.ipLocation.create({ data: { network: `198.51.100.${Math.floor(Math.random() * 16) * 16}/28`, country: 'US', region: 'TX', source: 'test' } })
  const registrationToken = await db.registrationToken.create({
    data: { registrationId: registration.id, purpose: 'EMAIL_CONFIRMATION', digest: createHash('sha256').update(uniq()).digest('hex'), expiresAt: new Date(Date.now() + 3600_000) },
  })
  const hashSearch = await db.hashSearch.create({ data: { officerId: registration.id, hashCount: 3, status: 'COMPLETED' } })
  const collectionReview = await db.collectionReview.create({
    data: { reportId: cvipReport.id, officerId: registration.id, caseNumber: `CASE-${uniq()}`, agencyName: agency.name, statute: '18 U.S.C. 2252A', lineCount: 2, hashList: `1:MD5:${md5Of(uniq())}`, status: 'IN_REVIEW' },
  })
  const notification = await db.notification.create({
    data: { kind: 'P1_REPORT', recipient: 'ecuassistance@clearinghouse.example.com', template: 'p1-report', data: { reportId: cybertipReport.id }, idempotencyKey: `test-${uniq()}`, reportId: cybertipReport.id },
  })
  await audit.record({ actorType: 'SYSTEM', ...NO_REQUEST, action: 'test.fixture', outcome: 'SUCCESS' })
  const auditEvent = await db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })
  const [file, party, identifier, event] = await Promise.all([
    db.reportFile.findFirstOrThrow({ where: { reportId: cybertipReport.id } }),
    db.reportParty.findFirstOrThrow({ where: { reportId: cybertipReport.id } }),
    db.partyIdentifier.findFirstOrThrow({ where: { reportId: cybertipReport.id } }),
    db.reportEvent.findFirstOrThrow({ where: { reportId: cybertipReport.id } }),
  ])
  return {
    agency, esp, cybertipReport, cvipReport, registration, registrationToken, hashSet, series, knownHash, hashSearch, collectionReview, notification, auditEvent, ipLocation,
    file, party, identifier, event,
  }
}
