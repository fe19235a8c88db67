// "Enter a report": a public tip taken by phone, typed in by triage staff. The form becomes a
// CyberTipline <report> and goes through intake's own validation, storage and triage, so the
// rules are the same as for an ESP's report.
import { flat, type Action, type ActionContext, type ActionRequest, type ActionResponse } from 'adminjs'
import type { IntakeService } from '../../modules/intake/intake.service.js'
import { IntakeError } from '../../modules/intake/intake.protocol.js'
import { ANNOTATION_FLAGS, formFieldOf, publicTipForm, publicTipXml } from '../../modules/intake/public-tip.js'
import { INCIDENT_TYPE_VALUES } from '../../modules/intake/intake.schemas.js'
import { ADMIN_ROOT_PATH } from '../paths.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'

export type EnterReportProblem = { field: string | null; message: string }

export function enterReportAction(deps: { intake: IntakeService; component: string }): Partial<Action<ActionResponse>> {
  const allowed = ({ currentAdmin }: { currentAdmin?: unknown }) => mayRun(currentStaff({ currentAdmin })?.role, 'Report', 'enterReport')
  return {
    actionType: 'resource',
    icon: 'PhoneIncoming',
    component: deps.component,
    custom: { incidentTypes: INCIDENT_TYPE_VALUES, annotations: ANNOTATION_FLAGS },
    isAccessible: allowed,
    isVisible: allowed,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      if (request.method !== 'post') return {}
      // AdminJS sends the form as flat keys ("annotations.spam"); zod reads the nested object.
      const form = publicTipForm.safeParse(flat.unflatten(request.payload ?? {}))
      if (!form.success) {
        const problems: EnterReportProblem[] = form.error.issues.map((i) => ({ field: String(i.path[0] ?? '') || null, message: i.message }))
        return { problems, notice: { type: 'error', message: 'The report was not saved: see the fields marked below.' } } as ActionResponse
      }
      try {
        const { reportId } = await deps.intake.enterReport(staffActor(context), publicTipXml(form.data), form.data.callReference || null)
        return {
          redirectUrl: `${ADMIN_ROOT_PATH}/resources/Report/records/${reportId}/show`,
          notice: { type: 'success', message: `Report ${reportId} saved, scored and routed.` },
        } as ActionResponse
      } catch (error) {
        if (!(error instanceof IntakeError)) throw error
        const problems: EnterReportProblem[] = (error.problems.length ? error.problems : [{ path: '', message: error.message }]).map((p) => ({
          field: formFieldOf(p.path),
          message: p.message,
        }))
        return { problems, notice: { type: 'error', message: 'The report was not saved: see the fields marked below.' } } as ActionResponse
      }
    },
  }
}
