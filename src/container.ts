// The composition root: builds each dependency once and hands it to whoever needs it.
import pg from 'pg'
import type { Config } from './config.js'
import { createLogger, type Logger } from './lib/logger.js'
import { createDb, type Db } from './lib/db.js'
import { createProducerRedis, type RedisClient } from './lib/redis.js'
import { systemClock, type Clock } from './lib/clock.js'
import { createQueues, enqueueCollectionReview, enqueueHashSearch, enqueueNotifications, type Queues } from './queue/index.js'
import { createAuditService, type AuditService } from './modules/audit/audit.service.js'
import { createAuditIntegrity, type AuditIntegrity } from './modules/audit/audit-integrity.js'
import { createStaffService, type StaffService } from './modules/staff/staff.service.js'
import { createMailer, type Mailer } from './lib/mailer.js'
import { createTriageService, type TriageService } from './modules/triage/triage.service.js'
import { routingRulesNamed, scoringRulesNamed } from './modules/triage/triage.rules.js'
import { createOverridesService, type OverridesService } from './modules/triage/overrides.service.js'
import { createDuplicatesService, type DuplicatesService } from './modules/triage/duplicates.service.js'
import { createIntakeService, type IntakeService } from './modules/intake/intake.service.js'
import { DEFAULT_XML_LIMITS } from './lib/xml.js'
import { createSqlPool } from './lib/sql.js'
import { createNotificationsService, type NotificationsService } from './modules/notifications/notifications.service.js'
import { createRegistrationsService, type RegistrationsService } from './modules/registrations/registrations.service.js'
import { createVettingService, type VettingService } from './modules/registrations/vetting.service.js'
import { createAccountSecurityService, type AccountSecurityService } from './modules/auth/account-security.service.js'
import { createMfaService, type MfaService } from './modules/auth/mfa.service.js'
import { createQueuesService, type QueuesService } from './modules/queues/queues.service.js'
import { createWorkflowService, type WorkflowService } from './modules/queues/workflow.service.js'
import { createSlaSweep, type SlaSweep } from './modules/queues/sla-sweep.service.js'
import { createCatalogService, type CatalogService } from './modules/hashes/catalog.service.js'
import { createHashSearchService, type HashSearchService } from './modules/hashes/hash-search.service.js'
import { createCollectionReviewService, type CollectionReviewService } from './modules/hashes/collection-review.service.js'

export type Container = {
  config: Config
  logger: Logger
  clock: Clock
  db: Db
  /** node-postgres pool for the session store and the hot paths that skip Prisma (lib/sql.ts). */
  pgPool: pg.Pool
  redis: RedisClient
  queues: Queues
  audit: AuditService
  staff: StaffService
  notifications: NotificationsService
  triage: TriageService
  overrides: OverridesService
  duplicates: DuplicatesService
  intake: IntakeService
  registrations: RegistrationsService
  vetting: VettingService
  accountSecurity: AccountSecurityService
  mfa: MfaService
  /** Work queues: claims and leases, the workflow on a claimed report, the SLA sweep. */
  queuesService: QueuesService
  workflow: WorkflowService
  slaSweep: SlaSweep
  auditIntegrity: AuditIntegrity
  catalog: CatalogService
  hashSearch: HashSearchService
  collectionReview: CollectionReviewService
  mailer: Mailer
  /** Hands outbox rows to BullMQ now (best effort: the relay catches up on failure). */
  kickOutbox(): Promise<void>
  close(): Promise<void>
}

