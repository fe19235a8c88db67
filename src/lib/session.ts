// express-session's callback methods as promises, for the sign-in flows that regenerate, save
// and destroy sessions in sequence.
import type { Request } from 'express'

const settle = (run: (done: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => run((err) => (err ? reject(err) : resolve())))

export const regenerateSession = (req: Request) => settle((done) => req.session.regenerate(done))
export const saveSession = (req: Request) => settle((done) => req.session.save(done))
export const destroySession = (req: Request) => settle((done) => req.session.destroy(done))
