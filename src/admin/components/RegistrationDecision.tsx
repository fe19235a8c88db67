import React, { useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiClient, useNotice, type ActionProps } from 'adminjs'
import { Box, Button, FormGroup, Label, MessageBox, Select, Text, TextArea } from '@adminjs/design-system'
import EvidenceChecks, { type EvidenceView } from './EvidenceChecks.js'

type Custom = {
  explanation: string
  submitLabel: string
  reason: 'required' | 'optional' | 'none'
  reasonLabel?: string
  reasonField?: 'reason' | 'notes'
  chooseAgency?: boolean
}

const api = new ApiClient()

/** One vetting decision: the evidence to decide on, the agency when it is being attached, the why. */
const RegistrationDecision: React.FC<ActionProps> = ({ action, record, resource }) => {
  const custom = action.custom as Custom
  const navigate = useNavigate()
  const addNotice = useNotice()
  const params = record?.params ?? {}
  const view = params.evidenceView ? (JSON.parse(params.evidenceView as string) as EvidenceView) : null
  const agencies = params.agencyChoices ? (JSON.parse(params.agencyChoices as string) as { id: number; name: string }[]) : []
  const [agencyId, setAgencyId] = useState<string>(params.agency ? String(params.agency) : '')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    setSaving(true)
    setError(null)
    try {
      const data: Record<string, string> = {}
      if (custom.reason !== 'none') data[custom.reasonField ?? 'reason'] = reason
      if (custom.chooseAgency && agencyId) data.agencyId = agencyId
      const response = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data })
      const notice = response.data.notice
      if (notice?.type === 'error') {
        setError(notice.message)
      } else {
        if (notice) addNotice(notice)
        navigate(`/admin/resources/${resource.id}/records/${record!.id}/show`)
      }
    } catch {
      setError('Nothing was saved: the console could not be reached. Try again.')
    } finally {
      setSaving(false)
    }
  }

  const agencyOptions = agencies.map((a) => ({ value: String(a.id), label: a.name }))
  return (
    <Box as="form" onSubmit={submit} variant="card" p="xl" data-testid={`action-${action.name}`}>
      <Text mb="lg">{custom.explanation}</Text>
      {params.proposedAgencyName && !params.agency && (
        <MessageBox mb="lg" variant="info" message={`The applicant proposed a new agency: "${params.proposedAgencyName}". Create it under Agencies, then attach it here.`} />
      )}
      {view && <EvidenceChecks view={view} recordedBy={record?.populated?.evidenceRecordedBy?.title} recordedAt={params.evidenceRecordedAt as string | undefined} />}
      {error && <MessageBox mb="lg" message={error} variant="danger" />}
      {custom.chooseAgency && (
        <FormGroup>
          <Label htmlFor="agency">Agency</Label>
          <Select
            inputId="agency"
            value={agencyOptions.find((o) => o.value === agencyId) ?? null}
            options={agencyOptions}
            onChange={(selected: { value: string } | null) => setAgencyId(selected?.value ?? '')}
          />
        </FormGroup>
      )}
      {custom.reason !== 'none' && (
        <FormGroup>
          <Label required={custom.reason === 'required'} htmlFor="reason">{custom.reasonLabel}</Label>
          <TextArea id="reason" name="reason" rows={4} width="100%" value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
        </FormGroup>
      )}
      <Button variant="contained" type="submit" disabled={saving}>{custom.submitLabel}</Button>
    </Box>
  )
}

export default RegistrationDecision
