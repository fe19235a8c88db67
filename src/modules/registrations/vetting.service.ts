// The staff side of officer registration: record the evidence, verify (four eyes: not the
// person who recorded the evidence), reject, ask for more, suspend, reinstate; and the two
// scheduled sweeps (verification expiry, inactivity). Each decision is audited and emails
// the applicant through the outbox, in the transaction that makes it.
import { NO_REQUEST } from '../../lib/request-context.js'
import { Prisma, type OfficerRegistration, type RegistrationStatus } from '@prisma/client'
import { z } from 'zod'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import type { RegistrationPolicy } from '../../config.js'
import { AppError } from '../../lib/errors.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { evidenceChecks, type EvidenceCheck, type RecordedEvidence } from './evidence.js'
import { issueLink } from './registration-links.js'
import { registrationEmails, type RegistrationDecision } from './registration-emails.js'
import { decisionReasonSchema, optionalNoteSchema } from './registration.schemas.js'
import { freshReview } from './registrations.service.js'
import { endSessionsOf } from '../auth/account-security.service.js'


export type VettingDeps = { db: Db; clock: Clock; audit: AuditService; notifications: NotificationsService; policy: RegistrationPolicy }

const DAY_MS = 24 * 3600_000

const evidenceInput = z.object({
  notes: z.string().trim().max(4000).optional().transform((v) => (v ? v : null)),
  agencyId: z.preprocess((v) => (v === '' || v == null ? undefined : v), z.coerce.number().int().positive().optional()),
})

const verifyInput = z.object({ reason: z.string().trim().max(2000).optional().transform((v) => (v ? v : null)) })

