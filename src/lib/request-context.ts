// Where a request came from, for the audit trail: the client's address and the session it
// came in. A route reads it from its request (`originOf`) and hands it to the service that
// audits, with the actor; a job or a sweep has none (`NO_REQUEST`). It is passed, not kept in
// an AsyncLocalStorage: on Node 20 one in use hooks every promise the process makes, which cost
// the ESP API about a tenth of its web process's CPU (npm run bench:intake; README, intake figures).
import { createHash } from 'node:crypto'

export type RequestOrigin = { sourceIp: string | null; sessionId: string | null }

/** What an event caused by no request (a scheduled job, a worker, the command line) records. */
export const NO_REQUEST: RequestOrigin = Object.freeze({ sourceIp: null, sessionId: null })

/** A session is named in the audit trail by a digest of its id: the id itself is a credential. */
export const sessionTag = (sid: string) => createHash('sha256').update(sid).digest('hex').slice(0, 16)

/** The request's client address (as `trust proxy` reads it) and session, as the audit records them. */
export function originOf(req: { ip?: string | undefined; sessionID?: string | undefined }): RequestOrigin {
  return { sourceIp: req.ip ?? null, sessionId: req.sessionID ? sessionTag(req.sessionID) : null }
}

const ORIGIN = Symbol('request origin')

/**
 * Lets a per-request object (the console's session user, which AdminJS hands its actions and
 * hooks as `currentAdmin`) carry the request's origin. A symbol key: JSON never writes it, so
 * it is not stored with the session; a spread copy keeps it.
 */
export function carryOrigin<T extends object>(carrier: T, origin: RequestOrigin): T {
  ;(carrier as Record<symbol, RequestOrigin>)[ORIGIN] = origin
  return carrier
}

/** The origin `carryOrigin` put on it; NO_REQUEST if none (a session user outside a request). */
export function carriedOrigin(carrier: unknown): RequestOrigin {
  return (carrier as Record<symbol, RequestOrigin | undefined> | undefined)?.[ORIGIN] ?? NO_REQUEST
}
