// The scheduled integrity check of the audit trail (security bar: a verifier job, daily, whose
// alert reaches the security officer). It re-verifies the whole chain, records what it found
// as an audit event (so the head it saw is itself sealed into the chain), and when the chain is
// broken or events have waited too long to be sealed, writes the security officer's alert in
// the same transaction.
import type { Db } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import type { Logger } from '../../lib/logger.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import type { AuditProblem } from '../notifications/notifications.policy.js'
import type { AuditService } from './audit.service.js'
import { verifyAuditChain, type ChainVerification } from './audit-verify.js'
import { unsealedTooLong } from './audit-chain.js'
import { NO_REQUEST } from '../../lib/request-context.js'

type Deps = { db: Db; clock: Clock; audit: AuditService; notifications: NotificationsService; logger: Logger; sealAlertSeconds: number }

export type IntegrityCheck = ChainVerification & { problem: AuditProblem | null }

export function createAuditIntegrity({ db, clock, audit, notifications, logger, sealAlertSeconds }: Deps) {
  function problemIn(result: ChainVerification, now: Date): AuditProblem | null {
    if (result.firstBreak) {
      const { id, chainSeq, reason } = result.firstBreak
      return { problem: 'BROKEN_CHAIN', chainSeq, eventId: id, detail: `Place ${chainSeq} (event ${id}): ${reason}. ${result.checked} events before it verify.` }
    }
    const waited = unsealedTooLong(result.unsealed, now, sealAlertSeconds)
    if (waited === null) return null
    const { count, oldestAt } = result.unsealed
    return { problem: 'UNSEALED_EVENTS', oldestAt: oldestAt!, detail: `${count} events are not sealed into the chain; the oldest has waited ${waited} s (alarm after ${sealAlertSeconds} s).` }
  }

  async function check(): Promise<IntegrityCheck> {
    const result = await verifyAuditChain(db)
    const problem = problemIn(result, clock.now())
    await db.$transaction(async (tx) => {
      await audit.recordInTx(tx, {
        actorType: 'SYSTEM',
        ...NO_REQUEST,
        action: 'audit.verify',
        objectType: 'AuditEvent',
        objectId: result.headId?.toString() ?? null,
        outcome: problem ? 'FAILURE' : 'SUCCESS',
        details: {
          checked: result.checked,
          headSeq: result.headSeq?.toString() ?? null,
          headHash: result.headHash,
          unsealed: result.unsealed.count,
          ...(problem ? { problem: problem.problem, detail: problem.detail } : {}),
        },
      })
      if (problem) await notifications.notifyAuditProblem(tx, problem)
    })
    if (problem) logger.error({ problem: problem.problem, detail: problem.detail }, 'audit trail integrity check failed')
    return { ...result, problem }
  }

  return { check }
}

export type AuditIntegrity = ReturnType<typeof createAuditIntegrity>
