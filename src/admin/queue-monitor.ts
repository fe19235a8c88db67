// Bull Board at /admin/queues, behind the console session: administrators and supervisors may
// look; only administrators may retry or remove jobs. Job data carries ids only.
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { ExpressAdapter } from '@bull-board/express'
import type { Router } from 'express'
import type { Queues } from '../queue/index.js'
import { queueMonitorAccess } from './access.js'
import { ADMIN_ROOT_PATH } from './paths.js'

export const QUEUE_MONITOR_PATH = `${ADMIN_ROOT_PATH}/queues`

function board(queues: Queues, readOnlyMode: boolean) {
  const adapter = new ExpressAdapter()
  adapter.setBasePath(QUEUE_MONITOR_PATH)
  createBullBoard({
    queues: [queues.notifications, queues.scheduled, queues.system].map((q) => new BullMQAdapter(q, { readOnlyMode })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Tip triage queues' } },
  })
  return adapter.getRouter() as Router
}

export function mountQueueMonitor(router: Router, queues: Queues): void {
  const manage = board(queues, false)
  const view = board(queues, true)
  router.use('/queues', (req, res, next) => {
    const role = req.session.adminUser?.role
    if (role && (queueMonitorAccess.manage as readonly string[]).includes(role)) return manage(req, res, next)
    if (role && (queueMonitorAccess.view as readonly string[]).includes(role)) return view(req, res, next)
    res.status(403).json({ error: { code: 'FORBIDDEN', message: 'The queue monitor is for administrators and supervisors' } })
  })
}
