import { randomBytes } from 'node:crypto'

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** A random password from an unambiguous alphabet (about 5.8 bits a character). */
export function generatePassword(length = 20): string {
  const bytes = randomBytes(length * 2)
  let out = ''
  for (const byte of bytes) {
    // Rejection sampling keeps the distribution uniform.
    if (byte >= 256 - (256 % PASSWORD_ALPHABET.length)) continue
    out += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length]
    if (out.length === length) return out
  }
  return out + generatePassword(length - out.length)
}
