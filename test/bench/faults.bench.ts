// npm run bench:faults
// Each fault of test/faults/scenarios.ts FAULT_RUNS times (default 5), on a database of its own,
// against web and worker processes started from dist/. Prints each run, then per fault: accepted,
// stored, notified, lost (target 0), duplicated (target 0), and the time to recover (from the end
// of the fault until every notification for a report accepted before then was sent).
// FAULTS=workerKilled,redisOutage picks some (workerKilled, redisOutage, smtpRefusing,
// webTerminated, postgresRestarted, scaleOut).
import { execFileSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { randomBytes } from 'node:crypto'
import { adminQuery, databaseUrl } from '../support/database.js'
import { buildDist } from '../support/processes.js'
import { FAULTS, type FaultRun } from '../faults/scenarios.js'

const RUNS = Number(process.env.FAULT_RUNS ?? 5)
const chosen = (process.env.FAULTS?.split(',') ?? Object.keys(FAULTS)) as (keyof typeof FAULTS)[]

const name = `tip_triage_bench_${randomBytes(4).toString('hex')}`
await adminQuery(`CREATE DATABASE "${name}"`)
const url = databaseUrl(name)
try {
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url }, stdio: 'pipe' })
  buildDist()
  const results: Record<string, FaultRun[]> = {}
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')
  console.log(`load average (1/5/15 min) at start: ${load()}`)
  for (let run = 1; run <= RUNS; run++) {
    for (const fault of chosen) {
      const result = await FAULTS[fault](url, { log: (line) => console.log(`run ${run}  ${line}  [load ${load()}]`) })
      ;(results[fault] ??= []).push(result)
    }
  }
  const sum = (runs: FaultRun[], key: 'accepted' | 'stored' | 'notified' | 'lost' | 'duplicated' | 'refused') => runs.reduce((n, r) => n + r[key], 0)
  console.log(`\nfaults: ${RUNS} runs each, ~20 reports/s through /ispws (submit [+ upload] + finish), web + worker from dist/, ${new Date().toISOString().slice(0, 10)}, load average at the end ${load()}`)
  console.log('| fault | runs | accepted | stored | notified | lost | duplicated | recover (min / median / max) | refused calls |')
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const [fault, runs] of Object.entries(results)) {
    const recover = runs.map((r) => r.recoverSeconds).sort((a, b) => a - b)
    console.log(`| ${runs[0]!.fault} | ${runs.length} | ${sum(runs, 'accepted')} | ${sum(runs, 'stored')} | ${sum(runs, 'notified')} | ${sum(runs, 'lost')} | ${sum(runs, 'duplicated')} | ${recover[0]!.toFixed(1)} / ${recover[Math.floor(recover.length / 2)]!.toFixed(1)} / ${recover.at(-1)!.toFixed(1)} s | ${sum(runs, 'refused')} |`)
  }
  // What each fault asserts besides the counts, run by run.
  for (const runs of Object.values(results)) {
    console.log(`\n${runs[0]!.fault}:`)
    for (const [i, r] of runs.entries()) console.log(`  run ${i + 1}: ${Object.entries(r.notes).filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join(' ')}`)
  }
  const failures = Object.values(results).flat().filter((r) => r.lost || r.duplicated > r.duplicatedAfterKill || r.problems.length)
  if (failures.length) {
    console.log(`\n${failures.length} runs with problems:`)
    for (const r of failures) console.log(`  ${r.fault}: ${r.problems.join('; ')}`)
    process.exitCode = 1
  }
} finally {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}
