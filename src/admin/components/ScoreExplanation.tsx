import React from 'react'
import { Box, Text, Table, TableHead, TableBody, TableRow, TableCell } from '@adminjs/design-system'
import { useTranslation, type BasePropertyProps } from 'adminjs'

type Factor = { factor: string; weight: number; evidence: string }

/** AdminJS flattens JSON into "priorityFactors.0.weight" keys: gather them back into rows. */
function factorsOf(params: Record<string, unknown>, path: string): Factor[] {
  const rows: Record<string, Partial<Factor>> = {}
  for (const [key, value] of Object.entries(params)) {
    const match = new RegExp(`^${path}\\.(\\d+)\\.(factor|weight|evidence)$`).exec(key)
    if (!match) continue
    rows[match[1]!] = { ...rows[match[1]!], [match[2]!]: value }
  }
  return Object.keys(rows)
    .sort((a, b) => Number(a) - Number(b))
    .map((i) => rows[i] as Factor)
}

/** The score explained: each factor, its weight and the evidence for it. */
const ScoreExplanation: React.FC<BasePropertyProps> = ({ record, property }) => {
  const { translateProperty } = useTranslation()
  const params = (record?.params ?? {}) as Record<string, unknown>
  const factors = factorsOf(params, property.path)
  if (factors.length === 0) return <Text color="grey60">Not scored yet</Text>
  const total = factors.reduce((sum, f) => sum + Number(f.weight), 0)
  return (
    <Box mb="xl" data-testid="score-explanation">
      <Text mb="sm" fontWeight="bold">{translateProperty(property.label, property.resourceId)}</Text>
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Factor</TableCell>
            <TableCell>Weight</TableCell>
            <TableCell>Evidence</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {factors.map((f, i) => (
            <TableRow key={i}>
              <TableCell>{f.factor}</TableCell>
              <TableCell style={{ color: Number(f.weight) < 0 ? '#047857' : '#b91c1c', whiteSpace: 'nowrap' }}>
                {Number(f.weight) > 0 ? `+${f.weight}` : String(f.weight)}
              </TableCell>
              <TableCell>{f.evidence}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell><Text fontWeight="bold">Score</Text></TableCell>
            <TableCell><Text fontWeight="bold">{String(params.score ?? total)}</Text></TableCell>
            <TableCell>
              <Text color="grey60">
                sum {total}, kept within 0–100 → {String(params.priority ?? '')}; rules {String(params.ruleVersion ?? '')}
              </Text>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </Box>
  )
}

export default ScoreExplanation
