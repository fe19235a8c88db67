// The staff console: AdminJS over the Prisma models, behind a staff sign-in with sessions in
// PostgreSQL. Mount the router before any body parser (AdminJS parses its own forms).
import { existsSync } from 'node:fs'
import path from 'node:path'
import AdminJS, { ComponentLoader } from 'adminjs'
import AdminJSExpress from '@adminjs/express'
import connectPgSimple from 'connect-pg-simple'
import session from 'express-session'
import express, { type Router } from 'express'
import type pg from 'pg'
import type { Config } from '../config.js'
import type { Db } from '../lib/db.js'
import type { Clock } from '../lib/clock.js'
import type { StaffService } from '../modules/staff/staff.service.js'
import type { NotificationsService } from '../modules/notifications/notifications.service.js'
import type { Queues } from '../queue/index.js'
import type { OverridesService } from '../modules/triage/overrides.service.js'
import type { TriageService } from '../modules/triage/triage.service.js'
import type { DuplicatesService } from '../modules/triage/duplicates.service.js'
import type { AuditService } from '../modules/audit/audit.service.js'
import { mountQueueMonitor } from './queue-monitor.js'
import { mountCatalogTransfer } from './catalog-transfer.js'
import type { CatalogService } from '../modules/hashes/catalog.service.js'
import type { CollectionReviewService } from '../modules/hashes/collection-review.service.js'
import { changePasswordRouter, requirePasswordChange } from './change-password.js'
import { refreshStaffSession } from './session-refresh.js'
import { ADMIN_ROOT_PATH } from './paths.js'
import { loadDashboard } from './dashboard.js'
import { loadWorkspace } from './workspace.js'
import { currentStaff } from './resources/define.js'
import { reportResources } from './resources/reports.resource.js'
import type { IntakeService } from '../modules/intake/intake.service.js'
import type { VettingService } from '../modules/registrations/vetting.service.js'
import type { AccountSecurityService } from '../modules/auth/account-security.service.js'
import type { QueuesService } from '../modules/queues/queues.service.js'
import type { WorkflowService } from '../modules/queues/workflow.service.js'
import { registrationResources } from './resources/registrations.resource.js'
import { catalogResources } from './resources/catalog.resource.js'
import { administrationResources, notificationResources } from './resources/administration.resource.js'
import { PROJECT_ROOT } from '../lib/project-root.js'
import { rateLimitByIp } from '../lib/rate-limit.js'
import { sameOriginOnly } from '../lib/same-origin.js'
import { staffSignInRouter } from './sign-in.js'
import type { MfaService } from '../modules/auth/mfa.service.js'
import type { RedisClient } from '../lib/redis.js'
import type { Logger } from '../lib/logger.js'

export const ADMIN_ROOT = ADMIN_ROOT_PATH
export const SESSION_COOKIE = 'tt.console'
/** Where AdminJS writes its component bundle: its default, as this project never sets ADMIN_JS_TMP_DIR. */
export const ADMINJS_BUNDLE_DIR = '.adminjs'

// The components are bundled by AdminJS from their sources, wherever this module runs from.
const here = path.join(PROJECT_ROOT, 'src/admin')

export type ConsoleDeps = {
  config: Config
  redis: RedisClient
  logger: Logger
  db: Db
  clock: Clock
  pgPool: pg.Pool
  staff: StaffService
  notifications: NotificationsService
  overrides: OverridesService
  duplicates: DuplicatesService
  triage: TriageService
  audit: AuditService
  intake: IntakeService
  vetting: VettingService
  accountSecurity: AccountSecurityService
  mfa: MfaService
  queuesService: QueuesService
  workflow: WorkflowService
  queues: Queues
  catalog: CatalogService
  collectionReview: CollectionReviewService
  kickOutbox(): Promise<void>
}

/**
 * Production: serve the bundle `npm run build` made (src/build-admin-bundle.ts) rather than run
 * AdminJS's bundler in the web process; bundle here only if the build did not.
 */
