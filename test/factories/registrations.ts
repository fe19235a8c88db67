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
