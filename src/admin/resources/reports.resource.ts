import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs'
import type { Prisma } from '@prisma/client'
import { teamQueueOf } from '../access.js'
import { currentStaff, defineResource, type AdminDeps } from './define.js'
import { reportOverrideActions } from '../actions/report-overrides.action.js'
import { triageDryRunAction } from '../actions/triage-dry-run.action.js'
import { enterReportAction } from '../actions/enter-report.action.js'
import type { IntakeService } from '../../modules/intake/intake.service.js'
import { actorOf, reportWorkflowActions, type WorkflowActionDeps } from '../actions/report-workflow.action.js'

const navigation = { name: 'Reports', icon: 'AlertTriangle' }

/** The report list's pager counts this many matches at most (1,000 pages of 10). */
export const REPORT_LIST_COUNT_CAP = 10_000

/**
 * Staff never see a report between submit and finish, nor a retracted one; analysts see only
 * their own team's queue.
 */
export function reportScope(role: Parameters<typeof teamQueueOf>[0]): Prisma.ReportWhereInput {
  const visible: Prisma.ReportWhereInput = { status: { notIn: ['OPEN', 'RETRACTED'] } }
  const queue = teamQueueOf(role)
  return queue ? { ...visible, queue } : visible
}

function auditListing(deps: Pick<WorkflowActionDeps, 'workflow'>, action: string) {
  return async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    const records = (response.records ?? []) as { id?: string | number; params?: Record<string, unknown> }[]
    if (records.length > 0) await deps.workflow.recordListing(action, records.map((r) => r.id ?? (r.params?.id as number)), actorOf(context))
    return response
  }
}

export function reportResources(
  deps: AdminDeps &
    Omit<Parameters<typeof reportOverrideActions>[0], 'component'> &
    Omit<Parameters<typeof triageDryRunAction>[0], 'component'> &
    Omit<WorkflowActionDeps, 'component'> & { intake: IntakeService },
): ResourceWithOptions[] {
  return [
    defineResource(
      deps,
      'Report',
      {
        navigation,
        sort: { sortBy: 'receivedAt', direction: 'desc' },
        listProperties: ['id', 'receivedAt', 'priority', 'incidentType', 'queue', 'status', 'assignee', 'slaDueAt'],
        filterProperties: ['queue', 'priority', 'status', 'incidentType', 'source', 'assignee', 'receivedAt', 'slaDueAt'],
        showProperties: [
          'id', 'status', 'priority', 'slaDueAt', 'assignee', 'leaseExpiresAt', 'timeline',
          'score', 'priorityFactors', 'queue', 'routeReason', 'routeRule',
          'source', 'espAccount', 'externalReference', 'incidentType', 'incidentAt', 'incidentDateTimeDescription',
          'platform', 'escalationText', 'annotations', 'batchedReason', 'ruleVersion', 'overrideReason',
          'overriddenBy', 'overriddenAt', 'claimedAt', 'firstActionAt', 'slaWarnedAt', 'slaBreachedAt',
          'jurisdictionCountry', 'jurisdictionState', 'proposedAgency', 'referredAgency', 'referredAt', 'referredBy',
          'closingReason', 'closedAt', 'mergedInto', 'related', 'additionalInfo', 'intakeView',
          'receivedAt', 'triagedAt', 'updatedAt',
        ],
        properties: {
          id: { components: { list: deps.components.RecordId } },
          priority: { components: { list: deps.components.PriorityBadge, show: deps.components.PriorityBadge } },
          incidentType: { components: { list: deps.components.EnumLabel, show: deps.components.EnumLabel } },
          slaDueAt: { components: { list: deps.components.TimeLeft, show: deps.components.TimeLeft } },
          leaseExpiresAt: { components: { show: deps.components.TimeLeft } },
          timeline: { type: 'string', isVisible: { show: true, list: false, edit: false, filter: false }, components: { show: deps.components.ReportTimeline } },
          priorityFactors: { components: { show: deps.components.ScoreExplanation } },
          intakeView: { type: 'string', isVisible: { show: true, list: false, edit: false, filter: false }, components: { show: deps.components.ReportIntake } },
          related: { type: 'mixed', isVisible: { show: true, list: false, edit: false, filter: false }, components: { show: deps.components.RelatedReports } },
          annotations: { isArray: true },
          escalationText: { type: 'textarea' },
          additionalInfo: { type: 'textarea' },
        },
        actions: {
          show: {
            // Reports about the same account or file, limited to those the viewer may see.
            after: async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
              if (!response.record?.params) return response
              const reportId = Number(response.record.params.id)
              // Every read of a report is audited; opening one you hold renews your lease.
              const { leaseRenewed } = await deps.workflow.recordView(reportId, actorOf(context))
              if (leaseRenewed) {
                const fresh = await deps.db.report.findUnique({ where: { id: reportId }, select: { leaseExpiresAt: true } })
                response.record.params.leaseExpiresAt = fresh?.leaseExpiresAt?.toISOString() ?? null
              }
              response.record.params.timeline = JSON.stringify(await deps.workflow.timeline(reportId))
              const scope = reportScope(currentStaff(context)?.role)
              const related = await deps.duplicates.relatedReports(Number(response.record.params.id), scope)
              response.record.params.intakeView = JSON.stringify(await deps.intake.intakeView(Number(response.record.params.id)))
              related.forEach((r, i) => {
                for (const [field, value] of Object.entries({ ...r, receivedAt: r.receivedAt?.toISOString() ?? '' })) {
                  response.record!.params[`related.${i}.${field}`] = value
                }
              })
              return response
            },
          },
          // One audit event per page of reports shown, naming them.
          list: { after: auditListing(deps, 'report.list') },
          search: { after: auditListing(deps, 'report.search') },
          ...reportOverrideActions({ ...deps, component: deps.components.ReasonedChange }),
          ...reportWorkflowActions({ ...deps, component: deps.components.WorkflowAction }),
          dryRun: triageDryRunAction({ ...deps, component: deps.components.DryRun }),
          enterReport: enterReportAction({ ...deps, component: deps.components.EnterReport }),
        },
      },
      { scope: (admin) => reportScope(admin?.role), countCap: REPORT_LIST_COUNT_CAP },
    ),
    defineResource(deps, 'ReportFile', {
      navigation,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'report', 'fileName', 'md5', 'matchStatus', 'sizeBytes', 'createdAt'],
      filterProperties: ['report', 'md5', 'sha1', 'sha256', 'matchStatus'],
      properties: { fileAnnotations: { isArray: true } },
    }),
    defineResource(deps, 'ReportParty', {
      navigation,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'report', 'role', 'screenName', 'espService', 'createdAt'],
      filterProperties: ['report', 'role', 'screenName', 'espIdentifier'],
      properties: { emails: { isArray: true }, phones: { isArray: true }, profileUrls: { isArray: true } },
    }),
    defineResource(deps, 'PartyIdentifier', {
      navigation,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'report', 'kind', 'value'],
      filterProperties: ['report', 'kind', 'value'],
    }),
    defineResource(deps, 'ReportEvent', {
      navigation,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'report', 'kind', 'actor', 'note', 'createdAt'],
      filterProperties: ['report', 'kind', 'actor', 'createdAt'],
    }),
  ]
}
