// Change priority, re-route, escalate, merge and unmerge: each a record action on a report,
// with a reason.
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { AppError } from '../../lib/errors.js'
import type { OverridesService } from '../../modules/triage/overrides.service.js'
import type { StaffActor } from '../../modules/audit/audit.service.js'
import type { DuplicatesService } from '../../modules/triage/duplicates.service.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'
import { refusalMessage } from './refusal.js'

type OverrideAction = 'changePriority' | 'reroute' | 'escalate' | 'merge' | 'unmerge'

type Field = { name: string; label: string; options?: string[] }

const CUSTOM: Record<OverrideAction, { explanation: string; field?: Field; submitLabel: string; icon: string }> = {
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
  merge: {
    explanation: 'Close this report as a duplicate of another (see "Related reports"). The original keeps the higher of the two priorities. A merge can be undone.',
    field: { name: 'originalId', label: 'Original report (its id)' },
    submitLabel: 'Merge into the original',
    icon: 'GitMerge',
  },
  unmerge: {
    explanation: 'Undo the merge: this report gets back the status it had, and the original its priority if the merge raised it.',
    submitLabel: 'Unmerge',
    icon: 'GitBranch',
  },
}

export function reportOverrideActions(deps: { overrides: OverridesService; duplicates: DuplicatesService; kickOutbox(): Promise<void>; component: string }) {
  const run: Record<OverrideAction, (id: number, input: unknown, actor: StaffActor) => Promise<unknown>> = {
    changePriority: deps.overrides.changePriority,
    reroute: deps.overrides.reroute,
    escalate: deps.overrides.escalate,
    merge: deps.duplicates.merge,
    unmerge: deps.duplicates.unmerge,
  }
  const make = (name: OverrideAction): Partial<Action<ActionResponse>> => {
    const merged = (record?: { params: Record<string, unknown> }) => record?.params.mergedInto != null
    // Merge applies to a report that is not merged; unmerge to one that is.
    const applies = (record?: { params: Record<string, unknown> }) =>
      !record || (name === 'unmerge' ? merged(record) : name === 'merge' ? !merged(record) : true)
    const allowed = ({ currentAdmin, record }: { currentAdmin?: unknown; record?: { params: Record<string, unknown> } }) =>
      mayRun(currentStaff({ currentAdmin })?.role, 'Report', name) && applies(record)
    const { icon, ...custom } = CUSTOM[name]
    return {
      actionType: 'record',
      icon,
      // One "Triage" menu on a report's page, so the work-queue actions stay in view.
      parent: 'triage',
      component: deps.component,
      custom,
      isAccessible: allowed,
      isVisible: allowed,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const { record, currentAdmin } = context
        if (!record) throw new AppError('NOT_FOUND', 'No such report')
        if (request.method !== 'post') return { record: record.toJSON(currentAdmin) }
        try {
          await run[name](Number(record.id()), request.payload ?? {}, staffActor(context))
          await deps.kickOutbox()
          const fresh = await context.resource.findOne(String(record.id()), context)
          const params = (fresh ?? record).params
          const now =
            name === 'merge' ? `merged into report ${params.mergedInto}` : name === 'unmerge' ? `${String(params.status).toLowerCase().replace('_', ' ')} again` : `${params.priority} in the ${params.queue} queue`
          return { record: (fresh ?? record).toJSON(currentAdmin), notice: { type: 'success', message: `Report ${record.id()} is now ${now}.` } }
        } catch (error) {
          const message = refusalMessage(error)
          return { record: record.toJSON(currentAdmin), notice: { type: 'error', message } }
        }
      },
    }
  }
  return { changePriority: make('changePriority'), reroute: make('reroute'), escalate: make('escalate'), merge: make('merge'), unmerge: make('unmerge') }
}
