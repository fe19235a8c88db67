// Staff sign-in in two steps. The password (AdminJS's login form, posted here rather than to
// AdminJS) only opens a five-minute window for the second factor; the console session is
// granted after the TOTP code (or a recovery code), under a new session id. A staff member
// without a second factor enrols first: a QR code, a first code to confirm, ten recovery codes.
import { originOf } from '../lib/request-context.js'
import express, { type Request, type Response, type Router } from 'express'
import type AdminJS from 'adminjs'
import type { Clock } from '../lib/clock.js'
import { fromThisSite } from '../lib/same-origin.js'
import { regenerateSession, saveSession } from '../lib/session.js'
import type { StaffService } from '../modules/staff/staff.service.js'
import type { MfaService, MfaAccount } from '../modules/auth/mfa.service.js'
import { ADMIN_ROOT_PATH } from './paths.js'
import { consolePage, escapeHtml } from './console-page.js'

export const MFA_PATH = `${ADMIN_ROOT_PATH}/mfa`
const RECOVERY_CODES_PATH = `${MFA_PATH}/recovery-codes`

declare module 'express-session' {
  interface SessionData {
    /** Password accepted, second factor awaited. */
    pendingSignIn?: { staffId: number; email: string; at: number; enrolSecret?: string; redirectTo?: string }
    /** Shown once, right after enrolment. */
    recoveryCodes?: string[]
  }
}


export function staffSignInRouter({ admin, staff, mfa, clock }: { admin: AdminJS; staff: StaffService; mfa: MfaService; clock: Clock }): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 })
  const loginPage = async (res: Response, status: number, errorMessage?: string) =>
    res.status(status).type('html').send(await admin.renderLogin({ action: admin.options.loginPath!, ...(errorMessage ? { errorMessage } : {}) }))

  const pendingOf = (req: Request) => mfa.stillPending(req.session.pendingSignIn)
  const accountOf = (pending: { staffId: number; email: string }): MfaAccount => ({ kind: 'StaffUser', id: pending.staffId, label: pending.email })

  router.post('/login', form, async (req, res, next) => {
    try {
      if (!fromThisSite(req)) return loginPage(res, 403, 'invalidCredentials')
      const { email = '', password = '' } = req.body as Record<string, string>
      const user = await staff.authenticateStaff(email, password, originOf(req))
      if (!user) return loginPage(res, 401, 'invalidCredentials')
      const redirectTo = req.session.redirectTo
      await regenerateSession(req)
      req.session.pendingSignIn = { staffId: user.id, email: user.email, at: clock.now().getTime(), ...(redirectTo ? { redirectTo } : {}) }
      await saveSession(req)
      res.redirect(303, MFA_PATH)
    } catch (error) {
      next(error)
    }
  })

  const mfaPage = async (req: Request, res: Response, pending: NonNullable<ReturnType<typeof pendingOf>>, error: string | null, status = 200) => {
    const problem = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''
    if (await mfa.isEnrolled('StaffUser', pending.staffId)) {
      return res.status(status).type('html').send(consolePage('Second factor', `<h1>Enter your code</h1>
  <p>Open your authenticator app and enter the 6-digit code for the console. Lost your device? Enter one of your recovery codes instead.</p>
  ${problem}
  <form method="post" action="${MFA_PATH}">
    <label for="code">Code</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="11" required autofocus>
    <button type="submit">Sign in</button>
  </form>
  <p class="hint">Signing in as ${escapeHtml(pending.email)}. <a href="${ADMIN_ROOT_PATH}/login">Start again</a></p>`))
    }
    const enrolment = await mfa.enrolmentFor(pending.email, pending.enrolSecret)
    if (!pending.enrolSecret) {
      pending.enrolSecret = enrolment.encryptedSecret
      await saveSession(req)
    }
    return res.status(status).type('html').send(consolePage('Set up your second factor', `<h1>Set up your second factor</h1>
  <p>Every console account signs in with a password and a code from an authenticator app. Scan this QR code with the app (or type the key), then enter the code it shows.</p>
  <div class="qr" role="img" aria-label="QR code for your authenticator app">${enrolment.qrSvg}</div>
  <p>Key: <code data-testid="totp-secret">${escapeHtml(enrolment.secret)}</code></p>
  ${problem}
  <form method="post" action="${MFA_PATH}">
    <label for="code">Code from the app</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required autofocus>
    <button type="submit">Confirm and sign in</button>
  </form>`))
  }

  router.get('/mfa', async (req, res, next) => {
    try {
      const pending = pendingOf(req)
      if (!pending) return res.redirect(303, `${ADMIN_ROOT_PATH}/login`)
      await mfaPage(req, res, pending, null)
    } catch (error) {
      next(error)
    }
  })

  router.post('/mfa', form, async (req, res, next) => {
    try {
      const pending = pendingOf(req)
      if (!pending) return loginPage(res, 401, 'invalidCredentials')
      if (!fromThisSite(req)) return mfaPage(req, res, pending, 'This form must be sent from the console itself.', 403)
      const code = String((req.body as Record<string, string>).code ?? '')
      const { accepted, recoveryCodes } = await mfa.secondFactor(accountOf(pending), pending, code, originOf(req))
      if (!accepted) {
        const problem = pending.enrolSecret
          ? 'That code is not right. Check the app shows the console\'s entry, and try the next code.'
          : 'That code is not right, or it was used already. Wait for the next code and try again.'
        return mfaPage(req, res, pending, problem, 401)
      }
      const user = await staff.sessionUser(pending.staffId)
      if (!user) return loginPage(res, 401, 'invalidCredentials')
      // A new session id once both factors are in.
      await regenerateSession(req)
      req.session.adminUser = user
      req.session.signedInAt = clock.now().getTime()
      if (recoveryCodes) req.session.recoveryCodes = recoveryCodes
      await saveSession(req)
      res.redirect(303, recoveryCodes ? RECOVERY_CODES_PATH : (pending.redirectTo ?? ADMIN_ROOT_PATH))
    } catch (error) {
      next(error)
    }
  })

  router.get('/mfa/recovery-codes', async (req, res, next) => {
    try {
      const codes = req.session.recoveryCodes
      if (!req.session.adminUser || !codes) return res.redirect(303, ADMIN_ROOT_PATH)
      delete req.session.recoveryCodes
      await saveSession(req)
      res.type('html').set('Cache-Control', 'no-store').send(consolePage('Your recovery codes', `<h1>Your recovery codes</h1>
  <p>Each code signs you in once if you lose your authenticator app. Print them or keep them in a safe place: they are shown only now.</p>
  <ol class="codes" data-testid="recovery-codes">${codes.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ol>
  <a class="button" href="${ADMIN_ROOT_PATH}">I have kept them: continue</a>`))
    } catch (error) {
      next(error)
    }
  })

  return router
}
