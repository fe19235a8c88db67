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
  const queues = QUEUES.filter((q) => PRIORITIES.some((p) => count(q, p) > 0) || q !== null)

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