export async function initializeConsoleBundle(admin: AdminJS): Promise<void> {
  if (existsSync(path.join(ADMINJS_BUNDLE_DIR, 'bundle.js'))) process.env.ADMIN_JS_SKIP_BUNDLE = 'true'
  await admin.initialize()
}

export function createAdmin(deps: ConsoleDeps): AdminJS {
  const componentLoader = new ComponentLoader()
  const Dashboard = componentLoader.add('Dashboard', path.join(here, 'components/Dashboard'))
  const Workspace = componentLoader.add('Workspace', path.join(here, 'components/Workspace'))
  const components = {
    PriorityBadge: componentLoader.add('PriorityBadge', path.join(here, 'components/PriorityBadge')),
    EnumLabel: componentLoader.add('EnumLabel', path.join(here, 'components/EnumLabel')),
    TimeLeft: componentLoader.add('TimeLeft', path.join(here, 'components/TimeLeft')),
    RecordId: componentLoader.add('RecordId', path.join(here, 'components/RecordId')),
    ScoreExplanation: componentLoader.add('ScoreExplanation', path.join(here, 'components/ScoreExplanation')),
    ReasonedChange: componentLoader.add('ReasonedChange', path.join(here, 'components/ReasonedChange')),
    DryRun: componentLoader.add('DryRun', path.join(here, 'components/DryRun')),
    EnterReport: componentLoader.add('EnterReport', path.join(here, 'components/EnterReport')),
    ReportIntake: componentLoader.add('ReportIntake', path.join(here, 'components/ReportIntake')),
    RelatedReports: componentLoader.add('RelatedReports', path.join(here, 'components/RelatedReports')),
    ReviewMatches: componentLoader.add('ReviewMatches', path.join(here, 'components/ReviewMatches')),
    RegistrationEvidence: componentLoader.add('RegistrationEvidence', path.join(here, 'components/RegistrationEvidence')),
    RegistrationDecision: componentLoader.add('RegistrationDecision', path.join(here, 'components/RegistrationDecision')),
    ReportTimeline: componentLoader.add('ReportTimeline', path.join(here, 'components/ReportTimeline')),
    WorkflowAction: componentLoader.add('WorkflowAction', path.join(here, 'components/WorkflowAction')),
  }
  const resourceDeps = { ...deps, components }

  return new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    resources: [
      ...reportResources(resourceDeps),
      ...registrationResources(resourceDeps),
      ...catalogResources(resourceDeps),
      ...notificationResources(resourceDeps),
      ...administrationResources(resourceDeps),
    ],
    dashboard: {
      component: Dashboard,
      handler: async (_request, _response, context) => loadDashboard(deps, currentStaff(context)),
    },
    pages: {
      // Shown to everyone in the sidebar (AdminJS pages have no access hook); the handler
      // answers only analysts and supervisors, and the actions it offers check again.
      workspace: {
        component: Workspace,
        icon: 'Briefcase',
        handler: async (_request, _response, context) => loadWorkspace(deps, currentStaff(context)),
      },
    },
    branding: {
      companyName: 'Tip triage console',
      logo: false,
      withMadeWithLove: false,
    },
    locale: {
      language: 'en',
      translations: {
        en: {
          resources: {
            Report: {
              actions: {
                triage: 'Triage',
                claimNext: 'Claim next',
                renewLease: 'Renew lease',
                addNote: 'Add note',
              },
              properties: {
                leaseExpiresAt: 'Lease expires',
                claimedAt: 'Claimed at',
                firstActionAt: 'First claimed at',
                slaWarnedAt: 'SLA warning at',
                assignee: 'Held by',
                referredAgency: 'Referred to',
                referredAt: 'Referred at',
                referredBy: 'Referred by',
                closingReason: 'Closing reason',
                closedAt: 'Closed at',
                slaDueAt: 'SLA due',
                slaBreachedAt: 'SLA breached at',
                receivedAt: 'Received',
                incidentAt: 'Incident time',
                escalationText: 'Escalation (escalateToHighPriority)',
                priorityFactors: 'Why this priority',
                routeReason: 'Why this queue',
                routeRule: 'Routing rule',
                ruleVersion: 'Scoring rules',
                espAccount: 'ESP account',
              },
            },
            KnownHash: { properties: { hashSetId: 'Hash set', seriesId: 'Series' } },
          },
          pages: { workspace: 'My workspace' },
          // The menu that groups a report's triage overrides (an action "parent").
          actions: { triage: 'Triage' },
          messages: {
            invalidCredentials: 'Wrong email or password, or the account is disabled or locked.',
            tooManyAttempts: 'Too many sign-in attempts from your address. Wait a few minutes, then try again.',
            loginWelcome: 'Clearinghouse staff only. Every sign-in and every report you open is recorded.',
          },
        },
      },
    },
  })
}

