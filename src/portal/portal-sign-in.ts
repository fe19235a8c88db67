// Portal sign-in in two steps, as in the console: the password opens a five-minute window for
// the second factor (enrolment the first time: a QR code, a first code, ten recovery codes);
// the session is granted after it, under a new session id. Sign-out ends it at once.
import { originOf } from '../lib/request-context.js'
import type { Request, RequestHandler, Response, Router } from 'express'
import type { Config } from '../config.js'
import type { Clock } from '../lib/clock.js'
import { fromThisSite } from '../lib/same-origin.js'
import { regenerateSession, saveSession } from '../lib/session.js'
import type { RegistrationsService } from '../modules/registrations/registrations.service.js'
import type { MfaAccount, MfaService } from '../modules/auth/mfa.service.js'
import { sendPage, type PageFrame } from './pages.js'
import { beginPortalSession, csrfTokenValid, endPortalSession, PORTAL_COOKIE, PORTAL_ROOT, type PortalAccess } from './portal-session.js'

declare module 'express-session' {
  interface SessionData {
    /** Password accepted, second factor awaited. */
    pendingPortalSignIn?: { registrationId: number; access: PortalAccess; email: string; at: number; enrolSecret?: string }
    /** Shown once, right after enrolment. */
    portalRecoveryCodes?: string[]
  }
}

type Notice = { notice?: string; noticeKind?: 'good' | 'bad'; paragraphs?: string[]; link?: { href: string; label: string } }

export type SignInRouteDeps = {
  config: Config
  clock: Clock
  registrations: RegistrationsService
  mfa: MfaService
  form: RequestHandler
  frame(req: Request, res: Response, title: string): PageFrame
  message(req: Request, res: Response, title: string, content: Notice, status?: number): void
  signInPage(req: Request, res: Response, data: { email?: string; notice?: string; noticeKind?: 'good' | 'bad' }, status?: number): void
  refuseCrossSite(req: Request, res: Response): void
  access(req: Request): PortalAccess | null
}


