import React, { useMemo, useState } from 'react'
import { Badge, Box, Button, CheckBox, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'

type Match = { line: string; hashType: string; value: string; category: string; series: string; seriesIdentified: string; distance: string }
type BadLine = { line: string; error: string }

const HASH_TYPE: Record<string, string> = { MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256', PDQ: 'PDQ' }
const CATEGORY: Record<string, string> = {
  NON_PERTINENT: 'Non-pertinent',
  CSAM: 'Child sexual abuse material',
  CHILD_EXPLOITIVE: 'Child exploitive (age difficult)',
  CGI_ANIMATION: 'CGI or animation',
  COMPARISON: 'Comparison',
}
const PAGE = 50

/** AdminJS flattens JSON into "matches.0.value" keys: gather them back into rows. */
function rowsOf<T>(params: Record<string, unknown>, path: string): T[] {
  const rows = new Map<number, Record<string, string>>()
  const pattern = new RegExp(`^${path}\\.(\\d+)\\.(\\w+)$`)
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key)
    if (!match) continue
    const i = Number(match[1])
    rows.set(i, { ...rows.get(i), [match[2]!]: value === null || value === undefined ? '' : String(value) })
  }
  return [...rows.keys()].sort((a, b) => a - b).map((i) => rows.get(i) as T)
}

const hashCell: React.CSSProperties = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12, wordBreak: 'break-all', maxWidth: 420 }

const Pager: React.FC<{ page: number; pages: number; total: number; onPage(page: number): void }> = ({ page, pages, total, onPage }) =>
  pages <= 1 ? null : (
    <Box flex flexDirection="row" alignItems="center" mt="default" style={{ gap: 12 }}>
      <Button size="sm" variant="outlined" type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous</Button>
      <Text variant="sm">
        {page * PAGE + 1}–{Math.min(total, (page + 1) * PAGE)} of {total.toLocaleString('en-US')}
      </Text>
      <Button size="sm" variant="outlined" type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>Next</Button>
    </Box>
  )

/** A collection review's matches (or its lines that were not hashes) as a table, a page at a time. */
const ReviewMatches: React.FC<BasePropertyProps> = ({ record, property }) => {
  const params = (record?.params ?? {}) as Record<string, unknown>
  const [page, setPage] = useState(0)
  const [identifiedOnly, setIdentifiedOnly] = useState(false)
  const rows = useMemo(() => rowsOf<Match & BadLine>(params, property.path), [params, property.path])

  if (property.path === 'invalidLines') {
    const bad: BadLine[] = rows
    const shown = bad.slice(page * PAGE, (page + 1) * PAGE)
    const invalidCount = Number(params.invalidCount ?? bad.length)
    return (
      <Box mb="xl" data-testid="review-invalid-lines">
        <Label>Lines that were not hashes</Label>
        {bad.length === 0 ? (
          <Text color="grey60">None.</Text>
        ) : (
          <>
            {invalidCount > bad.length ? <Text variant="sm" mb="sm">The first {bad.length.toLocaleString('en-US')} of {invalidCount.toLocaleString('en-US')} are kept.</Text> : null}
            <Table>
              <TableHead><TableRow><TableCell>Line</TableCell><TableCell>Why it was not searched</TableCell></TableRow></TableHead>
              <TableBody>
                {shown.map((l) => (
                  <TableRow key={l.line}><TableCell>{l.line}</TableCell><TableCell>{l.error}</TableCell></TableRow>
                ))}
              </TableBody>
            </Table>
            <Pager page={page} pages={Math.ceil(bad.length / PAGE)} total={bad.length} onPage={setPage} />
          </>
        )}
      </Box>
    )
  }

  const all: Match[] = rows
  const identified = all.filter((m) => m.seriesIdentified === 'true').length
  const listed = identifiedOnly ? all.filter((m) => m.seriesIdentified === 'true') : all
  const pages = Math.ceil(listed.length / PAGE)
  const shown = listed.slice(page * PAGE, (page + 1) * PAGE)
  return (
    <Box mb="xl" data-testid="review-matches">
      <Label>Matches</Label>
      {params.status === 'MATCHING' ? (
        <Text color="grey60">Still being matched.</Text>
      ) : all.length === 0 ? (
        <Text color="grey60">No line of the list is in the catalog.</Text>
      ) : (
        <>
          <Box flex flexDirection="row" alignItems="center" mb="default" style={{ gap: 24 }}>
            <Text>
              <strong>{all.length.toLocaleString('en-US')}</strong> known, <strong>{identified.toLocaleString('en-US')}</strong> in an identified series
            </Text>
            <Box flex flexDirection="row" alignItems="center">
              <CheckBox id="identified-only" checked={identifiedOnly} onChange={() => { setIdentifiedOnly(!identifiedOnly); setPage(0) }} />
              <Label inline htmlFor="identified-only" ml="sm" mb="0">Identified series only</Label>
            </Box>
          </Box>
          <Table>
            <TableHead>
              <TableRow>
                <TableCell>Line</TableCell>
                <TableCell>Hash type</TableCell>
                <TableCell>Hash</TableCell>
                <TableCell>Match</TableCell>
                <TableCell>Category</TableCell>
                <TableCell>Series</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map((m) => (
                <TableRow key={m.line}>
                  <TableCell>{m.line}</TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>{HASH_TYPE[m.hashType] ?? m.hashType}</TableCell>
                  <TableCell style={hashCell}>{m.value}</TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>{m.distance === '' ? 'Exact' : m.distance === '0' ? 'PDQ, identical' : `PDQ, ${m.distance} bit${m.distance === '1' ? '' : 's'} apart`}</TableCell>
                  <TableCell>{CATEGORY[m.category] ?? m.category}</TableCell>
                  <TableCell>
                    {m.series === '' ? (
                      <Text as="span" color="grey60">No series</Text>
                    ) : (
                      <>
                        <Text as="span" mr="sm">{m.series}</Text>
                        {m.seriesIdentified === 'true' ? <Badge size="sm" variant="success">identified</Badge> : <Badge size="sm" variant="secondary" outline>not identified</Badge>}
                      </>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager page={page} pages={pages} total={listed.length} onPage={setPage} />
        </>
      )}
    </Box>
  )
}

export default ReviewMatches
