// A clean database for each test file: a copy of a template that the global setup migrated
// once. CREATE DATABASE ... TEMPLATE copies files, so it is fast and starts exactly migrated.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

// May name a Unix socket: postgresql://postgres@localhost?host=/var/run/postgresql
export const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432'
// Two checkouts testing at once on one server each name their own template.
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? 'tip_triage_test_template'

export function databaseUrl(name: string): string {
  const [server, options] = SERVER_URL.split('?')
  return `${server}/${name}${options ? `?${options}` : ''}`
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export type TestDatabase = { name: string; url: string; drop(): Promise<void> }

export async function createTestDatabase(template = TEMPLATE_DATABASE): Promise<TestDatabase> {
  const name = `tip_triage_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  return {
    name,
    url: databaseUrl(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  }
}
