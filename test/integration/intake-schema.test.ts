// The XSD we publish is a valid XSD, and libxml2 (xmllint) and our validator agree on which
// documents it accepts; then random and mutated bodies sent to /submit never get a 5xx and never
// leave a row behind.
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseXml } from '../../src/lib/xml.js'
import { validateXml } from '../../src/lib/xml-schema.js'
import { CYBERTIPLINE_XSD, FILE_DETAILS_ELEMENT, REPORT_ELEMENT } from '../../src/modules/intake/intake.schemas.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { ispwsClient, type IspwsClient } from '../support/ispws-client.js'
import { createEspAccount } from '../factories/esp.js'
import { fileDetailsXml, INTERNET_DETAILS, minimalReportXml, reportXml } from '../factories/cybertipline.js'

let xsdPath: string

function xmllintAccepts(document: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = execFile('xmllint', ['--noout', '--nonet', '--schema', xsdPath, '-'], (error, _stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new Error('xmllint is not installed: apt-get install libxml2-utils (.ci/run does)'))
      else if (error && /failed to compile|Schemas parser error/.test(stderr)) reject(new Error(stderr))
      else resolve(!error)
    })
    child.stdin!.end(document)
  })
}

const ourValidatorAccepts = (document: string, root = REPORT_ELEMENT) => validateXml(parseXml(document), root).ok

describe('the published XSD', () => {
  beforeAll(async () => {
    xsdPath = join(await mkdtemp(join(tmpdir(), 'xsd-')), 'cybertipline.xsd')
    await writeFile(xsdPath, CYBERTIPLINE_XSD)
  })

  it('compiles, and accepts the documents published clients send', async () => {
    const valid = [
      minimalReportXml(),
      reportXml(),
      reportXml({ annotations: ['sextortion', 'spam', 'informational'], flagStyle: 'empty', batched: true, victim: true, lawEnforcement: true, estimatedRegion: 'TX', reporterState: 'CA' }),
      reportXml({ annotations: ['csamSolicitation', 'sadisticOnlineExploitation'], flagStyle: 'true', internetDetails: Object.keys(INTERNET_DETAILS), escalate: 'Immediate risk' }),
      reportXml({ incidentType: 'Online Enticement of Children for Sexual Act' }),
    ]
    for (const document of valid) {
      expect(await xmllintAccepts(document)).toBe(true)
      expect(ourValidatorAccepts(document)).toBe(true)
    }
    const details = fileDetailsXml(1, 'abc', { hashes: [{ type: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e' }], annotations: ['viral', 'infant'], relevance: 'Reported', classification: 'B2' })
    expect(await xmllintAccepts(details)).toBe(true)
    expect(ourValidatorAccepts(details, FILE_DETAILS_ELEMENT)).toBe(true)
  })

  it('refuses what our validator refuses: order, required elements, enumerations, unknown elements and attributes, types', async () => {
    const invalid = [
      minimalReportXml().replace(/<reporter>.*<\/reporter>/, ''),
      reportXml({ incidentType: 'Something Else' }),
      reportXml().replace(/<platform>.*?<\/platform>/, '').replace('</incidentDateTime>', '</incidentDateTime><platform>P</platform>'),
      minimalReportXml().replace('<reporter>', '<reporter><bogus/>'),
      minimalReportXml().replace('<incidentSummary>', '<incidentSummary colour="red">'),
      reportXml({ incidentDateTime: 'yesterday' }),
      reportXml({ batched: true }).replace('VIRAL_POTENTIAL_MEME', 'FUNNY'),
      reportXml().replace('<internetDetails><webPageIncident', '<internetDetails><emailIncident/><webPageIncident'),
      reportXml({ victim: true }).replace('<age>14</age>', '<age>fourteen</age>'),
      reportXml({ escalate: 'x'.repeat(3001) }),
      reportXml().replace('<associatedAccount type="Linked">', '<associatedAccount type="Cousin">'),
    ]
    for (const document of invalid) {
      expect(ourValidatorAccepts(document), document.slice(0, 200)).toBe(false)
      expect(await xmllintAccepts(document), document.slice(0, 200)).toBe(false)
    }
  })
})

describe('random and mutated bodies sent to /submit', () => {
  let app: TestApp
  let esp: IspwsClient
  beforeAll(async () => {
    app = await startTestApp()
    const account = await createEspAccount(app.container.db)
    esp = ispwsClient(app.baseUrl, account.username, account.secret)
  })
  afterAll(() => app.close())

  const base = reportXml({ annotations: ['sextortion'], victim: true, internetDetails: ['webPageIncident', 'peer2peerIncident'] })
  /** Edits of a valid report: cut a span, insert text, repeat a span, or swap two lines. */
  const mutated = fc.oneof(
    fc.tuple(fc.nat(base.length), fc.nat(200)).map(([at, n]) => base.slice(0, at) + base.slice(at + n)),
    fc.tuple(fc.nat(base.length), fc.string({ unit: 'binary', maxLength: 40 })).map(([at, s]) => base.slice(0, at) + s + base.slice(at)),
    fc.tuple(fc.nat(base.length), fc.nat(300)).map(([at, n]) => base.slice(0, at + n) + base.slice(at, at + n) + base.slice(at + n)),
    fc.tuple(fc.nat(60), fc.nat(60)).map(([a, b]) => {
      const lines = base.split('\n')
      const [i, j] = [a % lines.length, b % lines.length]
      ;[lines[i], lines[j]] = [lines[j]!, lines[i]!]
      return lines.join('\n')
    }),
    fc.constantFrom('<report>&lt;</report>', '<report><![CDATA[x]]></report>', '\uFEFF<report/>', '<report xmlns="urn:x"/>'),
  )
  const anyBody = fc.oneof(mutated, fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme-composite', maxLength: 200 }).map((s) => `<report>${s}</report>`))

  it('never answers 5xx, and a refused body leaves no row', async () => {
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const before = await app.container.db.report.count()
        const reply = await esp.submit(body)
        expect(reply.status).toBeLessThan(500)
        expect([0, 4000, 4100, 4110]).toContain(reply.code)
        if (reply.code === 0) accepted++
        else expect(await app.container.db.report.count()).toBe(before)
      }),
      { numRuns: 300 },
    )
    // Some mutations (a cut inside free text, say) stay valid; most do not.
    expect(accepted).toBeLessThan(300)
  })
})
