// The applicant's side of officer registration: apply, confirm the email address, sign in,
// answer a request for more information; and the supervisor's answer. Staff decisions are in
// vetting.service.ts. Every step is audited; every email leaves through the outbox.
import type { RequestOrigin } from '../../lib/request-context.js'
import { Prisma, type OfficerRegistration, type RegistrationStatus } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import type { RegistrationPolicy } from '../../config.js'
import { AppError, uniqueViolationFields } from '../../lib/errors.js'
import { hashPassword, verifyPassword } from '../auth/password.js'
import type { AuditService } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { issueLink, peekLink, useLink, type LinkUse } from './registration-links.js'
import { applicantResponseSchema, parseRegistrationForm, type FieldProblems } from './registration.schemas.js'
import { registrationEmails } from './registration-emails.js'
import { CLEAR_FAILURES, DEFAULT_LOCKOUT, failedSignInUpdate, type LockoutPolicy } from '../auth/lockout.js'
import { recordAccountLocked } from '../auth/account-lock.js'

export type RegistrationsDeps = { db: Db; clock: Clock; audit: AuditService; notifications: NotificationsService; policy: RegistrationPolicy; lockout?: LockoutPolicy }

export type { FieldProblems }

export class RegistrationFormError extends AppError {
  constructor(readonly problems: FieldProblems) {
    super('VALIDATION_FAILED', Object.values(problems).join('; '), problems)
  }
}

/** Where the request came from, for the audit. */
export type SignInContext = RequestOrigin

/** What a sign-in attempt comes to. Only a right password learns the account's state. */
export type OfficerSignIn =
  | { kind: 'verified'; registrationId: number; name: string }
  | { kind: 'applicant'; registrationId: number; status: 'PENDING_REVIEW' | 'MORE_INFO_REQUESTED' }
  | { kind: 'reverification'; registrationId: number }
  | { kind: 'refused'; status: 'EMAIL_UNCONFIRMED' | 'REJECTED' | 'SUSPENDED' | 'DISABLED' }
  | { kind: 'invalid' }

// Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
const UNKNOWN_OFFICER_HASH = hashPassword('no such officer: timing equaliser')

export const APPLICANT_STATUSES: RegistrationStatus[] = ['PENDING_REVIEW', 'MORE_INFO_REQUESTED']

