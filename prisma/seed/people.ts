// Staff, agencies, ESP accounts and officer registrations for the demo install. Every address
// is under example.com and every phone number is a 555-01xx number.
import type { Prisma, RegistrationStatus, StaffRole } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { digestEspSecret } from '../../src/modules/intake/esp-credentials.js'
import type { Random } from './random.js'
import { evidenceChecks } from '../../src/modules/registrations/evidence.js'

export const DEMO_PASSWORD = 'demo-console-password'
/** Every demo account's second factor (development only): `npm run demo:code` prints its current code. */
export const DEMO_TOTP_SECRET = 'DEMOTOTPKEYFORDEVELOPMENTONLY234'
/** A verified officer for trying the portal (same demo password as the staff). */
export const DEMO_OFFICER_EMAIL = 'demo.officer@ca-icac.example.com'
export const DEMO_ESP = { username: 'demo-esp', secret: 'demo-esp-secret-for-development-only' }

export const DEMO_STAFF: { email: string; name: string; role: StaffRole }[] = [
  { email: 'admin@staff.example.com', name: 'Alex Admin', role: 'ADMIN' },
  { email: 'admin2@staff.example.com', name: 'Blair Admin', role: 'ADMIN' },
  { email: 'supervisor@staff.example.com', name: 'Sam Supervisor', role: 'SUPERVISOR' },
  { email: 'triage@staff.example.com', name: 'Taylor Triage', role: 'TRIAGE' },
  { email: 'triage2@staff.example.com', name: 'Tracy Triage', role: 'TRIAGE' },
  { email: 'cybertip@staff.example.com', name: 'Casey Cybertip', role: 'CYBERTIP_ANALYST' },
  { email: 'cybertip2@staff.example.com', name: 'Cameron Cybertip', role: 'CYBERTIP_ANALYST' },
  { email: 'cvip@staff.example.com', name: 'Val Cvip', role: 'CVIP_ANALYST' },
  { email: 'cvip2@staff.example.com', name: 'Vic Cvip', role: 'CVIP_ANALYST' },
]

export const DEMO_AGENCIES: Prisma.AgencyCreateManyInput[] = [
  { name: 'California ICAC Task Force (demo)', kind: 'ICAC_TASK_FORCE', state: 'CA', ori: 'CA0000001', emailDomains: ['ca-icac.example.com'] },
  { name: 'Texas ICAC Task Force (demo)', kind: 'ICAC_TASK_FORCE', state: 'TX', ori: 'TX0000001', emailDomains: ['tx-icac.example.com'] },
  { name: 'New York ICAC Task Force (demo)', kind: 'ICAC_TASK_FORCE', state: 'NY', ori: 'NY0000001', emailDomains: ['ny-icac.example.com'] },
  { name: 'Florida ICAC Task Force (demo)', kind: 'ICAC_TASK_FORCE', state: 'FL', ori: 'FL0000001', emailDomains: ['fl-icac.example.com'] },
  { name: 'Washington ICAC Task Force (demo)', kind: 'ICAC_TASK_FORCE', state: 'WA', ori: 'WA0000001', emailDomains: ['wa-icac.example.com'] },
  { name: 'Virginia ICAC Task Force (demo)', kind: 'ICAC_TASK_FORCE', state: 'VA', ori: 'VA0000001', emailDomains: ['va-icac.example.com'] },
  { name: 'Example City Police Department', kind: 'LOCAL', state: 'CA', ori: 'CA0000002', emailDomains: ['police.example.com'] },
  { name: 'Example County District Attorney', kind: 'PROSECUTOR', state: 'TX', ori: 'TX0000002', emailDomains: ['da.example.com'] },
  { name: 'Federal Investigations Office (demo)', kind: 'FEDERAL', state: 'VA', ori: 'VA0000002', emailDomains: ['federal.example.com'] },
  { name: 'International Liaison Unit (demo)', kind: 'INTERNATIONAL', country: 'GB', emailDomains: ['liaison.example.com'] },
]

