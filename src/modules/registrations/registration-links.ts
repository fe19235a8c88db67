// Single-use links sent by email. The token is random (256 bits) and travels only in the email;
// the database keeps its SHA-256. Using one is a single UPDATE that succeeds once, before expiry.
import { createHash, randomBytes } from 'node:crypto'
import type { RegistrationTokenPurpose } from '@prisma/client'
import type { Tx } from '../../lib/db.js'

const digestOf = (token: string) => createHash('sha256').update(token).digest('hex')

export type IssuedLink = { tokenId: number; token: string; expiresAt: Date }

export async function issueLink(tx: Tx, registrationId: number, purpose: RegistrationTokenPurpose, expiresAt: Date): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url')
  const row = await tx.registrationToken.create({ data: { registrationId, purpose, digest: digestOf(token), expiresAt } })
  return { tokenId: row.id, token, expiresAt }
}

export type LinkUse =
  | { ok: true; registrationId: number; tokenId: number }
  | { ok: false; why: 'unknown' | 'used' | 'expired' }

/** Uses a link: succeeds once, and only before it expires; otherwise says why not. */
export async function useLink(tx: Tx, token: string, purpose: RegistrationTokenPurpose, now: Date): Promise<LinkUse> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, why: 'unknown' }
  const digest = digestOf(token)
  const used = await tx.$queryRaw<{ id: number; registrationId: number }[]>`
    UPDATE "RegistrationToken" SET "usedAt" = ${now}
    WHERE digest = ${digest} AND purpose = ${purpose}::"RegistrationTokenPurpose" AND "usedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING id, "registrationId"`
  if (used[0]) return { ok: true, registrationId: used[0].registrationId, tokenId: used[0].id }
  const row = await tx.registrationToken.findUnique({ where: { digest }, select: { purpose: true, usedAt: true } })
  if (!row || row.purpose !== purpose) return { ok: false, why: 'unknown' }
  return { ok: false, why: row.usedAt ? 'used' : 'expired' }
}

/** Looks at a link without using it (the page a link opens shows what the answer is about). */
export async function peekLink(tx: Tx, token: string, purpose: RegistrationTokenPurpose, now: Date): Promise<LinkUse> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, why: 'unknown' }
  const row = await tx.registrationToken.findUnique({ where: { digest: digestOf(token) } })
  if (!row || row.purpose !== purpose) return { ok: false, why: 'unknown' }
  if (row.usedAt) return { ok: false, why: 'used' }
  if (row.expiresAt <= now) return { ok: false, why: 'expired' }
  return { ok: true, registrationId: row.registrationId, tokenId: row.id }
}
