// The evidence a vetting decision rests on, as checks with results. Pure: no I/O.
import type { SupervisorConfirmation } from '@prisma/client'

export type EvidenceCheckName = 'emailConfirmed' | 'agencyExists' | 'emailDomainMatchesAgency' | 'supervisorEmailDomainMatchesAgency' | 'supervisorConfirmed'

export type EvidenceCheck = { name: EvidenceCheckName; label: string; passed: boolean; detail: string }

export type EvidenceSubject = {
  officialEmail: string
  supervisorEmail: string
  emailConfirmedAt: Date | null
  proposedAgencyName: string | null
  supervisorConfirmation: SupervisorConfirmation
  agency: { name: string; emailDomains: string[] } | null
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase()

/** An address is under an agency's domain when its domain is that domain or a subdomain of it. */
export function emailUnderDomains(email: string, domains: string[]): string | null {
  const domain = domainOf(email)
  return domains.find((d) => domain === d || domain.endsWith(`.${d}`)) ?? null
}

export function evidenceChecks(subject: EvidenceSubject): EvidenceCheck[] {
  const { agency } = subject
  const emailDomain = domainOf(subject.officialEmail)
  const supervisorDomain = domainOf(subject.supervisorEmail)
  const domainCheck = (email: string, domain: string) => {
    if (!agency) return 'no agency to compare with'
    if (agency.emailDomains.length === 0) return `${agency.name} has no email domains on record`
    const match = emailUnderDomains(email, agency.emailDomains)
    return match ? `${domain} is under ${match}` : `${domain} is not under ${agency.emailDomains.join(', ')}`
  }
  return [
    {
      name: 'emailConfirmed',
      label: 'Official email confirmed by the applicant',
      passed: subject.emailConfirmedAt !== null,
      detail: subject.emailConfirmedAt ? `confirmed ${subject.emailConfirmedAt.toISOString()}` : 'not confirmed',
    },
    {
      name: 'agencyExists',
      label: 'Agency is a known agency',
      passed: agency !== null,
      detail: agency ? agency.name : `proposed, not yet created: "${subject.proposedAgencyName ?? ''}"`,
    },
    {
      name: 'emailDomainMatchesAgency',
      label: "Official email is under the agency's domains",
      passed: agency !== null && emailUnderDomains(subject.officialEmail, agency.emailDomains) !== null,
      detail: domainCheck(subject.officialEmail, emailDomain),
    },
    {
      name: 'supervisorEmailDomainMatchesAgency',
      label: "Supervisor's email is under the agency's domains",
      passed: agency !== null && emailUnderDomains(subject.supervisorEmail, agency.emailDomains) !== null,
      detail: domainCheck(subject.supervisorEmail, supervisorDomain),
    },
    {
      name: 'supervisorConfirmed',
      label: 'Supervisor confirmed the employment',
      passed: subject.supervisorConfirmation === 'CONFIRMED',
      detail: {
        NOT_REQUESTED: 'not asked',
        REQUESTED: 'asked, no answer yet',
        CONFIRMED: 'confirmed by the supervisor',
        DENIED: 'the supervisor denied the employment',
      }[subject.supervisorConfirmation],
    },
  ]
}

/** The evidence as recorded: the checks at that moment, and what the recorder saw themselves. */
export type RecordedEvidence = { checks: EvidenceCheck[]; notes: string | null }
