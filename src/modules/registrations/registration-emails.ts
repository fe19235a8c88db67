// The emails of the registration workflow, as outbox drafts. Each carries the registration's
// id and, for the two confirmation emails, a link that works once; never a name.
import type { OfficerKind, OfficerRegistration } from '@prisma/client'
import type { RegistrationPolicy } from '../../config.js'
import type { NotificationDraft } from '../notifications/notifications.policy.js'
import type { IssuedLink } from './registration-links.js'

export type RegistrationDecision = 'VERIFIED' | 'REJECTED' | 'MORE_INFO_REQUESTED' | 'SUSPENDED' | 'REINSTATED' | 'EXPIRED' | 'DISABLED'

export const PORTAL_PATH = '/portal'

export function registrationEmails(policy: Pick<RegistrationPolicy, 'publicUrl'>) {
  const portalUrl = `${policy.publicUrl}${PORTAL_PATH}`
  return {
    emailConfirmation(registration: Pick<OfficerRegistration, 'id' | 'officialEmail'>, link: IssuedLink): NotificationDraft {
      return {
        kind: 'EMAIL_CONFIRMATION',
        channel: 'IMMEDIATE',
        recipient: registration.officialEmail,
        template: 'email-confirmation',
        data: { registrationId: registration.id, confirmUrl: `${portalUrl}/confirm-email?token=${link.token}`, expiresAt: link.expiresAt.toISOString() },
        idempotencyKey: `registration-${registration.id}-email-confirmation-${link.tokenId}`,
      }
    },
    supervisorConfirmation(registration: Pick<OfficerRegistration, 'id' | 'supervisorEmail'> & { kind: OfficerKind }, link: IssuedLink): NotificationDraft {
      return {
        kind: 'SUPERVISOR_CONFIRMATION',
        channel: 'IMMEDIATE',
        recipient: registration.supervisorEmail,
        template: 'supervisor-confirmation',
        data: {
          registrationId: registration.id,
          applicantRole: registration.kind === 'PROSECUTOR' ? 'prosecutor' : 'officer',
          confirmUrl: `${portalUrl}/supervisor-confirmation?token=${link.token}`,
          expiresAt: link.expiresAt.toISOString(),
        },
        idempotencyKey: `registration-${registration.id}-supervisor-confirmation-${link.tokenId}`,
      }
    },
    /** One email per decision: the key holds the moment the status changed. */
    decision(registration: Pick<OfficerRegistration, 'id' | 'officialEmail'>, decision: RegistrationDecision, reason: string | null, decidedAt: Date): NotificationDraft {
      return {
        kind: 'REGISTRATION_DECISION',
        channel: 'IMMEDIATE',
        recipient: registration.officialEmail,
        template: 'registration-decision',
        data: { registrationId: registration.id, decision, reason, portalUrl },
        idempotencyKey: `registration-${registration.id}-${decision.toLowerCase()}-${decidedAt.getTime()}`,
      }
    },
  }
}
