// NIST SP 800-63B asks us to refuse passwords found in breach corpora and "context-specific
// words". The list is zxcvbn's 49k most common passwords; padding a common word with digits
// or symbols to reach the minimum length ("dragon123456!") does not make it uncommon.
import { dictionary } from '@zxcvbn-ts/language-common'

let common: Set<string> | null = null
const commonPasswords = () => (common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())))

const stripPadding = (text: string) => text.replace(/^[\d\W_]+|[\d\W_]+$/g, '')

/** True when a run of one short unit makes up the whole password ("aaaaaaaaaaaa", "abcabcabcabc"). */
function isRepetition(text: string): boolean {
  return /^(.{1,4})\1+$/.test(text)
}

const DIGITS_UP = '0123456789'.repeat(14)
const DIGITS_DOWN = '9876543210'.repeat(14)

/** True for a straight run up or down the alphabet or the digits ("abcdefghijkl", "987654321098"). */
function isSequence(text: string): boolean {
  if (DIGITS_UP.includes(text) || DIGITS_DOWN.includes(text)) return true
  const codes = [...text].map((c) => c.charCodeAt(0))
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!))
  return steps.size === 1 && Math.abs([...steps][0]!) === 1
}

/**
 * Why a chosen password is too guessable, or null. `context` holds the applicant's own words
 * (name, email, agency): a password built on them is refused as well.
 */
export function commonPasswordProblem(password: string, context: string[] = []): string | null {
  const lower = password.toLowerCase()
  const core = stripPadding(lower)
  const list = commonPasswords()
  if (list.has(lower) || (core.length >= 4 && list.has(core))) return 'This password is on a list of commonly used passwords; choose another'
  if (isRepetition(lower) || isSequence(lower)) return 'This password is a repeated or sequential pattern; choose another'
  const words = context.flatMap((c) => c.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 4)
  if (words.some((w) => core === w || (core.includes(w) && core.length - w.length < 4))) {
    return 'This password is built on your name, email or agency; choose another'
  }
  return null
}
