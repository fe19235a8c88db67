import React from 'react'
import type { ShowPropertyProps } from 'adminjs'
import { Box, Label } from '@adminjs/design-system'
import EvidenceChecks, { type EvidenceView } from './EvidenceChecks.js'

/** The registration's show page: the evidence checks, now and as recorded. */
const RegistrationEvidence: React.FC<ShowPropertyProps> = ({ record }) => {
  const raw = record?.params?.evidenceView as string | undefined
  if (!raw) return null
  const view = JSON.parse(raw) as EvidenceView
  return (
    <Box mb="xl">
      <Label>Evidence checks</Label>
      <EvidenceChecks view={view} recordedBy={record?.populated?.evidenceRecordedBy?.title} recordedAt={record?.params?.evidenceRecordedAt as string | undefined} />
    </Box>
  )
}

export default RegistrationEvidence
