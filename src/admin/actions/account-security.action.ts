// Unlock an account after a lockout, and end all of its sessions: record actions on staff users
// and officer registrations, each with a reason kept in the audit trail.
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { ZodError } from 'zod'
import { AppError } from '../../lib/errors.js'
import type { AccountSecurityService } from '../../modules/auth/account-security.service.js'
import { mayRun } from '../access.js'
import { currentStaff } from '../resources/define.js'

type Account = 'StaffUser' | 'OfficerRegistration'

export function accountSecurityActions(account: Account, deps: { accountSecurity: AccountSecurityService; component: string }) {
  const make = (name: 'unlock' | 'endSessions'): Partial<Action<ActionResponse>> => {
    const applies = (record?: { params: Record<string, unknown> }) => name !== 'unlock' || !record || record.params.lockedAt != null
    const allowed = ({ currentAdmin, record }: { currentAdmin?: unknown; record?: { params: Record<string, unknown> } }) =>
      mayRun(currentStaff({ currentAdmin })?.role, account, name) && applies(record)
    return {
      actionType: 'record',
      icon: name === 'unlock' ? 'Unlock' : 'LogOut',
      component: deps.component,
      custom:
        name === 'unlock'
          ? { explanation: 'This account was locked after repeated failed sign-ins. Unlock it only once you know the failures were its owner\'s.', submitLabel: 'Unlock' }
          : { explanation: 'End every session of this account now, on every device: it must sign in again (with its second factor).', submitLabel: 'End all sessions' },
      isAccessible: allowed,
      isVisible: allowed,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const { record, currentAdmin } = context
        if (!record) throw new AppError('NOT_FOUND', 'No such account')
        if (request.method !== 'post') return { record: record.toJSON(currentAdmin) }
        const staff = currentStaff(context)!
        try {
          const id = Number(record.id())
          const ended = name === 'unlock'
            ? (await deps.accountSecurity.unlock(account, id, request.payload ?? {}, staff), null)
            : await deps.accountSecurity.endSessions(account, id, request.payload ?? {}, staff)
          const fresh = (await context.resource.findOne(String(id), context)) ?? record
          const message = name === 'unlock' ? 'Unlocked: the account can sign in again.' : `Ended ${ended} session${ended === 1 ? '' : 's'}.`
          return { record: fresh.toJSON(currentAdmin), notice: { type: 'success', message } }
        } catch (error) {
          const message = error instanceof ZodError ? error.issues.map((i) => i.message).join('; ') : error instanceof AppError ? error.message : null
          if (!message) throw error
          return { record: record.toJSON(currentAdmin), notice: { type: 'error', message } }
        }
      },
    }
  }
  return { unlock: make('unlock'), endSessions: make('endSessions') }
}
