import { ValidationError, type ActionRequest, type ActionResponse, type ResourceWithOptions } from 'adminjs'
import { z } from 'zod'
import { StaffRole } from '@prisma/client'
import { hashPassword, passwordProblem } from '../../modules/auth/password.js'
import { issueEspSecret } from '../../modules/intake/esp-credentials.js'
import { currentStaff, defineResource, validatePayload, type AdminDeps } from './define.js'
import { formBoolean, optionalText, requiredText } from './fields.js'
import { retryNotificationAction } from '../actions/retry-notification.action.js'
import { accountSecurityActions } from '../actions/account-security.action.js'
import type { AccountSecurityService } from '../../modules/auth/account-security.service.js'
import type { MfaService } from '../../modules/auth/mfa.service.js'

const navigation = { name: 'Administration', icon: 'Settings' }

const password = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

const newStaffSchema = z.object({
  email: z.string().trim().toLowerCase().email('Not an email address'),
  name: requiredText(200),
  role: z.nativeEnum(StaffRole),
  password,
})

const editStaffSchema = z.object({
  name: requiredText(200),
  role: z.nativeEnum(StaffRole),
  isActive: formBoolean,
  password: z.preprocess((v) => (v === '' || v == null ? undefined : v), password.optional()),
})

const espAccountSchema = z.object({
  name: requiredText(200),
  username: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'Lower-case letters, digits, dot, dash or underscore; 3 to 64 characters'),
  contactEmail: optionalText(254).refine((v) => v === null || z.string().email().safeParse(v).success, 'Not an email address'),
  isActive: formBoolean.optional(),
})

/** Keeps an administrator from locking themselves out: no demoting or disabling one's own account. */
function refuseSelfLockout(request: ActionRequest, context: Parameters<typeof currentStaff>[0]) {
  const me = currentStaff(context)
  if (request.method !== 'post' || !me || String(me.id) !== String(request.params.recordId)) return
  const payload = request.payload ?? {}
  if ((payload.role !== undefined && payload.role !== me.role) || payload.isActive === false || payload.isActive === 'false') {
    throw new ValidationError({}, { message: 'You cannot change your own role or disable your own account; ask another administrator' })
  }
}

export function administrationResources(deps: AdminDeps & { accountSecurity: AccountSecurityService; mfa: MfaService }): ResourceWithOptions[] {
  // Each issued ESP secret, between the `before` hook that issues it and the `after` hook that
  // shows it once; keyed by the request object, so concurrent requests cannot mix them up.
  const issuedSecrets = new WeakMap<object, string>()

  return [
    defineResource(
      deps,
      'StaffUser',
      {
        navigation,
        sort: { sortBy: 'name', direction: 'asc' },
        listProperties: ['id', 'name', 'email', 'role', 'isActive', 'lastSignInAt', 'lockedAt'],
        filterProperties: ['name', 'email', 'role', 'isActive'],
        showProperties: ['id', 'name', 'email', 'role', 'isActive', 'mustChangePassword', 'mfaEnrolledAt', 'lastSignInAt', 'failedSignInCount', 'lockedAt', 'createdAt', 'updatedAt'],
        editProperties: ['email', 'name', 'role', 'isActive', 'password'],
        properties: {
          password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true } },
          email: { isDisabled: false },
        },
        actions: {
          ...accountSecurityActions('StaffUser', { ...deps, component: deps.components.ReasonedChange }),
          new: {
            before: validatePayload(newStaffSchema, async ({ password: plain, ...staff }) => ({
              ...staff,
              passwordHash: await hashPassword(plain),
              mustChangePassword: true,
            })),
          },
          edit: {
            before: async (request: ActionRequest, context: Parameters<typeof currentStaff>[0]) => {
              refuseSelfLockout(request, context)
              return validatePayload(editStaffSchema, async ({ password: plain, ...staff }) =>
                plain ? { ...staff, passwordHash: await hashPassword(plain), mustChangePassword: true } : staff,
              )(request)
            },
          },
        },
      },
      { secretFields: ['passwordHash', 'mfaSecret', 'mfaRecoveryCodes', 'mfaLastTimeStep'] },
    ),
    defineResource(
      deps,
      'EspAccount',
      {
        navigation,
        sort: { sortBy: 'name', direction: 'asc' },
        listProperties: ['id', 'name', 'username', 'isActive', 'lastUsedAt', 'createdAt'],
        editProperties: ['name', 'username', 'contactEmail', 'isActive'],
        actions: {
          new: {
            before: async (request: ActionRequest) => {
              const validated = await validatePayload(espAccountSchema)(request)
              if (request.method !== 'post') return validated
              const { secret, secretDigest } = issueEspSecret()
              const withSecret = { ...validated, payload: { ...validated.payload, secretDigest, isActive: true } }
              issuedSecrets.set(withSecret, secret)
              return withSecret
            },
            after: async (response: ActionResponse, request: ActionRequest) => {
              const secret = issuedSecrets.get(request)
              if (secret && response.record && !response.record.errors?.length) {
                response.notice = {
                  type: 'success',
                  message: `Account created. Give the ESP its password now; it is shown only this once: ${secret}`,
                }
              }
              return response
            },
          },
          edit: { before: validatePayload(espAccountSchema) },
        },
      },
      { secretFields: ['secretDigest'] },
    ),
    defineResource(deps, 'AuditEvent', {
      navigation,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'occurredAt', 'actorType', 'actorLabel', 'action', 'objectType', 'objectId', 'outcome'],
      filterProperties: ['actorType', 'actorId', 'action', 'objectType', 'objectId', 'outcome', 'occurredAt'],
    }),
  ]
}

export function notificationResources(deps: AdminDeps & Parameters<typeof retryNotificationAction>[0]): ResourceWithOptions[] {
  return [
    defineResource(deps, 'Notification', {
      navigation: { name: 'Notifications', icon: 'Mail' },
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'kind', 'recipient', 'status', 'attempts', 'lastError', 'createdAt', 'sentAt'],
      filterProperties: ['kind', 'status', 'channel', 'recipient', 'queue', 'priority', 'createdAt'],
      showProperties: [
        'id', 'kind', 'channel', 'status', 'recipient', 'template', 'queue', 'priority', 'report', 'attempts', 'lastError',
        'messageId', 'digest', 'idempotencyKey', 'data', 'createdAt', 'enqueuedAt', 'sentAt', 'updatedAt',
      ],
      properties: {
        kind: { components: { list: deps.components.EnumLabel, show: deps.components.EnumLabel } },
        lastError: { type: 'textarea' },
      },
      actions: { retry: retryNotificationAction(deps) },
    }),
  ]
}