export const DEMO_ESPS = [
  { name: 'Demo ESP', username: DEMO_ESP.username, secret: DEMO_ESP.secret, contactEmail: 'trust-safety@esp.example.com' },
  { name: 'Example Photo Sharing', username: 'example-photos', secret: 'example-photos-demo-secret-0001', contactEmail: 'reports@photos.example.com' },
  { name: 'Example Messaging', username: 'example-chat', secret: 'example-chat-demo-secret-0002', contactEmail: 'safety@chat.example.com' },
]

const FIRST = ['Jordan', 'Riley', 'Morgan', 'Avery', 'Quinn', 'Parker', 'Reese', 'Drew', 'Rowan', 'Emerson', 'Hayden', 'Skyler', 'Finley', 'Dakota', 'Jamie']
const LAST = ['Example', 'Sample', 'Testwood', 'Placeholder', 'Demoson', 'Fixture', 'Mockley', 'Synthetic', 'Specimen', 'Prototype']

/** 30 registrations, at least two in every status. */
const REGISTRATION_STATUSES: RegistrationStatus[] = [
  'EMAIL_UNCONFIRMED', 'EMAIL_UNCONFIRMED', 'PENDING_REVIEW', 'PENDING_REVIEW', 'PENDING_REVIEW', 'PENDING_REVIEW', 'PENDING_REVIEW',
  'MORE_INFO_REQUESTED', 'MORE_INFO_REQUESTED', 'VERIFIED', 'VERIFIED', 'VERIFIED', 'VERIFIED', 'VERIFIED', 'VERIFIED', 'VERIFIED',
  'VERIFIED', 'VERIFIED', 'VERIFIED', 'VERIFIED', 'REJECTED', 'REJECTED', 'REJECTED', 'SUSPENDED', 'SUSPENDED', 'EXPIRED',
  'EXPIRED', 'DISABLED', 'DISABLED', 'PENDING_REVIEW',
]

export async function seedStaff(db: Db, passwordHash: string, mfaSecret: string): Promise<Map<StaffRole, number[]>> {
  for (const staff of DEMO_STAFF) {
    await db.staffUser.upsert({ where: { email: staff.email }, update: {}, create: { ...staff, passwordHash, mfaSecret, mfaEnrolledAt: new Date() } })
  }
  const rows = await db.staffUser.findMany({ where: { email: { in: DEMO_STAFF.map((s) => s.email) } } })
  const byRole = new Map<StaffRole, number[]>()
  for (const row of rows) byRole.set(row.role, [...(byRole.get(row.role) ?? []), row.id])
  return byRole
}

/** The RFC 5737 documentation ranges the demo's IP capture events use, placed in three states. */
export const DEMO_IP_LOCATIONS = [
  { network: '192.0.2.0/24', country: 'US', region: 'CA', source: 'demo (RFC 5737 documentation range)' },
  { network: '198.51.100.0/24', country: 'US', region: 'TX', source: 'demo (RFC 5737 documentation range)' },
  { network: '203.0.113.0/24', country: 'US', region: 'NY', source: 'demo (RFC 5737 documentation range)' },
]

export async function seedIpLocations(db: Db) {
  await db.ipLocation.createMany({ data: DEMO_IP_LOCATIONS, skipDuplicates: true })
}

export async function seedAgencies(db: Db) {
  await db.agency.createMany({ data: DEMO_AGENCIES, skipDuplicates: true })
  return db.agency.findMany({ where: { name: { in: DEMO_AGENCIES.map((a) => a.name) } }, orderBy: { id: 'asc' } })
}

export async function seedEspAccounts(db: Db) {
  await db.espAccount.createMany({
    data: DEMO_ESPS.map(({ secret, ...esp }) => ({ ...esp, secretDigest: digestEspSecret(secret) })),
    skipDuplicates: true,
  })
  return db.espAccount.findMany({ where: { username: { in: DEMO_ESPS.map((e) => e.username) } }, orderBy: { id: 'asc' } })
}

