// npm run db:new-migration -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
// schema as last committed and the schema now: no shadow database needed (see STACK.md).
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync, readdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config.js'
import { ensureDatabase } from './ensure-database.js'

const name = process.argv[2]
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:new-migration -- <name in snake_case>')
  process.exit(1)
}

// The schema the existing migrations produce: the last committed one, or nothing at all.
const migrationsDir = 'prisma/migrations'
const hasMigrations = readdirSync(migrationsDir).some((d) => /^\d{14}_/.test(d))
const from: string[] = ['--from-empty']
if (hasMigrations) {
  const before = path.join(mkdtempSync(path.join(tmpdir(), 'schema-')), 'before.prisma')
  writeFileSync(before, execFileSync('git', ['show', 'HEAD:prisma/schema.prisma']))
  from.splice(0, 1, '--from-schema-datamodel', before)
}

// The CLI's WASM schema engine connects to DATABASE_URL even to diff two datamodels.
await ensureDatabase(loadConfig().databaseUrl)
const sql = execFileSync('npx', ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'], {
  encoding: 'utf8',
})
if (!sql.trim() || /This is an empty migration/.test(sql)) {
  console.log('The schema has not changed since the last commit: no migration written.')
  process.exit(0)
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
const dir = path.join(migrationsDir, `${stamp}_${name}`)
mkdirSync(dir, { recursive: true })
writeFileSync(path.join(dir, 'migration.sql'), sql)
console.log(`Wrote ${dir}/migration.sql. Read it, hand-edit what Prisma cannot express, then npm run db:migrate.`)
