// A seeded PRNG (mulberry32), so the demo data is the same on every machine.
import { createHash } from 'node:crypto'

export type Random = {
  next(): number
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  weighted<T>(items: readonly (readonly [T, number])[]): T
  chance(p: number): boolean
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    weighted: (items) => {
      const total = items.reduce((sum, [, w]) => sum + w, 0)
      let roll = next() * total
      for (const [item, weight] of items) {
        roll -= weight
        if (roll < 0) return item
      }
      return items[items.length - 1]![0]
    },
    chance: (p) => next() < p,
  }
}

/** Hashes of harmless strings: the only kind of hash a fixture may hold. */
export function hashesOf(text: string) {
  const digest = (algorithm: string) => createHash(algorithm).update(text).digest('hex')
  return { md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256') }
}

/** A 64-hex PDQ-shaped value derived from a harmless string (not a hash of any image). */
export function pdqOf(text: string): string {
  return createHash('sha256').update(`pdq:${text}`).digest('hex')
}
