// Unlock an account after a lockout, and end all of its sessions: record actions on staff users
// and officer registrations, each with a reason kept in the audit trail.
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { AppError } from '../../lib/errors.js'
import type { AccountSecurityService } from '../../modules/auth/account-security.service.js'
import type { MfaService } from '../../modules/auth/mfa.service.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'
import { refusalMessage } from './refusal.js'

type Account = 'StaffUser' | 'OfficerRegistration'

type Name = 'unlock' | 'endSessions' | 'resetMfa'

const CUSTOM: Record<Name, { explanation: string; submitLabel: string; icon: string }> = {
  unlock: {
    explanation: "This account was locked after repeated failed sign-ins. Unlock it only once you know the failures were its owner's.",
    submitLabel: 'Unlock',
    icon: 'Unlock',
  },
  endSessions: {
    explanation: 'End every session of this account now, on every device: it must sign in again (with its second factor).',
    submitLabel: 'End all sessions',
    icon: 'LogOut',
  },
  resetMfa: {
    explanation: "The owner lost their authenticator and their recovery codes. Confirm who they are first (in person, or by a call to a number on record); then this removes the second factor and ends the account's sessions, and the next sign-in enrols a new one.",
    submitLabel: 'Reset second factor',
    icon: 'Smartphone',
  },
}

export function accountSecurityActions(account: Account, deps: { accountSecurity: AccountSecurityService; mfa: MfaService; component: string }) {
  const make = (name: Name): Partial<Action<ActionResponse>> => {
    const applies = (record?: { params: Record<string, unknown> }) =>
      !record || (name === 'unlock' ? record.params.lockedAt != null : name === 'resetMfa' ? record.params.mfaEnrolledAt != null : true)
    const allowed = ({ currentAdmin, record }: { currentAdmin?: unknown; record?: { params: Record<string, unknown> } }) =>
      mayRun(currentStaff({ currentAdmin })?.role, account, name) && applies(record)
    return {
      actionType: 'record',
      icon: CUSTOM[name].icon,
      component: deps.component,
      custom: { explanation: CUSTOM[name].explanation, submitLabel: CUSTOM[name].submitLabel },
      isAccessible: allowed,
      isVisible: allowed,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const { record, currentAdmin } = context
        if (!record) throw new AppError('NOT_FOUND', 'No such account')
        if (request.method !== 'post') return { record: record.toJSON(currentAdmin) }
        try {
          const id = Number(record.id())
          let message: string
          if (name === 'unlock') {
            await deps.accountSecurity.unlock(account, id, request.payload ?? {}, staffActor(context))
            message = 'Unlocked: the account can sign in again.'
          } else if (name === 'resetMfa') {
            await deps.mfa.reset(account, id, request.payload ?? {}, staffActor(context))
            message = 'Second factor removed: the next sign-in enrols a new one.'
          } else {
            const ended = await deps.accountSecurity.endSessions(account, id, request.payload ?? {}, staffActor(context))
            message = `Ended ${ended} session${ended === 1 ? '' : 's'}.`
          }
          const fresh = (await context.resource.findOne(String(id), context)) ?? record
          return { record: fresh.toJSON(currentAdmin), notice: { type: 'success', message } }
        } catch (error) {
          const message = refusalMessage(error)
          return { record: record.toJSON(currentAdmin), notice: { type: 'error', message } }
        }
      },
    }
  }
  return { unlock: make('unlock'), endSessions: make('endSessions'), resetMfa: make('resetMfa') }
}
