// The one place that reads process.env: a zod schema over it, frozen. Everything else takes
// the Config it is handed.
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'

const DEV_SESSION_SECRET = 'development-only-session-secret-do-not-use-in-production'
/** Outside production only: the key the demo data's and the tests' MFA secrets are encrypted with. */
export const DEV_MFA_ENCRYPTION_KEY = 'development-only-mfa-key-do-not-use-in-production'

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')

/**
 * A schedule as BullMQ reads it (the same cron-parser, in UTC): checked here, because the worker
 * registers its schedules one after another and a pattern refused there would stop the rest.
 */
const cronPattern = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((pattern, ctx) => {
      // cron-parser reads an empty pattern as every minute; BullMQ refuses it.
      if (!pattern.trim()) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is empty: give a cron pattern (minute hour day month weekday, UTC) or leave it unset' })
        return
      }
      try {
        CronExpressionParser.parse(pattern, { tz: 'UTC' })
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${pattern}" is not a cron pattern (minute hour day month weekday, UTC): ${(error as Error).message}` })
      }
    })

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /// On SIGTERM the web process answers /readyz 503 this long, still serving, before it stops
    /// accepting: time for a load balancer's health check to take it out of rotation.
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).optional(),
    /// The console's public address, used in email links.
    PUBLIC_URL: z.string().url().default('http://localhost:3000'),
    DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/tip_triage'),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    /// Prefix for every BullMQ key, so tests and several installs can share one Redis.
    QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('tip-triage'),
    SESSION_SECRET: z.string().min(32).optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
    SESSION_COOKIE_SECURE: booleanFromEnv.optional(),
    /// A session ends after this long however active (console and portal).
    SESSION_MAX_HOURS: z.coerce.number().int().positive().default(12),
    /// Encrypts the stored TOTP secrets (AES-256-GCM under its SHA-256); required in production.
    MFA_ENCRYPTION_KEY: z.string().min(32).optional(),
    /// Codes from this many 30-second steps either side of now are accepted (clock drift).
    MFA_TOLERANCE_STEPS: z.coerce.number().int().min(0).max(10).default(1),
    /// This many failed sign-ins within the window lock an account until an administrator unlocks it.
    LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    LOCKOUT_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
    /// Sign-in, registration and link requests one client address may make per window, across all accounts.
    AUTH_RATE_PER_IP: z.coerce.number().int().positive().default(30),
    AUTH_RATE_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
    /// Number of reverse proxies in front of the app (for client IPs and secure cookies).
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    SEED_DEMO_DATA: booleanFromEnv.optional(),
    /// How often the worker's sealer links newly committed audit events into the hash chain.
    AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(50).default(500),
    /// An event unsealed for longer than this is an alarm (logged; `npm run audit:verify` exits 2).
    AUDIT_SEAL_ALERT_SECONDS: z.coerce.number().int().positive().default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().default('Tip triage <no-reply@clearinghouse.example.com>'),
    MAIL_DIR: z.string().default('var/mail'),
    /// Most emails a second all workers together hand to the SMTP server.
    SMTP_RATE_PER_SECOND: z.coerce.number().int().positive().default(100),
    /// Tries per email for temporary failures, and the first backoff (doubling each time).
    NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).default(5000),
    /// How often the outbox relay looks for rows to hand to BullMQ, and when it hands one again.
    /// How long a worker holds a notification it is sending before another may take it over.
    NOTIFY_SEND_LOCK_SECONDS: z.coerce.number().int().min(1).default(120),
    OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
    OUTBOX_RESEND_AFTER_SECONDS: z.coerce.number().int().min(1).default(30),
    NOTIFY_P1_IMMEDIATELY: booleanFromEnv.default('true'),
    NOTIFY_NEW_VICTIM_IMMEDIATELY: booleanFromEnv.default('true'),
    /// When the per-queue digest of non-urgent reports goes out (cron, UTC).
    DIGEST_CRON: cronPattern('0 * * * *'),
    /// The triage rules in force (versions from src/modules/triage/triage.rules.ts).
    TRIAGE_SCORING_VERSION: z.string().default('scoring-2026-12-04'),
    TRIAGE_ROUTING_VERSION: z.string().default('routing-2026-12-04'),
    /// How long each level may take from triage to referral or closure (24/7 clocks).
    SLA_P1_MINUTES: z.coerce.number().int().positive().default(60),
    SLA_P2_MINUTES: z.coerce.number().int().positive().default(24 * 60),
    SLA_P3_MINUTES: z.coerce.number().int().positive().default(7 * 24 * 60),
    SLA_INFO_MINUTES: z.coerce.number().int().positive().default(30 * 24 * 60),
    /// The share of a report's SLA time after which it is flagged as nearly due.
    SLA_WARN_PERCENT: z.coerce.number().int().min(1).max(99).default(75),
    /// Work queues: how long a claim holds without activity, how many reports one analyst
    /// holds at once, and how often the lease and SLA sweeps run.
    QUEUE_LEASE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    QUEUE_CAPACITY: z.coerce.number().int().min(1).max(500).default(10),
    QUEUE_SWEEP_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    /// How often the other repeatable jobs run (jobs/schedules.ts): the discard of ESP reports
    /// left open, the officer-account sweep (cron, UTC), and the re-queueing of waiting searches.
    OPEN_REPORTS_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    OFFICER_SWEEP_CRON: cronPattern('17 * * * *'),
    HASH_SEARCH_RESUME_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /// Bounds on the ESP API's input: an XML body, an uploaded file (hashed, never kept), and
    /// the element count and nesting depth of a document.
    INTAKE_MAX_XML_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
    INTAKE_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(512 * 1024 * 1024),
    INTAKE_MAX_ELEMENTS: z.coerce.number().int().min(10).default(5000),
    INTAKE_MAX_DEPTH: z.coerce.number().int().min(4).default(24),
    /// Officer registrations: how long a verification lasts, after how many days without a
    /// sign-in an account is disabled, and how long the emailed links work.
    OFFICER_VERIFICATION_DAYS: z.coerce.number().int().positive().default(365),
    OFFICER_INACTIVE_DAYS: z.coerce.number().int().positive().default(90),
    REGISTRATION_EMAIL_LINK_HOURS: z.coerce.number().int().positive().default(24),
    SUPERVISOR_LINK_DAYS: z.coerce.number().int().positive().default(7),
    CYBERTIPLINE_CONTACT: z.string().email().default('ecuassistance@clearinghouse.example.com'),
    CVIP_CONTACT: z.string().email().default('cvip@clearinghouse.example.com'),
    /// The security officer's mailbox: alerts from the audit trail's integrity check.
    SECURITY_CONTACT: z.string().email().default('security@clearinghouse.example.com'),
    /// When the worker re-verifies the whole audit chain (cron, UTC).
    AUDIT_VERIFY_CRON: cronPattern('40 2 * * *'),
    /// PDQ near matching: most bits two hashes may differ in and still match (Meta recommends 31).
    PDQ_MATCH_RADIUS: z.coerce.number().int().min(0).max(47).default(31),
    /// Hash searches an officer may run in any 60 minutes.
    HASH_SEARCHES_PER_HOUR: z.coerce.number().int().positive().default(30),
    /// A large hash search's job: attempts before the search is marked failed, and the first backoff.
    HASH_SEARCH_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    HASH_SEARCH_BACKOFF_MS: z.coerce.number().int().min(1).default(2000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return
    // A production install must be configured on purpose: no development defaults.
    for (const name of ['SESSION_SECRET', 'SMTP_URL', 'MFA_ENCRYPTION_KEY'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required in production` })
    }
    if (env.SEED_DEMO_DATA) {
      ctx.addIssue({ code: 'custom', path: ['SEED_DEMO_DATA'], message: 'demo data is never seeded in production' })
    }
  })

export type Config = Readonly<{
  env: 'development' | 'test' | 'production'
  isProduction: boolean
  host: string
  port: number
  /** How long the web process stays up answering /readyz 503 after SIGTERM. */
  shutdownDrainMs: number
  publicUrl: string
  databaseUrl: string
  redisUrl: string
  queuePrefix: string
  session: Readonly<{ secret: string; idleMinutes: number; maxHours: number; cookieSecure: boolean }>
  lockout: Readonly<{ attempts: number; windowMinutes: number }>
  mfa: Readonly<{ encryptionKey: string; toleranceSteps: number }>
  authRateLimit: Readonly<{ perIp: number; windowMinutes: number }>
  trustProxyHops: number
  seedDemoData: boolean
  audit: Readonly<{ sealIntervalMs: number; sealAlertSeconds: number; verifyCron: string }>
  logLevel: string
  mail: Readonly<{ smtpUrl: string | undefined; from: string; dir: string; ratePerSecond: number }>
  notifications: Readonly<{
    attempts: number
    backoffMs: number
    sendLockSeconds: number
    relayIntervalMs: number
    resendAfterSeconds: number
    p1Immediately: boolean
    newVictimImmediately: boolean
    digestCron: string
  }>
  contacts: Readonly<{ cybertipline: string; cvip: string; security: string }>
  slaMinutes: Readonly<Record<'P1' | 'P2' | 'P3' | 'INFO', number>>
  slaWarnPercent: number
  workQueues: Readonly<{ leaseMinutes: number; capacity: number; sweepSeconds: number }>
  schedules: Readonly<{ openReportsSweepSeconds: number; officerSweepCron: string; hashSearchResumeSeconds: number }>
  triageRules: Readonly<{ scoring: string; routing: string }>
  intake: Readonly<{ maxXmlBytes: number; maxUploadBytes: number; maxElements: number; maxDepth: number }>
  registrations: Readonly<RegistrationPolicy>
  hashes: Readonly<{ pdqRadius: number; searchesPerHour: number; searchRetry: Readonly<{ attempts: number; backoffMs: number }> }>
}>

export type RegistrationPolicy = {
  verificationDays: number
  inactiveDays: number
  emailLinkHours: number
  supervisorLinkDays: number
  publicUrl: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  const isProduction = e.NODE_ENV === 'production'
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS ?? (isProduction ? 5000 : 0),
    publicUrl: e.PUBLIC_URL.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    session: Object.freeze({
      secret: e.SESSION_SECRET ?? DEV_SESSION_SECRET,
      idleMinutes: e.SESSION_IDLE_MINUTES,
      maxHours: e.SESSION_MAX_HOURS,
      cookieSecure: e.SESSION_COOKIE_SECURE ?? isProduction,
    }),
    mfa: Object.freeze({ encryptionKey: e.MFA_ENCRYPTION_KEY ?? DEV_MFA_ENCRYPTION_KEY, toleranceSteps: e.MFA_TOLERANCE_STEPS }),
    lockout: Object.freeze({ attempts: e.LOCKOUT_ATTEMPTS, windowMinutes: e.LOCKOUT_WINDOW_MINUTES }),
    authRateLimit: Object.freeze({ perIp: e.AUTH_RATE_PER_IP, windowMinutes: e.AUTH_RATE_WINDOW_MINUTES }),
    trustProxyHops: e.TRUST_PROXY_HOPS,
    seedDemoData: isProduction ? false : (e.SEED_DEMO_DATA ?? true),
    audit: Object.freeze({ sealIntervalMs: e.AUDIT_SEAL_INTERVAL_MS, sealAlertSeconds: e.AUDIT_SEAL_ALERT_SECONDS, verifyCron: e.AUDIT_VERIFY_CRON }),
    logLevel: e.LOG_LEVEL,
    mail: Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, dir: e.MAIL_DIR, ratePerSecond: e.SMTP_RATE_PER_SECOND }),
    notifications: Object.freeze({
      attempts: e.NOTIFY_ATTEMPTS,
      backoffMs: e.NOTIFY_BACKOFF_MS,
      sendLockSeconds: e.NOTIFY_SEND_LOCK_SECONDS,
      relayIntervalMs: e.OUTBOX_RELAY_INTERVAL_MS,
      resendAfterSeconds: e.OUTBOX_RESEND_AFTER_SECONDS,
      p1Immediately: e.NOTIFY_P1_IMMEDIATELY,
      newVictimImmediately: e.NOTIFY_NEW_VICTIM_IMMEDIATELY,
      digestCron: e.DIGEST_CRON,
    }),
    contacts: Object.freeze({ cybertipline: e.CYBERTIPLINE_CONTACT, cvip: e.CVIP_CONTACT, security: e.SECURITY_CONTACT }),
    triageRules: Object.freeze({ scoring: e.TRIAGE_SCORING_VERSION, routing: e.TRIAGE_ROUTING_VERSION }),
    intake: Object.freeze({
      maxXmlBytes: e.INTAKE_MAX_XML_BYTES,
      maxUploadBytes: e.INTAKE_MAX_UPLOAD_BYTES,
      maxElements: e.INTAKE_MAX_ELEMENTS,
      maxDepth: e.INTAKE_MAX_DEPTH,
    }),
    registrations: Object.freeze({
      verificationDays: e.OFFICER_VERIFICATION_DAYS,
      inactiveDays: e.OFFICER_INACTIVE_DAYS,
      emailLinkHours: e.REGISTRATION_EMAIL_LINK_HOURS,
      supervisorLinkDays: e.SUPERVISOR_LINK_DAYS,
      publicUrl: e.PUBLIC_URL.replace(/\/$/, ''),
    }),
    hashes: Object.freeze({ pdqRadius: e.PDQ_MATCH_RADIUS, searchesPerHour: e.HASH_SEARCHES_PER_HOUR, searchRetry: Object.freeze({ attempts: e.HASH_SEARCH_ATTEMPTS, backoffMs: e.HASH_SEARCH_BACKOFF_MS }) }),
    slaMinutes: Object.freeze({ P1: e.SLA_P1_MINUTES, P2: e.SLA_P2_MINUTES, P3: e.SLA_P3_MINUTES, INFO: e.SLA_INFO_MINUTES }),
    slaWarnPercent: e.SLA_WARN_PERCENT,
    workQueues: Object.freeze({ leaseMinutes: e.QUEUE_LEASE_MINUTES, capacity: e.QUEUE_CAPACITY, sweepSeconds: e.QUEUE_SWEEP_SECONDS }),
    schedules: Object.freeze({
      openReportsSweepSeconds: e.OPEN_REPORTS_SWEEP_SECONDS,
      officerSweepCron: e.OFFICER_SWEEP_CRON,
      hashSearchResumeSeconds: e.HASH_SEARCH_RESUME_SECONDS,
    }),
  })
}
