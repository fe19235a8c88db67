// The Express app without listen(), so tests can import it.
import express, { type Express } from 'express'
import { pinoHttp } from 'pino-http'
import { randomUUID } from 'node:crypto'
import './lib/bigint-json.js'
import type { Container } from './container.js'
import { pingDb } from './lib/db.js'
import { pingRedis } from './lib/redis.js'
import { AppError, errorMiddleware } from './lib/errors.js'
import { ADMIN_ROOT, buildAdminRouter, createAdmin, initializeConsoleBundle } from './admin/index.js'
import { ISPWS_ROOT, intakeRouter } from './modules/intake/intake.routes.js'
import { PORTAL_ROOT, portalRouter } from './portal/portal.routes.js'
import { consoleContentSecurityPolicy, securityHeaders } from './lib/security-headers.js'

export type App = {
  app: Express
  admin: ReturnType<typeof createAdmin>
  /** From now on /readyz answers 503 (the process is shutting down); everything else is served as before. */
  startDraining(): void
}

export async function createApp(container: Container): Promise<App> {
  const { config, logger } = container
  const app = express()
  app.disable('x-powered-by')
  // No ETag on generated answers (XML replies, JSON, pages are never served from a cache by
  // it), so no digest of every response body; static files keep serve-static's own.
  app.set('etag', false)
  app.set('trust proxy', config.trustProxyHops)
  app.use(securityHeaders({ production: config.isProduction }))

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID()
        res.setHeader('x-request-id', id)
        return id
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // One short line a request: no headers, cookies or query strings (they can carry personal data).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  )

  /** Liveness: the process is up and serving. */
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })

  /**
   * Readiness: the process can do its work, because PostgreSQL and Redis answer, and is not
   * shutting down (a load balancer sends it nothing new while it drains).
   */
  let draining = false
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'not ready', checks: { shutdown: 'draining' } })
      return
    }
    const checks = await Promise.all([
      pingDb(container.db).then(() => ['postgres', 'ok'] as const, (err: Error) => ['postgres', err.message] as const),
      pingRedis(container.redis).then(() => ['redis', 'ok'] as const, (err: Error) => ['redis', err.message] as const),
    ])
    const ready = checks.every(([, result]) => result === 'ok')
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(checks) })
  })

  // The ESP reporting API: its own auth (HTTP Basic per ESP account) and its own body parsers.
  app.use(ISPWS_ROOT, intakeRouter({ intake: container.intake, logger, limits: config.intake }))

  // The officers' portal: its own session cookie, its own sign-in, server-rendered pages.
  app.use(PORTAL_ROOT, portalRouter(container))

  const admin = createAdmin(container)
  if (config.isProduction) await initializeConsoleBundle(admin)
  // AdminJS must come before any JSON body parser: it parses its own forms.
  app.use(ADMIN_ROOT, consoleContentSecurityPolicy(), buildAdminRouter(admin, container))

  app.get('/', (_req, res) => res.redirect(ADMIN_ROOT))
  app.use((req, _res, next) => next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`)))
  app.use(errorMiddleware(logger))
  return { app, admin, startDraining: () => void (draining = true) }
}
