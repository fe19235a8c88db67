// A session keeps who signed in; this keeps it true. Each console request re-reads the staff
// member: a disabled or locked account's session ends at once, and a changed role or name
// takes effect on the next request instead of at the next sign-in.
import type { RequestHandler } from 'express'
import type { Db } from '../lib/db.js'
import { ADMIN_ROOT_PATH } from './paths.js'
import type { Clock } from '../lib/clock.js'
import { carryOrigin, originOf } from '../lib/request-context.js'

export function refreshStaffSession(db: Db, clock: Clock, limits: { idleMinutes: number; maxHours: number }): RequestHandler {
  return async (req, res, next) => {
    const user = req.session?.adminUser
    if (!user) return next()
    try {
      const current = await db.staffUser.findUnique({
        where: { id: user.id },
        select: { email: true, name: true, role: true, isActive: true, lockedAt: true, mustChangePassword: true },
      })
      // The idle timeout and the absolute lifetime, on the server's clock: the cookie's own
      // expiry is only a convenience for the browser.
      const now = clock.now().getTime()
      const { signedInAt = 0, lastSeenAt = signedInAt } = req.session
      const timedOut = now - lastSeenAt > limits.idleMinutes * 60_000 || now - signedInAt > limits.maxHours * 3600_000
      if (!current || !current.isActive || current.lockedAt || timedOut) {
        return req.session.destroy((err) => {
          if (err) return next(err)
          if (req.path.startsWith('/api/')) {
            res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: timedOut ? 'The session has timed out: sign in again' : 'This account is disabled or locked; the session has ended' } })
            return
          }
          res.redirect(`${ADMIN_ROOT_PATH}/login`)
        })
      }
      req.session.lastSeenAt = now
      if (current.role !== user.role || current.name !== user.title || current.email !== user.email || current.mustChangePassword !== user.mustChangePassword) {
        req.session.adminUser = { ...user, role: current.role, title: current.name, email: current.email, mustChangePassword: current.mustChangePassword }
      }
      // For the audit: AdminJS hands its actions and hooks this object (as currentAdmin), not the request.
      carryOrigin(req.session.adminUser!, originOf(req))
      next()
    } catch (error) {
      next(error)
    }
  }
}
