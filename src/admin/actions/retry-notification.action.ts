// "Retry": a person sends a failed notification again (after fixing the address, say).
import type { Action, ActionContext, ActionRequest, ActionResponse } from 'adminjs'
import { AppError } from '../../lib/errors.js'
import type { NotificationsService } from '../../modules/notifications/notifications.service.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor } from '../resources/define.js'

type RetryDeps = { notifications: NotificationsService; kickOutbox(): Promise<void> }

export function retryNotificationAction(deps: RetryDeps): Partial<Action<ActionResponse>> {
  return {
    actionType: 'record',
    icon: 'RefreshCw',
    component: false,
    guard: 'Send this notification again?',
    isAccessible: ({ currentAdmin, record }: ActionContext) =>
      mayRun(currentStaff({ currentAdmin })?.role, 'Notification', 'retry') && (!record || record.params.status === 'FAILED'),
    isVisible: ({ currentAdmin, record }: ActionContext) =>
      mayRun(currentStaff({ currentAdmin })?.role, 'Notification', 'retry') && record?.params.status === 'FAILED',
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const { record, currentAdmin, h, resource } = context
      if (!record) throw new AppError('NOT_FOUND', 'No such notification')
      const id = Number(record.id())
      try {
        // Back to pending: the relay hands it to BullMQ again (a finished job leaves no job
        // behind under the row's id, so nothing is in the way).
        await deps.notifications.retryFailed(id, staffActor(context))
      } catch (error) {
        if (!(error instanceof AppError)) throw error
        return { record: record.toJSON(currentAdmin), notice: { type: 'error', message: error.message } }
      }
      await deps.kickOutbox()
      const fresh = await resource.findOne(String(record.id()), context)
      return {
        record: (fresh ?? record).toJSON(currentAdmin),
        redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: String(record.id()), actionName: 'show' }),
        notice: { type: 'success', message: `Notification ${record.id()} is queued to be sent again.` },
      }
    },
  }
}
