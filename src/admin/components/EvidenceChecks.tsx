import React from 'react'
import { Badge, Box, H5, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system'

type Check = { name: string; label: string; passed: boolean; detail: string }
export type EvidenceView = { current: Check[]; recorded: { checks: Check[]; notes: string | null } | null }

/** The evidence checks as they stand now, beside what was recorded (if it was). */
const EvidenceChecks: React.FC<{ view: EvidenceView; recordedBy?: string; recordedAt?: string }> = ({ view, recordedBy, recordedAt }) => {
  const recorded = new Map((view.recorded?.checks ?? []).map((c) => [c.name, c]))
  return (
    <Box mb="xl" data-testid="evidence-checks">
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Check</TableCell>
            <TableCell>Now</TableCell>
            <TableCell>Recorded</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.current.map((check) => {
            const then = recorded.get(check.name)
            return (
              <TableRow key={check.name}>
                <TableCell>{check.label}</TableCell>
                <TableCell>
                  <Badge variant={check.passed ? 'success' : 'danger'} mr="default">{check.passed ? 'passes' : 'fails'}</Badge>
                  <Text as="span" variant="sm">{check.detail}</Text>
                </TableCell>
                <TableCell>
                  {then ? <Badge variant={then.passed ? 'success' : 'danger'}>{then.passed ? 'passed' : 'failed'}</Badge> : <Text as="span" variant="sm">—</Text>}
                </TableCell>
              </TableRow>
            )
          })}
        </TableBody>
      </Table>
      {view.recorded ? (
        <Box mt="default">
          <H5 mb="sm">Recorded{recordedBy ? ` by ${recordedBy}` : ''}{recordedAt ? `, ${new Date(recordedAt).toLocaleString()}` : ''}</H5>
          <Text>{view.recorded.notes ?? 'No notes.'}</Text>
        </Box>
      ) : (
        <Text mt="default">No evidence recorded yet.</Text>
      )}
    </Box>
  )
}

export default EvidenceChecks
