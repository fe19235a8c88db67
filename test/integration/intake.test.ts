import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { testClock } from '../support/clock.js'
import { ispwsClient, type IspwsClient } from '../support/ispws-client.js'
import { createEspAccount } from '../factories/esp.js'
import { fileDetailsXml, INTERNET_DETAILS, minimalReportXml, reportXml } from '../factories/cybertipline.js'
import { INCIDENT_TYPE_VALUES } from '../../src/modules/intake/intake.schemas.js'
import { INCIDENT_TYPES } from '../../src/modules/intake/intake.mapping.js'
import { issueEspSecret } from '../../src/modules/intake/esp-credentials.js'

const clock = testClock()
let app: TestApp
let esp: IspwsClient
let otherEsp: IspwsClient
let espId: number
const db = () => app.container.db

beforeAll(async () => {
  app = await startTestApp({}, { clock })
  const account = await createEspAccount(db())
  espId = account.id
  esp = ispwsClient(app.baseUrl, account.username, account.secret)
  const other = await createEspAccount(db())
  otherEsp = ispwsClient(app.baseUrl, other.username, other.secret)
})
afterAll(() => app.close())

/** Every row intake writes, counted: a refused call must leave these unchanged. */
async function rowCounts() {
  const [reports, files, parties, identifiers, events] = await Promise.all([
    db().report.count(), db().reportFile.count(), db().reportParty.count(), db().partyIdentifier.count(), db().reportEvent.count(),
  ])
  return { reports, files, parties, identifiers, events }
}

async function openReport(xml = reportXml()) {
  const reply = await esp.submit(xml)
  expect(reply.code, reply.description ?? '').toBe(0)
  return reply.reportId!
}

const hashesOf = (bytes: Buffer) => ({
  md5: createHash('md5').update(bytes).digest('hex'),
  sha1: createHash('sha1').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
})

