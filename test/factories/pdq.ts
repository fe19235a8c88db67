// PDQ hashes at a known distance from another, for the near-match tests and benchmark.

/** Flips `bits` distinct bits of a 64-hex hash; `spread` puts them as evenly over the 16 chunks as it can. */
export function flip(hex: string, bits: number, spread = false): string {
  const bytes = Buffer.from(hex, 'hex')
  const chosen = new Set<number>()
  if (spread) for (let k = 0; chosen.size < bits; k++) chosen.add((k % 16) * 16 + Math.floor(k / 16))
  while (chosen.size < bits) chosen.add(Math.floor(Math.random() * 256))
  for (const b of chosen) bytes[b >> 3]! ^= 1 << (b & 7)
  return bytes.toString('hex')
}
