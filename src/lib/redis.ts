import { Redis } from 'ioredis'

export type RedisClient = Redis

/**
 * A client for BullMQ workers: maxRetriesPerRequest null, so a blocking command waits through
 * a Redis restart instead of failing the worker.
 */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })
}

/**
 * A client for producers and health checks: no offline queue, so a call while Redis is down
 * fails at once instead of hanging a request.
 */
export function createProducerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 })
}

export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const answer = await Promise.race([redis.ping(), timeout])
    if (answer !== 'PONG') throw new Error(`Redis answered PING with ${String(answer)}`)
  } finally {
    clearTimeout(timer)
  }
}
