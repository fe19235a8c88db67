// Requests per client address per window, counted in Redis so every web process shares one
// count: a fixed window (INCR, EXPIRE on the first hit). It sits in front of the per-account
// lockout, so one address cannot guess its way through many accounts, nor lock them all out.
// If Redis does not answer, requests pass (logged): the per-account lockout in PostgreSQL
// still holds, and sign-in must not depend on Redis being up.
import type { RequestHandler } from 'express'
import type { Redis } from 'ioredis'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'

export type RateLimit = { name: string; limit: number; windowMinutes: number }

export function rateLimitByIp(
  { redis, prefix, clock, logger }: { redis: Redis; prefix: string; clock: Clock; logger: Logger },
  { name, limit, windowMinutes }: RateLimit,
  refuse: RequestHandler,
): RequestHandler {
  const windowMs = windowMinutes * 60_000
  return async (req, res, next) => {
    const window = Math.floor(clock.now().getTime() / windowMs)
    const key = `${prefix}:rate:${name}:${req.ip ?? 'unknown'}:${window}`
    try {
      const [[, count]] = (await redis.multi().incr(key).pexpire(key, windowMs).exec()) as [[Error | null, number]]
      res.setHeader('RateLimit-Limit', String(limit))
      res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)))
      if (count > limit) {
        res.setHeader('Retry-After', String(Math.ceil(((window + 1) * windowMs - clock.now().getTime()) / 1000)))
        return refuse(req, res, next)
      }
    } catch (error) {
      logger.warn({ err: (error as Error).message, limit: name }, 'rate limit not checked: Redis did not answer')
    }
    next()
  }
}
