// Who is asking, from where, for the length of one request: set once by a middleware, read by
// the audit trail, so that every event a request causes records its address and session
// without each caller passing them down.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import type { RequestHandler } from 'express'

export type RequestContext = { sourceIp: string | null; sessionId: string | null }

const storage = new AsyncLocalStorage<RequestContext>()

export const currentRequest = (): RequestContext | undefined => storage.getStore()

/** A session is named in the audit trail by a digest of its id: the id itself is a credential. */
export const sessionTag = (sid: string) => createHash('sha256').update(sid).digest('hex').slice(0, 16)

export function requestContext(): RequestHandler {
  return (req, _res, next) => {
    const context: RequestContext = { sourceIp: req.ip ?? null, sessionId: null }
    // The session is loaded later in the chain; read its id when an event is recorded.
    Object.defineProperty(context, 'sessionId', { get: () => (req.sessionID ? sessionTag(req.sessionID) : null), enumerable: true })
    storage.run(context, next)
  }
}
