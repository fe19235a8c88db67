// One error type for the whole app, one code -> HTTP status map, one error middleware.
import type { ErrorRequestHandler } from 'express'
import { ZodError } from 'zod'
import type { Logger } from './logger.js'

export const errorStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const

export type ErrorCode = keyof typeof errorStatus

export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

type PrismaKnownError = {
  code: string
  meta?: {
    target?: unknown
    modelName?: string
    driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } }
  }
}

export function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return typeof error === 'object' && error !== null && (error as { name?: string }).name === 'PrismaClientKnownRequestError'
}

/** The columns of the unique constraint a P2002 error broke (the driver adapter reports them apart). */
export function uniqueViolationFields(error: unknown): string[] | null {
  if (!isPrismaKnownError(error) || error.code !== 'P2002') return null
  const fromAdapter = error.meta?.driverAdapterError?.cause?.constraint?.fields
  if (fromAdapter?.length) return fromAdapter
  const target = error.meta?.target
  return Array.isArray(target) ? target.map(String) : typeof target === 'string' ? [target] : []
}

/** Maps what the app can throw to an AppError; anything unknown becomes INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof ZodError) {
    const problems = error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    return new AppError('VALIDATION_FAILED', problems.join('; '), error.issues)
  }
  if (isPrismaKnownError(error)) {
    if (error.code === 'P2002') return new AppError('CONFLICT', `A record with this ${uniqueViolationFields(error)?.join(' and ') || 'value'} already exists`)
    if (error.code === 'P2025') return new AppError('NOT_FOUND', `${error.meta?.modelName ?? 'Record'} not found`)
  }
  const type = (error as { type?: string } | null)?.type
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large')
  if (type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', 'Request body is not valid JSON')
  return new AppError('INTERNAL', 'Internal server error')
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error)
    if (appError.code === 'INTERNAL') logger.error({ err: error, reqId: req.id }, 'request failed')
    if (res.headersSent) return
    // Never a stack trace or framework detail in a response.
    res.status(errorStatus[appError.code]).json({ error: { code: appError.code, message: appError.message } })
  }
}
