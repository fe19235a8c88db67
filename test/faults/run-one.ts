// Temporary driver: one fault once, printing its notes.
import { buildDist } from '../support/processes.js'
import { FAULTS } from './scenarios.js'
import { adminQuery, databaseUrl } from '../support/database.js'
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
const fault = process.argv[2] as keyof typeof FAULTS
if (!process.env.SKIP_BUILD) buildDist()
let url = ''
let name = ''
if (fault !== 'postgresRestarted') {
  name = `tip_triage_try_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${process.env.TEST_TEMPLATE_DATABASE}"`)
  url = databaseUrl(name)
}
try {
  const run = await FAULTS[fault](url, { log: console.log })
  console.log(JSON.stringify(run.notes, null, 1), run.problems)
} finally {
  if (name) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
