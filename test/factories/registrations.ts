// A registration form as an applicant fills it in: every field valid, email and badge unique.
import type { Db } from '../../src/lib/db.js'
import { uniq } from './records.js'

export const APPLICANT_PASSWORD = 'violet kettle drums at noon'

export async function registrationForm(db: Db, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const agency = await db.agency.create({ data: { name: `Test Task Force ${uniq()}`, kind: 'ICAC_TASK_FORCE', state: 'CA', emailDomains: ['tf.example.com'] } })
  const id = uniq()
  return {
    firstName: 'Jordan',
    lastName: 'Example',
    kind: 'OFFICER',
    agency: String(agency.id),
    proposedAgencyName: '',
    badgeNumber: `B-${id}`,
    officialEmail: `jordan.${id}@tf.example.com`,
    phone: '202-555-0143',
    supervisorName: 'Sam Sergeant',
    supervisorEmail: `sam.${id}@tf.example.com`,
    password: APPLICANT_PASSWORD,
    passwordConfirmation: APPLICANT_PASSWORD,
    ...overrides,
  }
}

/**
 * A verified officer made straight in the database (the vetting workflow has its own tests),
 * signed in to the portal: for tests of what officers do once verified.
 */
export async function signedInOfficer(db: Db, baseUrl: string, { now = new Date() }: { now?: Date } = {}) {
  const { hashPassword } = await import('../../src/modules/auth/password.js')
  const { portalClient } = await import('../support/portal-client.js')
  const form = await registrationForm(db)
  const registration = await db.officerRegistration.create({
    data: {
      firstName: form.firstName!, lastName: form.lastName!, kind: 'OFFICER', agencyId: Number(form.agency), badgeNumber: form.badgeNumber!,
      officialEmail: form.officialEmail!, phone: form.phone!, supervisorName: form.supervisorName!, supervisorEmail: form.supervisorEmail!,
      status: 'VERIFIED', passwordHash: await hashPassword(APPLICANT_PASSWORD), emailConfirmedAt: now, verifiedAt: now,
      verificationExpiresAt: new Date(now.getTime() + 365 * 24 * 3600_000), statusChangedAt: now,
    },
  })
  const client = portalClient(baseUrl)
  const signIn = await client.signIn(registration.officialEmail, APPLICANT_PASSWORD)
  if (signIn.status !== 303) throw new Error(`the officer could not sign in: ${signIn.status}`)
  await client.get('/portal')
  return { registration, client }
}