export function createContainer(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Container {
  const logger = options.logger ?? createLogger(config.logLevel)
  const clock = options.clock ?? systemClock
  const db = createDb(config.databaseUrl)
  const pgPool = createSqlPool(config.databaseUrl, { max: 10 })
  pgPool.on('error', (err) => logger.error({ err }, 'session store connection error'))
  const redis = createProducerRedis(config.redisUrl)
  // ioredis reports every failed reconnect; log them instead of crashing on an unhandled event.
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'))
  const queues = createQueues(redis, config.queuePrefix, (err) => logger.warn({ err: err.message }, 'queue connection error'))
  const audit = createAuditService({ db, clock, pool: pgPool })
  const notifications = createNotificationsService({
    db,
    pool: pgPool,
    clock,
    audit,
    lockSeconds: config.notifications.sendLockSeconds,
    policy: {
      p1Immediately: config.notifications.p1Immediately,
      newVictimImmediately: config.notifications.newVictimImmediately,
      contacts: config.contacts,
      publicUrl: config.publicUrl,
    },
  })
  const staff = createStaffService({ db, audit, notifications, clock, lockout: config.lockout })
  const triage = createTriageService({
    db,
    clock,
    notifications,
    slaMinutes: config.slaMinutes,
    scoring: scoringRulesNamed(config.triageRules.scoring),
    routing: routingRulesNamed(config.triageRules.routing),
    pool: pgPool,
  })
  const overrides = createOverridesService({ db, clock, audit, notifications, slaMinutes: config.slaMinutes })
  const duplicates = createDuplicatesService({ db, clock, audit })
  const mailer = createMailer(config, logger)
  const retry = { attempts: config.notifications.attempts, backoffMs: config.notifications.backoffMs }
  const relayOnce = async () => {
    try {
      await notifications.relayDue((rows) => enqueueNotifications(queues, rows, retry), {
        resendAfterSeconds: config.notifications.resendAfterSeconds,
      })
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'outbox not handed to BullMQ now; the relay will retry')
    }
  }
  // Kicks that arrive while a relay runs share one more run after it, so a burst of urgent
  // reports costs two relays, not one each. (Only an optimisation: the worker's relay runs anyway.)
  let relaying: Promise<void> | null = null
  let kickedAgain = false
  const kickOutbox = (): Promise<void> => {
    if (relaying) {
      kickedAgain = true
      return relaying
    }
    relaying = (async () => {
      do {
        kickedAgain = false
        await relayOnce()
      } while (kickedAgain)
    })().finally(() => {
      relaying = null
    })
    return relaying
  }

  const intake = createIntakeService({
    pool: pgPool,
    db,
    audit,
    clock,
    triage,
    xmlLimits: { ...DEFAULT_XML_LIMITS, maxElements: config.intake.maxElements, maxDepth: config.intake.maxDepth },
    pdqRadius: config.hashes.pdqRadius,
    kickOutbox,
  })

  const registrations = createRegistrationsService({ db, clock, audit, notifications, policy: config.registrations, lockout: config.lockout })
  const vetting = createVettingService({ db, clock, audit, notifications, policy: config.registrations })
  const accountSecurity = createAccountSecurityService({ db, clock, audit })
  const mfa = createMfaService({ db, clock, audit, notifications, encryptionKey: config.mfa.encryptionKey, toleranceSteps: config.mfa.toleranceSteps, lockout: config.lockout })
  const queuesService = createQueuesService({
    pool: pgPool,
    clock,
    audit,
    leaseMinutes: config.workQueues.leaseMinutes,
    capacity: config.workQueues.capacity,
  })
  const workflow = createWorkflowService({ pool: pgPool, clock, audit, queues: queuesService })
  const slaSweep = createSlaSweep({ pool: pgPool, clock, audit, notifications, slaMinutes: config.slaMinutes, warnPercent: config.slaWarnPercent })
  const auditIntegrity = createAuditIntegrity({ db, clock, audit, notifications, logger, sealAlertSeconds: config.audit.sealAlertSeconds })
  const catalog = createCatalogService({ pool: pgPool, audit, clock })
  const hashSearch = createHashSearchService({
    db,
    pool: pgPool,
    clock,
    audit,
    notifications,
    policy: { pdqRadius: config.hashes.pdqRadius, searchesPerHour: config.hashes.searchesPerHour, publicUrl: config.publicUrl, cvipContact: config.contacts.cvip },
    enqueueSearch: (searchId) => enqueueHashSearch(queues, searchId, config.hashes.searchRetry),
  })
  const collectionReview = createCollectionReviewService({
    db,
    pool: pgPool,
    clock,
    audit,
    notifications,
    policy: { pdqRadius: config.hashes.pdqRadius, publicUrl: config.publicUrl, cvipContact: config.contacts.cvip, slaMinutes: config.slaMinutes },
    enqueueMatching: (reviewId) => enqueueCollectionReview(queues, reviewId),
  })

  return {
    config,
    logger,
    clock,
    db,
    pgPool,
    redis,
    queues,
    audit,
    staff,
    notifications,
    triage,
    overrides,
    duplicates,
    intake,
    registrations,
    vetting,
    accountSecurity,
    mfa,
    queuesService,
    workflow,
    slaSweep,
    auditIntegrity,
    catalog,
    hashSearch,
    collectionReview,
    mailer,
    kickOutbox,
    async close() {
      mailer.close()
      await queues.closeAll().catch(() => undefined)
      redis.disconnect()
      await Promise.allSettled([db.$disconnect(), pgPool.end()])
    },
  }
}
