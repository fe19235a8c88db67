// The audit trail is append-only and tamper-evident: the app's database role cannot change or
// remove a row (only seal an unsealed one), the sealer links events into one gapless chain in
// commit order however many sealers and writers run at once, and the chain verifier finds each
// tampering a superuser could do.
import { TEST_ORIGIN } from '../factories/staff.js'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { sqlTransaction, type RawSql } from '../../src/lib/sql.js'
import { verifyAuditChain } from '../../src/modules/audit/audit-verify.js'
import { startWorkers } from '../../jobs/worker.js'
import type { AuditEntry } from '../../src/modules/audit/audit.service.js'

let app: TestApp
const run = promisify(execFile)

beforeAll(async () => {
  app = await startTestApp()
  for (let i = 0; i < 12; i++) {
    await app.container.audit.record(entry(i))
  }
  await app.container.audit.seal({ wait: true })
})
afterAll(() => app.close())

const entry = (i: number): AuditEntry => ({
  actorType: 'STAFF', actorId: i, actorLabel: `user${i}@staff.example.com`, action: 'report.show', objectType: 'Report',
  objectId: 1000 + i, outcome: 'SUCCESS', ...TEST_ORIGIN, details: { page: i, nested: { b: 2, a: 1 } },
})

class Rollback extends Error {}

