// lib/sql.ts against PostgreSQL: a write deferred to the COMMIT stores exactly what the same
// write with parameters stores, and commits with its transaction or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type pg from 'pg'
import { createSqlPool, executeAtCommit, sqlOf, sqlTransaction } from '../../src/lib/sql.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

let database: TestDatabase
let pool: pg.Pool

beforeAll(async () => {
  database = await createTestDatabase()
  pool = createSqlPool(database.url, { max: 2 })
  await pool.query(`CREATE TABLE deferred_write (id int PRIMARY KEY, label text, amount int, ratio float8, seen boolean, at timestamp(3), details jsonb, kind "Priority")`)
})
afterAll(async () => {
  await pool.end()
  await database.drop()
})

const AWKWARD = [`it's`, 'back\\slash \\x41', '$1 and $2', 'line\nbreak', '¿Ünïcødé? 😀', `"; DROP TABLE deferred_write; --`, '', "E'\\''"]

describe('executeAtCommit', () => {
  it('stores what a parameterised statement stores, for every kind of value, awkward strings included', async () => {
    const at = new Date('2026-12-05T06:07:08.123Z')
    const rows = AWKWARD.map((label, i) => ({ id: i + 1, label, amount: i % 2 ? -i : i * 1000, ratio: i / 7, seen: i % 2 === 0, at, details: JSON.stringify({ label, n: i }), kind: i % 2 ? 'P1' : null }))
    const insert = (write: (strings: TemplateStringsArray, ...values: unknown[]) => Promise<unknown>, r: (typeof rows)[number], offset: number) =>
      write`INSERT INTO deferred_write (id, label, amount, ratio, seen, at, details, kind)
            SELECT ${r.id + offset}, ${r.label}, ${r.amount}, ${r.ratio}, ${r.seen}, ${r.at}, ${r.details}::jsonb, ${r.kind}::"Priority" WHERE ${true}`
    await sqlTransaction(pool, async (tx) => {
      for (const r of rows) await insert(executeAtCommit(tx), r, 0)
      // Not written yet: it travels with the COMMIT.
      expect(await tx.$queryRaw<unknown[]>`SELECT 1 FROM deferred_write`).toEqual([])
    })
    const direct = sqlOf(pool)
    for (const r of rows) await insert((s, ...v) => direct.$executeRaw(s, ...v), r, 100)

    const stored = await direct.$queryRaw<Record<string, unknown>[]>`SELECT * FROM deferred_write ORDER BY id`
    expect(stored).toHaveLength(rows.length * 2)
    const deferred = stored.filter((s) => (s.id as number) < 100)
    const parameterised = stored.filter((s) => (s.id as number) > 100).map((s) => ({ ...s, id: (s.id as number) - 100 }))
    expect(deferred).toEqual(parameterised)
    expect(deferred.map((s) => s.label)).toEqual(AWKWARD)
    expect(deferred[0]!.at).toEqual(at)
  })

  it('commits nothing of the transaction when the deferred write fails', async () => {
    const failing = sqlTransaction(pool, async (tx) => {
      await tx.$executeRaw`INSERT INTO deferred_write (id, label) VALUES (1000, 'before')`
      await executeAtCommit(tx)`INSERT INTO deferred_write (id, kind) VALUES (1001, ${'NOT-A-LEVEL'}::"Priority")`
    })
    await expect(failing).rejects.toThrow(/invalid input value for enum/)
    expect((await pool.query('SELECT id FROM deferred_write WHERE id >= 1000')).rows).toEqual([])
    // The connection went back to the pool usable.
    expect((await pool.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }])
  })

  it('refuses a value it cannot write as a literal instead of guessing', async () => {
    await expect(sqlTransaction(pool, (tx) => executeAtCommit(tx)`SELECT ${[1, 2]}::int[]`)).rejects.toThrow(/array/)
    await expect(sqlTransaction(pool, (tx) => executeAtCommit(tx)`SELECT ${Number.NaN}`)).rejects.toThrow(/NaN/)
  })
})