export function portalSignInRoutes(router: Router, deps: SignInRouteDeps): void {
  const { config, clock, registrations, mfa, form, frame, message, signInPage, refuseCrossSite, access } = deps
  const pendingOf = (req: Request) => mfa.stillPending(req.session?.pendingPortalSignIn)
  const accountOf = (pending: { registrationId: number; email: string }): MfaAccount => ({ kind: 'OfficerRegistration', id: pending.registrationId, label: pending.email })

  router.get('/sign-in', (req, res) => {
    if (access(req)) return res.redirect(303, PORTAL_ROOT)
    signInPage(req, res, req.query.signedOut ? { notice: 'You have signed out.', noticeKind: 'good' } : {})
  })

  router.post('/sign-in', form, async (req, res, next) => {
    try {
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      const { email = '', password = '' } = req.body as Record<string, string>
      const result = await registrations.signIn(email, password, originOf(req))
      const refusal = (notice: string) => signInPage(req, res, { email, notice, noticeKind: 'bad' }, 403)
      switch (result.kind) {
        case 'invalid':
          return signInPage(req, res, { email, notice: 'Wrong email address or password.', noticeKind: 'bad' }, 401)
        case 'refused':
          return refusal({
            EMAIL_UNCONFIRMED: 'Confirm your email address first: open the link we emailed you, or ask for a new one at /portal/resend-confirmation.',
            REJECTED: 'Your application was not approved. The email we sent you explains why.',
            SUSPENDED: 'Your account is suspended. The email we sent you explains why; contact the clearinghouse to discuss it.',
            DISABLED: `Your account was disabled after ${config.registrations.inactiveDays} days without use. Contact the clearinghouse to have it reinstated.`,
          }[result.status])
        case 'reverification':
          return message(req, res, 'Your verification has expired', {
            notice: 'Your account must be verified again before you can use the portal.',
            noticeKind: 'bad',
            paragraphs: ['We have put it back in our verification queue. Our staff check it with your agency again and email you their decision.'],
          }, 403)
        case 'applicant':
        case 'verified':
          await regenerateSession(req)
          req.session.pendingPortalSignIn = {
            registrationId: result.registrationId,
            access: result.kind === 'verified' ? 'officer' : 'applicant',
            email: email.trim().toLowerCase(),
            at: clock.now().getTime(),
          }
          await saveSession(req)
          return res.redirect(303, `${PORTAL_ROOT}/mfa`)
      }
    } catch (error) {
      next(error)
    }
  })

  const mfaPage = async (req: Request, res: Response, pending: NonNullable<ReturnType<typeof pendingOf>>, error: string | null, status = 200) => {
    const enrolled = await mfa.isEnrolled('OfficerRegistration', pending.registrationId)
    let enrolment = null
    if (!enrolled) {
      enrolment = await mfa.enrolmentFor(pending.email, pending.enrolSecret)
      if (!pending.enrolSecret) {
        pending.enrolSecret = enrolment.encryptedSecret
        await saveSession(req)
      }
    }
    sendPage(res, 'mfa', frame(req, res, error ? 'Error: Second factor' : 'Second factor'), {
      enrol: !enrolled,
      qrSvg: enrolment?.qrSvg ?? '',
      secret: enrolment?.secret ?? '',
      email: pending.email,
      error,
    }, status)
  }

  router.get('/mfa', async (req, res, next) => {
    try {
      const pending = pendingOf(req)
      if (!pending) return res.redirect(303, `${PORTAL_ROOT}/sign-in`)
      await mfaPage(req, res, pending, null)
    } catch (error) {
      next(error)
    }
  })

  router.post('/mfa', form, async (req, res, next) => {
    try {
      const pending = pendingOf(req)
      if (!pending) return signInPage(req, res, { notice: 'Your sign-in took too long. Sign in again.', noticeKind: 'bad' }, 401)
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      const code = String((req.body as Record<string, string>).code ?? '')
      const { accepted, recoveryCodes } = await mfa.secondFactor(accountOf(pending), pending, code, originOf(req))
      if (!accepted) {
        const problem = pending.enrolSecret
          ? 'That code is not right. Check the app shows the portal\'s entry, and try the next code.'
          : 'That code is not right, or it was used already. Wait for the next code and try again.'
        return mfaPage(req, res, pending, problem, 401)
      }
      await beginPortalSession(req, pending.registrationId, pending.access, clock.now())
      if (recoveryCodes) {
        req.session.portalRecoveryCodes = recoveryCodes
        await saveSession(req)
        return res.redirect(303, `${PORTAL_ROOT}/recovery-codes`)
      }
      res.redirect(303, pending.access === 'officer' ? PORTAL_ROOT : `${PORTAL_ROOT}/application`)
    } catch (error) {
      next(error)
    }
  })

  router.get('/recovery-codes', async (req, res, next) => {
    try {
      const codes = req.session?.portalRecoveryCodes
      if (!req.session?.portal || !codes) return res.redirect(303, PORTAL_ROOT)
      delete req.session.portalRecoveryCodes
      await saveSession(req)
      sendPage(res, 'recovery-codes', frame(req, res, 'Your recovery codes'), {
        codes,
        next: req.session.portal.access === 'officer' ? PORTAL_ROOT : `${PORTAL_ROOT}/application`,
      })
    } catch (error) {
      next(error)
    }
  })

  router.post('/sign-out', form, async (req, res, next) => {
    try {
      if (req.session?.portal && !csrfTokenValid(req)) return refuseCrossSite(req, res)
      await endPortalSession(req)
      res.clearCookie(PORTAL_COOKIE, { path: PORTAL_ROOT })
      res.redirect(303, `${PORTAL_ROOT}/sign-in?signedOut=1`)
    } catch (error) {
      next(error)
    }
  })
}
