import React, { useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiClient, useNotice, type ActionProps } from 'adminjs'
import { Box, Button, FormGroup, Input, Label, Select, TextArea, Text, MessageBox } from '@adminjs/design-system'

type Custom = {
  explanation: string
  field?: { name: string; label: string; options?: string[] }
  submitLabel: string
  /** What the text is, when it is not a reason for the record (e.g. notes for an officer). */
  reasonLabel?: string
}

const api = new ApiClient()

/** A change that needs a reason: optionally a value to choose, always the why. */
const ReasonedChange: React.FC<ActionProps> = ({ action, record, resource }) => {
  const custom = action.custom as Custom
  const navigate = useNavigate()
  const addNotice = useNotice()
  const [value, setValue] = useState<string>('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    setSaving(true)
    setError(null)
    try {
      const data: Record<string, string> = { reason }
      if (custom.field) data[custom.field.name] = value
      const response = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data })
      const notice = response.data.notice
      if (notice?.type === 'error') {
        setError(notice.message)
      } else {
        if (notice) addNotice(notice)
        navigate(`/admin/resources/${resource.id}/records/${record!.id}/show`)
      }
    } catch {
      setError('The change was not saved: the console could not be reached. Try again.')
    } finally {
      setSaving(false)
    }
  }

  return (
    <Box as="form" onSubmit={submit} variant="card" p="xl" data-testid={`action-${action.name}`}>
      <Text mb="lg">{custom.explanation}</Text>
      {error && <MessageBox mb="lg" message={error} variant="danger" />}
      {custom.field && !custom.field.options && (
        <FormGroup>
          <Label required htmlFor="choice">{custom.field.label}</Label>
          <Input id="choice" name={custom.field.name} value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValue(e.target.value)} />
        </FormGroup>
      )}
      {custom.field?.options && (
        <FormGroup>
          <Label required htmlFor="choice">{custom.field.label}</Label>
          <Select
            inputId="choice"
            value={value ? { value, label: value } : null}
            options={custom.field.options.map((o) => ({ value: o, label: o }))}
            onChange={(selected: { value: string } | null) => setValue(selected?.value ?? '')}
          />
        </FormGroup>
      )}
      <FormGroup>
        <Label required htmlFor="reason">{custom.reasonLabel ?? "Reason (kept on the report's timeline and in the audit trail)"}</Label>
        <TextArea id="reason" name="reason" rows={4} width="100%" value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={saving}>{custom.submitLabel}</Button>
    </Box>
  )
}

export default ReasonedChange
