// The CSRF defence every state-changing request passes (OWASP's "verifying origin with standard
// headers"): browsers send Origin with every POST, and Referer unless told not to; a request
// whose Origin or Referer names another site is refused. `requireHeader` also refuses one with
// neither, which no browser sends: the console's API, used only by its own pages, asks for it.
import type { Request, RequestHandler } from 'express'

export function fromThisSite(req: Request, { requireHeader = false } = {}): boolean {
  const ours = `${req.protocol}://${req.get('host')}`
  const origin = req.get('origin')
  if (origin) return origin === ours
  const referer = req.get('referer')
  if (referer) return referer === ours || referer.startsWith(`${ours}/`)
  return !requireHeader
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Refuses, with 403, any state-changing request not shown to come from this site. */
export function sameOriginOnly(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || fromThisSite(req, { requireHeader: true })) return next()
    res.status(403).json({ error: { code: 'FORBIDDEN', message: 'Cross-site request refused: send it from the console itself' } })
  }
}
