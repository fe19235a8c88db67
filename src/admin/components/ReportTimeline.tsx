import React from 'react'
import { Badge, Box, Label, Text } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'

type Entry = { id: number; kind: string; at: string; actor: string | null; note: string | null; details: Record<string, unknown> | null }

const KIND: Record<string, { label: string; colour: string }> = {
  RECEIVED: { label: 'Received', colour: '#6b7280' },
  TRIAGED: { label: 'Triaged', colour: '#6b7280' },
  PRIORITY_CHANGED: { label: 'Priority changed', colour: '#7c3aed' },
  REROUTED: { label: 'Re-routed', colour: '#7c3aed' },
  ESCALATED: { label: 'Escalated', colour: '#b91c1c' },
  CLAIMED: { label: 'Claimed', colour: '#1d4ed8' },
  ASSIGNED: { label: 'Assigned', colour: '#1d4ed8' },
  RELEASED: { label: 'Released', colour: '#0f766e' },
  LEASE_EXPIRED: { label: 'Lease expired', colour: '#c2410c' },
  STATUS_CHANGED: { label: 'Status changed', colour: '#6b7280' },
  NOTE: { label: 'Note', colour: '#374151' },
  REFERRED: { label: 'Referred', colour: '#15803d' },
  CLOSED: { label: 'Closed', colour: '#15803d' },
  MERGED: { label: 'Merged', colour: '#7c3aed' },
  UNMERGED: { label: 'Unmerged', colour: '#7c3aed' },
  SLA_WARNING: { label: 'SLA warning', colour: '#c2410c' },
  SLA_BREACHED: { label: 'SLA breached', colour: '#b91c1c' },
}

/** What a status change or a workflow step says in a line, from its details. */
function summary(entry: Entry): string | null {
  const d = entry.details ?? {}
  const parts: string[] = []
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${d.from.replace('_', ' ').toLowerCase()} → ${d.to.replace('_', ' ').toLowerCase()}`)
  if (typeof d.agency === 'string') parts.push(`agency: ${d.agency}${typeof d.ori === 'string' ? ` (ORI ${d.ori})` : ''}`)
  if (typeof d.closingReason === 'string') parts.push(`reason: ${d.closingReason.replace(/_/g, ' ').toLowerCase()}`)
  return parts.length ? parts.join('; ') : null
}

/** The report's timeline: every status change, claim, note and escalation, oldest first. */
const ReportTimeline: React.FC<BasePropertyProps> = ({ record }) => {
  let entries: Entry[] = []
  try {
    entries = JSON.parse(String(record?.params?.timeline ?? '[]')) as Entry[]
  } catch {
    entries = []
  }
  return (
    <Box mb="xl" data-testid="report-timeline">
      <Label>Timeline</Label>
      {entries.length === 0 && <Text color="grey60">Nothing has happened to this report yet.</Text>}
      <Box as="ol" style={{ listStyle: 'none', margin: 0, padding: 0, borderLeft: '2px solid #e5e7eb' }}>
        {entries.map((e) => {
          const kind = KIND[e.kind] ?? { label: e.kind, colour: '#6b7280' }
          const line = summary(e)
          return (
            <Box as="li" key={e.id} pl="lg" pb="md" style={{ position: 'relative' }}>
              <span style={{ position: 'absolute', left: -6, top: 6, width: 10, height: 10, borderRadius: 5, background: kind.colour }} />
              <Box flex flexDirection="row" style={{ gap: 8, alignItems: 'baseline', flexWrap: 'wrap' }}>
                <Badge size="sm" style={{ backgroundColor: kind.colour, color: '#fff', borderColor: 'transparent' }}>{kind.label}</Badge>
                <Text fontSize="sm" color="grey60" title={e.at}>{new Date(e.at).toLocaleString()}</Text>
                <Text fontSize="sm" color="grey80">{e.actor ?? 'system'}</Text>
              </Box>
              {line && <Text fontSize="sm" mt="xs">{line}</Text>}
              {e.note && <Text fontSize="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>{e.note}</Text>}
            </Box>
          )
        })}
      </Box>
    </Box>
  )
}

export default ReportTimeline
