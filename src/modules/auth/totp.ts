// TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1 as every authenticator app expects) and the
// secrets and recovery codes around it. The secret is stored encrypted (AES-256-GCM); recovery
// codes are random, single use, and stored as SHA-256 digests. Pure apart from randomness.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto'
import { generate, generateSecret, generateURI, verify } from 'otplib'

export const TOTP_PERIOD_SECONDS = 30
export const RECOVERY_CODE_COUNT = 10

export function newTotpSecret(): string {
  return generateSecret({ length: 20 })
}

export function totpUri(secret: string, label: string, issuer = 'Clearinghouse'): string {
  return generateURI({ issuer, label, secret, period: TOTP_PERIOD_SECONDS, digits: 6 })
}

/** The code an authenticator app shows at `at` (tests and the demo helper use it). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD_SECONDS, digits: 6 })
}

/**
 * The time step a code belongs to, if it is right for `at` within `toleranceSteps` and later
 * than `afterTimeStep` (the last one accepted: a code never works twice); otherwise null.
 */
export async function totpTimeStep(secret: string, code: string, at: Date, toleranceSteps: number, afterTimeStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: toleranceSteps * TOTP_PERIOD_SECONDS,
    ...(afterTimeStep !== null ? { afterTimeStep } : {}),
  }).catch(() => ({ valid: false as const }))
  return result.valid && 'timeStep' in result ? result.timeStep : null
}

const keyOf = (key: string) => createHash('sha256').update(key).digest()

export function encryptSecret(secret: string, key: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv)
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join(':')
}

export function decryptSecret(stored: string, key: string): string {
  const [version, iv, tag, sealed] = stored.split(':')
  if (version !== 'v1' || !iv || !tag || !sealed) throw new Error('Not an encrypted MFA secret')
  const decipher = createDecipheriv('aes-256-gcm', keyOf(key), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8')
}

// No 0/O, 1/I/L: codes are read off paper.
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** Ten codes of ten characters (about 50 bits each), shown once as XXXXX-XXXXX. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]!).join('')
    return `${chars.slice(0, 5)}-${chars.slice(5)}`
  })
}

/** The digest a recovery code is stored and looked up under: case and dashes do not matter. */
export function recoveryCodeDigest(code: string): string {
  return createHash('sha256').update(code.toUpperCase().replace(/[^A-Z0-9]/g, '')).digest('hex')
}

export const looksLikeRecoveryCode = (code: string) => /^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/.test(code.trim())
