// The officers' portal: registration, the emailed links, sign-in and the welcome page; Hash
// Search and My Reports are in hash-search.routes.ts.
// Server-rendered HTML that works without JavaScript; each route calls one service function.
import { originOf } from '../lib/request-context.js'
import path from 'node:path'
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express'
import type pg from 'pg'
import { ZodError } from 'zod'
import type { Config } from '../config.js'
import { rateLimitByIp } from '../lib/rate-limit.js'
import { fromThisSite } from '../lib/same-origin.js'
import type { RedisClient } from '../lib/redis.js'
import type { Logger } from '../lib/logger.js'
import type { Clock } from '../lib/clock.js'
import { AppError, errorStatus } from '../lib/errors.js'
import { RegistrationFormError, type FieldProblems, type RegistrationsService } from '../modules/registrations/registrations.service.js'
import { REGISTRATION_FIELDS } from '../modules/registrations/registration.schemas.js'
import type { LinkUse } from '../modules/registrations/registration-links.js'
import type { HashSearchService } from '../modules/hashes/hash-search.service.js'
import { PORTAL_TEMPLATE_DIR, sendPage, type PageFrame } from './pages.js'
import { portalSignInRoutes } from './portal-sign-in.js'
import type { MfaService } from '../modules/auth/mfa.service.js'
import { mountHashSearchRoutes } from './hash-search.routes.js'
import { mountCollectionReviewRoutes } from './collection-review.routes.js'
import type { CollectionReviewService } from '../modules/hashes/collection-review.service.js'
import {
  csrfTokenValid,
  portalSession,
  refreshPortalSession,
  type Standing,
} from './portal-session.js'

export { PORTAL_ROOT } from './portal-session.js'

export type PortalDeps = {
  config: Config
  clock: Clock
  pgPool: pg.Pool
  redis: RedisClient
  logger: Logger
  registrations: RegistrationsService
  mfa: MfaService
  hashSearch: HashSearchService
  collectionReview: CollectionReviewService
}

const STATUS_LABEL: Record<string, string> = {
  PENDING_REVIEW: 'Being checked by our staff',
  MORE_INFO_REQUESTED: 'Waiting for more information from you',
}

const LINK_PROBLEM: Record<Exclude<LinkUse, { ok: true }>['why'], string> = {
  unknown: 'This link is not valid. Check that you opened the whole link from the email.',
  used: 'This link has been used already: each link works once.',
  expired: 'This link has expired.',
}

const day = (date: Date) => date.toISOString().slice(0, 10)

