import React, { useState } from 'react'
import { ApiClient, useNotice, type ActionProps } from 'adminjs'
import { Box, Button, CheckBox, FormGroup, FormMessage, H5, Input, Label, MessageBox, Select, Text, TextArea } from '@adminjs/design-system'

type Custom = { incidentTypes: string[]; annotations: string[] }
type Problem = { field: string | null; message: string }

const api = new ApiClient()

const ANNOTATION_LABELS: Record<string, string> = {
  sextortion: 'Sextortion',
  csamSolicitation: 'CSAM solicitation',
  minorToMinorInteraction: 'Minor-to-minor interaction',
  spam: 'Spam',
  sadisticOnlineExploitation: 'Sadistic online exploitation',
  informational: 'Informational only',
}

const EMPTY: Record<string, string> = {
  callReference: '', incidentType: '', incidentAt: '', platform: '', escalation: '', description: '', urls: '',
  callerFirstName: '', callerLastName: '', callerPhone: '', callerEmail: '',
  suspectScreenName: '', suspectEmail: '', suspectPhone: '', suspectIp: '', suspectService: '',
  victimFirstName: '', victimAge: '', victimScreenName: '',
}

/** A public tip taken by phone: the same checks, scoring and routing as an ESP's report. */
const EnterReport: React.FC<ActionProps> = ({ action, resource }) => {
  const custom = action.custom as Custom
  const notice = useNotice()
  const [values, setValues] = useState(EMPTY)
  const [flags, setFlags] = useState<Record<string, boolean>>({})
  const [problems, setProblems] = useState<Problem[]>([])
  const [saving, setSaving] = useState(false)

  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setValues({ ...values, [name]: e.target.value })
  const errorOf = (name: string) => problems.filter((p) => p.field === name).map((p) => p.message).join('; ')
  const unplaced = problems.filter((p) => !p.field || !(p.field in EMPTY))

  const field = (name: string, label: string, options: { hint?: string; area?: boolean; required?: boolean; type?: string } = {}) => (
    <FormGroup error={Boolean(errorOf(name))}>
      <Label htmlFor={name} required={options.required}>{label}</Label>
      {options.area ? (
        <TextArea id={name} name={name} rows={3} width="100%" value={values[name]} onChange={set(name)} aria-invalid={Boolean(errorOf(name))} />
      ) : (
        <Input id={name} name={name} type={options.type ?? 'text'} width="100%" value={values[name]} onChange={set(name)} aria-invalid={Boolean(errorOf(name))} />
      )}
      {options.hint && !errorOf(name) && <Text variant="sm" color="grey60">{options.hint}</Text>}
      <FormMessage>{errorOf(name)}</FormMessage>
    </FormGroup>
  )

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    setSaving(true)
    setProblems([])
    try {
      const data: Record<string, unknown> = { ...values }
      for (const [flag, on] of Object.entries(flags)) data[`annotations.${flag}`] = on
      const response = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data })
      const result = response.data as { problems?: Problem[]; redirectUrl?: string; notice?: { type: 'success' | 'error'; message: string } }
      if (result.problems?.length) {
        setProblems(result.problems)
        // The console scrolls inside its own pane: bring the form's top (and its summary) into view.
        document.querySelector('[data-testid=enter-report]')?.scrollIntoView()
      } else if (result.redirectUrl) {
        if (result.notice) notice({ message: result.notice.message, type: result.notice.type })
        window.location.assign(result.redirectUrl)
      }
    } catch {
      setProblems([{ field: null, message: 'The report was not saved: the console could not be reached. Try again.' }])
    } finally {
      setSaving(false)
    }
  }

  const typeOption = (v: string) => ({ value: v, label: v })
  return (
    <Box variant="card" p="xl" data-testid="enter-report">
      <Text mb="lg">
        For a tip taken by phone. The report is checked by the same rules as an ESP&apos;s, then scored and routed at once. Times are UTC.
      </Text>
      {problems.length > 0 && (
        <MessageBox mb="lg" variant="danger" message={`The report was not saved. ${unplaced.map((p) => p.message).join('; ') || 'See the fields marked below.'}`} />
      )}
      <Box as="form" onSubmit={submit} noValidate>
        <H5>The incident</H5>
        <FormGroup error={Boolean(errorOf('incidentType'))}>
          <Label htmlFor="incidentType" required>Incident type</Label>
          <Select
            inputId="incidentType"
            value={values.incidentType ? typeOption(values.incidentType) : null}
            options={custom.incidentTypes.map(typeOption)}
            onChange={(s: { value: string } | null) => setValues({ ...values, incidentType: s?.value ?? '' })}
          />
          <FormMessage>{errorOf('incidentType')}</FormMessage>
        </FormGroup>
        {field('incidentAt', 'When it happened (UTC)', { required: true, type: 'datetime-local' })}
        {field('escalation', 'Child at immediate risk? Say why', { area: true, hint: 'Only if a child may be in danger now: the report becomes P1.' })}
        <FormGroup>
          <Label>Annotations</Label>
          <Box flex flexDirection="row" flexWrap="wrap">
            {custom.annotations.map((flag) => (
              <Box key={flag} mr="xl" mb="sm" flex alignItems="center">
                <CheckBox id={`annotation-${flag}`} checked={Boolean(flags[flag])} onChange={() => setFlags({ ...flags, [flag]: !flags[flag] })} />
                <Label inline htmlFor={`annotation-${flag}`} ml="default">{ANNOTATION_LABELS[flag] ?? flag}</Label>
              </Box>
            ))}
          </Box>
        </FormGroup>
        {field('platform', 'Platform or app')}
        {field('urls', 'Web addresses involved', { area: true, hint: 'One per line.' })}
        {field('description', 'What the caller said', { area: true })}

        <H5 mt="xl">The caller</H5>
        {field('callReference', 'Call reference', { hint: 'The phone system\'s reference for this call, if any.' })}
        {field('callerFirstName', 'First name', { required: true })}
        {field('callerLastName', 'Last name')}
        {field('callerPhone', 'Phone')}
        {field('callerEmail', 'E-mail')}

        <H5 mt="xl">The person or account reported</H5>
        {field('suspectScreenName', 'Screen name')}
        {field('suspectService', 'Service or app')}
        {field('suspectEmail', 'E-mail')}
        {field('suspectPhone', 'Phone')}
        {field('suspectIp', 'IP address')}

        <H5 mt="xl">The child, if known</H5>
        {field('victimFirstName', 'First name')}
        {field('victimAge', 'Age')}
        {field('victimScreenName', 'Screen name')}

        <Button variant="contained" type="submit" disabled={saving} mt="lg">{saving ? 'Saving…' : 'Save and triage the report'}</Button>
      </Box>
    </Box>
  )
}

export default EnterReport
