import type { Clock } from '../../src/lib/clock.js'

/** A clock a test can move; it follows real time from wherever it was set. */
export function testClock(): Clock & { advance(ms: number): void } {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms
    },
  }
}
