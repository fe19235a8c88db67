// Which team works a report, and why (DESIGN.md): CVIP for apparent new imagery of an
// unidentified child and for matches to identified series; the CyberTipline for the rest.
// Pure: no I/O.
import type { Queue } from '@prisma/client'
import type { RoutingRules } from './triage.rules.js'
import type { TriageInput } from './scoring.js'

export type Route = { queue: Queue; rule: string; reason: string; ruleVersion: string }

export function routeReport(input: Pick<TriageInput, 'files' | 'batchedReason'>, rules: RoutingRules): Route {
  const route = (queue: Queue, rule: string, reason: string): Route => ({ queue, rule: `${rules.version}:${rule}`, reason, ruleVersion: rules.version })
  const unknown = input.files.filter((f) => f.matchStatus === 'UNKNOWN').length
  const identified = input.files.filter((f) => f.matchStatus === 'IDENTIFIED_SERIES').length
  // A viral meme batch is known, circulating content: it is the CyberTipline's, whatever its files.
  if (input.batchedReason === 'VIRAL_POTENTIAL_MEME') return route('CYBERTIPLINE', 'viral-batch', 'batched by the ESP as a viral meme')
  if (unknown > 0) return route('CVIP', 'possible-new-victim', `${unknown} of ${input.files.length} files match no known hash: possible new victim`)
  if (identified > 0) return route('CVIP', 'identified-series', `${identified} of ${input.files.length} files match an identified series`)
  return route(rules.defaultQueue, 'default', 'no file suggests a new or identified victim')
}
