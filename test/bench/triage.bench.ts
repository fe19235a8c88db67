// npm run bench:triage
// Scoring and routing as pure functions, on one core: reports a second. The other figures
// issue 5 asks for (added latency inside the finish transaction, re-scoring 100,000 open
// reports) need intake's finish and the re-score job, which have not landed yet.
import type { HashMatchStatus, IncidentType, ReportAnnotation } from '@prisma/client'
import { scoreReport, type TriageInput } from '../../src/modules/triage/scoring.js'
import { routeReport } from '../../src/modules/triage/routing.js'
import { deriveJurisdiction } from '../../src/modules/triage/jurisdiction.js'
import { ROUTING_RULES_V1, SCORING_RULES_V1 } from '../../src/modules/triage/triage.rules.js'

const N = Number(process.env.BENCH_REPORTS ?? 200_000)
const TYPES = Object.keys(SCORING_RULES_V1.incidentType) as IncidentType[]
const ANNOTATIONS = Object.keys(SCORING_RULES_V1.annotations) as ReportAnnotation[]
const MATCH: HashMatchStatus[] = ['UNKNOWN', 'KNOWN', 'IDENTIFIED_SERIES']

const now = Date.now()
const inputs: TriageInput[] = Array.from({ length: 10_000 }, (_, i) => ({
  incidentType: TYPES[i % TYPES.length]!,
  incidentAt: new Date(now - (i % 200) * 3_600_000),
  receivedAt: new Date(now),
  escalationText: i % 50 === 0 ? 'child at risk now' : null,
  annotations: i % 7 === 0 ? [ANNOTATIONS[i % ANNOTATIONS.length]!] : [],
  batchedReason: i % 40 === 0 ? 'VIRAL_POTENTIAL_MEME' : null,
  files: Array.from({ length: i % 5 }, (_, j) => ({ matchStatus: MATCH[(i + j) % 3]! })),
  priorReportCount: i % 4,
  locations: [{ countryCode: 'US', region: ['CA', 'TX', 'NY'][i % 3]!, source: 'estimated location of the reported user' }],
}))

function run(n: number): number {
  let checksum = 0
  for (let i = 0; i < n; i++) {
    const input = inputs[i % inputs.length]!
    const scored = scoreReport(input, SCORING_RULES_V1)
    const route = routeReport(input, ROUTING_RULES_V1)
    const place = deriveJurisdiction(input.locations)
    checksum += scored.score + route.queue.length + (place.state?.length ?? 0)
  }
  return checksum
}

run(20_000) // warm-up
const runs: number[] = []
for (let r = 0; r < 5; r++) {
  const started = process.hrtime.bigint()
  run(N)
  runs.push(Number(process.hrtime.bigint() - started) / 1e9)
}
runs.sort((a, b) => a - b)
const median = runs[2]!
console.log(`score + route + jurisdiction, pure, one core: ${N.toLocaleString()} reports in ${median.toFixed(3)} s (median of 5)`)
console.log(`${Math.round(N / median).toLocaleString()} reports/s (target 20,000)`)
