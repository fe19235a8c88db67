// Once per test run: a template database with every migration applied. Each test file copies it.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { adminQuery, databaseUrl, TEMPLATE_DATABASE } from './database.js'

export default async function setup(): Promise<void> {
  // A component bundle from an earlier run may predate the components: rebuild on first use.
  rmSync('.adminjs', { recursive: true, force: true })
  await adminQuery(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`)
  await adminQuery(`CREATE DATABASE "${TEMPLATE_DATABASE}"`)
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(TEMPLATE_DATABASE) },
    stdio: 'pipe',
  })
}
