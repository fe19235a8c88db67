// PDQ near matching. A PDQ hash is 256 bits; two images match when their hashes differ in at
// most `radius` bits (31 by default, Meta's recommendation). Multi-index hashing keeps a query
// off the whole catalog: the hash is cut into 16 chunks of 16 bits, each chunk indexed on its
// own. If two hashes differ in at most r bits, then by pigeonhole at least one of the 16 chunks
// differs in at most floor(r / 16) bits: for r <= 31, at most one bit. So the candidates are the
// hashes that share, in some chunk, the query's value or one of its 16 one-bit neighbours
// (17 probes a chunk, 272 in all), and each candidate's exact distance decides.

export const PDQ_CHUNKS = 16
const CHUNK_BITS = 16
/** PDQ hashes below this quality are too unreliable to near-match (Meta: discard <= 49). */
export const PDQ_MIN_QUALITY = 50

/** The 16 chunk values of a 64-hex PDQ hash. */
export function pdqChunks(hex: string): number[] {
  return Array.from({ length: PDQ_CHUNKS }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16))
}

/** Every 16-bit value within `bits` (0, 1 or 2) bit flips of `value`. */
function neighbours(value: number, bits: number): number[] {
  if (bits > 2) throw new Error(`A PDQ radius above ${3 * PDQ_CHUNKS - 1} is not supported`)
  const out = [value]
  for (let a = 0; a < CHUNK_BITS && bits >= 1; a++) {
    out.push(value ^ (1 << a))
    for (let b = a + 1; b < CHUNK_BITS && bits >= 2; b++) out.push(value ^ (1 << a) ^ (1 << b))
  }
  return out
}

/** For each chunk, the values a candidate must hold in that chunk (in at least one chunk). */
export function pdqProbes(hex: string, radius: number): number[][] {
  const perChunk = Math.floor(radius / PDQ_CHUNKS)
  return pdqChunks(hex).map((value) => neighbours(value, perChunk))
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let n = 0
  for (let v = i; v; v >>= 1) n += v & 1
  return n
})

/** Bits that differ between two hex strings of the same length. */
export function hammingDistance(a: string, b: string): number {
  let distance = 0
  for (let i = 0; i < a.length; i += 2) distance += POPCOUNT[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)]!
  return distance
}
