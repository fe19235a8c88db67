import React, { useCallback, useEffect, useState } from 'react'
import { ApiClient, useNotice } from 'adminjs'
import { Badge, Box, Button, H2, H5, Link, Loader, MessageBox, Select, Table, TableBody, TableCell, TableHead, TableRow, Text, TextArea } from '@adminjs/design-system'

// Type-only: erased when AdminJS bundles this component for the browser.
import type { WorkspaceData, WorkspaceReport } from '../workspace.js'

const api = new ApiClient()
const PRIORITY_COLOUR: Record<string, string> = { P1: '#b91c1c', P2: '#c2410c', P3: '#1d4ed8', INFO: '#6b7280' }
type Choice = { value: string; label: string }
type QuickAction = 'refer' | 'close' | 'release' | 'addNote' | 'renewLease'

function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${minutes % 60} min`
  return `${Math.round(hours / 24)} days`
}

function Clock({ at, now, warnedAt, kind }: { at: string | null; now: number; warnedAt?: string | null; kind: 'sla' | 'lease' }) {
  if (!at) return <Text color="grey60">–</Text>
  const left = new Date(at).getTime() - now
  const overdue = left < 0
  const warn = kind === 'sla' ? Boolean(warnedAt) : left < 5 * 60_000
  const colour = overdue ? '#b91c1c' : warn ? '#c2410c' : '#111827'
  const text = overdue ? (kind === 'sla' ? `${span(left)} overdue` : 'lapsed') : `${span(left)} left`
  return (
    <span title={new Date(at).toLocaleString()} style={{ color: colour, fontWeight: overdue || warn ? 700 : 400, whiteSpace: 'nowrap' }}>{text}</span>
  )
}

function label(value: string): string {
  return value.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase())
}

const ACTIONS: { name: QuickAction; label: string; variant: 'contained' | 'outlined' | 'text' }[] = [
  { name: 'refer', label: 'Refer', variant: 'outlined' },
  { name: 'close', label: 'Close', variant: 'outlined' },
  { name: 'addNote', label: 'Note', variant: 'outlined' },
  { name: 'renewLease', label: 'Renew', variant: 'text' },
  { name: 'release', label: 'Release', variant: 'text' },
]

function QuickForm({ report, action, data, onDone, onCancel }: {
  report: WorkspaceReport; action: QuickAction; data: WorkspaceData; onDone(message: string): void; onCancel(): void
}) {
  const [agencyId, setAgencyId] = useState<string>(report.proposedAgencyId ? String(report.proposedAgencyId) : '')
  const [closingReason, setClosingReason] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const submit = async (event?: React.FormEvent) => {
    event?.preventDefault()
    setSaving(true)
    setError(null)
    const payload: Record<string, string> = {}
    if (action === 'refer') Object.assign(payload, { agencyId, note })
    if (action === 'close') Object.assign(payload, { closingReason, note })
    if (action === 'addNote') payload.note = note
    if (action === 'release') payload.reason = note
    try {
      const response = await api.recordAction({ resourceId: 'Report', recordId: String(report.id), actionName: action, data: payload })
      const notice = (response.data as { notice?: { type: string; message: string } }).notice
      if (notice?.type === 'error') setError(notice.message)
      else onDone(notice?.message ?? 'Done.')
    } catch {
      setError('Nothing was changed: the console could not be reached. Try again.')
    } finally {
      setSaving(false)
    }
  }

  useEffect(() => {
    if (action === 'renewLease') void submit()
  }, [])
  if (action === 'renewLease') return error ? <MessageBox message={error} variant="danger" /> : <Loader />

  const agencies: Choice[] = data.agencies
  const reasons: Choice[] = data.closingReasons.map((r) => ({ value: r, label: label(r) }))
  const noteLabel = action === 'addNote' ? 'Note' : action === 'release' ? 'Why (optional)' : 'Note (optional)'
  return (
    <Box as="form" onSubmit={submit} p="lg" style={{ background: '#f9fafb', borderRadius: 4 }} data-testid={`quick-${action}-${report.id}`}>
      {error && <MessageBox mb="md" message={error} variant="danger" />}
      {action === 'refer' && (
        <Box mb="md">
          <Text fontSize="sm" mb="xs">Agency{report.proposedAgencyId ? ' (the proposed one is chosen)' : ''}</Text>
          <Select value={agencies.find((a) => a.value === agencyId) ?? null} options={agencies} onChange={(s: Choice | null) => setAgencyId(s?.value ?? '')} />
        </Box>
      )}
      {action === 'close' && (
        <Box mb="md">
          <Text fontSize="sm" mb="xs">Closing reason</Text>
          <Select value={reasons.find((r) => r.value === closingReason) ?? null} options={reasons} onChange={(s: Choice | null) => setClosingReason(s?.value ?? '')} />
        </Box>
      )}
      <Box mb="md">
        <Text fontSize="sm" mb="xs">{noteLabel}</Text>
        <TextArea rows={2} width="100%" value={note} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setNote(e.target.value)} />
      </Box>
      <Button type="submit" variant="contained" size="sm" mr="md" disabled={saving}>
        {action === 'refer' ? 'Refer' : action === 'close' ? 'Close report' : action === 'release' ? 'Release to the queue' : 'Add note'}
      </Button>
      <Button type="button" variant="text" size="sm" onClick={onCancel}>Cancel</Button>
    </Box>
  )
}

const Workspace: React.FC = () => {
  const addNotice = useNotice()
  const [data, setData] = useState<WorkspaceData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [now, setNow] = useState(Date.now())
  const [open, setOpen] = useState<{ id: number; action: QuickAction } | null>(null)
  const [claiming, setClaiming] = useState(false)
  const [message, setMessage] = useState<{ type: 'success' | 'info' | 'danger'; text: string } | null>(null)

  const load = useCallback(() => {
    api
      .getPage({ pageName: 'workspace' })
      .then((response) => {
        setData(response.data as WorkspaceData)
        setNow(Date.now())
      })
      .catch(() => setError('The workspace could not be loaded. Reload the page to try again.'))
  }, [])

  useEffect(() => {
    load()
    const tick = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(tick)
  }, [load])

  const claimNext = async () => {
    setClaiming(true)
    setMessage(null)
    try {
      const response = await api.resourceAction({ resourceId: 'Report', actionName: 'claimNext', data: {} })
      const notice = (response.data as { notice?: { type: string; message: string } }).notice
      if (notice) setMessage({ type: notice.type === 'error' ? 'danger' : notice.type === 'success' ? 'success' : 'info', text: notice.message })
      load()
    } catch {
      setMessage({ type: 'danger', text: 'No report was claimed: the console could not be reached. Try again.' })
    } finally {
      setClaiming(false)
    }
  }

  if (error) return <Box p="xxl"><Text color="error">{error}</Text></Box>
  if (!data) return <Loader />
  if (!data.allowed) {
    return (
      <Box p="xxl" data-testid="workspace">
        <H2>My workspace</H2>
        <Text>The workspace is for analysts and supervisors, who claim reports from the queues. Your role ({data.viewer.role}) does not.</Text>
      </Box>
    )
  }
  const full = data.claimed.length >= data.capacity
  const queues = [...new Set(data.waiting.map((w) => w.queue))]

  return (
    <Box p="xxl" data-testid="workspace">
      <H2>My workspace</H2>
      <Text color="grey60" mb="xl">
        {data.viewer.name} ({data.viewer.role}). You hold {data.claimed.length} of at most {data.capacity} reports. A claim lasts {data.leaseMinutes} minutes
        after your last work on it (opening it, a note, Renew); then it goes back to the queue.
      </Text>

      <Box variant="card" p="lg" mb="lg">
        <Box flex flexDirection="row" style={{ alignItems: 'center', gap: 24, flexWrap: 'wrap' }}>
          <Button variant="contained" size="lg" onClick={claimNext} disabled={claiming || full} data-testid="claim-next">
            {claiming ? 'Claiming…' : 'Claim next report'}
          </Button>
          <Text color="grey60" style={{ maxWidth: 520 }}>
            {full ? `You hold ${data.capacity} reports, the most at once. Finish or release one to claim another.` : 'Gives you the most urgent unclaimed report: P1 first, then the earliest SLA due time.'}
          </Text>
        </Box>
        {message && <MessageBox mt="lg" message={message.text} variant={message.type} onCloseClick={() => setMessage(null)} />}
        <Box mt="lg">
          {queues.map((queue) => (
            <Box key={queue} flex flexDirection="row" mb="sm" style={{ alignItems: 'center', gap: 12, flexWrap: 'wrap' }} data-testid={`waiting-${queue}`}>
              <Text fontWeight="bold" style={{ minWidth: 140 }}>{queue} waiting</Text>
              {data.waiting.filter((w) => w.queue === queue).map((w) => (
                <span key={w.priority} title={w.nextDueAt ? `Earliest due ${new Date(w.nextDueAt).toLocaleString()}` : 'none waiting'}>
                  <Badge style={{ backgroundColor: w.count ? PRIORITY_COLOUR[w.priority] : '#e5e7eb', color: w.count ? '#fff' : '#6b7280', borderColor: 'transparent' }}>
                    {w.priority} {w.count}
                  </Badge>
                </span>
              ))}
            </Box>
          ))}
        </Box>
      </Box>

      <Box variant="card" p="lg">
        <H5>Reports I hold</H5>
        {data.claimed.length === 0 ? (
          <Text color="grey60" data-testid="workspace-empty">You hold no reports. Claim the next one above.</Text>
        ) : (
          <Table data-testid="workspace-claimed">
            <TableHead>
              <TableRow>
                <TableCell>Report</TableCell>
                <TableCell>Priority</TableCell>
                <TableCell>Queue</TableCell>
                <TableCell>Incident</TableCell>
                <TableCell>SLA</TableCell>
                <TableCell>Lease</TableCell>
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.claimed.map((r) => (
                <React.Fragment key={r.id}>
                  <TableRow data-testid={`held-${r.id}`}>
                    <TableCell><Link href={`/admin/resources/Report/records/${r.id}/show`}>{r.id}</Link></TableCell>
                    <TableCell>
                      {r.priority && <Badge style={{ backgroundColor: PRIORITY_COLOUR[r.priority], color: '#fff', borderColor: 'transparent' }}>{r.priority}</Badge>}
                    </TableCell>
                    <TableCell>{r.queue}</TableCell>
                    <TableCell>{label(r.incidentType)}</TableCell>
                    <TableCell><Clock at={r.slaDueAt} warnedAt={r.slaWarnedAt} now={now} kind="sla" /></TableCell>
                    <TableCell><Clock at={r.leaseExpiresAt} now={now} kind="lease" /></TableCell>
                    <TableCell style={{ whiteSpace: 'nowrap' }}>
                      {ACTIONS.map((a) => (
                        <Button key={a.name} size="sm" variant={a.variant} mr="sm" onClick={() => setOpen({ id: r.id, action: a.name })} data-testid={`${a.name}-${r.id}`}>
                          {a.label}
                        </Button>
                      ))}
                    </TableCell>
                  </TableRow>
                  {open?.id === r.id && (
                    <TableRow>
                      <TableCell colSpan={7}>
                        <QuickForm
                          key={open.action}
                          report={r}
                          action={open.action}
                          data={data}
                          onCancel={() => setOpen(null)}
                          onDone={(text) => {
                            setOpen(null)
                            addNotice({ message: text, type: 'success' })
                            load()
                          }}
                        />
                      </TableCell>
                    </TableRow>
                  )}
                </React.Fragment>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
    </Box>
  )
}

export default Workspace
