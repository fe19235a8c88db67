// A staff member who signed in with a one-time password (npm run create-staff, or a reset by
// an administrator) must choose their own before anything else in the console.
import express, { type Request, type RequestHandler, type Router } from 'express'
import type { StaffService } from '../modules/staff/staff.service.js'
import { ADMIN_ROOT_PATH } from './paths.js'

export const CHANGE_PASSWORD_PATH = `${ADMIN_ROOT_PATH}/change-password`

// What a signed-in user with a one-time password may still reach.
const ALLOWED = [/^\/change-password$/, /^\/logout$/, /^\/login$/, /^\/frontend\//]

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page(message: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Choose your password · Tip triage console</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; background: #f3f4f6; color: #111827; margin: 0; }
  main { max-width: 420px; margin: 80px auto; background: #fff; padding: 32px; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  label { display: block; margin-top: 16px; font-weight: bold; }
  input { width: 100%; box-sizing: border-box; padding: 10px; margin-top: 6px; border: 1px solid #9ca3af; border-radius: 4px; font-size: 16px; }
  button { margin-top: 24px; padding: 10px 18px; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; font-size: 16px; cursor: pointer; }
  .error { background: #fee2e2; color: #991b1b; padding: 12px; border-radius: 4px; }
</style></head>
<body><main>
  <h1>Choose your password</h1>
  <p>You signed in with a one-time password. Choose your own (at least 12 characters) to continue.</p>
  ${message ? `<p class="error" role="alert">${escape(message)}</p>` : ''}
  <form method="post" action="${CHANGE_PASSWORD_PATH}">
    <label for="current">Current (one-time) password</label>
    <input id="current" name="current" type="password" autocomplete="current-password" required>
    <label for="next">New password</label>
    <input id="next" name="next" type="password" autocomplete="new-password" minlength="12" maxlength="128" required>
    <label for="confirm">New password again</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" maxlength="128" required>
    <button type="submit">Save and continue</button>
  </form>
  <p><a href="${ADMIN_ROOT_PATH}/logout">Sign out</a></p>
</main></body></html>`
}

/** Same-origin check for the form's POST: the session cookie is sameSite=strict as well. */
function fromThisSite(req: Request): boolean {
  const origin = req.get('origin')
  if (!origin) return true
  return origin === `${req.protocol}://${req.get('host')}`
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
      const problem = await staff.changePassword(user.id, String(current), String(chosen), { sourceIp: req.ip })
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
