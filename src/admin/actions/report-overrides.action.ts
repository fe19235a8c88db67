// Change priority, re-route, escalate: each a record action on a report, with a reason.
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { ZodError } from 'zod'
import { AppError } from '../../lib/errors.js'
import type { OverridesService } from '../../modules/triage/overrides.service.js'
import { mayRun } from '../access.js'
import { currentStaff } from '../resources/define.js'

type OverrideAction = 'changePriority' | 'reroute' | 'escalate'

const CUSTOM: Record<OverrideAction, { explanation: string; field?: { name: string; label: string; options: string[] }; submitLabel: string; icon: string }> = {
  changePriority: {
    explanation: 'Set this report\'s priority yourself. It stays as you set it when the report is re-scored.',
    field: { name: 'priority', label: 'New priority', options: ['P1', 'P2', 'P3', 'INFO'] },
    submitLabel: 'Change priority',
    icon: 'BarChart2',
  },
  reroute: {
    explanation: 'Send this report to the other team\'s queue. A claimed report goes back unclaimed.',
    field: { name: 'queue', label: 'New queue', options: ['CYBERTIPLINE', 'CVIP'] },
    submitLabel: 'Re-route',
    icon: 'Shuffle',
  },
  escalate: {
    explanation: 'Make this report P1: a child may be in imminent danger. The CyberTipline team is mailed at once.',
    submitLabel: 'Escalate to P1',
    icon: 'AlertOctagon',
  },
}

export function reportOverrideActions(deps: { overrides: OverridesService; kickOutbox(): Promise<void>; component: string }) {
  const make = (name: OverrideAction): Partial<Action<ActionResponse>> => {
    const allowed = ({ currentAdmin }: { currentAdmin?: unknown }) => mayRun(currentStaff({ currentAdmin })?.role, 'Report', name)
    const { icon, ...custom } = CUSTOM[name]
    return {
      actionType: 'record',
      icon,
      component: deps.component,
      custom,
      isAccessible: allowed,
      isVisible: allowed,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const { record, currentAdmin } = context
        if (!record) throw new AppError('NOT_FOUND', 'No such report')
        if (request.method !== 'post') return { record: record.toJSON(currentAdmin) }
        const staff = currentStaff(context)!
        try {
          const result = await deps.overrides[name](Number(record.id()), request.payload ?? {}, { id: staff.id, email: staff.email })
          await deps.kickOutbox()
          const fresh = await context.resource.findOne(String(record.id()), context)
          return {
            record: (fresh ?? record).toJSON(currentAdmin),
            notice: { type: 'success', message: `Report ${record.id()} is now ${result.priority} in the ${result.queue} queue.` },
          }
        } catch (error) {
          const message =
            error instanceof ZodError ? error.issues.map((i) => i.message).join('; ') : error instanceof AppError ? error.message : null
          if (!message) throw error
          return { record: record.toJSON(currentAdmin), notice: { type: 'error', message } }
        }
      },
    }
  }
  return { changePriority: make('changePriority'), reroute: make('reroute'), escalate: make('escalate') }
}
