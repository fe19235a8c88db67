import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseHashLine } from '../../src/modules/hashes/hash-formats.js'
import { hammingDistance, pdqChunks, pdqProbes } from '../../src/modules/hashes/pdq.js'
import { categoryOf, splitCsvLine } from '../../src/modules/hashes/catalog-formats.js'
import { searchCsv } from '../../src/modules/hashes/hash-search.service.js'
import { searchPdf } from '../../src/modules/hashes/search-pdf.js'

const md5 = 'd41d8cd98f00b204e9800998ecf8427e'

describe('a line of a hash list', () => {
  it.each([
    [md5.toUpperCase(), { hashType: 'MD5', value: md5 }],
    [`  md5: ${md5} `, { hashType: 'MD5', value: md5 }],
    [`SHA-1,${'a'.repeat(40)}`, { hashType: 'SHA1', value: 'a'.repeat(40) }],
    ['f'.repeat(64), { hashType: 'SHA256', value: 'f'.repeat(64) }],
    [`pdq ${'F'.repeat(64)}`, { hashType: 'PDQ', value: 'f'.repeat(64) }],
    ['', null],
    ['# a comment', null],
    ['abc', { error: '3 hex characters is no hash we hold: MD5 has 32, SHA-1 40, SHA-256 and PDQ 64' }],
    ['two words', { error: '"two words" is not one hash: put one hash on each line' }],
    [`sha256:${md5}`, { error: `a SHA256 hash has 64 hex characters; "${md5}" has 32` }],
  ] as const)('%j', (line, expected) => {
    expect(parseHashLine(line)).toEqual(expected)
  })

  it('reads 64 characters as PDQ when told so', () => {
    expect(parseHashLine('0'.repeat(64), { sixtyFour: 'PDQ' })).toEqual({ hashType: 'PDQ', value: '0'.repeat(64) })
  })
})

describe('PDQ chunks and distances', () => {
  it('cuts 16 chunks of 16 bits and probes each with its one-bit neighbours up to radius 31', () => {
    const hex = randomBytes(32).toString('hex')
    expect(pdqChunks(hex)).toHaveLength(16)
    expect(pdqProbes(hex, 15).map((p) => p.length)).toEqual(Array(16).fill(1))
    const probes = pdqProbes(hex, 31)
    expect(probes.map((p) => new Set(p).size)).toEqual(Array(16).fill(17))
    expect(pdqProbes(hex, 47)[0]).toHaveLength(1 + 16 + 120)
    expect(() => pdqProbes(hex, 48)).toThrow(/not supported/)
  })

  it('counts differing bits', () => {
    expect(hammingDistance('00'.repeat(32), 'ff'.repeat(32))).toBe(256)
    expect(hammingDistance('0f', '0e')).toBe(1)
  })
})

describe('CSV and categories', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(['a', 'b,c', 'd "e"', ''])
    expect(splitCsvLine('"open')).toBeNull()
  })
  it('reads categories by name or Project VIC number', () => {
    expect(categoryOf('1', 'NON_PERTINENT')).toBe('CSAM')
    expect(categoryOf('cgi animation', 'CSAM')).toBe('CGI_ANIMATION')
    expect(categoryOf('', 'COMPARISON')).toBe('COMPARISON')
    expect(categoryOf('9', 'CSAM')).toEqual({ error: 'category 9 is not one of 0-4' })
  })
})

describe('a search as CSV and PDF', () => {
  const search = {
    id: 7, createdAt: new Date('2026-12-05T01:00:00Z'), completedAt: new Date('2026-12-05T01:00:01Z'), hashCount: 2, matchCount: 1, invalidCount: 1,
    results: [
      { line: 1, value: md5, hashType: 'MD5', known: true, match: 'exact', distance: null, category: 'CSAM', series: 'Lighthouse (demo)', seriesIdentified: true, contactCvip: true },
      { line: 2, input: '=HYPERLINK("x")', error: 'not hexadecimal' },
    ],
  }
  it('writes CSV a spreadsheet will not run as formulas', () => {
    const csv = searchCsv(search as never, 'cvip@clearinghouse.example.com').split('\r\n')
    expect(csv[1]).toBe(`1,${md5},MD5,Known,Exact,Child sexual abuse material,Lighthouse (demo) (identified),Yes: the child in this series has been identified. Contact CVIP at cvip@clearinghouse.example.com,`)
    expect(csv[2]).toBe(`2,"'=HYPERLINK(""x"")",,Not searched,,,,,not hexadecimal`)
  })
  it('writes a PDF whose cross-reference table points at its objects', () => {
    const pdf = searchPdf(search as never, 'cvip@clearinghouse.example.com').toString('latin1')
    const xref = Number(/startxref\n(\d+)/.exec(pdf)![1])
    expect(pdf.slice(xref, xref + 4)).toBe('xref')
    const offsets = [...pdf.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]))
    offsets.forEach((offset, i) => expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`))
    expect(pdf).toContain(`(Line 1: MD5 ${md5}) '`)
  })
})

describe("a failed import's error in the audit trail", () => {
  it('keeps the cause and drops anything that looks like a hash', async () => {
    const { describeImportError } = await import('../../src/modules/hashes/catalog.service.js')
    const sha256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'
    expect(describeImportError(new Error('the upload was cut off'))).toBe('the upload was cut off')
    expect(describeImportError(new Error(`line 7: ${md5} and ${sha256.toLowerCase()} refused`))).toBe('line 7: [hash] and [hash] refused')
    const database = Object.assign(new Error(`duplicate key value violates unique constraint: (MD5, ${md5})`), { code: '23505' })
    expect(describeImportError(database)).toBe('SQLSTATE 23505: duplicate key value violates unique constraint: (MD5, [hash])')
    expect(describeImportError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('read ECONNRESET')
    expect(describeImportError(new Error('x'.repeat(400)))).toHaveLength(300)
  })
})
