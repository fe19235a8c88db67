import React, { useEffect, useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiClient, useNotice, type ActionProps } from 'adminjs'
import { Box, Button, FormGroup, Label, Select, TextArea, Text, MessageBox } from '@adminjs/design-system'

type Field = { name: string; label: string; kind: 'select' | 'textarea'; required?: boolean; options?: string[]; choicesFrom?: string }
type Custom = { explanation: string; fields: Field[]; submitLabel: string }
type Choice = { value: string; label: string }

const api = new ApiClient()

/** The form of a work-queue action: claim next, renew, release, assign, refer, close, note. */
const WorkflowAction: React.FC<ActionProps> = ({ action, record, resource }) => {
  const custom = action.custom as Custom
  const navigate = useNavigate()
  const addNotice = useNotice()
  const [values, setValues] = useState<Record<string, string>>({})
  const [choices, setChoices] = useState<Record<string, Choice[]>>({})
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    if (!record || !custom.fields.some((f) => f.choicesFrom)) return
    api
      .recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name })
      .then((response) => setChoices(((response.data as unknown as { choices?: Record<string, Choice[]> }).choices) ?? {}))
      .catch(() => setError('The choices could not be loaded. Reload the page to try again.'))
  }, [record?.id, action.name])

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    setSaving(true)
    setError(null)
    try {
      const data = { ...values }
      const response = record
        ? await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data })
        : await api.resourceAction({ resourceId: resource.id, actionName: action.name, data })
      const body = response.data as { notice?: { type: string; message: string }; redirectUrl?: string }
      if (body.notice?.type === 'error') {
        setError(body.notice.message)
        return
      }
      if (body.notice) addNotice(body.notice as never)
      if (body.redirectUrl) navigate(body.redirectUrl)
      else if (record) navigate(`/admin/resources/${resource.id}/records/${record.id}/show`)
    } catch {
      setError('Nothing was changed: the console could not be reached. Try again.')
    } finally {
      setSaving(false)
    }
  }

  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }))

  return (
    <Box as="form" onSubmit={submit} variant="card" p="xl" data-testid={`action-${action.name}`}>
      <Text mb="lg">{custom.explanation}</Text>
      {error && <MessageBox mb="lg" message={error} variant="danger" />}
      {custom.fields.map((field) => {
        const options: Choice[] = field.options ? field.options.map((o) => ({ value: o, label: o.replace(/_/g, ' ').toLowerCase() })) : choices[field.choicesFrom ?? ''] ?? []
        return (
          <FormGroup key={field.name}>
            <Label required={field.required} htmlFor={field.name}>{field.label}</Label>
            {field.kind === 'select' ? (
              <Select
                inputId={field.name}
                value={options.find((o) => o.value === values[field.name]) ?? null}
                options={options}
                onChange={(selected: Choice | null) => set(field.name, selected?.value ?? '')}
              />
            ) : (
              <TextArea id={field.name} name={field.name} rows={4} width="100%" value={values[field.name] ?? ''}
                onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set(field.name, e.target.value)} />
            )}
          </FormGroup>
        )
      })}
      <Button variant="contained" type="submit" disabled={saving}>{custom.submitLabel}</Button>
    </Box>
  )
}

export default WorkflowAction
