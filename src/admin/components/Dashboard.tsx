import React, { useEffect, useState } from 'react'
import { ApiClient } from 'adminjs'
import { Box, H2, H5, Text, Table, TableHead, TableBody, TableRow, TableCell, Badge, Loader, Link } from '@adminjs/design-system'

// Type-only: erased when AdminJS bundles this component for the browser.
import type { DashboardData } from '../dashboard.js'

type Priority = 'P1' | 'P2' | 'P3' | 'INFO'
type Queue = 'CYBERTIPLINE' | 'CVIP'

const PRIORITIES: (Priority | null)[] = ['P1', 'P2', 'P3', 'INFO', null]
const QUEUES: (Queue | null)[] = ['CYBERTIPLINE', 'CVIP', null]
const PRIORITY_COLOUR: Record<string, string> = { P1: '#b91c1c', P2: '#c2410c', P3: '#1d4ed8', INFO: '#6b7280', none: '#374151' }

const api = new ApiClient()

function age(iso: string): string {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000))
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${minutes % 60} min`
  return `${Math.floor(hours / 24)} days`
}

function reportsLink(filters: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [`filters.${k}`, v]))
  return `/admin/resources/Report?${query.toString()}`
}

function Figure({ label, value, href, tone }: { label: string; value: React.ReactNode; href?: string; tone?: string }) {
  const body = (
    <Box variant="card" p="lg" mr="lg" mb="lg" style={{ minWidth: 200 }}>
      <Text fontSize="sm" color="grey60">{label}</Text>
      <Text fontSize="h2" fontWeight="bold" color={tone ?? 'grey100'} mt="sm">{value}</Text>
    </Box>
  )
  return href ? <Link href={href} style={{ textDecoration: 'none' }}>{body}</Link> : body
}

function minutes(value: number | null): string {
  if (value === null) return '–'
  if (value < 60) return `${Math.round(value)} min`
  if (value < 48 * 60) return `${Math.floor(value / 60)} h ${Math.round(value % 60)} min`
  return `${Math.round(value / 1440)} days`
}

/** Depth per queue: one bar per queue, a segment per level (unclaimed), then in review in grey. */
function DepthBars({ health }: { health: DashboardData['queueHealth'] }) {
  const rows = health.queues.map((queue) => {
    const of = (p: Priority) => health.depth.find((d) => d.queue === queue && d.priority === p)
    const segments = (['P1', 'P2', 'P3', 'INFO'] as Priority[]).map((p) => ({ key: p, label: p, count: of(p)?.unclaimed ?? 0, colour: PRIORITY_COLOUR[p]! }))
    const inReview = health.depth.filter((d) => d.queue === queue).reduce((sum, d) => sum + d.inReview, 0)
    return { queue, segments: [...segments, { key: 'review', label: 'in review', count: inReview, colour: '#9ca3af' }] }
  })
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((sum, s) => sum + s.count, 0)))
  return (
    <Box data-testid="queue-depth">
      {rows.map((row) => {
        const total = row.segments.reduce((sum, s) => sum + s.count, 0)
        return (
          <Box key={row.queue} mb="lg">
            <Text fontWeight="bold" mb="sm">{row.queue} <Text as="span" color="grey60" fontWeight="normal">{total} open</Text></Text>
            <div style={{ display: 'flex', height: 22, width: '100%', background: '#f3f4f6', borderRadius: 3, overflow: 'hidden' }}>
              {row.segments.filter((s) => s.count > 0).map((s) => (
                <div key={s.key} title={`${s.label}: ${s.count}`} style={{ width: `${(100 * s.count) / max}%`, background: s.colour, minWidth: 2 }} />
              ))}
            </div>
            <Text fontSize="sm" color="grey60" mt="xs">
              {row.segments.map((s) => `${s.label} ${s.count}`).join(' · ')}
            </Text>
          </Box>
        )
      })}
      <Text fontSize="sm" color="grey60">Coloured: unclaimed, by priority. Grey: claimed and in review.</Text>
    </Box>
  )
}

/** Claims per hour over the last 24 hours, as an inline SVG bar chart. */
function ClaimsChart({ hours }: { hours: { hour: string; count: number }[] }) {
  const width = 560
  const height = 140
  const max = Math.max(1, ...hours.map((h) => h.count))
  const bar = width / hours.length
  return (
    <svg data-testid="claims-per-hour" viewBox={`0 0 ${width} ${height + 20}`} width="100%" style={{ maxWidth: width }} role="img" aria-label="Claims per hour, last 24 hours">
      <line x1={0} y1={height} x2={width} y2={height} stroke="#d1d5db" />
      {hours.map((h, i) => {
        const barHeight = (h.count / max) * (height - 16)
        const label = new Date(h.hour).toISOString().slice(11, 13)
        // Labels every third hour, counted back from the current one, so "now" is always named.
        return (
          <g key={h.hour}>
            <title>{`${label}:00 UTC: ${h.count} claims`}</title>
            <rect x={i * bar + 2} y={height - barHeight} width={bar - 4} height={barHeight} fill="#1d4ed8" rx={2} />
            {h.count > 0 && <text x={i * bar + bar / 2} y={height - barHeight - 3} fontSize={10} textAnchor="middle" fill="#374151">{h.count}</text>}
            {(hours.length - 1 - i) % 3 === 0 && <text x={i * bar + bar / 2} y={height + 14} fontSize={10} textAnchor="middle" fill="#6b7280">{label}h</text>}
          </g>
        )
      })}
    </svg>
  )
}

function QueueHealthPanel({ data }: { data: DashboardData }) {
  const health = data.queueHealth
  const totalClaims = health.claimsByHour.reduce((sum, h) => sum + h.count, 0)
  return (
    <Box variant="card" p="lg" mb="lg" data-testid="queue-health">
      <H5>Queue health</H5>
      <Box mb="xl">
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Queue</TableCell>
            <TableCell>Oldest unclaimed</TableCell>
            <TableCell>Past SLA</TableCell>
            <TableCell>Due within the hour</TableCell>
            <TableCell>Median time to first claim (7 days)</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {health.queues.map((queue) => {
            const oldest = health.oldestUnclaimed.find((o) => o.queue === queue)
            const breaching = health.breaching.find((b) => b.queue === queue)?.count ?? 0
            const dueSoon = health.dueWithinHour.find((b) => b.queue === queue)?.count ?? 0
            const median = health.medianMinutesToFirstAction.find((m) => m.queue === queue)
            return (
              <TableRow key={queue}>
                <TableCell><Text fontWeight="bold">{queue}</Text></TableCell>
                <TableCell>
                  {oldest ? <Link href={`/admin/resources/Report/records/${oldest.reportId}/show`}>{age(oldest.triagedAt)} ({oldest.priority})</Link> : 'none waiting'}
                </TableCell>
                <TableCell>
                  <Text color={breaching > 0 ? 'error' : 'grey100'} fontWeight={breaching > 0 ? 'bold' : 'normal'}>
                    {breaching > 0 ? <Link href={reportsLink({ queue, 'slaDueAt~~to': new Date(data.generatedAt).toISOString() })}>{breaching}</Link> : 0}
                  </Text>
                </TableCell>
                <TableCell>{dueSoon}</TableCell>
                <TableCell>{minutes(median?.minutes ?? null)}{median && median.reports > 0 ? <Text as="span" color="grey60"> over {median.reports} reports</Text> : null}</TableCell>
              </TableRow>
            )
          })}
        </TableBody>
      </Table>
      </Box>
      <Box flex flexDirection="row" flexWrap="wrap" style={{ gap: 32 }}>
        <Box style={{ flex: '1 1 360px' }}>
          <Text fontWeight="bold" mb="md">Depth per queue and level</Text>
          <DepthBars health={health} />
        </Box>
        <Box style={{ flex: '1 1 420px' }}>
          <Text fontWeight="bold" mb="md">Claims per hour, last 24 hours (UTC): {totalClaims} in all</Text>
          <ClaimsChart hours={health.claimsByHour} />
        </Box>
      </Box>
    </Box>
  )
}

const Dashboard: React.FC = () => {
  const [data, setData] = useState<DashboardData | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    api
      .getDashboard()
      .then((response) => setData(response.data as DashboardData))
      .catch(() => setError('The dashboard could not be loaded. Reload the page to try again.'))
  }, [])

  if (error) return <Box p="xxl"><Text color="error">{error}</Text></Box>
  if (!data) return <Loader />

  const count = (queue: Queue | null, priority: Priority | null) =>
    data.openByQueue.find((g) => g.queue === queue && g.priority === priority)?.count ?? 0
  // The viewer's queues (an analyst's own only), and "not yet routed" when there are any.
  const queues = QUEUES.filter((q) => (q === null ? PRIORITIES.some((p) => count(q, p) > 0) : data.queueHealth.queues.includes(q)))

  return (
    <Box p="xxl" data-testid="dashboard">
      <H2>Triage overview</H2>
      <Text color="grey60" mb="xl">
        Signed in as {data.viewer.name} ({data.viewer.role}). Figures as of {new Date(data.generatedAt).toLocaleString()}.
      </Text>

      <Box flex flexDirection="row" flexWrap="wrap">
        <Figure label="Open reports" value={data.openTotal} href="/admin/resources/Report" />
        <Figure label="Awaiting triage" value={data.awaitingTriage} href={reportsLink({ status: 'RECEIVED' })} />
        <Figure label="Past SLA due time" value={data.breachingSla} tone={data.breachingSla > 0 ? 'error' : undefined} />
        <Figure
          label="Oldest unassigned report"
          value={data.oldestUnassigned ? age(data.oldestUnassigned.receivedAt) : 'none'}
          href={data.oldestUnassigned ? `/admin/resources/Report/records/${data.oldestUnassigned.id}/show` : undefined}
        />
        {data.registrationsAwaitingReview !== null && (
          <Figure
            label="Registrations awaiting review"
            value={data.registrationsAwaitingReview}
            href="/admin/resources/OfficerRegistration?filters.status=PENDING_REVIEW"
          />
        )}
        {data.failedNotifications !== null && (
          <Figure
            label="Failed notifications"
            value={data.failedNotifications}
            tone={data.failedNotifications > 0 ? 'error' : undefined}
            href="/admin/resources/Notification?filters.status=FAILED"
          />
        )}
        {data.reviewsToRelease !== null && (
          <Figure label="Collection reviews to release" value={data.reviewsToRelease} href="/admin/resources/CollectionReview?filters.status=IN_REVIEW" />
        )}
        {data.catalogTransfer && <Figure label="Hash catalog" value="Import / export" href="/admin/catalog" />}
      </Box>

      <QueueHealthPanel data={data} />

      <Box variant="card" p="lg">
        <H5>Open reports by queue and priority</H5>
        <Table data-testid="open-by-queue">
          <TableHead>
            <TableRow>
              <TableCell>Queue</TableCell>
              {PRIORITIES.map((p) => (
                <TableCell key={p ?? 'none'}>
                  <Badge style={{ backgroundColor: PRIORITY_COLOUR[p ?? 'none'], color: '#fff', borderColor: 'transparent' }}>{p ?? 'Unscored'}</Badge>
                </TableCell>
              ))}
              <TableCell>Total</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {queues.map((q) => (
              <TableRow key={q ?? 'unrouted'}>
                <TableCell><Text fontWeight="bold">{q ?? 'Not yet routed'}</Text></TableCell>
                {PRIORITIES.map((p) => {
                  const n = count(q, p)
                  const filters: Record<string, string> = {}
                  if (q) filters.queue = q
                  if (p) filters.priority = p
                  return (
                    <TableCell key={p ?? 'none'}>
                      {n > 0 && (q || p) ? <Link href={reportsLink(filters)}>{n}</Link> : n}
                    </TableCell>
                  )
                })}
                <TableCell>{PRIORITIES.reduce((sum, p) => sum + count(q, p), 0)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  )
}

export default Dashboard