describe('credentials', () => {
  it('answers /status with the account and address, and 401 with an empty body to a wrong, unknown or missing credential', async () => {
    const status = await esp.status()
    expect(status).toMatchObject({ status: 200, code: 0 })
    expect(status.description).toMatch(/^Remote User : example-esp-[0-9a-f]+, Remote Ip : /)
    expect(status.requestId).toBeTruthy()

    const account = await db().espAccount.findUniqueOrThrow({ where: { id: espId } })
    for (const client of [ispwsClient(app.baseUrl, account.username, 'wrong-secret'), ispwsClient(app.baseUrl, 'no-such-esp', 'x')]) {
      const reply = await client.status()
      expect(reply).toMatchObject({ status: 401, body: '' })
    }
    const bare = await fetch(`${app.baseUrl}/ispws/status`)
    expect(bare.status).toBe(401)
    expect(await bare.text()).toBe('')
  })

  it('refuses a disabled account on its next call', async () => {
    const account = await createEspAccount(db())
    const client = ispwsClient(app.baseUrl, account.username, account.secret)
    expect((await client.status()).code).toBe(0)
    await db().espAccount.update({ where: { id: account.id }, data: { isActive: false } })
    expect(await client.status()).toMatchObject({ status: 401, body: '' })
  })

  it('stops every kind of call at once when an account whose credential the process remembers is disabled, and leaves no row', async () => {
    const account = await createEspAccount(db())
    const client = ispwsClient(app.baseUrl, account.username, account.secret)
    // Calls that succeed, so the web process has checked (and remembers) the credential.
    const open = (await client.submit(reportXml())).reportId!
    const toFinish = (await client.submit(reportXml())).reportId!
    const upload = await client.upload(open, randomBytes(64), 'a.jpg')
    expect(upload.code).toBe(0)
    await db().espAccount.update({ where: { id: account.id }, data: { isActive: false } })
    const before = await rowCounts()

    const refused = [
      await client.submit(reportXml()),
      await client.upload(open, randomBytes(64), 'b.jpg'),
      await client.fileinfo(fileDetailsXml(open, upload.fileId!)),
      await client.finish(toFinish),
      await client.retract(open),
      await client.status(),
    ]
    for (const reply of refused) expect(reply).toMatchObject({ status: 401, body: '' })
    expect(await rowCounts()).toEqual(before)
    expect(await db().report.findMany({ where: { id: { in: [open, toFinish] } }, select: { status: true } })).toEqual([{ status: 'OPEN' }, { status: 'OPEN' }])
    expect((await db().reportFile.findFirstOrThrow({ where: { fileId: upload.fileId! } })).describedAt).toBeNull()

    // Enabled again, the same credential works again.
    await db().espAccount.update({ where: { id: account.id }, data: { isActive: true } })
    expect((await client.finish(toFinish)).code).toBe(0)
  })

  it('answers a revoked remembered credential 401 even when its call is malformed, renamed accounts included, and records no use of it', async () => {
    const account = await createEspAccount(db())
    const client = ispwsClient(app.baseUrl, account.username, account.secret)
    const reportId = (await client.submit(reportXml())).reportId!
    await db().espAccount.update({ where: { id: account.id }, data: { isActive: false } })
    expect(await client.submit('<report><not-closed>')).toMatchObject({ status: 401, body: '' })
    expect(await client.call('/finish', { method: 'POST', body: new URLSearchParams({ id: 'seven' }) })).toMatchObject({ status: 401, body: '' })
    expect(await client.upload(reportId, '')).toMatchObject({ status: 401, body: '' })
    await db().espAccount.update({ where: { id: account.id }, data: { isActive: true } })
    // The same input from a good credential is told what is wrong with it.
    expect((await client.submit('<report><not-closed>')).code).toBe(4110)

    // Renamed: the old name no longer opens anything, the new one does.
    expect((await client.submit(reportXml())).code).toBe(0)
    await db().espAccount.update({ where: { id: account.id }, data: { username: `${account.username}-renamed` } })
    expect(await client.submit(reportXml())).toMatchObject({ status: 401, body: '' })
    expect((await ispwsClient(app.baseUrl, `${account.username}-renamed`, account.secret).submit(reportXml())).code).toBe(0)

    // Its last use is not recorded once it is revoked.
    const stored = await db().espAccount.findUniqueOrThrow({ where: { id: account.id } })
    await db().espAccount.update({ where: { id: account.id }, data: { isActive: false, lastUsedAt: null } })
    await app.container.intake.touchEsp({ id: account.id, name: stored.name, username: stored.username, secretDigest: stored.secretDigest })
    expect((await db().espAccount.findUniqueOrThrow({ where: { id: account.id } })).lastUsedAt).toBeNull()
  })

  it('refuses the old secret on its next call once an account is given a new one', async () => {
    const account = await createEspAccount(db())
    const client = ispwsClient(app.baseUrl, account.username, account.secret)
    expect((await client.submit(reportXml())).code).toBe(0)
    const fresh = issueEspSecret()
    await db().espAccount.update({ where: { id: account.id }, data: { secretDigest: fresh.secretDigest } })
    const before = await rowCounts()
    expect(await client.submit(reportXml())).toMatchObject({ status: 401, body: '' })
    expect(await rowCounts()).toEqual(before)
    expect((await ispwsClient(app.baseUrl, account.username, fresh.secret).submit(reportXml())).code).toBe(0)
  })
})

