// Shared plumbing for the console's resources: access from the matrix on every built-in action,
// and zod validation of create and edit forms with errors on the fields that were wrong.
import { ACTIONS, ForbiddenError, ValidationError, flat, type ActionRequest, type ActionContext, type ResourceOptions, type ResourceWithOptions } from 'adminjs'
import type { z } from 'zod'
import type { Db } from '../../lib/db.js'
import { uniqueViolationFields } from '../../lib/errors.js'
import { carriedOrigin, type RequestOrigin } from '../../lib/request-context.js'
import type { StaffSessionUser } from '../../modules/staff/staff.service.js'
import type { AuditService } from '../../modules/audit/audit.service.js'
import type { QueueActor } from '../../modules/queues/queues.service.js'
import { BUILT_IN_ACTIONS, mayDo, type BuiltInAction, type ConsoleResource } from '../access.js'
import { ScopedResource, type ScopedResourceOptions } from '../scoped-resource.js'

/** Custom property components, by name, as registered with AdminJS's ComponentLoader. */
export type ConsoleComponents = { PriorityBadge: string; EnumLabel: string; TimeLeft: string; RecordId: string; ScoreExplanation: string; ReasonedChange: string; DryRun: string; RelatedReports: string; ReviewMatches: string; EnterReport: string; ReportIntake: string; RegistrationEvidence: string; RegistrationDecision: string; ReportTimeline: string; WorkflowAction: string }

export type AdminDeps = { db: Db; audit: AuditService; components: ConsoleComponents }

/**
 * Resources whose every read is audited (CJIS AU-2: each read of a report or an officer's
 * record): one event per show with the record's id, one per list or search page with the ids
 * it returned and the filters that chose them.
 */
// (Report itself is audited by its resource, which also renews a held lease on view.)
const READS_AUDITED: ReadonlySet<ConsoleResource> = new Set([
  'ReportFile', 'ReportParty', 'PartyIdentifier', 'ReportEvent', 'OfficerRegistration', 'HashSearch', 'CollectionReview', 'AuditEvent',
])

export function currentStaff(context: ActionContext | { currentAdmin?: unknown }): StaffSessionUser | undefined {
  return context.currentAdmin as StaffSessionUser | undefined
}

/** The signed-in staff member as the services take an actor: who, in what role, and where the request came from. */
export function staffActor(context: ActionContext | { currentAdmin?: unknown }): QueueActor {
  const staff = currentStaff(context)!
  return { id: staff.id, email: staff.email, role: staff.role, origin: consoleOrigin(context) }
}

/** Where the console request an action or hook serves came from (see session-refresh.ts), for the audit. */
function consoleOrigin(context: ActionContext | { currentAdmin?: unknown }): RequestOrigin {
  return carriedOrigin(context.currentAdmin)
}

type ActionOptions = Record<string, Record<string, unknown>>
type ActionResponseWithRecords = {
  record?: { populated: Record<string, unknown> }
  records?: { populated: Record<string, unknown> }[]
}

function accessActions(resource: ConsoleResource): ActionOptions {
  const actions: ActionOptions = {}
  for (const action of BUILT_IN_ACTIONS) {
    const allowed = ({ currentAdmin }: { currentAdmin?: unknown }) =>
      mayDo((currentAdmin as StaffSessionUser | undefined)?.role, resource, action)
    actions[action] = { isAccessible: allowed, isVisible: allowed }
  }
  return actions
}

/**
 * AdminJS's own new/edit handler, with a unique-constraint violation turned into an error on the
 * field that clashed (instead of a failed request), so the form says what to change.
 */
function withUniqueFieldErrors(action: 'new' | 'edit') {
  const handler = ACTIONS[action].handler as (request: ActionRequest, response: unknown, context: ActionContext) => Promise<unknown>
  return async (request: ActionRequest, response: unknown, context: ActionContext) => {
    try {
      return await handler(request, response, context)
    } catch (error) {
      const fields = uniqueViolationFields(error)
      if (!fields) throw error
      const propertyErrors = Object.fromEntries(fields.map((f) => [f, { message: `This ${f} is already in use` }]))
      const values = fields.map((f) => `${f} "${String(request.payload?.[f] ?? '')}"`).join(', ')
      throw new ValidationError(propertyErrors, { message: `Not saved: ${values} is already in use` })
    }
  }
}