export async function seedRegistrations(
  db: Db,
  random: Random,
  agencies: { id: number; name: string; emailDomains: string[] }[],
  staff: Map<StaffRole, number[]>,
  passwordHash: string,
  now: Date,
  mfaSecret: string,
) {
  const [recorder, verifier] = [staff.get('SUPERVISOR')![0]!, staff.get('ADMIN')![0]!]
  const day = 24 * 3600 * 1000
  const data: Prisma.OfficerRegistrationCreateManyInput[] = REGISTRATION_STATUSES.map((status, i) => {
    const demoOfficer = i === REGISTRATION_STATUSES.indexOf('VERIFIED')
    // The demo officer is with the California ICAC task force, whose domain their email is under.
    const agency = demoOfficer ? agencies.find((a) => a.emailDomains.includes('ca-icac.example.com'))! : agencies[i % agencies.length]!
    const firstName = FIRST[i % FIRST.length]!
    const lastName = LAST[(i * 7) % LAST.length]!
    const createdAt = new Date(now.getTime() - (60 - i) * day)
    const decided = ['VERIFIED', 'REJECTED', 'SUSPENDED', 'EXPIRED', 'DISABLED'].includes(status)
    const verifiedAt = decided ? new Date(createdAt.getTime() + 2 * day) : null
    const officialEmail = demoOfficer ? DEMO_OFFICER_EMAIL : `${firstName}.${lastName}.${i}@${agency.emailDomains[0]}`.toLowerCase()
    const supervisorEmail = `supervisor.${i}@${agency.emailDomains[0]}`
    const emailConfirmedAt = status === 'EMAIL_UNCONFIRMED' ? null : new Date(createdAt.getTime() + 3600 * 1000)
    const checks = evidenceChecks({ officialEmail, supervisorEmail, emailConfirmedAt, proposedAgencyName: null, supervisorConfirmation: 'CONFIRMED', agency })
    return {
      firstName,
      lastName,
      kind: i % 5 === 4 ? 'PROSECUTOR' : 'OFFICER',
      agencyId: agency.id,
      badgeNumber: `B-${String(1000 + i)}`,
      officialEmail,
      phone: `+1-202-555-01${String(i % 100).padStart(2, '0')}`,
      supervisorName: `Supervisor ${LAST[i % LAST.length]}`,
      supervisorEmail,
      supervisorConfirmation: decided ? 'CONFIRMED' : random.pick(['NOT_REQUESTED', 'REQUESTED'] as const),
      status,
      passwordHash,
      mfaSecret,
      mfaEnrolledAt: emailConfirmedAt,
      emailConfirmedAt,
      evidenceChecks: decided ? { checks, notes: 'Badge number confirmed by telephone with the agency (demo).' } : undefined,
      evidenceRecordedById: decided ? recorder : null,
      evidenceRecordedAt: verifiedAt,
      verifiedById: status === 'REJECTED' ? null : decided ? verifier : null,
      verifiedAt: status === 'REJECTED' ? null : verifiedAt,
      verificationExpiresAt: verifiedAt ? new Date(verifiedAt.getTime() + (status === 'EXPIRED' ? 30 : 365) * day) : null,
      decisionReason:
        status === 'REJECTED' ? 'The supervisor could not confirm current employment.' :
        status === 'MORE_INFO_REQUESTED' ? 'Please confirm your badge number with your agency.' : null,
      createdAt,
      statusChangedAt: verifiedAt ?? emailConfirmedAt ?? createdAt,
      lastSignInAt: status === 'VERIFIED' ? new Date(now.getTime() - (i % 5) * day) : null,
    }
  })
  await db.officerRegistration.createMany({ data, skipDuplicates: true })
}
