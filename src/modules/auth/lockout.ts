// Failed sign-ins lock an account (CJIS AC-7): the fifth failure within the window locks it
// until an administrator unlocks it. The failures are kept on the account's row, in
// PostgreSQL, so every process and every instance sees the same count. Pure: no I/O.
export type LockoutPolicy = { attempts: number; windowMinutes: number }

export const DEFAULT_LOCKOUT: LockoutPolicy = { attempts: 5, windowMinutes: 15 }

/** The failures to keep after one more at `now`, and whether they lock the account. */
export function recordFailure(recent: Date[], now: Date, policy: LockoutPolicy): { recent: Date[]; locks: boolean } {
  const since = now.getTime() - policy.windowMinutes * 60_000
  const kept = [...recent.filter((at) => at.getTime() > since), now]
  return { recent: kept.slice(-policy.attempts), locks: kept.length >= policy.attempts }
}

/** The columns a failed sign-in writes on an account's row (StaffUser and OfficerRegistration alike). */
export function failedSignInUpdate(row: { recentFailedSignIns: Date[]; lockedAt: Date | null }, now: Date, policy: LockoutPolicy) {
  const { recent, locks } = recordFailure(row.recentFailedSignIns, now, policy)
  const newlyLocked = locks && !row.lockedAt
  return { newlyLocked, data: { failedSignInCount: { increment: 1 }, recentFailedSignIns: recent, ...(newlyLocked ? { lockedAt: now } : {}) } }
}

/** The columns a successful sign-in or an unlock writes: the count starts again. */
export const CLEAR_FAILURES = { failedSignInCount: 0, recentFailedSignIns: [] as Date[] }
