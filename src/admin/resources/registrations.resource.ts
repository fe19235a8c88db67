import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs'
import { z } from 'zod'
import { isIP } from 'node:net'
import { AgencyKind } from '@prisma/client'
import { defineResource, validatePayload, type AdminDeps } from './define.js'
import { optionalText, requiredText, stringList } from './fields.js'
import { registrationDecisionActions } from '../actions/registration-decisions.action.js'
import { accountSecurityActions } from '../actions/account-security.action.js'
import type { AccountSecurityService } from '../../modules/auth/account-security.service.js'
import type { MfaService } from '../../modules/auth/mfa.service.js'

const navigation = { name: 'Registrations', icon: 'UserCheck' }

const US_STATE = /^[A-Z]{2}$/
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

export const agencyFormSchema = z
  .object({
    name: requiredText(200),
    kind: z.nativeEnum(AgencyKind, { errorMap: () => ({ message: `Choose one of ${Object.keys(AgencyKind).join(', ')}` }) }),
    ori: optionalText(9).refine((v) => v === null || /^[A-Z0-9]{9}$/.test(v), 'An ORI is 9 letters or digits, e.g. CA0194200'),
    state: optionalText(2)
      .transform((v) => v?.toUpperCase() ?? null)
      .refine((v) => v === null || US_STATE.test(v), 'A state is a 2-letter code, e.g. CA'),
    country: z.preprocess((v) => (v === '' || v == null ? 'US' : v), z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'An ISO 3166 2-letter country code, e.g. US')),
    emailDomains: stringList(z.string().toLowerCase().regex(DOMAIN, 'Each email domain must be a domain name, e.g. police.example.com')),
    contactEmail: optionalText(254).refine((v) => v === null || z.string().email().safeParse(v).success, 'Not an email address'),
  })
  .refine((agency) => agency.country !== 'US' || agency.state !== null, { path: ['state'], message: 'A US agency needs its state' })

/** A network in CIDR notation: 192.0.2.0/24, 2001:db8::/32; a bare address is a /32 or /128. */
export function networkProblem(value: string): string | null {
  const [address, prefix, extra] = value.split('/')
  const family = isIP(address ?? '')
  if (!family || extra !== undefined) return `"${value}" is not a network such as 192.0.2.0/24`
  if (prefix === undefined) return null
  const bits = Number(prefix)
  const max = family === 4 ? 32 : 128
  return /^\d+$/.test(prefix) && bits <= max ? null : `"${value}" has a prefix length outside 0..${max}`
}

const ipLocationSchema = z.object({
  network: z.string().trim().superRefine((v, ctx) => {
    const problem = networkProblem(v)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'An ISO 3166 2-letter country code, e.g. US'),
  region: optionalText(64).transform((v) => v?.toUpperCase() ?? null),
  source: requiredText(200),
})

const officerEditSchema = z.object({
  phone: requiredText(40),
  supervisorName: requiredText(200),
  supervisorEmail: z.string().trim().toLowerCase().email('Not an email address'),
  proposedAgencyName: optionalText(200),
})

export function registrationResources(deps: AdminDeps & Omit<Parameters<typeof registrationDecisionActions>[0], 'component'> & { accountSecurity: AccountSecurityService; mfa: MfaService }): ResourceWithOptions[] {
  return [
    defineResource(
      deps,
      'OfficerRegistration',
      {
        navigation,
        // The vetting queue first (PENDING_REVIEW sorts first among what staff see), oldest first.
        sort: { sortBy: 'status', direction: 'asc' },
        listProperties: ['id', 'lastName', 'firstName', 'kind', 'agency', 'status', 'createdAt', 'verificationExpiresAt'],
        filterProperties: ['status', 'kind', 'agency', 'officialEmail', 'lastName', 'createdAt'],
        showProperties: [
          'id', 'status', 'statusChangedAt', 'firstName', 'lastName', 'kind', 'agency', 'proposedAgencyName', 'badgeNumber', 'officialEmail',
          'phone', 'supervisorName', 'supervisorEmail', 'supervisorConfirmation', 'supervisorAnsweredAt', 'emailConfirmedAt',
          'evidenceView', 'evidenceRecordedBy', 'evidenceRecordedAt', 'verifiedBy', 'verifiedAt', 'verificationExpiresAt',
          'decisionReason', 'applicantResponse', 'lastSignInAt', 'failedSignInCount', 'lockedAt', 'createdAt', 'updatedAt',
        ],
        editProperties: ['phone', 'supervisorName', 'supervisorEmail', 'proposedAgencyName'],
        properties: {
          evidenceView: { type: 'string', isVisible: { show: true, list: false, edit: false, filter: false }, components: { show: deps.components.RegistrationEvidence } },
          decisionReason: { type: 'textarea' },
          applicantResponse: { type: 'textarea' },
        },
        actions: {
          edit: { before: validatePayload(officerEditSchema) },
          show: {
            // The evidence checks as they stand now, beside those recorded.
            after: async (response: ActionResponse, _request: ActionRequest, _context: ActionContext) => {
              if (response.record?.params) response.record.params.evidenceView = JSON.stringify(await deps.vetting.evidenceFor(Number(response.record.params.id)))
              return response
            },
          },
          ...registrationDecisionActions({ ...deps, component: deps.components.RegistrationDecision }),
          ...accountSecurityActions('OfficerRegistration', { ...deps, component: deps.components.ReasonedChange }),
        },
      },
      {
        // Staff see an application only once its email address is confirmed.
        scope: () => ({ status: { not: 'EMAIL_UNCONFIRMED' } }),
        secretFields: ['passwordHash', 'mfaSecret', 'mfaRecoveryCodes', 'mfaLastTimeStep'],
        tieBreakById: true,
      },
    ),
    // Refused to every role (access.ts); defined so that the refusal is AdminJS's, not a 404.
    defineResource(deps, 'RegistrationToken', { navigation }, { secretFields: ['digest'] }),
    defineResource(deps, 'IpLocation', {
      navigation,
      sort: { sortBy: 'id', direction: 'asc' },
      listProperties: ['id', 'network', 'country', 'region', 'source'],
      filterProperties: ['network', 'country', 'region', 'source'],
      editProperties: ['network', 'country', 'region', 'source'],
      actions: { new: { before: validatePayload(ipLocationSchema) }, edit: { before: validatePayload(ipLocationSchema) } },
    }),
    defineResource(deps, 'Agency', {
      navigation,
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['id', 'name', 'kind', 'state', 'country', 'ori'],
      filterProperties: ['name', 'kind', 'state', 'country', 'ori'],
      editProperties: ['name', 'kind', 'ori', 'state', 'country', 'emailDomains', 'contactEmail'],
      properties: { emailDomains: { isArray: true } },
      actions: {
        new: { before: validatePayload(agencyFormSchema) },
        edit: { before: validatePayload(agencyFormSchema) },
      },
    }),
  ]
}
