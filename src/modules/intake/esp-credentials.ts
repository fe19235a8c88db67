import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * ESP secrets are issued by us: 32 random bytes (256 bits). At that strength a plain SHA-256
 * digest is safe to store, and it keeps every API call cheap, unlike a slow password KDF.
 */
export function issueEspSecret(): { secret: string; secretDigest: string } {
  const secret = randomBytes(32).toString('base64url')
  return { secret, secretDigest: digestEspSecret(secret) }
}

export function digestEspSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

export function espSecretMatches(secret: string, secretDigest: string): boolean {
  const given = Buffer.from(digestEspSecret(secret), 'hex')
  const stored = Buffer.from(secretDigest, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}
