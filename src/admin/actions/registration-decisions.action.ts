// The vetting workflow's record actions on an officer registration: record evidence, verify
// (four eyes), reject, ask for more, ask the supervisor, suspend, reinstate. Each calls one
// vetting service function, which audits it and emails the applicant.
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import type { RegistrationStatus } from '@prisma/client'
import type { Db } from '../../lib/db.js'
import { AppError } from '../../lib/errors.js'
import type { VettingService } from '../../modules/registrations/vetting.service.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'
import { refusalMessage } from './refusal.js'

export type RegistrationAction = 'recordEvidence' | 'verify' | 'reject' | 'requestMoreInfo' | 'requestSupervisorConfirmation' | 'suspend' | 'reinstate'

type Spec = {
  explanation: string
  submitLabel: string
  icon: string
  /** The statuses the action applies to (it is hidden elsewhere; the service refuses it too). */
  from: RegistrationStatus[]
  reason: 'required' | 'optional' | 'none'
  reasonLabel?: string
  /** The name the service reads the text under. */
  reasonField?: 'reason' | 'notes'
  chooseAgency?: boolean
  variant?: 'danger'
}

export const REGISTRATION_ACTIONS: Record<RegistrationAction, Spec> = {
  recordEvidence: {
    explanation: 'First pair of eyes: record the checks below as they stand, with what you confirmed yourself (a call to the agency, say). Another staff member then verifies.',
    submitLabel: 'Record evidence',
    icon: 'ClipboardCheck',
    from: ['PENDING_REVIEW'],
    reason: 'optional',
    reasonLabel: 'What you checked yourself (kept with the evidence)',
    reasonField: 'notes',
    chooseAgency: true,
  },
  verify: {
    explanation: 'Second pair of eyes: verify the applicant, who can then sign in to the portal. You cannot verify a registration whose evidence you recorded.',
    submitLabel: 'Verify',
    icon: 'UserCheck',
    from: ['PENDING_REVIEW'],
    reason: 'optional',
    reasonLabel: 'Reason, needed only if a check does not pass (kept in the audit trail)',
  },
  reject: {
    explanation: 'Refuse the application. The applicant reads your reason in the email we send.',
    submitLabel: 'Reject',
    icon: 'UserX',
    from: ['PENDING_REVIEW', 'MORE_INFO_REQUESTED'],
    reason: 'required',
    reasonLabel: 'Reason (the applicant reads it)',
    variant: 'danger',
  },
  requestMoreInfo: {
    explanation: 'Ask the applicant for more. They read your question in an email, answer it after signing in, and the application comes back to this queue.',
    submitLabel: 'Ask for more information',
    icon: 'HelpCircle',
    from: ['PENDING_REVIEW'],
    reason: 'required',
    reasonLabel: 'What you need from the applicant (they read it)',
  },
  requestSupervisorConfirmation: {
    explanation: "Email the supervisor the applicant named a link to confirm or deny the employment. The answer appears in the checks. A new request withdraws an earlier one's link.",
    submitLabel: 'Email the supervisor',
    icon: 'Mail',
    from: ['PENDING_REVIEW', 'MORE_INFO_REQUESTED'],
    reason: 'none',
  },
  suspend: {
    explanation: "Suspend the officer's access at once: their live portal session ends on its next request.",
    submitLabel: 'Suspend',
    icon: 'Slash',
    from: ['VERIFIED'],
    reason: 'required',
    reasonLabel: 'Reason (the officer reads it)',
    variant: 'danger',
  },
  reinstate: {
    explanation: 'Lift a suspension or an inactivity disablement. If the verification has lapsed meanwhile, the registration goes back to this queue to be verified again.',
    submitLabel: 'Reinstate',
    icon: 'RotateCcw',
    from: ['SUSPENDED', 'DISABLED'],
    reason: 'optional',
    reasonLabel: 'Note (the officer reads it)',
  },
}

const DONE: Record<RegistrationAction, string> = {
  recordEvidence: 'Evidence recorded: another staff member can now verify.',
  verify: 'Verified: the officer is emailed and can sign in.',
  reject: 'Rejected: the applicant is emailed the reason.',
  requestMoreInfo: 'The applicant is asked for more information.',
  requestSupervisorConfirmation: 'The supervisor is emailed a link to answer.',
  suspend: 'Suspended: the officer is emailed and signed out.',
  reinstate: 'Reinstated.',
}

export function registrationDecisionActions(deps: { db: Db; vetting: VettingService; kickOutbox(): Promise<void>; component: string }) {
  const make = (name: RegistrationAction): Partial<Action<ActionResponse>> => {
    const { icon, from, variant, ...custom } = REGISTRATION_ACTIONS[name]
    const allowed = ({ currentAdmin, record }: { currentAdmin?: unknown; record?: { params: Record<string, unknown> } }) =>
      mayRun(currentStaff({ currentAdmin })?.role, 'OfficerRegistration', name) && (!record || from.includes(record.params.status as RegistrationStatus))
    return {
      actionType: 'record',
      icon,
      ...(variant ? { variant } : {}),
      component: deps.component,
      custom,
      isAccessible: allowed,
      isVisible: allowed,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const { record, currentAdmin } = context
        if (!record) throw new AppError('NOT_FOUND', 'No such registration')
        const id = Number(record.id())
        const answer = async (notice?: { type: 'success' | 'error'; message: string }) => {
          const fresh = (await context.resource.findOne(String(id), context)) ?? record
          const json = fresh.toJSON(currentAdmin)
          json.params.evidenceView = JSON.stringify(await deps.vetting.evidenceFor(id))
          if (REGISTRATION_ACTIONS[name].chooseAgency) {
            const agencies = await deps.db.agency.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } })
            json.params.agencyChoices = JSON.stringify(agencies)
          }
          return { record: json, ...(notice ? { notice } : {}) }
        }
        if (request.method !== 'post') return answer()
        try {
          await deps.vetting[name](id, request.payload ?? {}, staffActor(context))
          await deps.kickOutbox()
          return answer({ type: 'success', message: DONE[name] })
        } catch (error) {
          const message = refusalMessage(error)
          return answer({ type: 'error', message })
        }
      },
    }
  }
  return Object.fromEntries((Object.keys(REGISTRATION_ACTIONS) as RegistrationAction[]).map((name) => [name, make(name)])) as Record<RegistrationAction, Partial<Action<ActionResponse>>>
}
