// The portal's own session, apart from the console's: its own cookie (tt.portal, path /portal),
// stored in PostgreSQL, an idle timeout and an absolute lifetime, and a CSRF token. Every
// request re-reads the officer's registration, so a suspension, expiry or disablement ends a
// live session at its next request.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import connectPgSimple from 'connect-pg-simple'
import session from 'express-session'
import type { Request, RequestHandler } from 'express'
import type pg from 'pg'
import type { Config } from '../config.js'
import type { Clock } from '../lib/clock.js'
import { destroySession, regenerateSession, saveSession } from '../lib/session.js'
import { APPLICANT_STATUSES, type RegistrationsService } from '../modules/registrations/registrations.service.js'

export const PORTAL_ROOT = '/portal'
export const PORTAL_COOKIE = 'tt.portal'

/** A verified officer uses the portal; an applicant only follows their application. */
export type PortalAccess = 'officer' | 'applicant'

export type PortalSession = { registrationId: number; access: PortalAccess; signedInAt: number; lastSeenAt?: number; csrfToken: string }

export type Standing = NonNullable<Awaited<ReturnType<RegistrationsService['portalStanding']>>>

declare module 'express-session' {
  interface SessionData {
    portal?: PortalSession
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      standing?: Standing
      sessionEnded?: string
    }
  }
}

export function portalSession(config: Config, pgPool: pg.Pool): RequestHandler {
  const PgStore = connectPgSimple(session)
  return session({
    secret: config.session.secret,
    name: PORTAL_COOKIE,
    store: new PgStore({ pool: pgPool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: false }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxyHops > 0,
    cookie: {
      httpOnly: true,
      // lax, not strict: an officer following a link in our email ("your results are ready")
      // arrives signed in. Every state-changing request carries a CSRF token as well.
      sameSite: 'lax',
      secure: config.session.cookieSecure,
      maxAge: config.session.idleMinutes * 60 * 1000,
      path: PORTAL_ROOT,
    },
  })
}

/** Starts a session for a signed-in officer or applicant, under a new session id. */
export async function beginPortalSession(req: Request, registrationId: number, access: PortalAccess, now: Date): Promise<void> {
  await regenerateSession(req)
  req.session.portal = { registrationId, access, signedInAt: now.getTime(), csrfToken: randomBytes(24).toString('base64url') }
  await saveSession(req)
}

export async function endPortalSession(req: Request): Promise<void> {
  if (!req.session) return
  await destroySession(req)
}

/** Keeps a session true to its registration and within its lifetime; ends it otherwise. */
export function refreshPortalSession(registrations: RegistrationsService, clock: Clock, { idleMinutes, maxHours }: { idleMinutes: number; maxHours: number }): RequestHandler {
  return async (req, res, next) => {
    const current = req.session?.portal
    if (!current) return next()
    try {
      const now = clock.now()
      const standing = await registrations.portalStanding(current.registrationId)
      const expired = standing?.verificationExpiresAt != null && standing.verificationExpiresAt <= now
      const stillAllowed =
        standing !== null && !standing.lockedAt &&
        (current.access === 'officer' ? standing.status === 'VERIFIED' && !expired : APPLICANT_STATUSES.includes(standing.status))
      const tooOld = now.getTime() - current.signedInAt > maxHours * 3600_000
      const idle = now.getTime() - (current.lastSeenAt ?? current.signedInAt) > idleMinutes * 60_000
      if (!stillAllowed || tooOld || idle) {
        await endPortalSession(req)
        res.locals.sessionEnded = tooOld
          ? `Your session ended after ${maxHours} hours. Sign in again.`
          : idle
            ? `Your session ended after ${idleMinutes} minutes without activity. Sign in again.`
            : 'Your session has ended because your account changed. Sign in to see where it stands.'
        return next()
      }
      current.lastSeenAt = now.getTime()
      res.locals.standing = standing
      next()
    } catch (error) {
      next(error)
    }
  }
}

/** A signed-in form's token must match its session's. */
export function csrfTokenValid(req: Request): boolean {
  const expected = req.session?.portal?.csrfToken
  const given = (req.body as Record<string, unknown> | undefined)?._csrf
  if (!expected || typeof given !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