describe('a report from submit to finish', () => {
  it('submits, uploads three files, describes them, and finishes: the report is received, matched and triaged whole', async () => {
    const reportId = await openReport(reportXml({ annotations: ['sextortion'], victim: true, estimatedRegion: 'TX' }))
    expect(await db().report.findUniqueOrThrow({ where: { id: reportId } })).toMatchObject({ status: 'OPEN', receivedAt: null, espAccountId: espId })

    const uploads = []
    for (let i = 0; i < 3; i++) {
      const bytes = randomBytes(70_000 + i)
      const reply = await esp.upload(reportId, bytes, `photo-${i}.jpg`)
      expect(reply.code, reply.description ?? '').toBe(0)
      expect(reply.reportId).toBe(reportId)
      expect(reply.fileId).toMatch(/^[0-9a-f]{32}$/)
      expect(reply.fileId).not.toMatch(/^\d+$/)
      expect(reply.hash).toBe(hashesOf(bytes).md5)
      uploads.push({ fileId: reply.fileId!, bytes })
    }
    for (const [i, { fileId, bytes }] of uploads.entries()) {
      const details = fileDetailsXml(reportId, fileId, { hashes: [{ type: 'MD5', value: hashesOf(bytes).md5.toUpperCase() }, { type: 'SHA-256', value: hashesOf(bytes).sha256 }], annotations: i === 0 ? ['viral', 'generativeAi'] : [] })
      const reply = await esp.fileinfo(details)
      expect(reply.code, reply.description ?? '').toBe(0)
    }

    const done = await esp.finish(reportId)
    expect(done).toMatchObject({ status: 200, code: 0, reportId })
    expect(done.body).toContain('<reportDoneResponse>')
    expect(done.fileIds).toEqual(uploads.map((u) => u.fileId))

    const report = await db().report.findUniqueOrThrow({ where: { id: reportId }, include: { files: { orderBy: { id: 'asc' } }, parties: true, identifiers: true, events: true } })
    expect(report).toMatchObject({ status: 'TRIAGED', incidentType: 'CHILD_PORNOGRAPHY', annotations: ['SEXTORTION'], jurisdictionState: 'TX' })
    expect(report.receivedAt).toBeInstanceOf(Date)
    expect(report.priority).not.toBeNull()
    expect(report.queue).not.toBeNull()
    expect(report.rawXml).toContain('<incidentSummary>')
    for (const [i, file] of report.files.entries()) {
      const expected = hashesOf(uploads[i]!.bytes)
      expect(file).toMatchObject({ fileId: uploads[i]!.fileId, fileName: 'upload.jpg', originalFileName: 'IMG_0001.jpg', sizeBytes: BigInt(uploads[i]!.bytes.length), ...expected, matchStatus: 'UNKNOWN', fileViewedByEsp: true, publiclyAvailable: false })
      expect((file.details as { originalFileHash: unknown[] }).originalFileHash).toEqual([{ hashType: 'MD5', value: expected.md5 }, { hashType: 'SHA256', value: expected.sha256 }])
    }
    expect(report.files[0]!.fileAnnotations).toEqual(['viral', 'generativeAi'])
    expect(report.parties.map((p) => p.role).sort()).toEqual(['REPORTED_USER', 'VICTIM'])
    const suspect = report.parties.find((p) => p.role === 'REPORTED_USER')!
    expect(suspect).toMatchObject({ screenName: 'suspect_account', emails: ['suspect@example.com'], phones: ['+1 202-555-0123'], espService: 'Example Social' })
    expect(report.identifiers.map((i) => `${i.kind} ${i.value}`).sort()).toEqual([
      'EMAIL suspect@example.com', 'ESP_IDENTIFIER uid-suspect_account', 'IP_ADDRESS 192.0.2.10', 'PHONE +12025550123',
      'PROFILE_URL https://www.example.com/u/suspect_account', 'SCREEN_NAME minor_account', 'SCREEN_NAME suspect_account', 'SCREEN_NAME suspect_account_alt',
    ])
    expect(report.events.map((e) => e.kind)).toEqual(['RECEIVED', 'TRIAGED'])
  })

  it('marks a file that is in the catalog as known when the report is finished', async () => {
    const bytes = Buffer.from(`catalogued file ${randomBytes(4).toString('hex')}`)
    const set = await db().hashSet.create({ data: { name: `set ${randomBytes(3).toString('hex')}`, source: 'test' } })
    const series = await db().series.create({ data: { name: `series ${randomBytes(3).toString('hex')}`, identified: true } })
    await db().knownHash.create({ data: { hashType: 'SHA1', value: hashesOf(bytes).sha1, category: 'CSAM', hashSetId: set.id, seriesId: series.id } })
    const reportId = await openReport()
    await esp.upload(reportId, bytes)
    await esp.upload(reportId, randomBytes(100))
    await esp.finish(reportId)
    const files = await db().reportFile.findMany({ where: { reportId }, orderBy: { id: 'asc' } })
    expect(files.map((f) => f.matchStatus)).toEqual(['IDENTIFIED_SERIES', 'UNKNOWN'])
    expect(files[0]!.knownHashId).not.toBeNull()
  })

  it('accepts the minimal report and a finish sent as multipart', async () => {
    const reportId = await openReport(minimalReportXml())
    const done = await esp.finishMultipart(reportId)
    expect(done).toMatchObject({ code: 0, reportId, fileIds: [] })
    expect((await db().report.findUniqueOrThrow({ where: { id: reportId } })).status).toBe('TRIAGED')
  })

  it('stores a report of every incident type under its own type', async () => {
    for (const value of INCIDENT_TYPE_VALUES) {
      const reportId = await openReport(reportXml({ incidentType: value }))
      expect((await esp.finish(reportId)).code).toBe(0)
      expect(await db().report.findUniqueOrThrow({ where: { id: reportId } })).toMatchObject({ incidentType: INCIDENT_TYPES[value], status: 'TRIAGED' })
    }
  })

  it('stores every internetDetails subtype', async () => {
    const reportId = await openReport(reportXml({ internetDetails: Object.keys(INTERNET_DETAILS) }))
    const report = await db().report.findUniqueOrThrow({ where: { id: reportId } })
    const details = report.internetDetails as { type: string }[]
    expect(details.map((d) => d.type)).toEqual(Object.keys(INTERNET_DETAILS))
    expect(details.find((d) => d.type === 'cellPhoneIncident')).toMatchObject({ latitude: 38.8977, phoneNumber: { value: '202-555-0147', type: 'Mobile' } })
    expect(details.find((d) => d.type === 'peer2peerIncident')).toMatchObject({ ipCaptureEvent: [{ ipAddress: '198.51.100.23', port: 6881 }] })
  })

  it('reads flags written either way and normalises a published client\'s incident type, recording that it did', async () => {
    for (const flagStyle of ['empty', 'true'] as const) {
      const reportId = await openReport(reportXml({ flagStyle, annotations: ['sextortion', 'minorToMinorInteraction', 'informational'], incidentType: 'Online Enticement of Children for Sexual Act' }))
      const report = await db().report.findUniqueOrThrow({ where: { id: reportId } })
      expect(report.annotations).toEqual(['SEXTORTION', 'MINOR_TO_MINOR_INTERACTION', 'INFORMATIONAL'])
      expect(report.incidentType).toBe('ONLINE_ENTICEMENT')
      expect(report.intakeNormalisations).toEqual([{ path: '/report/incidentSummary/incidentType', from: 'Online Enticement of Children for Sexual Act', to: 'Online Enticement of Children for Sexual Acts' }])
    }
    const off = await openReport(reportXml({ flagStyle: 'true', annotations: ['spam'] }).replace('<spam>true</spam>', '<spam>false</spam>'))
    expect((await db().report.findUniqueOrThrow({ where: { id: off } })).annotations).toEqual([])
  })
})

