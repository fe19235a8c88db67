// ESP accounts from the command line (the console's "new" does the same for an admin): the
// secret is generated, shown once, and only its digest is kept.
import type { RequestOrigin } from '../../lib/request-context.js'
import type { Db } from '../../lib/db.js'
import { AppError, uniqueViolationFields } from '../../lib/errors.js'
import type { AuditService } from '../audit/audit.service.js'
import { issueEspSecret } from './esp-credentials.js'

/** "Example Social, Inc." -> "example-social-inc": the HTTP Basic user name the ESP is given. */
export function espUsernameFor(name: string): string {
  return name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48)
}

export async function createEspAccount(
  { db, audit }: { db: Db; audit: AuditService },
  { name, contactEmail, actorLabel, origin }: { name: string; contactEmail?: string | null; actorLabel: string; origin: RequestOrigin },
): Promise<{ id: number; username: string; secret: string }> {
  const trimmed = name.trim()
  const username = espUsernameFor(trimmed)
  if (trimmed.length < 2 || trimmed.length > 200 || !username) throw new AppError('VALIDATION_FAILED', `"${name}" is not a usable ESP name (2 to 200 characters, with letters or digits)`)
  if (contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail)) throw new AppError('VALIDATION_FAILED', `"${contactEmail}" is not an e-mail address`)
  const { secret, secretDigest } = issueEspSecret()
  try {
    const account = await db.$transaction(async (tx) => {
      const created = await tx.espAccount.create({ data: { name: trimmed, username, secretDigest, contactEmail: contactEmail ?? null } })
      await audit.recordInTx(tx, {
        actorType: 'SYSTEM', actorLabel, action: 'esp-account.create', objectType: 'EspAccount', objectId: created.id, outcome: 'SUCCESS',
        ...origin, details: { name: trimmed, username },
      })
      return created
    })
    return { id: account.id, username, secret }
  } catch (err) {
    const fields = uniqueViolationFields(err)
    if (fields) throw new AppError('CONFLICT', `An ESP account with this ${fields.join(' and ')} already exists (name "${trimmed}", user name "${username}")`)
    throw err
  }
}
