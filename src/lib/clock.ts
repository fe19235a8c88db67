/** Time as a dependency, so rules about deadlines and timeouts can be tested. */
export type Clock = { now(): Date }

export const systemClock: Clock = { now: () => new Date() }