export function portalRouter({ config, clock, pgPool, redis, logger, registrations, mfa, hashSearch, collectionReview }: PortalDeps): Router {
  const router = express.Router()
  const parseForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 })
  // Every form the portal takes counts against its sender's address (sign-in, registration,
  // links), ahead of the per-account lockout.
  const perIp = rateLimitByIp(
    { redis, prefix: config.queuePrefix, clock, logger },
    { name: 'portal', limit: config.authRateLimit.perIp, windowMinutes: config.authRateLimit.windowMinutes },
    (req, res) => message(req, res, 'Too many attempts', { notice: 'Too many attempts from your address. Wait a few minutes, then try again.', noticeKind: 'bad' }, 429),
  )
  const form: RequestHandler = (req, res, next) => perIp(req, res, (err?: unknown) => (err ? next(err) : parseForm(req, res, next)))

  // Strict headers for pages that hold personal data and single-use links in their URLs.
  router.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    })
    next()
  })
  router.get('/assets/portal.css', (_req, res, next) => {
    res.sendFile(path.join(PORTAL_TEMPLATE_DIR, 'portal.css'), { maxAge: '1h' }, (err) => err && next(err))
  })
  router.use(portalSession(config, pgPool))
  router.use(refreshPortalSession(registrations, clock, config.session))

  const frame = (req: Request, res: Response, title: string, section: PageFrame['section'] = null): PageFrame => {
    const standing = res.locals.standing
    return {
      title,
      section,
      officerName: standing ? `${standing.firstName} ${standing.lastName}` : null,
      csrfToken: req.session?.portal?.csrfToken ?? null,
    }
  }
  const message = (req: Request, res: Response, title: string, content: { notice?: string; noticeKind?: 'good' | 'bad'; paragraphs?: string[]; link?: { href: string; label: string } }, status = 200) =>
    sendPage(res, 'message', frame(req, res, title), { heading: title, paragraphs: [], ...content }, status)
  const refuseCrossSite = (req: Request, res: Response) =>
    message(req, res, 'Form refused', { notice: 'This form must be sent from the portal itself. Go back, reload the page and try again.', noticeKind: 'bad' }, 403)
  const access = (req: Request) => (req.session?.portal ? req.session.portal.access : null)

  // ---- Registration --------------------------------------------------------------------------

  const agencyOptions = async () =>
    (await registrations.agencyChoices()).map((a) => ({ id: String(a.id), label: a.state ? `${a.name} (${a.state})` : `${a.name} (${a.country})` }))

  const registerPage = async (req: Request, res: Response, values: Record<string, string>, errors: FieldProblems, status = 200) => {
    const problems = REGISTRATION_FIELDS.filter((f) => errors[f]).map((field) => ({ field, message: errors[field] }))
    const title = problems.length ? 'Error: Register' : 'Register'
    sendPage(res, 'register', frame(req, res, title), { values, errors, problems, agencies: await agencyOptions() }, status)
  }

  router.get('/register', async (req, res, next) => {
    try {
      if (access(req)) return res.redirect(303, '/portal')
      await registerPage(req, res, {}, {})
    } catch (error) {
      next(error)
    }
  })

  router.post('/register', form, async (req, res, next) => {
    const body = req.body as Record<string, string>
    try {
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      await registrations.apply(body, originOf(req))
      res.redirect(303, '/portal/registered')
    } catch (error) {
      if (!(error instanceof RegistrationFormError)) return next(error)
      // The form comes back as it was sent, but never the passwords.
      const values = Object.fromEntries(REGISTRATION_FIELDS.filter((f) => !f.startsWith('password')).map((f) => [f, String(body[f] ?? '')]))
      await registerPage(req, res, values, error.problems, 400).catch(next)
    }
  })

  router.get('/registered', (req, res) => sendPage(res, 'registered', frame(req, res, 'Check your email'), { linkHours: config.registrations.emailLinkHours }))

  router.get('/resend-confirmation', (req, res) => sendPage(res, 'resend-confirmation', frame(req, res, 'Send a new confirmation link'), { sent: false, linkHours: config.registrations.emailLinkHours }))
  router.post('/resend-confirmation', form, async (req, res, next) => {
    try {
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      await registrations.resendConfirmation(String((req.body as Record<string, string>).officialEmail ?? ''), originOf(req))
      sendPage(res, 'resend-confirmation', frame(req, res, 'Send a new confirmation link'), { sent: true, linkHours: config.registrations.emailLinkHours })
    } catch (error) {
      next(error)
    }
  })

  // ---- Emailed links: opening one shows a button; only the button's POST uses the link, so a
  // mail scanner that fetches links cannot use it up. ----------------------------------------

  const linkProblemPage = (req: Request, res: Response, use: Exclude<LinkUse, { ok: true }>, again: { href: string; label: string } | undefined) =>
    message(req, res, 'This link does not work', { notice: LINK_PROBLEM[use.why], noticeKind: 'bad', ...(again ? { link: again } : {}) }, 410)

  router.get('/confirm-email', (req, res) => sendPage(res, 'confirm-email', frame(req, res, 'Confirm your email address'), { token: String(req.query.token ?? '') }))
  router.post('/confirm-email', form, async (req, res, next) => {
    try {
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      const used = await registrations.confirmEmail(String((req.body as Record<string, string>).token ?? ''), originOf(req))
      if (!used.ok) return linkProblemPage(req, res, used, { href: '/portal/resend-confirmation', label: 'Send me a new link' })
      message(req, res, 'Email address confirmed', {
        notice: 'Thank you: your email address is confirmed.',
        noticeKind: 'good',
        paragraphs: [
          'Your application is now with our staff, who check it with your agency. They may email your supervisor, or ask you for more information.',
          'We email you their decision. Meanwhile you can sign in to see where your application stands.',
        ],
        link: { href: '/portal/sign-in', label: 'Sign in' },
      })
    } catch (error) {
      next(error)
    }
  })

  router.get('/supervisor-confirmation', async (req, res, next) => {
    try {
      const token = String(req.query.token ?? '')
      const request = await registrations.supervisorRequest(token)
      if (!request.ok) return linkProblemPage(req, res, request, undefined)
      const r = request.registration
      sendPage(res, 'supervisor-confirmation', frame(req, res, 'Confirm an employment'), {
        token,
        registration: r,
        kindLabel: r.kind === 'PROSECUTOR' ? 'Prosecutor' : 'Law-enforcement officer',
        agencyName: r.agency?.name ?? `${r.proposedAgencyName ?? ''} (not yet known to us)`,
      })
    } catch (error) {
      next(error)
    }
  })
  router.post('/supervisor-confirmation', form, async (req, res, next) => {
    try {
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      const body = req.body as Record<string, string>
      if (body.answer !== 'CONFIRMED' && body.answer !== 'DENIED') throw new AppError('VALIDATION_FAILED', 'Choose "Yes, I confirm" or "No, I do not"')
      const used = await registrations.answerSupervisorRequest(String(body.token ?? ''), body.answer, originOf(req))
      if (!used.ok) return linkProblemPage(req, res, used, undefined)
      message(req, res, 'Thank you', {
        notice: body.answer === 'CONFIRMED' ? 'You confirmed the employment.' : 'You said this person does not work for you.',
        noticeKind: 'good',
        paragraphs: ['Your answer is recorded with the application. Our staff take it into account; you need do nothing more.'],
      })
    } catch (error) {
      next(error)
    }
  })

  // ---- Sign-in -------------------------------------------------------------------------------

  const signInPage = (req: Request, res: Response, data: { email?: string; notice?: string; noticeKind?: 'good' | 'bad' }, status = 200) =>
    sendPage(res, 'sign-in', frame(req, res, 'Sign in'), { email: '', notice: res.locals.sessionEnded ?? null, noticeKind: 'bad', ...data }, status)

  portalSignInRoutes(router, { config, clock, registrations, mfa, form, frame, message, signInPage, refuseCrossSite, access })

  // ---- Signed in -----------------------------------------------------------------------------

  const officerOnly = (req: Request, res: Response): Standing | null => {
    if (access(req) === 'officer' && res.locals.standing) return res.locals.standing
    if (access(req) === 'applicant') res.redirect(303, '/portal/application')
    else if (res.locals.sessionEnded) signInPage(req, res, {}, 401)
    else res.redirect(303, '/portal/sign-in')
    return null
  }

  router.get('/', (req, res) => {
    const standing = officerOnly(req, res)
    if (!standing) return
    sendPage(res, 'welcome', frame(req, res, 'Welcome', 'home'), {
      contacts: config.contacts,
      kindLabel: standing.kind === 'PROSECUTOR' ? 'prosecutor' : 'law-enforcement officer',
      agencyName: standing.agency?.name ?? standing.proposedAgencyName ?? '',
      verifiedUntil: standing.verificationExpiresAt ? day(standing.verificationExpiresAt) : '',
      inactiveDays: config.registrations.inactiveDays,
    })
  })

  const applicationPage = (req: Request, res: Response, standing: Standing, extra: Record<string, unknown> = {}, status = 200) =>
    sendPage(res, 'application', frame(req, res, 'Your application', 'application'), {
      registrationId: standing.id,
      appliedOn: day(standing.createdAt),
      status: standing.status,
      statusLabel: STATUS_LABEL[standing.status] ?? standing.status,
      decisionReason: standing.decisionReason ?? '',
      response: '',
      errors: {},
      problems: [],
      notice: null,
      ...extra,
    }, status)

  router.get('/application', (req, res) => {
    const standing = res.locals.standing
    if (access(req) !== 'applicant' || !standing) return access(req) === 'officer' ? res.redirect(303, '/portal') : signInPage(req, res, {}, res.locals.sessionEnded ? 401 : 200)
    applicationPage(req, res, standing)
  })

  router.post('/application', form, async (req, res, next) => {
    try {
      const standing = res.locals.standing
      if (access(req) !== 'applicant' || !standing) return signInPage(req, res, {}, 401)
      if (!fromThisSite(req) || !csrfTokenValid(req)) return refuseCrossSite(req, res)
      const response = String((req.body as Record<string, string>).response ?? '')
      await registrations.respondToInfoRequest(standing.id, { response }, originOf(req))
      const fresh = (await registrations.portalStanding(standing.id))!
      applicationPage(req, res, fresh, { notice: 'Thank you: your answer is with our staff.', noticeKind: 'good' })
    } catch (error) {
      if (error instanceof ZodError && res.locals.standing) {
        const message = error.issues[0]?.message ?? 'Check your answer'
        return applicationPage(req, res, res.locals.standing, { errors: { response: message }, problems: [{ field: 'response', message }], response: String((req.body as Record<string, string>).response ?? '') }, 400)
      }
      next(error)
    }
  })

  const notFound = (req: Request, res: Response) =>
    message(req, res, 'Page not found', { paragraphs: [`There is no page at ${req.originalUrl.split('?')[0]}.`], link: { href: '/portal', label: 'Go to the portal' } }, 404)

  const helpers = { config, hashSearch, collectionReview, frame, officerOnly, refuseCrossSite, notFound }
  mountHashSearchRoutes(router, helpers)
  mountCollectionReviewRoutes(router, helpers, collectionReview)

  router.use(notFound)

  // Errors as a page, in the portal's words; the details stay in the log.
  router.use(((error, req, res, next) => {
    if (res.headersSent) return next(error)
    const known = error instanceof AppError
    if (!known) req.log?.error({ err: error }, 'portal request failed')
    const status = known ? errorStatus[error.code] : 500
    message(req, res, status === 500 ? 'Something went wrong' : 'That did not work', {
      notice: known ? error.message : 'The portal could not finish this request. Nothing was changed; try again in a moment.',
      noticeKind: 'bad',
    }, status)
  }) as ErrorRequestHandler)

  return router
}
