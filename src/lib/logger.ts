import { pino } from 'pino'

export type Logger = pino.Logger

/** Structured logs; secrets and personal data are redacted wherever they appear. */
export function createLogger(level: string, name = 'tip-triage'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'passwordHash',
        '*.passwordHash',
        'secret',
        '*.secret',
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        '*.email',
        '*.officialEmail',
      ],
      censor: '[redacted]',
    },
  })
}
