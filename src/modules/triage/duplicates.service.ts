// Reports about the same thing: those sharing a reported account (screen name, ESP id, email,
// IP, phone) or a file hash. Staff see them on a report's page and may merge a duplicate into
// its original; a merge is audited and can be undone.
import type { Prisma, Priority, ReportStatus } from '@prisma/client'
import { z } from 'zod'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import { reasonSchema } from './overrides.service.js'

export type RelatedReport = { id: number; priority: Priority | null; queue: string | null; status: ReportStatus; receivedAt: Date | null; why: string }

const PRIORITY_RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, INFO: 4 }

export const mergeSchema = z.object({
  originalId: z.coerce.number({ invalid_type_error: 'The original report: a report id' }).int().positive('The original report: a report id'),
  reason: reasonSchema,
})

type MergeRecord = { previousStatus: ReportStatus; originalPriorityBefore: Priority | null; originalRaised: boolean; originalId: number }

export function createDuplicatesService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  /** Reports linked to this one by a shared identifier or file hash, newest first, within `scope`. */
  async function relatedReports(reportId: number, scope: Prisma.ReportWhereInput = {}, limit = 20): Promise<RelatedReport[]> {
    const links = await db.$queryRaw<{ id: number; why: string }[]>`
      SELECT theirs."reportId" AS id, 'shares ' || lower(replace(mine.kind::text, '_', ' ')) || ' ' || mine.value AS why
      FROM "PartyIdentifier" mine JOIN "PartyIdentifier" theirs ON theirs.kind = mine.kind AND theirs.value = mine.value
      WHERE mine."reportId" = ${reportId} AND theirs."reportId" <> ${reportId}
      UNION
      SELECT theirs."reportId" AS id, 'shares a file (MD5 ' || left(mine.md5, 8) || '…)' AS why
      FROM "ReportFile" mine JOIN "ReportFile" theirs ON theirs.md5 = mine.md5
      WHERE mine."reportId" = ${reportId} AND mine.md5 IS NOT NULL AND theirs."reportId" <> ${reportId}
      LIMIT 500`
    if (links.length === 0) return []
    const whyById = new Map<number, string[]>()
    for (const link of links) whyById.set(link.id, [...(whyById.get(link.id) ?? []), link.why])
    const reports = await db.report.findMany({
      where: { AND: [scope, { id: { in: [...whyById.keys()] } }] },
      orderBy: { receivedAt: 'desc' },
      take: limit,
      select: { id: true, priority: true, queue: true, status: true, receivedAt: true },
    })
    return reports.map((r) => ({ ...r, why: whyById.get(r.id)!.slice(0, 3).join('; ') }))
  }

  async function lock(tx: Tx, ids: number[]) {
    await tx.$queryRaw`SELECT id FROM "Report" WHERE id = ANY(${ids}::int[]) ORDER BY id FOR UPDATE`
  }

  /** Closes `duplicateId` as a duplicate of `originalId`; the original keeps the higher priority. */
  async function merge(duplicateId: number, input: unknown, actor: StaffActor) {
    const { originalId, reason } = mergeSchema.parse(input)
    if (originalId === duplicateId) throw new AppError('VALIDATION_FAILED', 'A report cannot be merged into itself')
    return db.$transaction(async (tx) => {
      await lock(tx, [duplicateId, originalId])
      const [duplicate, original] = await Promise.all([
        tx.report.findUnique({ where: { id: duplicateId } }),
        tx.report.findUnique({ where: { id: originalId } }),
      ])
      if (!duplicate?.receivedAt) throw new AppError('NOT_FOUND', `Report ${duplicateId} not found`)
      if (!original?.receivedAt || original.status === 'RETRACTED') throw new AppError('NOT_FOUND', `Report ${originalId} not found`)
      if (duplicate.mergedIntoId) throw new AppError('CONFLICT', `Report ${duplicateId} is already merged into report ${duplicate.mergedIntoId}`)
      if (original.mergedIntoId) throw new AppError('CONFLICT', `Report ${originalId} is itself merged into report ${original.mergedIntoId}: merge into that one`)
      if (duplicate.status === 'REFERRED' || duplicate.status === 'CLOSED') {
        throw new AppError('CONFLICT', `Report ${duplicateId} is ${duplicate.status.toLowerCase()}: only a report still being worked can be merged`)
      }
      const raise = duplicate.priority && (!original.priority || PRIORITY_RANK[duplicate.priority] < PRIORITY_RANK[original.priority])
      const now = clock.now()
      const record: MergeRecord = { previousStatus: duplicate.status, originalPriorityBefore: original.priority, originalRaised: Boolean(raise), originalId }
      await tx.report.update({
        where: { id: duplicateId },
        data: { mergedIntoId: originalId, status: 'CLOSED', closingReason: 'DUPLICATE', closedAt: now, assigneeId: null, claimedAt: null, leaseExpiresAt: null },
      })
      if (raise) {
        await tx.report.update({
          where: { id: originalId },
          data: { priority: duplicate.priority, priorityOverridden: true, overrideReason: `Merged from report ${duplicateId}: ${reason}`, overriddenById: actor.id, overriddenAt: now },
        })
      }
      await tx.reportEvent.createMany({
        data: [
          { reportId: duplicateId, kind: 'MERGED', actorId: actor.id, note: `Merged into report ${originalId}: ${reason}`, details: record as unknown as Prisma.InputJsonValue, createdAt: now },
          { reportId: originalId, kind: 'MERGED', actorId: actor.id, note: `Report ${duplicateId} merged into this one${raise ? `; priority raised to ${duplicate.priority}` : ''}: ${reason}`, createdAt: now },
        ],
      })
      await audit.recordInTx(tx, {
        ...auditActor(actor), action: 'report.merge', objectType: 'Report', objectId: duplicateId,
        outcome: 'SUCCESS', details: { ...record, reason },
      })
      return { originalId, raised: Boolean(raise) }
    })
  }

  /** Undoes a merge: the duplicate gets its status back, the original its priority if the merge raised it. */
  async function unmerge(duplicateId: number, input: unknown, actor: StaffActor) {
    const { reason } = z.object({ reason: reasonSchema }).parse(input)
    return db.$transaction(async (tx) => {
      const duplicate = await tx.report.findUnique({ where: { id: duplicateId } })
      if (!duplicate?.mergedIntoId) throw new AppError('CONFLICT', `Report ${duplicateId} is not merged into another`)
      const originalId = duplicate.mergedIntoId
      await lock(tx, [duplicateId, originalId])
      const merged = await tx.reportEvent.findFirst({ where: { reportId: duplicateId, kind: 'MERGED' }, orderBy: { id: 'desc' } })
      const record = merged?.details as MergeRecord | undefined
      if (!record) throw new AppError('CONFLICT', `Report ${duplicateId} has no record of its merge to undo`)
      const now = clock.now()
      await tx.report.update({
        where: { id: duplicateId },
        data: { mergedIntoId: null, status: record.previousStatus, closingReason: null, closedAt: null },
      })
      const original = await tx.report.findUniqueOrThrow({ where: { id: originalId } })
      // Give back the original's priority only if nobody changed it since the merge raised it.
      const restore = record.originalRaised && original.priority === duplicate.priority
      if (restore) {
        await tx.report.update({ where: { id: originalId }, data: { priority: record.originalPriorityBefore, overrideReason: `Unmerged report ${duplicateId}: ${reason}`, overriddenById: actor.id, overriddenAt: now } })
      }
      await tx.reportEvent.createMany({
        data: [
          { reportId: duplicateId, kind: 'UNMERGED', actorId: actor.id, note: `No longer merged into report ${originalId}: ${reason}`, createdAt: now },
          { reportId: originalId, kind: 'UNMERGED', actorId: actor.id, note: `Report ${duplicateId} unmerged${restore ? `; priority back to ${record.originalPriorityBefore}` : ''}: ${reason}`, createdAt: now },
        ],
      })
      await audit.recordInTx(tx, {
        ...auditActor(actor), action: 'report.unmerge', objectType: 'Report', objectId: duplicateId,
        outcome: 'SUCCESS', details: { originalId, restoredPriority: restore, reason },
      })
      return { originalId, restored: restore }
    })
  }

  return { relatedReports, merge, unmerge }
}

export type DuplicatesService = ReturnType<typeof createDuplicatesService>