describe('refusals change nothing', () => {
  it('answers 4110 to malformed XML, a DOCTYPE, entities, and documents past the element or depth bounds', async () => {
    const before = await rowCounts()
    const bodies = [
      '',
      '<report><incidentSummary>',
      'not xml at all',
      '<report></reprot>',
      '<?xml version="1.0"?><!DOCTYPE report [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><report>&xxe;</report>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><report>&lol2;</report>',
      '<report>&undefined;</report>',
      `<report>${'<additionalInfo/>'.repeat(6000)}</report>`,
      `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`,
      '<report/><report/>',
    ]
    for (const body of bodies) {
      const reply = await esp.submit(body)
      expect(reply, body.slice(0, 60)).toMatchObject({ status: 200, code: 4110 })
      expect(reply.description).toMatch(/^Malformed XML submittal: /)
    }
    expect(await rowCounts()).toEqual(before)
  })

  it('answers 4100 naming what failed and where, for the schema and for the application checks', async () => {
    const before = await rowCounts()
    const cases: [string, RegExp][] = [
      [reportXml({ incidentType: 'Something Else' }), /\/report\/incidentSummary\/incidentType: "Something Else" is not one of/],
      [minimalReportXml().replace('<reporter>', '<reporter><bogus/>'), /\/report\/reporter\/bogus: is not an element of <reporter>/],
      [minimalReportXml().replace(/<reporter>.*<\/reporter>/, ''), /\/report\/reporter: is required/],
      [reportXml().replace(/<platform>.*?<\/platform>/, '').replace('</incidentDateTime>', '</incidentDateTime><platform>P</platform>'), /platform: is out of order/],
      [reportXml({ ip: '999.1.2.3' }), /ipAddress: "999\.1\.2\.3" is not an IPv4 or IPv6 address/],
      [reportXml({ ip: 'fe80::1%eth0' }), /is not an IPv4 or IPv6 address/],
      [reportXml({ incidentDateTime: '2099-01-01T00:00:00Z' }), /incidentDateTime: 2099-01-01T00:00:00.000Z is in the future/],
      [reportXml({ incidentDateTime: 'yesterday' }), /incidentDateTime: "yesterday" is not an xs:dateTime/],
      [reportXml({ email: 'not-an-address' }), /"not-an-address" is not an e-mail address/],
      [reportXml({ escalate: 'x'.repeat(3001) }), /escalateToHighPriority: is 3001 characters long; at most 3000/],
      [reportXml({ annotations: ['sextortion'] }).replace('<sextortion/>', '<sextortion>maybe</sextortion>'), /sextortion: "maybe" is not a boolean/],
      [reportXml({ batched: true }).replace('VIRAL_POTENTIAL_MEME', 'FUNNY'), /batchedReport\/@reason: "FUNNY" is not one of/],
      [reportXml().replace('<internetDetails><webPageIncident', '<internetDetails><emailIncident/><webPageIncident'), /internetDetails: must hold exactly one of/],
      ['<fileDetails><reportId>1</reportId><fileId>x</fileId></fileDetails>', /the root element must be <report>/],
    ]
    for (const [body, message] of cases) {
      const reply = await esp.submit(body)
      expect(reply.code, body.slice(0, 80)).toBe(4100)
      expect(reply.description).toMatch(/^Validation failed: /)
      expect(reply.description).toMatch(message)
    }
    expect(await rowCounts()).toEqual(before)
  })

  it('answers 4000 to a body over the size bound', async () => {
    const before = await rowCounts()
    const reply = await esp.submit(reportXml().replace('</additionalInfo>', `${'x'.repeat(app.config.intake.maxXmlBytes)}</additionalInfo>`))
    expect(reply).toMatchObject({ status: 200, code: 4000 })
    expect(reply.description).toMatch(/larger than \d+ bytes/)
    expect(await rowCounts()).toEqual(before)
  })

  it('checks file details: hash formats per hashType, the file belongs to the report, Supplemental Reported takes no classification', async () => {
    const reportId = await openReport()
    const { fileId } = await esp.upload(reportId, 'bytes')
    const before = await db().reportFile.findFirstOrThrow({ where: { fileId: fileId! } })
    const cases: [string, number, RegExp][] = [
      [fileDetailsXml(reportId, fileId!, { hashes: [{ type: 'MD5', value: 'abc' }] }), 4100, /a MD5 hash has 32 hex characters; "abc" has 3/],
      [fileDetailsXml(reportId, fileId!, { hashes: [{ type: 'SHA1', value: 'z'.repeat(40) }] }), 4100, /is not hexadecimal/],
      [fileDetailsXml(reportId, fileId!, { relevance: 'Supplemental Reported', classification: 'A1' }), 4100, /industryClassification: is not allowed/],
      [fileDetailsXml(reportId, fileId!, { classification: 'C3' }), 4100, /industryClassification: "C3" is not one of/],
      [fileDetailsXml(reportId, 'f'.repeat(32)), 5002, /File f{32} does not exist in report/],
      [fileDetailsXml(2_000_000_000, fileId!), 5001, /Report 2000000000 does not exist/],
    ]
    for (const [body, code, message] of cases) {
      const reply = await esp.fileinfo(body)
      expect(reply.code, body.slice(0, 80)).toBe(code)
      expect(reply.description).toMatch(message)
    }
    expect(await db().reportFile.findFirstOrThrow({ where: { fileId: fileId! } })).toEqual(before)
  })

  it('answers 5001 for an unknown report, 3000 for another account\'s, 5101 once retracted and 5102 once finished', async () => {
    for (const call of [(id: number) => esp.upload(id, 'x'), (id: number) => esp.finish(id), (id: number) => esp.retract(id), (id: number) => esp.fileinfo(fileDetailsXml(id, 'f'.repeat(32)))]) {
      expect(await call(1_999_999_999)).toMatchObject({ code: 5001, description: 'Report 1999999999 does not exist' })
    }
    expect((await esp.finish('12abc')).code).toBe(4000)

    const theirs = await openReport()
    for (const reply of [await otherEsp.upload(theirs, 'x'), await otherEsp.finish(theirs), await otherEsp.retract(theirs), await otherEsp.fileinfo(fileDetailsXml(theirs, 'f'.repeat(32)))]) {
      expect(reply.code).toBe(3000)
    }
    expect((await db().report.findUniqueOrThrow({ where: { id: theirs } })).status).toBe('OPEN')

    const retracted = await openReport()
    await esp.upload(retracted, 'x')
    expect(await esp.retract(retracted)).toMatchObject({ code: 0, reportId: retracted })
    expect(await db().report.findUniqueOrThrow({ where: { id: retracted }, include: { files: true, parties: true } })).toMatchObject({ status: 'RETRACTED', rawXml: null, files: [], parties: [] })
    for (const reply of [await esp.upload(retracted, 'x'), await esp.finish(retracted), await esp.retract(retracted)]) expect(reply.code).toBe(5101)

    const finished = await openReport()
    await esp.finish(finished)
    for (const reply of [await esp.upload(finished, 'x'), await esp.retract(finished), await esp.fileinfo(fileDetailsXml(finished, 'f'.repeat(32)))]) expect(reply.code).toBe(5102)
  })

  it('answers 4200 to an upload without a file part, and 4000 without a report id or a form at all', async () => {
    const reportId = await openReport()
    const before = await rowCounts()
    const noFile = new FormData()
    noFile.set('id', String(reportId))
    expect(await esp.call('/upload', { method: 'POST', body: noFile })).toMatchObject({ code: 4200, description: 'Malformed file submittal: the form has no "file" part' })
    const noId = new FormData()
    noId.set('file', new Blob([Buffer.from('x')]), 'x.bin')
    expect((await esp.call('/upload', { method: 'POST', body: noId })).code).toBe(4000)
    expect((await esp.call('/upload', { method: 'POST', body: 'not a form', headers: { 'content-type': 'text/plain' } })).code).toBe(4000)
    expect(await rowCounts()).toEqual(before)
  })

  it('answers 1000 with HTTP 500 and a Request-ID when the server fails, and stores nothing', async () => {
    await db().$executeRawUnsafe('ALTER TABLE "PartyIdentifier" RENAME TO "PartyIdentifierAway"')
    try {
      const before = await db().report.count()
      const reply = await esp.submit(reportXml())
      expect(reply).toMatchObject({ status: 500, code: 1000 })
      expect(reply.description).toContain(reply.requestId!)
      expect(await db().report.count()).toBe(before)
    } finally {
      await db().$executeRawUnsafe('ALTER TABLE "PartyIdentifierAway" RENAME TO "PartyIdentifier"')
    }
  })
})

