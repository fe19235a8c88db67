// "Dry run": an administrator tries candidate triage rules on recent reports before they are
// put in force. Reads many reports, so it is audited; changes nothing.
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { z } from 'zod'
import { auditActor, type AuditService } from '../../modules/audit/audit.service.js'
import type { TriageService } from '../../modules/triage/triage.service.js'
import { ROUTING_RULE_SETS, SCORING_RULE_SETS, routingRulesNamed, scoringRulesNamed } from '../../modules/triage/triage.rules.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'

const dryRunInput = z.object({
  scoring: z.string().refine((v) => v in SCORING_RULE_SETS, (v) => ({ message: `No scoring rules "${v}"` })),
  routing: z.string().refine((v) => v in ROUTING_RULE_SETS, (v) => ({ message: `No routing rules "${v}"` })),
  lastN: z.coerce.number({ invalid_type_error: 'How many reports: a number' }).int().min(1, 'At least 1 report').max(5000, 'At most 5,000 reports'),
})

export function triageDryRunAction(deps: { triage: TriageService; audit: AuditService; component: string }): Partial<Action<ActionResponse>> {
  const allowed = ({ currentAdmin }: { currentAdmin?: unknown }) => mayRun(currentStaff({ currentAdmin })?.role, 'Report', 'dryRun')
  return {
    actionType: 'resource',
    icon: 'Activity',
    component: deps.component,
    custom: {
      scoringVersions: Object.keys(SCORING_RULE_SETS),
      routingVersions: Object.keys(ROUTING_RULE_SETS),
      current: { scoring: deps.triage.rules.scoring.version, routing: deps.triage.rules.routing.version },
    },
    isAccessible: allowed,
    isVisible: allowed,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      if (request.method !== 'post') return {}
      const parsed = dryRunInput.safeParse(request.payload ?? {})
      if (!parsed.success) return { notice: { type: 'error', message: parsed.error.issues.map((i) => i.message).join('; ') } }
      const { scoring, routing, lastN } = parsed.data
      const result = await deps.triage.dryRun({ scoring: scoringRulesNamed(scoring), routing: routingRulesNamed(routing) }, lastN)
      await deps.audit.record({
        ...auditActor(staffActor(context)), action: 'triage.dry_run', objectType: 'Report',
        outcome: 'SUCCESS', details: { scoring, routing, lastN, examined: result.examined, levelChanged: result.levelChanged, queueChanged: result.queueChanged },
      })
      return { result } as ActionResponse
    },
  }
}
