// A staff member who signed in with a one-time password (npm run create-staff, or a reset by
// an administrator) must choose their own before anything else in the console.
import { originOf } from '../lib/request-context.js'
import express, { type RequestHandler, type Router } from 'express'
import type { StaffService } from '../modules/staff/staff.service.js'
import { ADMIN_ROOT_PATH } from './paths.js'
import { consolePage, escapeHtml } from './console-page.js'
import { fromThisSite } from '../lib/same-origin.js'

export const CHANGE_PASSWORD_PATH = `${ADMIN_ROOT_PATH}/change-password`

// What a signed-in user with a one-time password may still reach.
const ALLOWED = [/^\/change-password$/, /^\/logout$/, /^\/login$/, /^\/frontend\//]

function page(message: string | null): string {
  return consolePage(
    'Choose your password',
    `<h1>Choose your password</h1>
  <p>You signed in with a one-time password. Choose your own (at least 12 characters) to continue.</p>
  ${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
  <form method="post" action="${CHANGE_PASSWORD_PATH}">
    <label for="current">Current (one-time) password</label>
    <input id="current" name="current" type="password" autocomplete="current-password" required>
    <label for="next">New password</label>
    <input id="next" name="next" type="password" autocomplete="new-password" minlength="12" maxlength="128" required>
    <label for="confirm">New password again</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" maxlength="128" required>
    <button type="submit">Save and continue</button>
  </form>
  <p><a href="${ADMIN_ROOT_PATH}/logout">Sign out</a></p>`,
  )
}

/** Keeps a user with a one-time password on the change-password page. */
export function requirePasswordChange(): RequestHandler {
  return (req, res, next) => {
    const user = req.session?.adminUser
    if (!user?.mustChangePassword || ALLOWED.some((path) => path.test(req.path))) return next()
    if (req.path.startsWith('/api/')) {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: 'Choose your own password first: ' + CHANGE_PASSWORD_PATH } })
      return
    }
    res.redirect(CHANGE_PASSWORD_PATH)
  }
}

export function changePasswordRouter(staff: StaffService): Router {
  const router = express.Router()
  router.get('/change-password', (req, res) => {
    if (!req.session.adminUser) return res.redirect(`${ADMIN_ROOT_PATH}/login`)
    res.type('html').send(page(null))
  })
  router.post('/change-password', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res, next) => {
    try {
      const user = req.session.adminUser
      if (!user) return res.redirect(`${ADMIN_ROOT_PATH}/login`)
      if (!fromThisSite(req)) return res.status(403).type('html').send(page('This form must be sent from the console itself.'))
      const { current = '', next: chosen = '', confirm = '' } = req.body as Record<string, string>
      if (chosen !== confirm) return res.status(400).type('html').send(page('The two new passwords differ.'))
      const problem = await staff.changePassword(user.id, String(current), String(chosen), originOf(req))
      if (problem) return res.status(400).type('html').send(page(problem))
      // A new session id now that the credential changed.
      const { signedInAt } = req.session
      req.session.regenerate((err) => {
        if (err) return next(err)
        req.session.adminUser = { ...user, mustChangePassword: false }
        req.session.signedInAt = signedInAt
        req.session.save((saveErr) => (saveErr ? next(saveErr) : res.redirect(ADMIN_ROOT_PATH)))
      })
    } catch (error) {
      next(error)
    }
  })
  return router
}