export function defineResource(
  deps: AdminDeps,
  name: ConsoleResource,
  options: ResourceOptions,
  resourceOptions: ScopedResourceOptions = {},
): ResourceWithOptions {
  const access = accessActions(name)
  // A saved record is answered with the payload it was saved from, which can hold a secret a
  // hook put there (a password hash, an ESP secret digest): strip those from the answer.
  const secretFields = resourceOptions.secretFields ?? []
  const stripSecrets = async (response: { record?: { params?: Record<string, unknown> } }) => {
    for (const field of secretFields) delete response.record?.params?.[field]
    return response
  }
  // AdminJS loads each record's references (a report's assignee, its ESP account) without
  // asking whether the viewer may see them: drop those the viewer may not `show`.
  const hideForbiddenReferences = async (response: ActionResponseWithRecords, _request: ActionRequest, context: ActionContext) => {
    const role = currentStaff(context)?.role
    const decorated = context.resource.decorate()
    for (const record of [response.record, ...(response.records ?? [])]) {
      for (const path of Object.keys(record?.populated ?? {})) {
        const resource = decorated.getPropertyByKey(path)?.reference()?.id() as ConsoleResource | undefined
        if (!resource || !mayDo(role, resource, 'show')) delete record!.populated[path]
      }
    }
    return response
  }
  type Returned = { record?: { id?: string; params?: Record<string, unknown> }; records?: { id?: string; params?: Record<string, unknown> }[] }
  const auditRead = (action: 'list' | 'show' | 'search') => async (response: Returned, request: ActionRequest, context: ActionContext) => {
    const staff = currentStaff(context)
    const ids = (action === 'show' ? [response.record] : (response.records ?? [])).map((r) => r?.id ?? r?.params?.id).filter((id) => id != null).map(String)
    if (action === 'show' && ids.length === 0) return response
    const query = Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)]))
    await deps.audit.record({
      actorType: 'STAFF',
      actorId: staff?.id ?? null,
      actorLabel: staff?.email ?? null,
      action: `${name}.${action}`,
      objectType: name,
      objectId: action === 'show' ? ids[0]! : null,
      outcome: 'SUCCESS',
      ...consoleOrigin(context),
      details: action === 'show' ? null : { ids, query, ...(request.params?.query ? { search: String(request.params.query) } : {}) },
    })
    return response
  }
  const readHooks = (action: 'list' | 'show' | 'search') => (READS_AUDITED.has(name) ? [auditRead(action)] : [])
  const actions: ActionOptions = {
    ...access,
    list: { ...access.list, after: [hideForbiddenReferences, ...readHooks('list')] },
    show: { ...access.show, after: [hideForbiddenReferences, ...readHooks('show')] },
    search: { ...access.search, after: readHooks('search') },
    new: { ...access.new, handler: withUniqueFieldErrors('new'), after: [stripSecrets] },
    edit: { ...access.edit, handler: withUniqueFieldErrors('edit'), after: [stripSecrets] },
  }
  for (const [action, custom] of Object.entries((options.actions ?? {}) as ActionOptions)) {
    if (!(BUILT_IN_ACTIONS as readonly string[]).includes(action)) {
      // A custom action brings its own isAccessible (from customActionMatrix).
      actions[action] = custom
      continue
    }
    // Access always comes from the matrix: a resource file adds hooks, never permissions. AdminJS
    // runs `before` hooks ahead of its own access check, so refuse there first.
    const before = custom.before as ((request: ActionRequest, context: ActionContext) => Promise<ActionRequest>) | undefined
    const guardedBefore = before
      ? async (request: ActionRequest, context: ActionContext) => {
          if (!mayDo(currentStaff(context)?.role, name, action as BuiltInAction)) throw new ForbiddenError('forbiddenError')
          return before(request, context)
        }
      : undefined
    const after = [...((actions[action]?.after as unknown[]) ?? []), ...(custom.after ? [custom.after].flat() : [])]
    actions[action] = {
      ...actions[action],
      ...custom,
      ...(guardedBefore ? { before: guardedBefore } : {}),
      ...(after.length ? { after } : {}),
      ...(access[action] ?? {}),
    }
  }
  return {
    resource: new ScopedResource(name, deps.db, {
      ...resourceOptions,
      // Asking for another team's record by its id is refused as "not found" and audited as DENIED.
      onOutOfScope: (id, viewer) =>
        deps.audit.record({ actorType: 'STAFF', actorId: viewer?.id ?? null, actorLabel: viewer?.email ?? null, action: `${name}.out_of_scope`, objectType: name, objectId: id, outcome: 'DENIED', ...carriedOrigin(viewer) }),
    }),
    options: { ...options, actions } as ResourceOptions,
  }
}

/**
 * A `before` hook that validates a form's payload with `schema` and replaces it with the parsed
 * value, or refuses the whole request with an error on each field that was wrong.
 */
export function validatePayload<T extends z.ZodTypeAny>(
  schema: T,
  transform?: (value: z.infer<T>, request: ActionRequest) => Promise<Record<string, unknown>> | Record<string, unknown>,
) {
  return async (request: ActionRequest): Promise<ActionRequest> => {
    if (request.method !== 'post') return request
    const raw = flat.unflatten(request.payload ?? {}) as Record<string, unknown>
    const parsed = schema.safeParse(raw)
    if (!parsed.success) {
      const propertyErrors: Record<string, { message: string }> = {}
      for (const issue of parsed.error.issues) {
        const path = String(issue.path[0] ?? 'form')
        propertyErrors[path] ??= { message: issue.message }
      }
      const summary = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')
      throw new ValidationError(propertyErrors, { message: `Not saved: ${summary}` })
    }
    const value = transform ? await transform(parsed.data, request) : (parsed.data as Record<string, unknown>)
    return { ...request, payload: flat.flatten(value) }
  }
}
