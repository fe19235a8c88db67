import React, { useState } from 'react'
import { ApiClient, type ActionProps } from 'adminjs'
import { Box, Button, FormGroup, Label, Select, Input, Text, MessageBox, Table, TableHead, TableBody, TableRow, TableCell, H5, Link } from '@adminjs/design-system'

type Result = {
  candidate: { scoring: string; routing: string }
  current: { scoring: string; routing: string }
  examined: number
  levelChanged: number
  queueChanged: number
  transitions: Record<string, number>
  examples: { reportId: number; from: string; to: string; score: { from: number | null; to: number } }[]
}
type Custom = { scoringVersions: string[]; routingVersions: string[]; current: { scoring: string; routing: string } }

const api = new ApiClient()

/** Try candidate triage rules on recent reports, changing nothing. */
const DryRun: React.FC<ActionProps> = ({ action, resource }) => {
  const custom = action.custom as Custom
  const [scoring, setScoring] = useState(custom.current.scoring)
  const [routing, setRouting] = useState(custom.current.routing)
  const [lastN, setLastN] = useState('500')
  const [result, setResult] = useState<Result | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [running, setRunning] = useState(false)

  const run = async (event: React.FormEvent) => {
    event.preventDefault()
    setRunning(true)
    setError(null)
    try {
      const response = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { scoring, routing, lastN } })
      const data = response.data as { notice?: { type: string; message: string }; result?: Result }
      if (data.notice?.type === 'error') setError(data.notice.message)
      else setResult(data.result ?? null)
    } catch {
      setError('The dry run did not finish: the console could not be reached.')
    } finally {
      setRunning(false)
    }
  }
  const option = (v: string) => ({ value: v, label: v })

  return (
    <Box variant="card" p="xl" data-testid="dry-run">
      <Text mb="lg">Score and route recent reports under other rules and see what would change. Nothing is saved.</Text>
      <Box as="form" onSubmit={run}>
        <FormGroup>
          <Label htmlFor="scoring">Scoring rules</Label>
          <Select inputId="scoring" value={option(scoring)} options={custom.scoringVersions.map(option)} onChange={(s: { value: string }) => setScoring(s.value)} />
        </FormGroup>
        <FormGroup>
          <Label htmlFor="routing">Routing rules</Label>
          <Select inputId="routing" value={option(routing)} options={custom.routingVersions.map(option)} onChange={(s: { value: string }) => setRouting(s.value)} />
        </FormGroup>
        <FormGroup>
          <Label htmlFor="lastN">How many recent reports (up to 5,000)</Label>
          <Input id="lastN" value={lastN} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setLastN(e.target.value)} />
        </FormGroup>
        <Button variant="contained" type="submit" disabled={running}>{running ? 'Running…' : 'Run dry run'}</Button>
      </Box>
      {error && <MessageBox mt="lg" message={error} variant="danger" />}
      {result && (
        <Box mt="xl" data-testid="dry-run-result">
          <H5>
            {result.examined} reports examined: {result.levelChanged} would change level, {result.queueChanged} would change queue
          </H5>
          <Text color="grey60" mb="lg">
            In force: {result.current.scoring}, {result.current.routing}. Tried: {result.candidate.scoring}, {result.candidate.routing}.
          </Text>
          {Object.keys(result.transitions).length > 0 && (
            <Table mb="lg">
              <TableHead><TableRow><TableCell>Change</TableCell><TableCell>Reports</TableCell></TableRow></TableHead>
              <TableBody>
                {Object.entries(result.transitions).map(([k, n]) => (
                  <TableRow key={k}><TableCell>{k}</TableCell><TableCell>{n}</TableCell></TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {result.examples.length > 0 && (
            <Table>
              <TableHead><TableRow><TableCell>Report</TableCell><TableCell>Now</TableCell><TableCell>Would be</TableCell><TableCell>Score</TableCell></TableRow></TableHead>
              <TableBody>
                {result.examples.map((e) => (
                  <TableRow key={e.reportId}>
                    <TableCell><Link href={`/admin/resources/Report/records/${e.reportId}/show`}>{e.reportId}</Link></TableCell>
                    <TableCell>{e.from}</TableCell>
                    <TableCell>{e.to}</TableCell>
                    <TableCell>{String(e.score.from)} → {e.score.to}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      )}
    </Box>
  )
}

export default DryRun