describe('retries and races', () => {
  it('gives a retried finish the same answer and writes nothing twice', async () => {
    const reportId = await openReport()
    await esp.upload(reportId, 'one')
    const first = await esp.finish(reportId)
    const again = await esp.finish(reportId)
    expect(again.body).toBe(first.body)
    expect(await db().reportEvent.count({ where: { reportId } })).toBe(2)
    expect(await db().notification.count({ where: { reportId } })).toBeLessThanOrEqual(2)
  })

  it('finishes a report once under 12 concurrent finish calls, each told the same', async () => {
    const reportId = await openReport(reportXml({ escalate: 'A child is in immediate danger' }))
    await esp.upload(reportId, 'a')
    await esp.upload(reportId, 'b')
    const replies = await Promise.all(Array.from({ length: 12 }, () => esp.finish(reportId)))
    expect(new Set(replies.map((r) => r.body)).size).toBe(1)
    expect(replies[0]).toMatchObject({ code: 0, reportId })
    const events = await db().reportEvent.findMany({ where: { reportId } })
    expect(events.map((e) => e.kind).sort()).toEqual(['RECEIVED', 'TRIAGED'])
    // Escalated with new files: a P1 possible new victim, one immediate email to its team.
    const immediate = await db().notification.findMany({ where: { reportId, channel: 'IMMEDIATE' } })
    expect(immediate.map((n) => `${n.kind} ${n.priority}`)).toEqual(['POSSIBLE_NEW_VICTIM P1'])
  })

  it('answers, matches and counts a file whose upload committed while the finish waited for it', async () => {
    const reportId = await openReport()
    const first = await esp.upload(reportId, 'first file')
    // An upload in flight, as the API's upload statement runs it: it holds the report's row
    // (FOR SHARE) until it commits, so the finish below waits for it.
    const upload = await app.container.pgPool.connect()
    try {
      await upload.query('BEGIN')
      await upload.query(
        `INSERT INTO "ReportFile" ("reportId", "fileId", md5, sha1, sha256, "sizeBytes", "createdAt")
         SELECT r.id, $2, md5('late file'), substr(encode(sha256('late file'), 'hex'), 1, 40), encode(sha256('late file'), 'hex'), 9, now()
         FROM "Report" r WHERE r.id = $1 AND r.status = 'OPEN' FOR SHARE`,
        [reportId, 'f'.repeat(32)],
      )
      const finishing = esp.finish(reportId)
      await new Promise((resolve) => setTimeout(resolve, 300))
      await upload.query('COMMIT')
      const done = await finishing
      expect(done).toMatchObject({ code: 0, reportId })
      expect(done.fileIds).toEqual([first.fileId, 'f'.repeat(32)])
    } finally {
      // Thrown away, not pooled: after a failure it could still be inside the transaction.
      upload.release(true)
    }
    const received = await db().reportEvent.findFirstOrThrow({ where: { reportId, kind: 'RECEIVED' } })
    expect(received.details).toMatchObject({ files: 2 })
    expect(await db().reportFile.count({ where: { reportId, matchStatus: 'UNKNOWN' } })).toBe(2)
    // A retry is told the same.
    expect((await esp.finish(reportId)).fileIds).toEqual([first.fileId, 'f'.repeat(32)])
  })

  it('gives a retried fileinfo the same answer without adding rows', async () => {
    const reportId = await openReport()
    const { fileId } = await esp.upload(reportId, 'c')
    const body = fileDetailsXml(reportId, fileId!, { annotations: ['viral'] })
    const first = await esp.fileinfo(body)
    const before = await rowCounts()
    const again = await esp.fileinfo(body)
    expect(again.body).toBe(first.body)
    expect(await rowCounts()).toEqual(before)
  })
})

