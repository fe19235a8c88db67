// A search's results (or a collection review's) as a PDF, written by hand: plain text in Courier (one of the fonts every
// PDF reader has, so nothing is embedded), A4 pages, no dependencies. Enough for a case file.
import type { HashSearch } from '@prisma/client'
import { describeResult, type SearchResultLine } from './hash-search.service.js'

const PAGE_WIDTH = 595
const PAGE_HEIGHT = 842
const MARGIN = 40
const FONT_SIZE = 8
const LEADING = 11
const COLUMNS = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (FONT_SIZE * 0.6))
const LINES_PER_PAGE = Math.floor((PAGE_HEIGHT - 2 * MARGIN) / LEADING)

/** Text a PDF string can hold: printable Latin-1, with \ ( ) escaped. */
function pdfText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`)
}

export function wrap(text: string, indent = ''): string[] {
  const out: string[] = []
  let rest = text
  while (rest.length > COLUMNS) {
    const cut = rest.lastIndexOf(' ', COLUMNS)
    const at = cut > COLUMNS / 2 ? cut : COLUMNS
    out.push(rest.slice(0, at))
    rest = indent + rest.slice(at).trimStart()
  }
  out.push(rest)
  return out
}

/** The text lines of the report. */
export function searchReportLines(search: Pick<HashSearch, 'id' | 'createdAt' | 'completedAt' | 'hashCount' | 'matchCount' | 'invalidCount' | 'results'>, cvipContact: string): string[] {
  const lines = [
    `Hash search ${search.id}: results`,
    `Run ${search.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, completed ${search.completedAt ? `${search.completedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '-'}`,
    `${search.hashCount} lines, ${search.matchCount} known, ${search.invalidCount} not searched (not a hash)`,
    `CVIP: ${cvipContact}`,
    '',
  ]
  for (const r of (search.results ?? []) as unknown as SearchResultLine[]) {
    const d = describeResult(r, cvipContact)
    if (d.problem) {
      lines.push(...wrap(`Line ${d.line}: not searched: ${d.problem}`, '    '))
    } else {
      lines.push(`Line ${d.line}: ${d.type} ${d.hash}`)
      lines.push(...wrap(`    ${d.known}${d.match ? `, ${d.match}` : ''}${d.category ? `. Category: ${d.category}` : ''}${d.series ? `. Series: ${d.series}` : ''}`, '    '))
      lines.push(...wrap(`    Contact CVIP: ${d.contact}`, '    '))
    }
    lines.push('')
  }
  return lines
}

export function searchPdf(search: Parameters<typeof searchReportLines>[0], cvipContact: string): Buffer {
  return textPdf(searchReportLines(search, cvipContact))
}

/** Lines of text (each at most COLUMNS characters: see wrap) as an A4 PDF. */
export function textPdf(lines: string[]): Buffer {
  const pages: string[][] = []
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE))
  const objects: string[] = []
  // 1 catalog, 2 page tree, 3 font; then a page and its content stream for each page.
  const pageIds = pages.map((_, i) => 4 + i * 2)
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>'
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>'
  pages.forEach((page, i) => {
    const footer = `Page ${i + 1} of ${pages.length}. Law-enforcement sensitive: handle under your agency's rules.`
    const body = [
      'BT', `/F1 ${FONT_SIZE} Tf`, `${LEADING} TL`, `${MARGIN} ${PAGE_HEIGHT - MARGIN} Td`,
      ...page.map((line) => `(${pdfText(line)}) '`),
      'ET', 'BT', `/F1 ${FONT_SIZE - 1} Tf`, `${MARGIN} ${MARGIN / 2} Td`, `(${pdfText(footer)}) Tj`, 'ET',
    ].join('\n')
    objects[pageIds[i]!] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`
    objects[pageIds[i]! + 1] = `<< /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`
  })
  let pdf = '%PDF-1.4\n'
  const offsets: number[] = []
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(pdf, 'latin1')
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`
  }
  const xref = Buffer.byteLength(pdf, 'latin1')
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}
