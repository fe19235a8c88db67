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

export const HASH_TYPE_LABEL: Record<HashType, string> = { MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256', PDQ: 'PDQ' }

const TYPE_NAMES: Record<string, HashType> = { md5: 'MD5', sha1: 'SHA1', 'sha-1': 'SHA1', sha256: 'SHA256', 'sha-256': 'SHA256', pdq: 'PDQ' }

/** A hash type's name as people write it (MD5, sha-1, SHA256, pdq ...), or null. */
export function hashTypeNamed(name: string): HashType | null {
  return TYPE_NAMES[name.trim().toLowerCase()] ?? null
}

/** What a line of a hash list holds: a hash, a line to skip, or why it is not a hash. */
export type ParsedHashLine = { hashType: HashType; value: string } | { error: string } | null

/**
 * One line of a pasted or uploaded list: a hash, optionally prefixed by its type ("pdq:…",
 * "SHA-1 …", "md5,…"). Without a type it is read from the length: 32 hex = MD5, 40 = SHA-1,
 * 64 = SHA-256, unless `sixtyFour` says that 64 characters mean PDQ. Blank lines and lines
 * starting with # are skipped (null).
 */
export function parseHashLine(line: string, { sixtyFour = 'SHA256' }: { sixtyFour?: 'SHA256' | 'PDQ' } = {}): ParsedHashLine {
  const text = line.trim()
  if (text === '' || text.startsWith('#')) return null
  const prefixed = /^(md5|sha-?1|sha-?256|pdq)\s*[:,;=\s]\s*(\S+)$/i.exec(text)
  if (prefixed) {
    const normalised = normaliseHash(hashTypeNamed(prefixed[1]!)!, prefixed[2]!)
    return 'error' in normalised ? normalised : { hashType: hashTypeNamed(prefixed[1]!)!, value: normalised.value }
  }
  if (/\s/.test(text)) return { error: `"${shorten(text)}" is not one hash: put one hash on each line` }
  const hex = text.toLowerCase()
  if (!/^[0-9a-f]+$/.test(hex)) return { error: `"${shorten(text)}" is not hexadecimal` }
  const byLength: Record<number, HashType> = { 32: 'MD5', 40: 'SHA1', 64: sixtyFour }
  const hashType = byLength[hex.length]
  if (!hashType) return { error: `${hex.length} hex characters is no hash we hold: MD5 has 32, SHA-1 40, SHA-256 and PDQ 64` }
  return { hashType, value: hex }
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