export function createVettingService({ db, clock, audit, notifications, policy }: VettingDeps) {
  const emails = registrationEmails(policy)

  /** Locks the registration for the decision and checks it is in a state the decision applies to. */
  async function lockInState(tx: Tx, id: number, allowed: RegistrationStatus[], what: string): Promise<OfficerRegistration> {
    await tx.$queryRaw`SELECT id FROM "OfficerRegistration" WHERE id = ${id} FOR UPDATE`
    const registration = await tx.officerRegistration.findUnique({ where: { id } })
    if (!registration || registration.status === 'EMAIL_UNCONFIRMED') throw new AppError('NOT_FOUND', `No registration ${id} to ${what}`)
    if (!allowed.includes(registration.status)) {
      throw new AppError('CONFLICT', `Registration ${id} is ${label(registration.status)}: only a registration that is ${allowed.map(label).join(' or ')} can be ${what}`)
    }
    return registration
  }

  const label = (status: RegistrationStatus) => status.toLowerCase().replaceAll('_', ' ')

  async function record(tx: Tx, actor: StaffActor, registration: OfficerRegistration, action: string, details: Prisma.InputJsonValue | null = null) {
    await audit.recordInTx(tx, {
      ...auditActor(actor),
      action,
      objectType: 'OfficerRegistration',
      objectId: registration.id,
      outcome: 'SUCCESS',
      details,
    })
  }

  /** The checks as they stand now, for the record's page and for the decision. */
  async function currentChecks(tx: Tx | Db, registration: OfficerRegistration): Promise<EvidenceCheck[]> {
    const agency = registration.agencyId ? await tx.agency.findUnique({ where: { id: registration.agencyId }, select: { name: true, emailDomains: true } }) : null
    return evidenceChecks({ ...registration, agency })
  }

  async function evidenceFor(id: number): Promise<{ current: EvidenceCheck[]; recorded: RecordedEvidence | null }> {
    const registration = await db.officerRegistration.findUnique({ where: { id } })
    if (!registration) throw new AppError('NOT_FOUND', `No registration ${id}`)
    return { current: await currentChecks(db, registration), recorded: (registration.evidenceChecks as RecordedEvidence | null) ?? null }
  }

  /**
   * The first pair of eyes: records the checks as they stand, with what the recorder saw
   * themselves (a call to the agency, say). May attach the agency an applicant proposed, once
   * an administrator has created it.
   */
  async function recordEvidence(id: number, input: unknown, actor: StaffActor) {
    const { notes, agencyId } = evidenceInput.parse(input)
    return db.$transaction(async (tx) => {
      let registration = await lockInState(tx, id, ['PENDING_REVIEW'], 'given evidence')
      if (agencyId !== undefined && agencyId !== registration.agencyId) {
        if (!(await tx.agency.findUnique({ where: { id: agencyId }, select: { id: true } }))) throw new AppError('VALIDATION_FAILED', `No agency ${agencyId}`)
        registration = await tx.officerRegistration.update({ where: { id }, data: { agencyId } })
      }
      const evidence: RecordedEvidence = { checks: await currentChecks(tx, registration), notes }
      const updated = await tx.officerRegistration.update({
        where: { id },
        data: { evidenceChecks: evidence as unknown as Prisma.InputJsonValue, evidenceRecordedById: actor.id, evidenceRecordedAt: clock.now() },
      })
      await record(tx, actor, updated, 'registration.record_evidence', { agencyId: updated.agencyId, failed: evidence.checks.filter((c) => !c.passed).map((c) => c.name) })
      return updated
    })
  }

  /**
   * The second pair of eyes. Refused to whoever recorded the evidence, and without a known
   * agency; a check that does not pass needs the verifier's reason.
   */
  async function verify(id: number, input: unknown, actor: StaffActor) {
    const { reason } = verifyInput.parse(input)
    return db.$transaction(async (tx) => {
      const registration = await lockInState(tx, id, ['PENDING_REVIEW'], 'verified')
      if (!registration.evidenceRecordedById) throw new AppError('CONFLICT', 'Record the evidence first ("Record evidence"); another staff member then verifies')
      if (registration.evidenceRecordedById === actor.id) {
        throw new AppError('FORBIDDEN', 'Four eyes: you recorded the evidence for this registration, so another staff member must verify it')
      }
      if (!registration.agencyId) throw new AppError('CONFLICT', 'The applicant proposed a new agency: create it, then attach it when recording the evidence')
      const failed = (await currentChecks(tx, registration)).filter((c) => !c.passed)
      if (failed.length > 0 && !reason) {
        throw new AppError('VALIDATION_FAILED', `Not every check passes (${failed.map((c) => c.label.toLowerCase()).join('; ')}): give your reason for verifying anyway`)
      }
      const now = clock.now()
      const updated = await tx.officerRegistration.update({
        where: { id },
        data: {
          status: 'VERIFIED', statusChangedAt: now, verifiedById: actor.id, verifiedAt: now,
          verificationExpiresAt: new Date(now.getTime() + policy.verificationDays * DAY_MS), decisionReason: null,
        },
      })
      await record(tx, actor, updated, 'registration.verify', { overriddenChecks: failed.map((c) => c.name), reason })
      await notifications.write(tx, [emails.decision(updated, 'VERIFIED', null, now)])
      return updated
    })
  }

  /** A decision with a reason the applicant reads, from one state to another. */
  function reasonedDecision(from: RegistrationStatus[], to: RegistrationStatus, decision: RegistrationDecision, what: string) {
    return async (id: number, input: unknown, actor: StaffActor) => {
      const { reason } = decisionReasonSchema.parse(input)
      return db.$transaction(async (tx) => {
        await lockInState(tx, id, from, what)
        const now = clock.now()
        const updated = await tx.officerRegistration.update({ where: { id }, data: { status: to, statusChangedAt: now, decisionReason: reason } })
        // Access ends with the decision, not at the session's next request.
        if (to === 'SUSPENDED') await endSessionsOf(tx, 'OfficerRegistration', id)
        await record(tx, actor, updated, `registration.${decision.toLowerCase()}`, { reason })
        await notifications.write(tx, [emails.decision(updated, decision, reason, now)])
        return updated
      })
    }
  }

  const reject = reasonedDecision(['PENDING_REVIEW', 'MORE_INFO_REQUESTED'], 'REJECTED', 'REJECTED', 'rejected')
  const requestMoreInfo = reasonedDecision(['PENDING_REVIEW'], 'MORE_INFO_REQUESTED', 'MORE_INFO_REQUESTED', 'asked for more information')
  const suspend = reasonedDecision(['VERIFIED'], 'SUSPENDED', 'SUSPENDED', 'suspended')

  /**
   * Lifts a suspension or an inactivity disablement. A verification that lapsed meanwhile is
   * not revived: the account goes back to the vetting queue instead.
   */
  async function reinstate(id: number, input: unknown, actor: StaffActor) {
    const { reason } = optionalNoteSchema.parse(input)
    return db.$transaction(async (tx) => {
      const registration = await lockInState(tx, id, ['SUSPENDED', 'DISABLED'], 'reinstated')
      const now = clock.now()
      const lapsed = !registration.verificationExpiresAt || registration.verificationExpiresAt <= now
      const updated = await tx.officerRegistration.update({
        where: { id },
        data: lapsed ? { ...freshReview(now), decisionReason: null } : { status: 'VERIFIED', statusChangedAt: now, decisionReason: null },
      })
      await record(tx, actor, updated, 'registration.reinstate', { reason, backToReview: lapsed })
      if (!lapsed) await notifications.write(tx, [emails.decision(updated, 'REINSTATED', reason, now)])
      return updated
    })
  }

  /** Emails the supervisor a single-use link to confirm or deny the employment. */
  async function requestSupervisorConfirmation(id: number, _input: unknown, actor: StaffActor) {
    return db.$transaction(async (tx) => {
      const registration = await lockInState(tx, id, ['PENDING_REVIEW', 'MORE_INFO_REQUESTED'], 'sent to the supervisor')
      const link = await issueLink(tx, id, 'SUPERVISOR_CONFIRMATION', new Date(clock.now().getTime() + policy.supervisorLinkDays * DAY_MS))
      // An earlier link is withdrawn: only the latest request can be answered.
      await tx.registrationToken.updateMany({ where: { registrationId: id, purpose: 'SUPERVISOR_CONFIRMATION', usedAt: null, id: { not: link.tokenId } }, data: { expiresAt: clock.now() } })
      const updated = await tx.officerRegistration.update({ where: { id }, data: { supervisorConfirmation: 'REQUESTED', supervisorAnsweredAt: null } })
      await notifications.write(tx, [emails.supervisorConfirmation(registration, link)])
      await record(tx, actor, updated, 'registration.request_supervisor_confirmation')
      return updated
    })
  }

  /**
   * Sweeps one kind of lapse: each registration found is changed, audited and mailed in its
   * own transaction, re-checked under lock, so a run that dies half-way or runs twice is safe.
   */
  async function sweep(find: (now: Date) => Promise<{ id: number }[]>, to: RegistrationStatus, decision: RegistrationDecision, action: string) {
    const now = clock.now()
    let changed = 0
    for (const { id } of await find(now)) {
      const done = await db.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<{ status: RegistrationStatus }[]>`SELECT status FROM "OfficerRegistration" WHERE id = ${id} FOR UPDATE`
        if (row?.status !== 'VERIFIED') return false
        const updated = await tx.officerRegistration.update({ where: { id }, data: { status: to, statusChangedAt: now } })
        await endSessionsOf(tx, 'OfficerRegistration', id)
        await audit.recordInTx(tx, { actorType: 'SYSTEM', ...NO_REQUEST, action, objectType: 'OfficerRegistration', objectId: id, outcome: 'SUCCESS' })
        await notifications.write(tx, [emails.decision(updated, decision, null, now)])
        return true
      })
      if (done) changed++
    }
    return changed
  }

  /** Verified accounts whose verification has run out must be verified again. */
  function expireVerifications(limit = 1000) {
    return sweep(
      (now) => db.officerRegistration.findMany({ where: { status: 'VERIFIED', verificationExpiresAt: { lte: now } }, select: { id: true }, orderBy: { id: 'asc' }, take: limit }),
      'EXPIRED', 'EXPIRED', 'registration.expire',
    )
  }

  /** Verified accounts not used for the configured days (since sign-in, verification or reinstatement) are disabled. */
  function disableInactiveAccounts(limit = 1000) {
    return sweep(
      (now) => db.$queryRaw<{ id: number }[]>`
        SELECT id FROM "OfficerRegistration"
        WHERE status = 'VERIFIED'
          AND GREATEST("statusChangedAt", COALESCE("lastSignInAt", "statusChangedAt")) < ${new Date(now.getTime() - policy.inactiveDays * DAY_MS)}
        ORDER BY id LIMIT ${limit}`,
      'DISABLED', 'DISABLED', 'registration.disable_inactive',
    )
  }

  return { evidenceFor, recordEvidence, verify, reject, requestMoreInfo, suspend, reinstate, requestSupervisorConfirmation, expireVerifications, disableInactiveAccounts }
}

export type VettingService = ReturnType<typeof createVettingService>
