// What a custom action tells the person when its service refuses: the rule's own words (a
// zod issue or an AppError). Anything else is a fault, not a refusal, and is thrown on.
import { ZodError } from 'zod'
import { AppError } from '../../lib/errors.js'

export function refusalMessage(error: unknown): string {
  if (error instanceof ZodError) return error.issues.map((i) => i.message).join('; ')
  if (error instanceof AppError) return error.message
  throw error
}
