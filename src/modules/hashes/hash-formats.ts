import type { HashType } from '@prisma/client'

/** Hex length of each hash type (PDQ: 256 bits). */
export const HASH_HEX_LENGTH: Record<HashType, number> = { MD5: 32, SHA1: 40, SHA256: 64, PDQ: 64 }

/** Lower-cased hex of the right length for its type, or a message saying what is wrong. */
export function normaliseHash(hashType: HashType, value: string): { value: string } | { error: string } {
  const hex = value.trim().toLowerCase()
  const length = HASH_HEX_LENGTH[hashType]
  if (!/^[0-9a-f]*$/.test(hex)) return { error: `"${value}" is not hexadecimal` }
  if (hex.length !== length) return { error: `a ${hashType} hash has ${length} hex characters; "${value}" has ${hex.length}` }
  return { value: hex }
}
