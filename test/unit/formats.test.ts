import { describe, expect, it } from 'vitest'
import { normaliseHash } from '../../src/modules/hashes/hash-formats.js'
import { passwordProblem } from '../../src/modules/auth/password.js'
import { generatePassword } from '../../src/lib/random.js'
import { espSecretMatches, issueEspSecret } from '../../src/modules/intake/esp-credentials.js'

describe('hash formats', () => {
  it.each([
    ['MD5', 'D41D8CD98F00B204E9800998ECF8427E', { value: 'd41d8cd98f00b204e9800998ecf8427e' }],
    ['SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', { value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }],
    ['MD5', 'd41d8cd98f00b204', { error: 'a MD5 hash has 32 hex characters; "d41d8cd98f00b204" has 16' }],
    ['SHA256', 'zz'.repeat(32), { error: `"${'zz'.repeat(32)}" is not hexadecimal` }],
  ] as const)('%s %s', (type, value, expected) => {
    expect(normaliseHash(type, value)).toEqual(expected)
  })
})

describe('passwords and secrets', () => {
  it('requires 12 to 128 characters', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/)
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/)
    expect(passwordProblem('twelve chars')).toBeNull()
  })

  it('generates passwords of the asked length from an unambiguous alphabet', () => {
    const passwords = Array.from({ length: 50 }, () => generatePassword(20))
    for (const p of passwords) expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/)
    expect(new Set(passwords).size).toBe(50)
  })

  it('matches an ESP secret only against its own digest', () => {
    const { secret, secretDigest } = issueEspSecret()
    expect(secret.length).toBeGreaterThanOrEqual(43)
    expect(espSecretMatches(secret, secretDigest)).toBe(true)
    expect(espSecretMatches(`${secret}x`, secretDigest)).toBe(false)
    expect(espSecretMatches(secret, 'abc')).toBe(false)
  })
})
