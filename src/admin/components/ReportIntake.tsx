import React, { useState } from 'react'
import type { ShowPropertyProps } from 'adminjs'
import { Badge, Box, Button, H5, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system'

type File = {
  fileId: string; fileName: string | null; originalFileName: string | null; sizeBytes: string | null
  md5: string | null; sha1: string | null; sha256: string | null; pdq: string | null
  matchStatus: string; fileAnnotations: string[]; fileViewedByEsp: boolean | null; publiclyAvailable: boolean | null
}
type Party = {
  role: string; screenName: string | null; displayName: string | null; espService: string | null; espIdentifier: string | null
  firstName: string | null; lastName: string | null; age: number | null; emails: string[]; phones: string[]; profileUrls: string[]
  ips: string[]; location: string | null
}
type View = {
  internetDetails: ({ type: string } & Record<string, unknown>)[]
  reporter: string | null
  lawEnforcement: string | null
  parties: Party[]
  files: File[]
  rawXml: string | null
  normalised: { path: string; from: string; to: string }[]
}

const INCIDENT_LABELS: Record<string, string> = {
  webPageIncident: 'Web page', emailIncident: 'E-mail', newsgroupIncident: 'Newsgroup', chatImIncident: 'Chat / IM',
  onlineGamingIncident: 'Online gaming', cellPhoneIncident: 'Cell phone', nonInternetIncident: 'Not on the internet', peer2peerIncident: 'Peer to peer',
}
const ROLE_LABELS: Record<string, string> = { REPORTED_USER: 'Reported person or account', VICTIM: 'Child', INTENDED_RECIPIENT: 'Intended recipient' }
const MATCH: Record<string, { label: string; variant: 'danger' | 'info' | 'success' | 'default' }> = {
  UNKNOWN: { label: 'not in the catalog', variant: 'danger' },
  KNOWN: { label: 'known file', variant: 'default' },
  IDENTIFIED_SERIES: { label: 'identified series', variant: 'info' },
  UNCHECKED: { label: 'not checked', variant: 'default' },
}

/** What a detail element holds, as short text: nested objects shown as "key: value". */
function summarise(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(summarise).filter(Boolean).join(', ')
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>
    if ('value' in o && Object.keys(o).length <= 4) return String(o.value)
    return Object.entries(o).map(([k, v]) => `${k}: ${summarise(v)}`).join('; ')
  }
  return String(value)
}

const Line: React.FC<{ label: string; value: string | null | undefined }> = ({ label, value }) =>
  value ? (
    <Text mb="sm"><strong>{label}:</strong> {value}</Text>
  ) : null

/** The report as submitted: where it happened, who is involved, its files and the raw XML. */
const ReportIntake: React.FC<ShowPropertyProps> = ({ record }) => {
  const [showXml, setShowXml] = useState(false)
  const raw = record?.params?.intakeView as string | undefined
  if (!raw) return null
  const view = JSON.parse(raw) as View
  return (
    <Box mb="xl" data-testid="report-intake">
      <H5>Where it happened</H5>
      {view.internetDetails.length === 0 && <Text mb="lg" color="grey60">No internet details given.</Text>}
      {view.internetDetails.map(({ type, ...rest }, i) => (
        <Box key={i} mb="lg">
          <Label>{INCIDENT_LABELS[type] ?? type}</Label>
          {Object.entries(rest).map(([k, v]) => <Line key={k} label={k} value={summarise(v)} />)}
        </Box>
      ))}

      <H5>Reporter</H5>
      <Text mb="sm">{view.reporter ?? '—'}</Text>
      {view.lawEnforcement && <Line label="Law enforcement" value={view.lawEnforcement} />}

      <H5 mt="xl">People and accounts</H5>
      {view.parties.length === 0 && <Text mb="lg" color="grey60">None named.</Text>}
      {view.parties.map((p, i) => (
        <Box key={i} mb="lg">
          <Label>{ROLE_LABELS[p.role] ?? p.role}</Label>
          <Line label="Name" value={[p.firstName, p.lastName].filter(Boolean).join(' ')} />
          <Line label="Age" value={p.age !== null ? String(p.age) : null} />
          <Line label="Screen name" value={p.screenName} />
          <Line label="Display name" value={p.displayName} />
          <Line label="Service" value={[p.espService, p.espIdentifier && `user id ${p.espIdentifier}`].filter(Boolean).join(', ')} />
          <Line label="E-mail" value={p.emails.join(', ')} />
          <Line label="Phone" value={p.phones.join(', ')} />
          <Line label="Profile" value={p.profileUrls.join(', ')} />
          <Line label="IP addresses" value={p.ips.join(', ')} />
          <Line label="Estimated location" value={p.location} />
        </Box>
      ))}

      <H5 mt="xl">Files ({view.files.length})</H5>
      {view.files.length === 0 ? (
        <Text mb="lg" color="grey60">No files uploaded.</Text>
      ) : (
        <Table mb="lg">
          <TableHead>
            <TableRow><TableCell>File</TableCell><TableCell>Catalog</TableCell><TableCell>Hashes</TableCell><TableCell>Size</TableCell><TableCell>ESP says</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {view.files.map((f) => (
              <TableRow key={f.fileId}>
                <TableCell>{f.originalFileName ?? f.fileName ?? '—'}<br /><Text variant="sm" color="grey60">{f.fileId}</Text></TableCell>
                <TableCell><Badge variant={MATCH[f.matchStatus]?.variant ?? 'default'}>{MATCH[f.matchStatus]?.label ?? f.matchStatus}</Badge></TableCell>
                <TableCell>
                  <Text variant="sm" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                    {f.md5 && <>MD5 {f.md5}<br /></>}
                    {f.sha1 && <>SHA-1 {f.sha1}<br /></>}
                    {f.sha256 && <>SHA-256 {f.sha256}<br /></>}
                    {f.pdq && <>PDQ {f.pdq}</>}
                  </Text>
                </TableCell>
                <TableCell>{f.sizeBytes ? `${Number(f.sizeBytes).toLocaleString()} bytes` : '—'}</TableCell>
                <TableCell>
                  {[f.fileViewedByEsp === true && 'viewed', f.publiclyAvailable === true && 'public', ...f.fileAnnotations].filter(Boolean).join(', ') || '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      {view.normalised.length > 0 && (
        <Text mb="lg" color="grey60">
          Normalised on intake: {view.normalised.map((n) => `${n.path} "${n.from}" read as "${n.to}"`).join('; ')}
        </Text>
      )}
      {view.rawXml && (
        <Box>
          <Button type="button" variant="outlined" size="sm" onClick={() => setShowXml(!showXml)}>
            {showXml ? 'Hide the submitted XML' : 'Show the submitted XML'}
          </Button>
          {showXml && (
            <Box as="pre" mt="default" p="default" bg="grey20" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, maxHeight: 480, overflow: 'auto' }}>
              {view.rawXml}
            </Box>
          )}
        </Box>
      )}
    </Box>
  )
}

export default ReportIntake
