// The three formats the catalog imports, read as streams: a plain list (one hash a line), a CSV
// with a header, and Project VIC / VICS JSON (OData: `value[]` of Media records, or of Cases
// holding `Media[]`). Each yields one record per hash or one rejection per bad line, with the
// line number, and never stops at a bad line.
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { HashCategory, HashType } from '@prisma/client'
import { hashTypeNamed, normaliseHash, parseHashLine } from './hash-formats.js'

export const CATALOG_FORMATS = ['plain', 'csv', 'vics'] as const
export type CatalogFormat = (typeof CATALOG_FORMATS)[number]

export type CatalogRecord = {
  line: number
  hashType: HashType
  value: string
  category: HashCategory
  series: string | null
  seriesIdentified: boolean
}
export type RejectedLine = { line: number; reason: string }
export type CatalogItem = CatalogRecord | RejectedLine

export type ReadOptions = {
  /** The category of hashes whose line does not say (a plain list never does). */
  category: HashCategory
  /** A plain list's type when every line is of one type; otherwise read from each line. */
  hashType?: HashType | null
  /** A plain list's series, if the whole list is one series. */
  series?: string | null
}

/** Project VIC numbering, in HashCategory's order. */
const CATEGORY_BY_NUMBER: HashCategory[] = ['NON_PERTINENT', 'CSAM', 'CHILD_EXPLOITIVE', 'CGI_ANIMATION', 'COMPARISON']

/** A category given as its name, its Project VIC number (0-4), or nothing (the default). */
export function categoryOf(value: unknown, fallback: HashCategory): HashCategory | { error: string } {
  if (value === undefined || value === null || value === '') return fallback
  const text = String(value).trim().toUpperCase().replace(/[\s-]+/g, '_')
  if (/^\d+$/.test(text)) return CATEGORY_BY_NUMBER[Number(text)] ?? { error: `category ${text} is not one of 0-4` }
  if ((CATEGORY_BY_NUMBER as string[]).includes(text)) return text as HashCategory
  return { error: `"${String(value)}" is not a category (${CATEGORY_BY_NUMBER.join(', ')} or 0-4)` }
}

const truthy = (value: unknown) => value === true || (typeof value === 'string' && /^(true|yes|1|y)$/i.test(value.trim())) || value === 1

export async function* readCatalog(input: Readable, format: CatalogFormat, options: ReadOptions): AsyncGenerator<CatalogItem> {
  if (format === 'plain') yield* readPlain(input, options)
  else if (format === 'csv') yield* readCsv(input, options)
  else yield* readVics(input, options)
}

async function* lines(input: Readable): AsyncGenerator<[number, string]> {
  let n = 0
  for await (const line of createInterface({ input, crlfDelay: Infinity })) yield [++n, n === 1 ? line.replace(/^\uFEFF/, '') : line]
}

async function* readPlain(input: Readable, options: ReadOptions): AsyncGenerator<CatalogItem> {
  const series = options.series?.trim() || null
  for await (const [line, text] of lines(input)) {
    let parsed
    if (options.hashType && !/[:,;=\s]/.test(text.trim())) {
      if (text.trim() === '' || text.trim().startsWith('#')) continue
      parsed = normaliseHash(options.hashType, text)
      if ('value' in parsed) parsed = { hashType: options.hashType, value: parsed.value }
    } else {
      parsed = parseHashLine(text)
      if (parsed === null) continue
    }
    if ('error' in parsed) yield { line, reason: parsed.error }
    else yield { line, hashType: parsed.hashType, value: parsed.value, category: options.category, series, seriesIdentified: false }
  }
}

/** Splits one CSV line (RFC 4180 quoting; a field may not span lines). */
export function splitCsvLine(text: string): string[] | null {
  const fields: string[] = []
  let i = 0
  for (;;) {
    if (text[i] === '"') {
      let field = ''
      i++
      for (;;) {
        const close = text.indexOf('"', i)
        if (close < 0) return null
        field += text.slice(i, close)
        if (text[close + 1] === '"') {
          field += '"'
          i = close + 2
        } else {
          i = close + 1
          break
        }
      }
      fields.push(field)
      if (i >= text.length) return fields
      if (text[i] !== ',') return null
      i++
    } else {
      const comma = text.indexOf(',', i)
      fields.push((comma < 0 ? text.slice(i) : text.slice(i, comma)).trim())
      if (comma < 0) return fields
      i = comma + 1
    }
  }
}

const HASH_COLUMNS = ['md5', 'sha1', 'sha256', 'pdq'] as const