describe('open reports', () => {
  it('are discarded 24 h after opening or 1 h after their last change, whichever is later', async () => {
    const stale = await openReport()
    const recentlyTouched = await openReport()
    const young = await openReport()
    const hour = 3_600_000
    await db().report.update({ where: { id: stale }, data: { openedAt: new Date(clock.now().getTime() - 25 * hour), updatedAt: new Date(clock.now().getTime() - 2 * hour) } })
    await db().report.update({ where: { id: recentlyTouched }, data: { openedAt: new Date(clock.now().getTime() - 25 * hour), updatedAt: new Date(clock.now().getTime() - 30 * 60_000) } })
    await db().report.update({ where: { id: young }, data: { openedAt: new Date(clock.now().getTime() - 3 * hour), updatedAt: new Date(clock.now().getTime() - 2 * hour) } })
    expect(await app.container.intake.expireOpenReports()).toBeGreaterThanOrEqual(1)
    const statuses = await db().report.findMany({ where: { id: { in: [stale, recentlyTouched, young] } }, select: { id: true, status: true } })
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({ [stale]: 'RETRACTED', [recentlyTouched]: 'OPEN', [young]: 'OPEN' })
    expect((await esp.upload(stale, 'late')).code).toBe(5101)
  })
})

describe('the schema', () => {
  it('serves its XSD to an authenticated client only', async () => {
    const response = await esp.xsd()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/xml/)
    const xsd = await response.text()
    expect(xsd).toContain('<xs:element name="report" type="Report"/>')
    expect(xsd).toContain('<xs:element name="fileDetails" type="FileDetails"/>')
    expect((await fetch(`${app.baseUrl}/ispws/xsd`)).status).toBe(401)
  })
})

