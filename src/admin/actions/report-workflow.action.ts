// The work-queue actions on reports: claim next (a resource action), and on a report renew the
// lease, release, assign, refer, close and add a note. Each calls the queues or workflow
// service, which checks the state and who holds the report; access by role comes from the
// matrix. Changes happen on POST only: a GET answers what the form needs (agencies, people).
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { ZodError } from 'zod'
import type pg from 'pg'
import { AppError } from '../../lib/errors.js'
import { sqlOf } from '../../lib/sql.js'
import type { QueuesService, QueueActor } from '../../modules/queues/queues.service.js'
import type { WorkflowService } from '../../modules/queues/workflow.service.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'

export type WorkflowActionName = 'claimNext' | 'renewLease' | 'release' | 'assign' | 'refer' | 'close' | 'addNote'

export type WorkflowField = { name: string; label: string; kind: 'select' | 'textarea'; required?: boolean; options?: string[]; choicesFrom?: 'agencies' | 'assignees' }

export type WorkflowCustom = { explanation: string; fields: WorkflowField[]; submitLabel: string }

const CLOSING_REASONS = ['INFORMATIONAL', 'DUPLICATE', 'INSUFFICIENT_INFORMATION', 'OUTSIDE_JURISDICTION']

const CUSTOM: Record<WorkflowActionName, WorkflowCustom & { icon: string }> = {
  claimNext: {
    explanation: 'Take the most urgent unclaimed report of your queue: P1 before P2 before P3 before INFO, then the earliest SLA due time.',
    fields: [],
    submitLabel: 'Claim next report',
    icon: 'Inbox',
  },
  renewLease: {
    explanation: 'Keep this report for another full lease. Any work on it (a note, opening it) renews the lease too.',
    fields: [],
    submitLabel: 'Renew lease',
    icon: 'Clock',
  },
  release: {
    explanation: 'Hand this report back to its queue, unclaimed, for someone else to take.',
    fields: [{ name: 'reason', label: 'Why (optional, kept on the timeline)', kind: 'textarea' }],
    submitLabel: 'Release to the queue',
    icon: 'CornerUpLeft',
  },
  assign: {
    explanation: 'Give this report to a person of its team (or a supervisor). It becomes theirs, under a new lease.',
    fields: [
      { name: 'assigneeId', label: 'Assign to', kind: 'select', required: true, choicesFrom: 'assignees' },
      { name: 'reason', label: 'Why (optional, kept on the timeline)', kind: 'textarea' },
    ],
    submitLabel: 'Assign',
    icon: 'UserCheck',
  },
  refer: {
    explanation: 'Refer this report to a law-enforcement agency. The agency, the time and your name are kept on the report.',
    fields: [
      { name: 'agencyId', label: 'Agency', kind: 'select', required: true, choicesFrom: 'agencies' },
      { name: 'note', label: 'Note (optional, kept on the timeline)', kind: 'textarea' },
    ],
    submitLabel: 'Refer',
    icon: 'Send',
  },
  close: {
    explanation: 'Close this report with a closing reason.',
    fields: [
      { name: 'closingReason', label: 'Closing reason', kind: 'select', required: true, options: CLOSING_REASONS },
      { name: 'note', label: 'Note (optional, kept on the timeline)', kind: 'textarea' },
    ],
    submitLabel: 'Close report',
    icon: 'CheckSquare',
  },
  addNote: {
    explanation: 'Add a note to this report\'s timeline.',
    fields: [{ name: 'note', label: 'Note', kind: 'textarea', required: true }],
    submitLabel: 'Add note',
    icon: 'MessageSquare',
  },
}

type Params = Record<string, unknown>

/** When an action is offered on a report's page (the services decide what is actually allowed). */
function applies(name: WorkflowActionName, params: Params, staffId: number | undefined, manager: boolean): boolean {
  const status = params.status
  const mine = status === 'IN_REVIEW' && Number(params.assignee) === staffId
  const working = status === 'TRIAGED' || status === 'IN_REVIEW'
  switch (name) {
    case 'renewLease':
      return mine
    case 'release':
      return status === 'IN_REVIEW' && (mine || manager)
    case 'assign':
      return working
    case 'refer':
    case 'close':
      return mine || (working && manager)
    default:
      return true
  }
}

export type Choice = { value: string; label: string }

export type WorkflowActionDeps = { queuesService: QueuesService; workflow: WorkflowService; pgPool: pg.Pool; kickOutbox(): Promise<void>; component: string }

export function actorOf(context: ActionContext | { currentAdmin?: unknown }): QueueActor {
  return staffActor(context)
}

export function errorMessage(error: unknown): string | null {
  if (error instanceof ZodError) return error.issues.map((i) => i.message).join('; ')
  if (error instanceof AppError) return error.message
  return null
}