/** Tampers as a superuser with the triggers off, verifies, and undoes it all. */
async function verifyAfter(tamper: (sql: RawSql, ids: bigint[]) => Promise<unknown>) {
  let result: Awaited<ReturnType<typeof verifyAuditChain>> | undefined
  await sqlTransaction(app.container.pgPool, async (sql) => {
    await sql.$executeRaw`SET LOCAL session_replication_role = replica`
    const ids = (await sql.$queryRaw<{ id: string }[]>`SELECT id FROM "AuditEvent" ORDER BY "chainSeq"`).map((r) => BigInt(r.id))
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
    expect(stdout).toMatch(/Audit chain verified: \d+ events, head place \d+ \(event \d+\) [0-9a-f]{64}/)
  })

  it("refuses the app's own UPDATE, DELETE and TRUNCATE of audit rows, sealed or not", async () => {
    const db = app.container.db
    const { id } = await db.auditEvent.findFirstOrThrow({ where: { chainSeq: { not: null } } })
    await expect(db.auditEvent.update({ where: { id }, data: { outcome: 'FAILURE' } })).rejects.toThrow(/append-only/)
    // A sealed event cannot be sealed again (moved in the chain, re-hashed).
    await expect(db.auditEvent.update({ where: { id }, data: { chainSeq: 999_999, rowHash: 'b'.repeat(64), sealedAt: new Date() } })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.delete({ where: { id } })).rejects.toThrow(/append-only/)
    await expect(db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/)

    // An unsealed event: its content cannot change, not even along with its sealing.
    await app.container.audit.record(entry(50))
    const unsealed = await db.auditEvent.findFirstOrThrow({ where: { chainSeq: null } })
    await expect(db.auditEvent.update({ where: { id: unsealed.id }, data: { actorLabel: 'someone.else@staff.example.com' } })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.update({
      where: { id: unsealed.id },
      data: { actorLabel: 'someone.else@staff.example.com', chainSeq: 999_999, prevHash: null, rowHash: 'c'.repeat(64), sealedAt: new Date() },
    })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.delete({ where: { id: unsealed.id } })).rejects.toThrow(/append-only/)

    const before = await verifyAuditChain(db)
    expect(before.firstBreak).toBeNull()
    expect(before.unsealed.count).toBe(1)
    expect(await app.container.audit.seal({ wait: true })).toBe(1)
    const after = await verifyAuditChain(db)
    expect(after).toMatchObject({ firstBreak: null, checked: before.checked + 1, unsealed: { count: 0 } })
  })

  it('seals an event that commits after a later one was sealed at the next place, never in the middle', async () => {
    const { pgPool, audit, db } = app.container
    const { headSeq } = await verifyAuditChain(db)
    let releaseSlow!: () => void
    const slowMayCommit = new Promise<void>((resolve) => (releaseSlow = resolve))
    let slowInserted!: () => void
    const slowHasInserted = new Promise<void>((resolve) => (slowInserted = resolve))
    // The slow transaction takes its id first and commits last.
    const slow = sqlTransaction(pgPool, async (tx) => {
      await audit.recordRaw(tx, { ...entry(60), action: 'slow.commit' })
      slowInserted()
      await slowMayCommit
    })
    await slowHasInserted
    await audit.record({ ...entry(61), action: 'quick.commit' })
    expect(await audit.seal({ wait: true })).toBe(1)
    releaseSlow()
    await slow
    expect(await audit.seal({ wait: true })).toBe(1)

    const placed = await db.auditEvent.findMany({ where: { action: { in: ['slow.commit', 'quick.commit'] } }, orderBy: { chainSeq: 'asc' } })
    expect(placed.map((e) => [e.action, e.chainSeq])).toEqual([['quick.commit', headSeq! + 1n], ['slow.commit', headSeq! + 2n]])
    expect(placed[0]!.id > placed[1]!.id).toBe(true)
    expect((await verifyAuditChain(db)).firstBreak).toBeNull()
  })

  it('keeps one unbroken chain with many writers and several sealers at once', async () => {
    const { audit, db } = app.container
    const writers = Array.from({ length: 8 }, (_, w) => (async () => {
      for (let i = 0; i < 40; i++) await audit.record({ ...entry(100 + w * 40 + i), action: 'concurrent.write' })
    })())
    let writing = true
    const sealers = Array.from({ length: 3 }, async () => {
      while (writing) await audit.seal()
    })
    await Promise.all(writers)
    writing = false
    await Promise.all(sealers)
    await audit.seal({ wait: true })
    const result = await verifyAuditChain(db)
    expect(result.firstBreak).toBeNull()
    expect(result.unsealed.count).toBe(0)
    expect(result.checked).toBe(await db.auditEvent.count())
    expect(await db.auditEvent.count({ where: { action: 'concurrent.write', chainSeq: { not: null } } })).toBe(320)
  })

  it("is sealed by the worker process's loop within a second or so", async () => {
    const { audit, db } = app.container
    const workers = startWorkers(app.container)
    try {
      await audit.record({ ...entry(900), action: 'worker.seals' })
      const deadline = Date.now() + 5000
      while ((await db.auditEvent.count({ where: { action: 'worker.seals', chainSeq: null } })) > 0) {
        if (Date.now() > deadline) throw new Error('the worker did not seal the event within 5 s')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    } finally {
      await workers.close()
    }
    expect((await verifyAuditChain(db)).firstBreak).toBeNull()
  })

  it.each([
    ['an edited field', async (sql: RawSql, ids: bigint[]) => sql.$executeRaw`UPDATE "AuditEvent" SET outcome = 'FAILURE' WHERE id = ${ids[5]!.toString()}::bigint`, 5, /was changed/],
    ['edited details', async (sql: RawSql, ids: bigint[]) => sql.$executeRaw`UPDATE "AuditEvent" SET details = '{"page": 99}' WHERE id = ${ids[3]!.toString()}::bigint`, 3, /was changed/],
    ['a deleted middle row', async (sql: RawSql, ids: bigint[]) => sql.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${ids[6]!.toString()}::bigint`, 7, /events between were deleted/],
    ['a deleted middle row with the places after it renumbered', async (sql: RawSql, ids: bigint[]) => {
      await sql.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${ids[6]!.toString()}::bigint`
      await sql.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" WHERE "chainSeq" > (SELECT "chainSeq" FROM "AuditEvent" WHERE id = ${ids[5]!.toString()}::bigint)`
      return sql.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" - 1 WHERE "chainSeq" < 0`
    }, 7, /deleted, inserted or moved/],
    ['two swapped rows', async (sql: RawSql, ids: bigint[]) => {
      const [a, b] = [ids[2]!.toString(), ids[8]!.toString()]
      // Through negative places, since places are unique: each takes the other's.
      await sql.$executeRaw`
        UPDATE "AuditEvent" e SET "chainSeq" = -(SELECT x."chainSeq" FROM "AuditEvent" x WHERE x.id = CASE WHEN e.id = ${a}::bigint THEN ${b}::bigint ELSE ${a}::bigint END)
        WHERE e.id IN (${a}::bigint, ${b}::bigint)`
      return sql.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = -"chainSeq" WHERE "chainSeq" < 0`
    }, 8, /deleted, inserted or moved/],
    ['a rewritten row with a forged hash', async (sql: RawSql, ids: bigint[]) =>
      sql.$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = 'someone.else@staff.example.com', "rowHash" = repeat('a', 64) WHERE id = ${ids[4]!.toString()}::bigint`, 4, /was changed/],
  ] as const)('detects %s and names the first broken link', async (_name, tamper, brokenIndex, reason) => {
    const ids = (await app.container.db.auditEvent.findMany({ select: { id: true }, orderBy: { chainSeq: 'asc' } })).map((r) => r.id)
    const result = await verifyAfter(tamper)
    expect(result.firstBreak?.id).toBe(ids[brokenIndex])
    expect(result.firstBreak?.reason).toMatch(reason)
    // Undone: the chain verifies again.
    expect((await verifyAuditChain(app.container.db)).firstBreak).toBeNull()
  })
})