/** The console's router: sessions, sign-in, the password gate, and AdminJS's pages and API. */
export function buildAdminRouter(admin: AdminJS, deps: ConsoleDeps): Router {
  const PgStore = connectPgSimple(session)
  const sessionOptions: session.SessionOptions = {
    secret: deps.config.session.secret,
    name: SESSION_COOKIE,
    store: new PgStore({ pool: deps.pgPool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    // The idle timeout: each request pushes expiry out again; a quiet session ends.
    rolling: true,
    proxy: deps.config.trustProxyHops > 0,
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.config.session.cookieSecure,
      maxAge: deps.config.session.idleMinutes * 60 * 1000,
      path: ADMIN_ROOT,
    },
  }
  // The session is loaded here, ahead of AdminJS's router (whose own session middleware then
  // finds req.session set and steps aside), so the password gate below can see who it is.
  const outer = express.Router()
  if (deps.config.isProduction) {
    // AdminJS serves its production component bundle from .adminjs/, and Express's static file
    // sender refuses dot-directories: serve that one file here, allowing it.
    outer.get('/frontend/assets/components.bundle.js', (_req, res, next) => {
      res.sendFile(path.resolve(ADMINJS_BUNDLE_DIR, 'bundle.js'), { dotfiles: 'allow' }, (err) => err && next(err))
    })
  }
  // Per client address, ahead of the per-account lockout: the password and the code alike.
  outer.post(
    ['/login', '/mfa'],
    rateLimitByIp(
      { redis: deps.redis, prefix: deps.config.queuePrefix, clock: deps.clock, logger: deps.logger },
      { name: 'staff-sign-in', limit: deps.config.authRateLimit.perIp, windowMinutes: deps.config.authRateLimit.windowMinutes },
      async (_req, res) => {
        res.status(429).type('html').send(await admin.renderLogin({ action: admin.options.loginPath, errorMessage: 'tooManyAttempts' }))
      },
    ),
  )
  outer.use(session(sessionOptions))
  // AdminJS has no CSRF protection of its own: every state-changing request must show it comes
  // from the console (Origin or Referer), on top of the sameSite=strict cookie.
  outer.use(sameOriginOnly())
  outer.use(staffSignInRouter({ admin, staff: deps.staff, mfa: deps.mfa, clock: deps.clock }))
  outer.use(refreshStaffSession(deps.db, deps.clock, deps.config.session))
  outer.use(changePasswordRouter(deps.staff))
  outer.use(requirePasswordChange())
  // Ahead of AdminJS's router, whose form parser would otherwise read (and spool to disk) the
  // upload before the import could stream it. It checks the signed-in session itself.
  mountCatalogTransfer(outer, deps.catalog)
  const router = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    {
      cookieName: SESSION_COOKIE,
      cookiePassword: deps.config.session.secret,
      // Sign-in is sign-in.ts's (password, then the second factor): AdminJS's own login POST
      // is never reached, and would grant nothing if it were.
      authenticate: async () => null,
    },
    null,
    sessionOptions,
  )
  // Added after AdminJS's sign-in check, so only a signed-in session reaches it.
  mountQueueMonitor(router, deps.queues)
  outer.use(router)
  return outer
}

declare module 'express-session' {
  interface SessionData {
    redirectTo?: string
    /** When the session was granted and last used, on the server's clock (ms). */
    signedInAt?: number
    lastSeenAt?: number
    adminUser?: import('../modules/staff/staff.service.js').StaffSessionUser
  }
}
