// What the portal's registration form must hold. Messages are written for the applicant: they
// appear next to the field they are about.
import { z } from 'zod'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/password.js'
import { commonPasswordProblem } from './common-passwords.js'

const text = (label: string, max: number) =>
  z
    .string({ required_error: `Enter your ${label}` })
    .trim()
    .min(1, `Enter your ${label}`)
    .max(max, `Your ${label} must be at most ${max} characters`)

const email = (label: string) =>
  z
    .string({ required_error: `Enter ${label}` })
    .trim()
    .toLowerCase()
    .min(1, `Enter ${label}`)
    .max(254, `${label[0]!.toUpperCase()}${label.slice(1)} must be at most 254 characters`)
    .email(`Enter ${label} in the form name@agency.gov`)

// 7 to 15 digits (E.164's ceiling), written with the usual separators and an optional extension.
const PHONE = /^\+?[\d\s().-]{7,25}(\s*(x|ext\.?)\s*\d{1,6})?$/i

const registrationFields = z.object({
  firstName: text('first name', 100),
  lastName: text('last name', 100),
  kind: z.enum(['OFFICER', 'PROSECUTOR'], { errorMap: () => ({ message: 'Choose whether you are a law-enforcement officer or a prosecutor' }) }),
  /** A known agency's id, or "other" with proposedAgencyName. */
  agency: z.string({ required_error: 'Choose your agency' }).trim().min(1, 'Choose your agency, or "My agency is not listed"'),
  proposedAgencyName: z.string().trim().max(200, 'The agency name must be at most 200 characters').optional().default(''),
  badgeNumber: text('badge or bar number', 40).regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, 'A badge or bar number has letters, digits, spaces, dots, slashes or dashes'),
  officialEmail: email('your official email address'),
  phone: text('phone number', 40).refine((v) => PHONE.test(v) && (v.match(/\d/g) ?? []).length >= 7, 'Enter a phone number with its area code, e.g. 202-555-0143'),
  supervisorName: text("supervisor's name", 200),
  supervisorEmail: email("your supervisor's email address"),
  password: z.string({ required_error: 'Choose a password' }).min(PASSWORD_MIN_LENGTH, `Your password must be at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH, `Your password must be at most ${PASSWORD_MAX_LENGTH} characters`),
  passwordConfirmation: z.string().optional().default(''),
})

export type RegistrationForm = z.infer<typeof registrationFields>

/** The form's fields in page order: the error summary lists problems in this order. */
export const REGISTRATION_FIELDS = [
  'firstName', 'lastName', 'kind', 'agency', 'proposedAgencyName', 'badgeNumber', 'officialEmail', 'phone',
  'supervisorName', 'supervisorEmail', 'password', 'passwordConfirmation',
] as const

export type RegistrationField = (typeof REGISTRATION_FIELDS)[number]
export type FieldProblems = Partial<Record<RegistrationField, string>>

/**
 * Checks the whole form at once, so the applicant sees every problem in one go: each field on
 * its own, then the checks across fields (agency, the two emails, the password against the
 * applicant's own words), each run whenever its fields are there to compare.
 */
export function parseRegistrationForm(input: Record<string, unknown>): { ok: true; form: RegistrationForm } | { ok: false; problems: FieldProblems } {
  const problems: FieldProblems = {}
  const parsed = registrationFields.safeParse(input)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems[issue.path[0] as RegistrationField] ??= issue.message
  }
  const raw = (name: RegistrationField) => String(input[name] ?? '').trim()
  const add = (field: RegistrationField, message: string) => (problems[field] ??= message)
  const agency = raw('agency')
  if (agency === 'other' && raw('proposedAgencyName').length < 3) add('proposedAgencyName', 'Enter the full name of your agency')
  if (agency && agency !== 'other' && !/^\d{1,9}$/.test(agency)) add('agency', 'Choose your agency from the list, or "My agency is not listed"')
  if (raw('supervisorEmail') && raw('supervisorEmail').toLowerCase() === raw('officialEmail').toLowerCase()) {
    add('supervisorEmail', "Your supervisor's email address must be their own, not yours")
  }
  const password = String(input.password ?? '')
  if (password !== String(input.passwordConfirmation ?? '')) add('passwordConfirmation', 'The two passwords differ')
  if (!problems.password) {
    const problem = commonPasswordProblem(password, [raw('firstName'), raw('lastName'), raw('officialEmail').split('@')[0] ?? '', raw('proposedAgencyName')])
    if (problem) add('password', problem)
  }
  if (Object.keys(problems).length > 0 || !parsed.success) return { ok: false, problems }
  return { ok: true, form: parsed.data }
}

/** Staff's reason for a decision the applicant reads. */
export const decisionReasonSchema = z.object({
  reason: z.string({ required_error: 'Give a reason: the applicant reads it' }).trim().min(5, 'Give a reason of at least 5 characters: the applicant reads it').max(2000),
})

export const optionalNoteSchema = z.object({ reason: z.string().trim().max(2000).optional().transform((v) => (v ? v : null)) })

/** The applicant's answer to a request for more information. */
export const applicantResponseSchema = z.object({
  response: z.string({ required_error: 'Write your answer' }).trim().min(5, 'Write your answer (at least 5 characters)').max(4000, 'Your answer must be at most 4000 characters'),
})