async function* readCsv(input: Readable, options: ReadOptions): AsyncGenerator<CatalogItem> {
  let columns: Map<string, number> | null = null
  for await (const [line, text] of lines(input)) {
    if (text.trim() === '') continue
    const fields = splitCsvLine(text)
    if (!fields) {
      yield { line, reason: 'unbalanced quotes' }
      continue
    }
    if (!columns) {
      // The header: hash (+ type) columns, or one column per hash type, then the optional ones.
      columns = new Map(fields.map((f, i) => [f.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/^sha_?(1|256)$/, 'sha$1'), i]))
      if (columns.has('value') && !columns.has('hash')) columns.set('hash', columns.get('value')!)
      if (!columns.has('hash') && !HASH_COLUMNS.some((c) => columns!.has(c))) {
        yield { line, reason: 'the first line must be a header naming a "hash" column (with "type") or md5, sha1, sha256, pdq columns' }
        return
      }
      continue
    }
    const field = (name: string) => (columns!.has(name) ? (fields[columns!.get(name)!] ?? '').trim() : '')
    const category = categoryOf(field('category'), options.category)
    if (typeof category === 'object') {
      yield { line, reason: category.error }
      continue
    }
    const series = field('series') || options.series?.trim() || null
    const seriesIdentified = truthy(field('series_identified') || field('victim_identified'))
    const hashes: { hashType: HashType; value: string }[] = []
    const problems: string[] = []
    if (columns.has('hash') && field('hash')) {
      const given = field('type') || field('hash_type')
      const type = given ? hashTypeNamed(given) : null
      if (given && !type) problems.push(`"${given}" is not a hash type (MD5, SHA-1, SHA-256, PDQ)`)
      else {
        const parsed = type ? ((n) => ('error' in n ? n : { hashType: type, value: n.value }))(normaliseHash(type, field('hash'))) : parseHashLine(field('hash'))
        if (parsed && 'error' in parsed) problems.push(parsed.error)
        else if (parsed) hashes.push(parsed)
      }
    }
    for (const column of HASH_COLUMNS) {
      if (!field(column)) continue
      const type = hashTypeNamed(column)!
      const parsed = normaliseHash(type, field(column))
      if ('error' in parsed) problems.push(parsed.error)
      else hashes.push({ hashType: type, value: parsed.value })
    }
    if (problems.length) yield { line, reason: problems.join('; ') }
    else if (!hashes.length) yield { line, reason: 'no hash on this line' }
    else for (const h of hashes) yield { line, ...h, category, series, seriesIdentified }
  }
}

/** The hashes of one Project VIC Media record, from its fields and its hash arrays. */
function vicsMediaRecords(media: Record<string, unknown>, line: number, options: ReadOptions): CatalogItem[] {
  const get = (name: string) => Object.entries(media).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
  const found: { hashType: HashType; value: unknown }[] = []
  for (const name of ['MD5', 'SHA1', 'SHA256', 'PDQ']) if (get(name)) found.push({ hashType: hashTypeNamed(name)!, value: get(name) })
  const arrays = [get('Hashes'), ...(Array.isArray(get('MediaFiles')) ? (get('MediaFiles') as Record<string, unknown>[]).map((f) => f?.Hashes ?? f?.hashes) : [])]
  for (const list of arrays) {
    if (!Array.isArray(list)) continue
    for (const h of list as { HashName?: unknown; HashValue?: unknown }[]) {
      const type = typeof h?.HashName === 'string' ? hashTypeNamed(h.HashName) : null
      if (type) found.push({ hashType: type, value: h.HashValue })
    }
  }
  const category = categoryOf(get('Category'), options.category)
  if (typeof category === 'object') return [{ line, reason: category.error }]
  const problems: string[] = []
  const records: CatalogItem[] = []
  const seen = new Set<string>()
  for (const { hashType, value } of found) {
    const parsed = normaliseHash(hashType, String(value))
    if ('error' in parsed) problems.push(parsed.error)
    else if (!seen.has(`${hashType}:${parsed.value}`)) {
      seen.add(`${hashType}:${parsed.value}`)
      const series = typeof get('Series') === 'string' && (get('Series') as string).trim() ? (get('Series') as string).trim() : options.series?.trim() || null
      records.push({ line, hashType, value: parsed.value, category, series, seriesIdentified: truthy(get('VictimIdentified')) })
    }
  }
  if (problems.length) return [{ line, reason: problems.join('; ') }]
  if (!records.length) return [{ line, reason: 'no MD5, SHA-1, SHA-256 or PDQ in this Media record (PhotoDNA is not held)' }]
  return records
}

/**
 * A streaming scan of the JSON text: it tracks nesting, strings and lines, and cuts out each
 * object that is an element of the root array or of an array held by a root key (`value`), so
 * only one record is in memory at a time. A Case record is read whole, then its Media[].
 */
async function* readVics(input: Readable, options: ReadOptions): AsyncGenerator<CatalogItem> {
  const decoder = new StringDecoder('utf8')
  const stack: string[] = []
  let inString = false
  let escaped = false
  let line = 1
  let capture: string[] | null = null
  let captureLine = 0
  let captureDepth = 0
  const emit = function* (text: string, at: number): Generator<CatalogItem> {
    let record: unknown
    try {
      record = JSON.parse(text)
    } catch (error) {
      yield { line: at, reason: `not valid JSON: ${(error as Error).message}` }
      return
    }
    const media = (record as Record<string, unknown>).Media ?? (record as Record<string, unknown>).media
    if (Array.isArray(media)) {
      for (const m of media) yield* vicsMediaRecords((m ?? {}) as Record<string, unknown>, at, options)
    } else yield* vicsMediaRecords(record as Record<string, unknown>, at, options)
  }
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)
    let from = capture ? 0 : -1
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 10) line++
      if (inString) {
        if (escaped) escaped = false
        else if (c === 92) escaped = true
        else if (c === 34) inString = false
        continue
      }
      if (c === 34) inString = true
      else if (c === 123 || c === 91) {
        // { or [: a record starts at an object directly inside the root array or a root key's array.
        if (c === 123 && !capture && stack[stack.length - 1] === '[' && (stack.length === 1 || (stack.length === 2 && stack[0] === '{'))) {
          capture = []
          from = i
          captureLine = line
          captureDepth = stack.length
        }
        stack.push(c === 123 ? '{' : '[')
      } else if (c === 125 || c === 93) {
        stack.pop()
        if (capture && c === 125 && stack.length === captureDepth) {
          capture.push(text.slice(from, i + 1))
          const record = capture.join('')
          capture = null
          from = -1
          yield* emit(record, captureLine)
        }
      }
    }
    if (capture) capture.push(text.slice(from === -1 ? 0 : from))
  }
  if (capture || stack.length) yield { line, reason: 'the JSON ends before its last record does' }
}