export function reportWorkflowActions(deps: WorkflowActionDeps): Record<WorkflowActionName, Partial<Action<ActionResponse>>> {
  const sql = sqlOf(deps.pgPool)

  async function choicesFor(name: WorkflowActionName, params: Params): Promise<Record<string, Choice[]>> {
    if (name === 'refer') {
      const agencies = await sql.$queryRaw<{ id: number; name: string; state: string | null; ori: string | null }[]>`
        SELECT id, name, state, ori FROM "Agency" ORDER BY (id = ${Number(params.proposedAgency) || 0}) DESC, name LIMIT 1000`
      return { agencies: agencies.map((a) => ({ value: String(a.id), label: `${a.name}${a.state ? ` (${a.state})` : ''}${a.ori ? `, ORI ${a.ori}` : ''}` })) }
    }
    if (name === 'assign') {
      const roles = params.queue === 'CVIP' ? ['CVIP_ANALYST', 'SUPERVISOR'] : ['CYBERTIP_ANALYST', 'SUPERVISOR']
      const people = await sql.$queryRaw<{ id: number; name: string; email: string; held: number }[]>`
        SELECT s.id, s.name, s.email, (SELECT count(*)::int FROM "Report" r WHERE r."assigneeId" = s.id AND r.status = 'IN_REVIEW') AS held
        FROM "StaffUser" s WHERE s."isActive" AND s.role::text = ANY(${roles}) ORDER BY s.role DESC, s.name LIMIT 500`
      return { assignees: people.map((p) => ({ value: String(p.id), label: `${p.name} <${p.email}>: holds ${p.held} of ${deps.queuesService.capacity}` })) }
    }
    return {}
  }

  const run: Record<Exclude<WorkflowActionName, 'claimNext'>, (id: number, payload: Params, actor: QueueActor) => Promise<string>> = {
    renewLease: async (id, _p, actor) => {
      const { leaseExpiresAt } = await deps.queuesService.renewLease(id, actor)
      return `Report ${id} is yours until ${leaseExpiresAt.toISOString().slice(11, 16)} UTC.`
    },
    release: async (id, p, actor) => {
      await deps.queuesService.release(id, actor, typeof p.reason === 'string' && p.reason.trim() ? p.reason.trim().slice(0, 2000) : null)
      return `Report ${id} is back in its queue.`
    },
    assign: async (id, p, actor) => {
      const assigneeId = Number(p.assigneeId)
      if (!Number.isInteger(assigneeId) || assigneeId <= 0) throw new AppError('VALIDATION_FAILED', 'Choose the person to assign the report to')
      await deps.queuesService.assign(id, assigneeId, actor, typeof p.reason === 'string' && p.reason.trim() ? p.reason.trim().slice(0, 2000) : null)
      return `Report ${id} is assigned.`
    },
    refer: async (id, p, actor) => `Report ${id} is referred to ${(await deps.workflow.refer(id, p, actor)).agency}.`,
    close: async (id, p, actor) => `Report ${id} is closed (${(await deps.workflow.close(id, p, actor)).closingReason.toLowerCase().replace(/_/g, ' ')}).`,
    addNote: async (id, p, actor) => {
      await deps.workflow.addNote(id, p, actor)
      return `Note added to report ${id}.`
    },
  }

  const allowed = (name: WorkflowActionName) => ({ currentAdmin }: { currentAdmin?: unknown }) => mayRun(currentStaff({ currentAdmin })?.role, 'Report', name)

  const recordAction = (name: Exclude<WorkflowActionName, 'claimNext'>): Partial<Action<ActionResponse>> => {
    const { icon, ...custom } = CUSTOM[name]
    return {
      actionType: 'record',
      icon,
      component: deps.component,
      custom,
      isAccessible: allowed(name),
      isVisible: (context: ActionContext) => {
        const staff = currentStaff(context)
        if (!allowed(name)(context)) return false
        if (!context.record) return true
        return applies(name, context.record.params, staff?.id, staff?.role === 'ADMIN' || staff?.role === 'SUPERVISOR')
      },
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const { record, currentAdmin } = context
        if (!record) throw new AppError('NOT_FOUND', 'No such report')
        if (request.method !== 'post') return { record: record.toJSON(currentAdmin), choices: await choicesFor(name, record.params) }
        try {
          const message = await run[name](Number(record.id()), (request.payload ?? {}) as Params, actorOf(context))
          const fresh = await context.resource.findOne(String(record.id()), context)
          return { record: (fresh ?? record).toJSON(currentAdmin), notice: { type: 'success', message } }
        } catch (error) {
          const message = errorMessage(error)
          if (!message) throw error
          return { record: record.toJSON(currentAdmin), notice: { type: 'error', message } }
        }
      },
    }
  }

  const { icon, ...claimCustom } = CUSTOM.claimNext
  const claimNext: Partial<Action<ActionResponse>> = {
    actionType: 'resource',
    icon,
    component: deps.component,
    custom: claimCustom,
    isAccessible: allowed('claimNext'),
    isVisible: allowed('claimNext'),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      if (request.method !== 'post') return {}
      try {
        const claimed = await deps.queuesService.claimNext(actorOf(context))
        if (!claimed) return { notice: { type: 'info', message: 'Your queue is empty: there is no unclaimed report to take.' } }
        const due = claimed.slaDueAt ? `, SLA due ${claimed.slaDueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''
        return {
          claimed: { id: claimed.id, priority: claimed.priority, queue: claimed.queue },
          redirectUrl: context.h.recordActionUrl({ resourceId: 'Report', recordId: String(claimed.id), actionName: 'show' }),
          notice: { type: 'success', message: `You claimed report ${claimed.id} (${claimed.priority}, ${claimed.queue}${due}).` },
        }
      } catch (error) {
        const message = errorMessage(error)
        if (!message) throw error
        return { notice: { type: 'error', message } }
      }
    },
  }

  return {
    claimNext,
    renewLease: recordAction('renewLease'),
    release: recordAction('release'),
    assign: recordAction('assign'),
    refer: recordAction('refer'),
    close: recordAction('close'),
    addNote: recordAction('addNote'),
  }
}
