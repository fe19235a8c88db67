// The composition root: builds each dependency once and hands it to whoever needs it.
import pg from 'pg'
import type { Config } from './config.js'
import { createLogger, type Logger } from './lib/logger.js'
import { createDb, type Db } from './lib/db.js'
import { createProducerRedis, type RedisClient } from './lib/redis.js'
import { systemClock, type Clock } from './lib/clock.js'
import { createQueues, type Queues } from './queue/index.js'
import { createAuditService, type AuditService } from './modules/audit/audit.service.js'
import { createStaffService, type StaffService } from './modules/staff/staff.service.js'

export type Container = {
  config: Config
  logger: Logger
  clock: Clock
  db: Db
  /** node-postgres pool for the session store (Prisma keeps its own). */
  sessionPool: pg.Pool
  redis: RedisClient
  queues: Queues
  audit: AuditService
  staff: StaffService
  close(): Promise<void>
}

export function createContainer(config: Config, overrides: { clock?: Clock; logger?: Logger } = {}): Container {
  const logger = overrides.logger ?? createLogger(config.logLevel)
  const clock = overrides.clock ?? systemClock
  const db = createDb(config.databaseUrl)
  const sessionPool = new pg.Pool({ connectionString: config.databaseUrl, max: 5 })
  sessionPool.on('error', (err) => logger.error({ err }, 'session store connection error'))
  const redis = createProducerRedis(config.redisUrl)
  // ioredis reports every failed reconnect; log them instead of crashing on an unhandled event.
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'))
  const queues = createQueues(redis, config.queuePrefix)
  const audit = createAuditService({ db, clock })
  const staff = createStaffService({ db, audit, clock })

  return {
    config,
    logger,
    clock,
    db,
    sessionPool,
    redis,
    queues,
    audit,
    staff,
    async close() {
      await queues.closeAll().catch(() => undefined)
      redis.disconnect()
      await Promise.allSettled([db.$disconnect(), sessionPool.end()])
    },
  }
}
