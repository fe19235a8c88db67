import React from 'react'
import { Box, Label, Link, Text, Table, TableHead, TableBody, TableRow, TableCell } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'

type Related = { id: string; priority: string; queue: string; status: string; receivedAt: string; why: string }

/** Reports about the same account or file, gathered from "related.N.field" params. */
function relatedOf(params: Record<string, unknown>): Related[] {
  const rows: Record<string, Partial<Related>> = {}
  for (const [key, value] of Object.entries(params)) {
    const match = /^related\.(\d+)\.(\w+)$/.exec(key)
    if (match) rows[match[1]!] = { ...rows[match[1]!], [match[2]!]: String(value ?? '') }
  }
  return Object.keys(rows).sort((a, b) => Number(a) - Number(b)).map((i) => rows[i] as Related)
}

const RelatedReports: React.FC<BasePropertyProps> = ({ record }) => {
  const related = relatedOf((record?.params ?? {}) as Record<string, unknown>)
  return (
    <Box mb="xl" data-testid="related-reports">
      <Label>Related reports (same account, email, IP or file)</Label>
      {related.length === 0 ? (
        <Text color="grey60">None you can see.</Text>
      ) : (
        <Table>
          <TableHead>
            <TableRow><TableCell>Report</TableCell><TableCell>Priority</TableCell><TableCell>Queue</TableCell><TableCell>Status</TableCell><TableCell>Why related</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {related.map((r) => (
              <TableRow key={r.id}>
                <TableCell><Link href={`/admin/resources/Report/records/${r.id}/show`}>{r.id}</Link></TableCell>
                <TableCell>{r.priority || '–'}</TableCell>
                <TableCell>{r.queue || '–'}</TableCell>
                <TableCell>{r.status}</TableCell>
                <TableCell>{r.why}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  )
}

export default RelatedReports