describe('the console', () => {
  const tip = {
    callReference: 'CALL-0042',
    incidentType: 'Online Enticement of Children for Sexual Acts',
    incidentAt: '2026-11-30T14:30',
    escalation: 'The caller says the meeting is tonight',
    'annotations.sextortion': 'true',
    urls: 'https://www.example.com/chat/1\nhttps://www.example.com/chat/2',
    description: 'A caller reports messages to her daughter',
    callerFirstName: 'Pat',
    callerPhone: '202-555-0188',
    suspectScreenName: 'Night_Owl_77',
    suspectEmail: 'owl@example.com',
    suspectIp: '203.0.113.77',
    victimFirstName: 'Sam',
    victimAge: '13',
  }

  it('lets triage staff enter a phone tip: validated like an ESP report, received, triaged and audited at once', async () => {
    const { createStaff, TEST_PASSWORD } = await import('../factories/staff.js')
    const { consoleClient } = await import('../support/console-client.js')
    const staff = await createStaff(db(), 'TRIAGE')
    const triageUser = consoleClient(app.baseUrl)
    await triageUser.signIn(staff.email, TEST_PASSWORD)

    const before = await rowCounts()
    const future = await triageUser.json('/admin/api/resources/Report/actions/enterReport', { ...tip, incidentAt: '2099-01-01T00:00' })
    expect(future.problems).toEqual([{ field: 'incidentAt', message: '2099-01-01T00:00:00.000Z is in the future' }])
    const missing = await triageUser.json('/admin/api/resources/Report/actions/enterReport', { incidentAt: '2026-11-30T14:30' })
    expect(missing.problems).toEqual(expect.arrayContaining([
      { field: 'incidentType', message: 'choose one of the eight incident types' },
      { field: 'callerFirstName', message: expect.stringMatching(/required/i) },
    ]))
    const badIp = await triageUser.json('/admin/api/resources/Report/actions/enterReport', { ...tip, suspectIp: '300.1.1.1' })
    expect(badIp.problems).toEqual([{ field: 'suspectIp', message: '"300.1.1.1" is not an IPv4 or IPv6 address' }])
    const badAge = await triageUser.json('/admin/api/resources/Report/actions/enterReport', { ...tip, victimAge: 'thirteen' })
    expect(badAge.problems).toEqual([{ field: 'victimAge', message: '"thirteen" is not an integer' }])
    expect(await rowCounts()).toEqual(before)

    const saved = await triageUser.json('/admin/api/resources/Report/actions/enterReport', tip)
    expect(saved.notice).toMatchObject({ type: 'success' })
    const reportId = Number(/records\/(\d+)\/show/.exec(saved.redirectUrl)![1])
    const report = await db().report.findUniqueOrThrow({ where: { id: reportId }, include: { parties: true, identifiers: true, events: { orderBy: { id: 'asc' } } } })
    expect(report).toMatchObject({
      source: 'PUBLIC', espAccountId: null, externalReference: 'CALL-0042', status: 'TRIAGED', incidentType: 'ONLINE_ENTICEMENT',
      annotations: ['SEXTORTION'], escalationText: 'The caller says the meeting is tonight', priority: 'P1',
      incidentAt: new Date('2026-11-30T14:30:00Z'),
    })
    expect(report.rawXml).toContain('<screenName>Night_Owl_77</screenName>')
    expect(report.identifiers.map((i) => `${i.kind} ${i.value}`).sort()).toEqual(['EMAIL owl@example.com', 'IP_ADDRESS 203.0.113.77', 'SCREEN_NAME night_owl_77'])
    expect(report.events.map((e) => [e.kind, e.actorId])).toEqual([['RECEIVED', staff.id], ['TRIAGED', null]])
    expect(await db().auditEvent.count({ where: { action: 'report.enter', objectId: String(reportId), actorId: String(staff.id) } })).toBe(1)

    // Its page shows what was submitted: details, people, files and the XML.
    const shown = await triageUser.json(`/admin/api/resources/Report/records/${reportId}/show`)
    const view = JSON.parse(shown.record.params.intakeView)
    expect(view.internetDetails).toEqual([{ type: 'webPageIncident', url: ['https://www.example.com/chat/1', 'https://www.example.com/chat/2'] }])
    expect(view.parties.map((p: { role: string }) => p.role)).toEqual(['REPORTED_USER', 'VICTIM'])
    expect(view.parties[0]).toMatchObject({ screenName: 'Night_Owl_77', ips: ['203.0.113.77'], emails: ['owl@example.com'] })
    expect(view.reporter).toBe('Pat, 202-555-0188')
    expect(view.rawXml).toContain('<report>')
  })

  it('shows an ESP report\'s files with their hashes, and refuses hand entry to analysts', async () => {
    const { createStaff, TEST_PASSWORD } = await import('../factories/staff.js')
    const { consoleClient } = await import('../support/console-client.js')
    const reportId = await openReport()
    const bytes = Buffer.from('shown file')
    await esp.upload(reportId, bytes, 'shown.jpg')
    await esp.finish(reportId)
    const supervisor = consoleClient(app.baseUrl)
    await supervisor.signIn((await createStaff(db(), 'SUPERVISOR')).email, TEST_PASSWORD)
    const view = JSON.parse((await supervisor.json(`/admin/api/resources/Report/records/${reportId}/show`)).record.params.intakeView)
    expect(view.files).toEqual([expect.objectContaining({ fileName: 'shown.jpg', ...hashesOf(bytes), sizeBytes: String(bytes.length), matchStatus: 'UNKNOWN' })])

    const analyst = consoleClient(app.baseUrl)
    await analyst.signIn((await createStaff(db(), 'CYBERTIP_ANALYST')).email, TEST_PASSWORD)
    const before = await rowCounts()
    const refused = await analyst.json('/admin/api/resources/Report/actions/enterReport', tip)
    expect(refused.notice.message).toBe('forbiddenError')
    expect(await rowCounts()).toEqual(before)
  })
})
