// Creates the configured database if it does not exist yet, so `npm start` works on a fresh
// PostgreSQL. Connects to the server's maintenance database to do it.
import pg from 'pg'
import { loadConfig } from '../src/config.js'

export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.slice(1))
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Refusing to create a database named "${name}"`)
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (rowCount) return false
    await client.query(`CREATE DATABASE "${name}"`)
    return true
  } finally {
    await client.end()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const created = await ensureDatabase(loadConfig().databaseUrl)
  if (created) console.log('Created the database.')
}
