import type { Db } from '../../src/lib/db.js'
import { issueEspSecret } from '../../src/modules/intake/esp-credentials.js'
import { uniq } from './records.js'

/** An active ESP account and its issued secret. */
export async function createEspAccount(db: Db, overrides: { isActive?: boolean } = {}) {
  const { secret, secretDigest } = issueEspSecret()
  const name = `Example ESP ${uniq()}`
  const account = await db.espAccount.create({ data: { name, username: name.toLowerCase().replace(/ /g, '-'), secretDigest, isActive: overrides.isActive ?? true } })
  return { ...account, secret }
}
