// Routes a report the way triage will: in one transaction, the report's route and the
// notifications the policy asks for.
import type { Priority, Queue } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { ROUTING_RULES_V1, SCORING_RULES_V1 } from '../../src/modules/triage/triage.rules.js'
import type { NotificationsService } from '../../src/modules/notifications/notifications.service.js'
import { md5Of, uniq } from './records.js'

export async function routeReport(
  db: Db,
  notifications: NotificationsService,
  { priority, queue, unknownFiles = 0, knownFiles = 1, failAfterWrite = false }: { priority: Priority; queue: Queue; unknownFiles?: number; knownFiles?: number; failAfterWrite?: boolean },
) {
  return db.$transaction(async (tx) => {
    const receivedAt = new Date()
    const files = [
      ...Array.from({ length: unknownFiles }, () => ({ matchStatus: 'UNKNOWN' as const })),
      ...Array.from({ length: knownFiles }, () => ({ matchStatus: 'KNOWN' as const })),
    ].map((f) => ({ ...f, fileId: md5Of(`file ${uniq()}`).replace(/^\d/, 'b'), md5: md5Of(`content ${uniq()}`) }))
    const report = await tx.report.create({
      data: {
        source: 'ESP', status: 'TRIAGED', incidentType: 'ONLINE_ENTICEMENT', incidentAt: receivedAt, receivedAt, triagedAt: receivedAt,
        priority, queue, files: { create: files },
        // Triaged under the rules in force, so a worker's re-scoring pass leaves it alone.
        ruleVersion: SCORING_RULES_V1.version, routeRule: `${ROUTING_RULES_V1.version}:default`,
      },
      include: { files: true },
    })
    await notifications.notifyReportRouted(tx, { id: report.id, priority, queue, receivedAt, unknownFileCount: unknownFiles })
    if (failAfterWrite) throw new Error('the routing transaction failed after writing its notification')
    return report
  })
}