export function createRegistrationsService({ db, clock, audit, notifications, policy, lockout = DEFAULT_LOCKOUT }: RegistrationsDeps) {
  const emails = registrationEmails(policy)
  const emailLinkExpiry = () => new Date(clock.now().getTime() + policy.emailLinkHours * 3600_000)

  const officerActor = (registration: Pick<OfficerRegistration, 'id' | 'officialEmail'>, origin: RequestOrigin) => ({
    actorType: 'OFFICER' as const,
    actorId: registration.id,
    actorLabel: registration.officialEmail,
    objectType: 'OfficerRegistration',
    objectId: registration.id,
    ...origin,
  })

  /** The agencies an applicant can choose from, by name. */
  function agencyChoices() {
    return db.agency.findMany({ select: { id: true, name: true, state: true, country: true }, orderBy: { name: 'asc' } })
  }

  /**
   * Files an application and emails the confirmation link. Refuses a duplicate (same email, or
   * same badge number at the same agency) with a message on the field.
   */
  async function apply(input: Record<string, unknown>, context: SignInContext): Promise<{ registrationId: number }> {
    const parsed = parseRegistrationForm(input)
    if (!parsed.ok) throw new RegistrationFormError(parsed.problems)
    const { form } = parsed
    const agencyId = form.agency === 'other' ? null : Number(form.agency)
    if (agencyId !== null && !(await db.agency.findUnique({ where: { id: agencyId }, select: { id: true } }))) {
      throw new RegistrationFormError({ agency: 'Choose your agency from the list, or "My agency is not listed"' })
    }
    const passwordHash = await hashPassword(form.password)
    try {
      return await db.$transaction(async (tx) => {
        await refuseDuplicates(tx, { officialEmail: form.officialEmail, badgeNumber: form.badgeNumber, agencyId, proposedAgencyName: form.proposedAgencyName })
        const registration = await tx.officerRegistration.create({
          data: {
            firstName: form.firstName,
            lastName: form.lastName,
            kind: form.kind,
            agencyId,
            proposedAgencyName: agencyId === null ? form.proposedAgencyName : null,
            badgeNumber: form.badgeNumber,
            officialEmail: form.officialEmail,
            phone: form.phone,
            supervisorName: form.supervisorName,
            supervisorEmail: form.supervisorEmail,
            passwordHash,
            statusChangedAt: clock.now(),
          },
        })
        await sendConfirmationLink(tx, registration)
        await audit.recordInTx(tx, { ...officerActor(registration, context), action: 'registration.apply', outcome: 'SUCCESS', details: { kind: form.kind, agencyId, proposedAgency: agencyId === null } })
        return { registrationId: registration.id }
      })
    } catch (error) {
      // Two applications racing past the duplicate check: the unique indexes decide.
      const fields = uniqueViolationFields(error)
      if (fields?.includes('officialEmail')) throw new RegistrationFormError({ officialEmail: duplicateEmailMessage })
      if (fields?.includes('badgeNumber')) throw new RegistrationFormError({ badgeNumber: duplicateBadgeMessage })
      throw error
    }
  }

  const duplicateEmailMessage = 'An application with this email address exists already. If it is yours, sign in to see where it stands.'
  const duplicateBadgeMessage = 'An application with this badge or bar number at this agency exists already. If it is yours, sign in to see where it stands.'

  async function refuseDuplicates(tx: Tx, candidate: { officialEmail: string; badgeNumber: string; agencyId: number | null; proposedAgencyName: string }) {
    const sameEmail = await tx.officerRegistration.findUnique({ where: { officialEmail: candidate.officialEmail }, select: { id: true, status: true } })
    if (sameEmail) {
      // An application whose address was never confirmed and whose links have all lapsed is
      // abandoned: a new application replaces it rather than being blocked by it forever.
      const liveLink = await tx.registrationToken.count({ where: { registrationId: sameEmail.id, usedAt: null, expiresAt: { gt: clock.now() } } })
      if (sameEmail.status !== 'EMAIL_UNCONFIRMED' || liveLink > 0) throw new RegistrationFormError({ officialEmail: duplicateEmailMessage })
      await tx.officerRegistration.delete({ where: { id: sameEmail.id } })
    }
    const sameBadge = await tx.officerRegistration.findFirst({
      where: {
        badgeNumber: { equals: candidate.badgeNumber, mode: 'insensitive' },
        ...(candidate.agencyId !== null
          ? { agencyId: candidate.agencyId }
          : { agencyId: null, proposedAgencyName: { equals: candidate.proposedAgencyName, mode: 'insensitive' } }),
      },
      select: { id: true },
    })
    if (sameBadge) throw new RegistrationFormError({ badgeNumber: duplicateBadgeMessage })
  }

  async function sendConfirmationLink(tx: Tx, registration: Pick<OfficerRegistration, 'id' | 'officialEmail'>) {
    const link = await issueLink(tx, registration.id, 'EMAIL_CONFIRMATION', emailLinkExpiry())
    await notifications.write(tx, [emails.emailConfirmation(registration, link)])
  }

  /**
   * Sends a fresh confirmation link to an unconfirmed application's address. Says nothing about
   * whether one exists (the page answers the same either way); at most three links an hour.
   */
  async function resendConfirmation(email: string, context: SignInContext): Promise<void> {
    const officialEmail = String(email ?? '').trim().toLowerCase()
    if (!officialEmail) return
    await db.$transaction(async (tx) => {
      const registration = await tx.officerRegistration.findUnique({ where: { officialEmail } })
      if (!registration || registration.status !== 'EMAIL_UNCONFIRMED') return
      const recent = await tx.registrationToken.count({
        where: { registrationId: registration.id, purpose: 'EMAIL_CONFIRMATION', createdAt: { gt: new Date(clock.now().getTime() - 3600_000) } },
      })
      if (recent >= 3) return
      await sendConfirmationLink(tx, registration)
      await audit.recordInTx(tx, { ...officerActor(registration, context), action: 'registration.resend_confirmation', outcome: 'SUCCESS' })
    })
  }

  /** Uses an email confirmation link: the application goes to staff for review. */
  async function confirmEmail(token: string, context: SignInContext): Promise<LinkUse> {
    return db.$transaction(async (tx) => {
      const used = await useLink(tx, token, 'EMAIL_CONFIRMATION', clock.now())
      if (!used.ok) return used
      const registration = await tx.officerRegistration.update({
        where: { id: used.registrationId, status: 'EMAIL_UNCONFIRMED' },
        data: { status: 'PENDING_REVIEW', emailConfirmedAt: clock.now(), statusChangedAt: clock.now() },
      })
      await audit.recordInTx(tx, { ...officerActor(registration, context), action: 'registration.confirm_email', outcome: 'SUCCESS' })
      return used
    })
  }

  /** What a supervisor's link is about, for the page it opens; the link stays unused. */
  async function supervisorRequest(token: string) {
    return db.$transaction(async (tx) => {
      const link = await peekLink(tx, token, 'SUPERVISOR_CONFIRMATION', clock.now())
      if (!link.ok) return link
      const registration = await tx.officerRegistration.findUniqueOrThrow({
        where: { id: link.registrationId },
        select: { firstName: true, lastName: true, kind: true, badgeNumber: true, officialEmail: true, supervisorName: true, proposedAgencyName: true, agency: { select: { name: true } } },
      })
      return { ...link, registration }
    })
  }

  /** The supervisor's answer: they confirm, or deny, that the applicant works for them. */
  async function answerSupervisorRequest(token: string, answer: 'CONFIRMED' | 'DENIED', context: SignInContext): Promise<LinkUse> {
    return db.$transaction(async (tx) => {
      const used = await useLink(tx, token, 'SUPERVISOR_CONFIRMATION', clock.now())
      if (!used.ok) return used
      const registration = await tx.officerRegistration.update({
        where: { id: used.registrationId },
        data: { supervisorConfirmation: answer, supervisorAnsweredAt: clock.now() },
      })
      await audit.recordInTx(tx, {
        actorType: 'OFFICER',
        actorLabel: registration.supervisorEmail,
        objectType: 'OfficerRegistration',
        objectId: registration.id,
        ...context,
        action: 'registration.supervisor_answer',
        outcome: 'SUCCESS',
        details: { answer },
      })
      return used
    })
  }

  /**
   * Checks an officer's email and password. A verified officer gets a portal session; an
   * applicant may follow their application; an expired one asks to be verified again.
   */
  async function signIn(email: string, password: string, context: SignInContext): Promise<OfficerSignIn> {
    const officialEmail = String(email ?? '').trim().toLowerCase()
    const registration = officialEmail ? await db.officerRegistration.findUnique({ where: { officialEmail } }) : null
    const passwordOk = await verifyPassword(registration?.passwordHash ?? (await UNKNOWN_OFFICER_HASH), String(password ?? ''))
    const now = clock.now()
    const result: OfficerSignIn = !registration || !passwordOk || registration.lockedAt
      ? { kind: 'invalid' }
      : registration.status === 'VERIFIED' && registration.verificationExpiresAt && registration.verificationExpiresAt <= now
        ? { kind: 'reverification', registrationId: registration.id }
        : registration.status === 'VERIFIED'
          ? { kind: 'verified', registrationId: registration.id, name: `${registration.firstName} ${registration.lastName}` }
          : registration.status === 'EXPIRED'
            ? { kind: 'reverification', registrationId: registration.id }
            : registration.status === 'PENDING_REVIEW' || registration.status === 'MORE_INFO_REQUESTED'
              ? { kind: 'applicant', registrationId: registration.id, status: registration.status }
              : { kind: 'refused', status: registration.status }
    let newlyLocked = false
    await db.$transaction(async (tx) => {
      if (registration && passwordOk && !registration.lockedAt) {
        await tx.officerRegistration.update({ where: { id: registration.id }, data: { ...CLEAR_FAILURES, ...(result.kind === 'verified' ? { lastSignInAt: now } : {}) } })
      } else if (registration && !passwordOk) {
        // Counted under the row's lock, so concurrent guesses from many processes all count.
        await tx.$queryRaw`SELECT id FROM "OfficerRegistration" WHERE id = ${registration.id} FOR UPDATE`
        const row = await tx.officerRegistration.findUniqueOrThrow({ where: { id: registration.id }, select: { recentFailedSignIns: true, lockedAt: true } })
        const failure = failedSignInUpdate(row, now, lockout)
        newlyLocked = failure.newlyLocked
        await tx.officerRegistration.update({ where: { id: registration.id }, data: failure.data })
      }
      if (newlyLocked) {
        await recordAccountLocked(tx, { audit, notifications, lockout }, { kind: 'OfficerRegistration', id: registration!.id, lockedAt: now, factor: 'password', origin: context })
      }
      if (result.kind === 'reverification' && registration) {
        // An expired verification is asked for again by signing in: back to the vetting queue,
        // with the old evidence cleared so that it is looked at afresh.
        await tx.officerRegistration.update({ where: { id: registration.id }, data: { ...freshReview(now), decisionReason: null } })
        await audit.recordInTx(tx, { ...officerActor(registration, context), action: 'registration.request_reverification', outcome: 'SUCCESS' })
      }
      await audit.recordInTx(tx, {
        actorType: 'OFFICER',
        actorId: registration?.id ?? null,
        // An unknown email is recorded as typed, so an attack on guessed accounts is visible.
        actorLabel: officialEmail.slice(0, 254) || null,
        action: 'officer.sign_in',
        outcome: result.kind === 'verified' ? 'SUCCESS' : result.kind === 'invalid' ? 'FAILURE' : 'DENIED',
        ...context,
        details: result.kind === 'invalid' ? null : { status: registration?.status ?? null },
      })
    })
    return result
  }

  /** The applicant answers a request for more information; the application is reviewed again. */
  async function respondToInfoRequest(registrationId: number, input: Record<string, unknown>, context: SignInContext): Promise<void> {
    const { response } = applicantResponseSchema.parse(input)
    await db.$transaction(async (tx) => {
      const registration = await tx.officerRegistration.findUnique({ where: { id: registrationId } })
      if (registration?.status !== 'MORE_INFO_REQUESTED') throw new AppError('CONFLICT', 'This application is not waiting for more information')
      await tx.officerRegistration.update({ where: { id: registrationId }, data: { ...freshReview(clock.now()), applicantResponse: response } })
      await audit.recordInTx(tx, { ...officerActor(registration, context), action: 'registration.respond', outcome: 'SUCCESS' })
    })
  }

  /** Where a signed-in officer's registration stands, re-read on every portal request. */
  function portalStanding(registrationId: number) {
    return db.officerRegistration.findUnique({
      where: { id: registrationId },
      select: {
        id: true, status: true, firstName: true, lastName: true, kind: true, officialEmail: true, verificationExpiresAt: true,
        decisionReason: true, applicantResponse: true, createdAt: true, emailConfirmedAt: true, lockedAt: true,
        agency: { select: { name: true } }, proposedAgencyName: true,
      },
    })
  }

  return { agencyChoices, apply, resendConfirmation, confirmEmail, supervisorRequest, answerSupervisorRequest, signIn, respondToInfoRequest, portalStanding }
}

/** Back to PENDING_REVIEW with the previous review's evidence and decision cleared. */
export function freshReview(now: Date) {
  return {
    status: 'PENDING_REVIEW' as const,
    statusChangedAt: now,
    evidenceChecks: Prisma.DbNull,
    evidenceRecordedById: null,
    evidenceRecordedAt: null,
    verifiedById: null,
    verifiedAt: null,
    verificationExpiresAt: null,
  }
}

export type RegistrationsService = ReturnType<typeof createRegistrationsService>