describe('the sealing backlog', () => {
  it('npm run audit:verify exits 2 when an event has waited longer than AUDIT_SEAL_ALERT_SECONDS', async () => {
    const db = app.container.db
    await db.auditEvent.create({ data: { ...entry(70), actorId: '70', objectId: '1070', action: 'stale.unsealed', details: {}, occurredAt: new Date(Date.now() - 120_000) } })
    const env = { ...process.env, DATABASE_URL: app.database.url, AUDIT_SEAL_ALERT_SECONDS: '60' }
    const failure = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env }).then(() => null, (error: { code: number; stderr: string }) => error)
    expect(failure?.code).toBe(2)
    expect(failure?.stderr).toMatch(/1 events not yet sealed; the oldest happened 1\d\d s ago\. That is longer than 60 s/)
    await app.container.audit.seal({ wait: true })
    await expect(run('npx', ['tsx', 'scripts/audit-verify.ts'], { env })).resolves.toBeTruthy()
  })
})

describe('the daily integrity check', () => {
  const alerts = () => app.container.db.notification.findMany({ where: { kind: 'AUDIT_INTEGRITY_ALERT' }, orderBy: { id: 'asc' } })

  it('records a sound chain as a successful audit.verify event, with the head it saw, and alerts nobody', async () => {
    const { audit, auditIntegrity, db } = app.container
    await audit.seal({ wait: true })
    const result = await auditIntegrity.check()
    expect(result.problem).toBeNull()
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'audit.verify' }, orderBy: { id: 'desc' } })
    expect(event).toMatchObject({ actorType: 'SYSTEM', outcome: 'SUCCESS', objectId: result.headId!.toString() })
    expect(event.details).toMatchObject({ checked: result.checked, headSeq: result.headSeq!.toString(), headHash: result.headHash, unsealed: 0 })
    expect(await alerts()).toHaveLength(0)
  })

  it('alerts the security officer once a day while events wait unsealed too long', async () => {
    const { audit, auditIntegrity, db, config } = app.container
    await db.auditEvent.create({ data: { ...entry(80), actorId: '80', objectId: '1080', action: 'stale.unsealed', details: {}, occurredAt: new Date(Date.now() - 10 * 60_000) } })
    expect((await auditIntegrity.check()).problem).toMatchObject({ problem: 'UNSEALED_EVENTS' })
    expect((await auditIntegrity.check()).problem).toMatchObject({ problem: 'UNSEALED_EVENTS' })
    const sent = await alerts()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ recipient: config.contacts.security, channel: 'IMMEDIATE', priority: 'P1', template: 'audit-integrity-alert' })
    expect((sent[0]!.data as { detail: string }).detail).toMatch(/^\d+ events are not sealed into the chain; the oldest has waited 6\d\d s/)
    await audit.seal({ wait: true })
    expect((await auditIntegrity.check()).problem).toBeNull()
  })

  it('alerts the security officer once per broken link, naming it, and records the failure', async () => {
    const { auditIntegrity, db, pgPool } = app.container
    const victim = await db.auditEvent.findFirstOrThrow({ where: { chainSeq: 4 } })
    // A superuser's edit that stays: triggers off for the transaction, committed.
    await sqlTransaction(pgPool, async (sql) => {
      await sql.$executeRaw`SET LOCAL session_replication_role = replica`
      await sql.$executeRaw`UPDATE "AuditEvent" SET outcome = 'FAILURE' WHERE id = ${victim.id.toString()}::bigint`
    })
    for (let i = 0; i < 2; i++) {
      const result = await auditIntegrity.check()
      expect(result.problem).toMatchObject({ problem: 'BROKEN_CHAIN', chainSeq: 4n, eventId: victim.id })
    }
    const broken = (await alerts()).filter((n) => (n.data as { problem: string }).problem === 'BROKEN_CHAIN')
    expect(broken).toHaveLength(1)
    expect((broken[0]!.data as { detail: string }).detail).toBe(`Place 4 (event ${victim.id}): its content does not match its hash: the event was changed. 3 events before it verify.`)
    const failures = await db.auditEvent.findMany({ where: { action: 'audit.verify', outcome: 'FAILURE' } })
    expect(failures.length).toBeGreaterThanOrEqual(2)
  })
})
