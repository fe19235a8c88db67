// The tests' authenticator app: the TOTP secret of each account a test created or enrolled,
// and the codes it would show. Each sign-in takes the next unused time step within the app's
// tolerance (tests run with MFA_TOLERANCE_STEPS=10), so one account can sign in many times
// within 30 seconds without a code being replayed.
import { TOTP_PERIOD_SECONDS, totpCode } from '../../src/modules/auth/totp.js'

export const TEST_MFA_TOLERANCE_STEPS = 10

const secrets = new Map<string, string>()
const lastStep = new Map<string, number>()

export function rememberTotpSecret(email: string, secret: string): void {
  secrets.set(email.toLowerCase(), secret)
  lastStep.delete(email.toLowerCase())
}

export function totpSecretOf(email: string): string | undefined {
  return secrets.get(email.toLowerCase())
}

/** The next code for an account, as its app would show it at a time step not used before. */
export async function nextTotpCode(email: string, now: Date = new Date()): Promise<string> {
  const key = email.toLowerCase()
  const secret = secrets.get(key)
  if (!secret) throw new Error(`No TOTP secret known for ${email}: create it with the staff factory or enrol it first`)
  const current = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS)
  const step = Math.max(current - TEST_MFA_TOLERANCE_STEPS + 1, (lastStep.get(key) ?? -Infinity) + 1)
  if (step > current + TEST_MFA_TOLERANCE_STEPS) throw new Error(`Signed in too often as ${email}: no unused code within the tolerance`)
  lastStep.set(key, step)
  return totpCode(secret, new Date(step * TOTP_PERIOD_SECONDS * 1000))
}

/** The secret an enrolment page shows (data-testid="totp-secret"). */
export function secretOnPage(html: string): string | undefined {
  return /data-testid="totp-secret">([A-Z2-7]+)</.exec(html)?.[1]
}
