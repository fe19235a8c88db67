// Response headers for every route (helmet): no sniffing, no framing, no referrer leaks across
// sites, HSTS in production; and a Content-Security-Policy per area. The console's is as strict
// as AdminJS allows: its pages carry inline scripts (the initial state) and styled-components
// inject styles, so those need 'unsafe-inline'; everything else comes from this origin only.
// The portal sets its own, stricter one (no script at all).
import helmet from 'helmet'
import type { RequestHandler } from 'express'

const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

export function securityHeaders({ production }: { production: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: production ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  })
}

export function consoleContentSecurityPolicy(): RequestHandler {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: CONSOLE_CSP })
}
