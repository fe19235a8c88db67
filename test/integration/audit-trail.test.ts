// The audit trail is append-only and tamper-evident: the app's database role cannot change or
// remove a row, and the chain verifier finds each tampering a superuser could do.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { sqlTransaction, type RawSql } from '../../src/lib/sql.js'
import { verifyAuditChain } from '../../src/modules/audit/audit-verify.js'

let app: TestApp
const run = promisify(execFile)

beforeAll(async () => {
  app = await startTestApp()
  for (let i = 0; i < 12; i++) {
    await app.container.audit.record({ actorType: 'STAFF', actorId: i, actorLabel: `user${i}@staff.example.com`, action: 'report.show', objectType: 'Report', objectId: 1000 + i, outcome: 'SUCCESS', details: { page: i, nested: { b: 2, a: 1 } } })
  }
})
afterAll(() => app.close())

class Rollback extends Error {}

/** Tampers as a superuser with the triggers off, verifies, and undoes it all. */
async function verifyAfter(tamper: (sql: RawSql, ids: bigint[]) => Promise<unknown>) {
  let result: Awaited<ReturnType<typeof verifyAuditChain>> | undefined
  await sqlTransaction(app.container.pgPool, async (sql) => {
    await sql.$executeRaw`SET LOCAL session_replication_role = replica`
    const ids = (await sql.$queryRaw<{ id: string }[]>`SELECT id FROM "AuditEvent" ORDER BY id`).map((r) => BigInt(r.id))
    await tamper(sql, ids)
    result = await verifyAuditChain(sql)
    throw new Rollback()
  }).catch((error) => {
    if (!(error instanceof Rollback)) throw error
  })
  return result!
}

describe('the audit trail', () => {
  it('verifies an untouched chain, and npm run audit:verify says so', async () => {
    const result = await verifyAuditChain(app.container.db)
    expect(result.firstBreak).toBeNull()
    expect(result.checked).toBe(await app.container.db.auditEvent.count())
    const { stdout } = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env: { ...process.env, DATABASE_URL: app.database.url } })
    expect(stdout).toMatch(/Audit chain verified: \d+ events, head \d+ [0-9a-f]{64}/)
  })

  it("refuses the app's own UPDATE, DELETE and TRUNCATE of audit rows", async () => {
    const db = app.container.db
    const { id } = await db.auditEvent.findFirstOrThrow()
    await expect(db.auditEvent.update({ where: { id }, data: { outcome: 'FAILURE' } })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.delete({ where: { id } })).rejects.toThrow(/append-only/)
    await expect(db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/)
    expect((await verifyAuditChain(db)).firstBreak).toBeNull()
  })

  it.each([
    ['an edited field', async (sql: RawSql, ids: bigint[]) => sql.$executeRaw`UPDATE "AuditEvent" SET outcome = 'FAILURE' WHERE id = ${ids[5]!.toString()}::bigint`, 5, /was changed/],
    ['edited details', async (sql: RawSql, ids: bigint[]) => sql.$executeRaw`UPDATE "AuditEvent" SET details = '{"page": 99}' WHERE id = ${ids[3]!.toString()}::bigint`, 3, /was changed/],
    ['a deleted middle row', async (sql: RawSql, ids: bigint[]) => sql.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${ids[6]!.toString()}::bigint`, 7, /deleted, inserted or moved/],
    ['two swapped rows', async (sql: RawSql, ids: bigint[]) => {
      const [a, b] = [ids[2]!.toString(), ids[8]!.toString()]
      await sql.$executeRaw`UPDATE "AuditEvent" SET id = -1 WHERE id = ${a}::bigint`
      await sql.$executeRaw`UPDATE "AuditEvent" SET id = ${a}::bigint WHERE id = ${b}::bigint`
      return sql.$executeRaw`UPDATE "AuditEvent" SET id = ${b}::bigint WHERE id = -1`
    }, 2, /deleted, inserted or moved/],
    ['a rewritten row with a forged hash', async (sql: RawSql, ids: bigint[]) =>
      sql.$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = 'someone.else@staff.example.com', "rowHash" = repeat('a', 64) WHERE id = ${ids[4]!.toString()}::bigint`, 4, /was changed/],
  ] as const)('detects %s and names the first broken link', async (_name, tamper, brokenIndex, reason) => {
    const ids = (await app.container.db.auditEvent.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id)
    const result = await verifyAfter(tamper)
    expect(result.firstBreak?.id).toBe(ids[brokenIndex])
    expect(result.firstBreak?.reason).toMatch(reason)
    // Undone: the chain verifies again.
    expect((await verifyAuditChain(app.container.db)).firstBreak).toBeNull()
  })
})
