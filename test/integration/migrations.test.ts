import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { adminQuery, createTestDatabase, databaseUrl } from '../support/database.js'
import { schemaSnapshot } from '../support/schema-snapshot.js'

const FROM_SCHEMA = `tip_triage_test_from_schema_${process.pid}`

describe('migrations', () => {
  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS "${FROM_SCHEMA}" WITH (FORCE)`))

  it('build the same database as the current schema does (no drift)', async () => {
    // What the schema says, applied straight to an empty database ...
    await adminQuery(`DROP DATABASE IF EXISTS "${FROM_SCHEMA}" WITH (FORCE)`)
    await adminQuery(`CREATE DATABASE "${FROM_SCHEMA}"`)
    // (The CLI's WASM engine connects to DATABASE_URL even for a datamodel diff.)
    const sql = execFileSync('npx', ['prisma', 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl(FROM_SCHEMA) },
    })
    const client = new pg.Client({ connectionString: databaseUrl(FROM_SCHEMA) })
    await client.connect()
    await client.query(sql)
    await client.end()

    // ... must equal what the committed migrations built (a copy of the template every test
    // file starts from; the template itself must stay free of connections to be copied).
    const migrated = await createTestDatabase()
    const fromMigrations = await schemaSnapshot(migrated.url).finally(() => migrated.drop())
    const fromSchema = await schemaSnapshot(databaseUrl(FROM_SCHEMA))
    expect(fromMigrations.columns?.length).toBeGreaterThan(100)
    expect(fromMigrations).toEqual(fromSchema)
  })
})
