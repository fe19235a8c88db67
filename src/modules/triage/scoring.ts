// Explainable priority: a score 0–100 made of named factors, each with its weight and the
// evidence for it, mapped to a level by the rules' thresholds. Pure: no I/O.
import type { HashMatchStatus, IncidentType, Priority, ReportAnnotation } from '@prisma/client'
import type { ScoringRules } from './triage.rules.js'

/** Earlier reports are counted up to here: the weight saturates long before, and counting further costs. */
export const PRIOR_REPORT_COUNT_CAP = 20

export type TriageInput = {
  incidentType: IncidentType
  incidentAt: Date
  receivedAt: Date
  escalationText: string | null
  annotations: ReportAnnotation[]
  batchedReason: string | null
  files: { matchStatus: HashMatchStatus }[]
  /** Distinct earlier reports sharing an account, email, IP or file hash with this one. */
  priorReportCount: number
  /** Where the report places the incident (reporter's address, estimated locations). */
  locations: { countryCode: string | null; region: string | null; source: string }[]
}

export type PriorityFactor = { factor: string; weight: number; evidence: string }

export type Scored = { score: number; level: Priority; factors: PriorityFactor[]; ruleVersion: string }

const words = (value: string) => value.toLowerCase().replace(/_/g, ' ')

export function scoreReport(input: TriageInput, rules: ScoringRules): Scored {
  const factors: PriorityFactor[] = [{ factor: 'base', weight: rules.base, evidence: 'every report starts here' }]
  const add = (factor: string, weight: number, evidence: string) => {
    if (weight !== 0) factors.push({ factor, weight, evidence })
  }

  add('incidentType', rules.incidentType[input.incidentType], `incident type: ${words(input.incidentType)}`)
  if (input.escalationText?.trim()) add('escalation', rules.escalation, 'escalateToHighPriority present')
  for (const annotation of input.annotations) add(`annotation:${annotation}`, rules.annotations[annotation], `annotated ${words(annotation)}`)

  const unknown = input.files.filter((f) => f.matchStatus === 'UNKNOWN').length
  const identified = input.files.filter((f) => f.matchStatus === 'IDENTIFIED_SERIES').length
  const total = input.files.length
  if (unknown > 0) add('unknownFiles', rules.unknownFiles, `${unknown} of ${total} files match no known hash`)
  else if (total > 0 && input.files.every((f) => f.matchStatus === 'KNOWN' || f.matchStatus === 'IDENTIFIED_SERIES')) {
    add('allFilesKnown', rules.allFilesKnown, `all ${total} files are in the known-hash catalog`)
  }
  if (identified > 0) add('identifiedSeries', rules.identifiedSeries, `${identified} of ${total} files match an identified series`)

  if (input.batchedReason === 'VIRAL_POTENTIAL_MEME') add('viralMeme', rules.viralMeme, 'batched by the ESP as a viral meme')

  const ageHours = (input.receivedAt.getTime() - input.incidentAt.getTime()) / 3_600_000
  if (ageHours <= rules.recent.withinHours) {
    add('recent', rules.recent.weight, `incident ${Math.max(0, Math.round(ageHours))} h before the report (within ${rules.recent.withinHours} h)`)
  }
  if (input.priorReportCount > 0) {
    const weight = Math.min(rules.priorReports.max, rules.priorReports.each * input.priorReportCount)
    const count = input.priorReportCount > PRIOR_REPORT_COUNT_CAP ? `more than ${PRIOR_REPORT_COUNT_CAP}` : String(input.priorReportCount)
    add('priorReports', weight, `${count} earlier report${input.priorReportCount === 1 ? '' : 's'} about the same account, email, IP or file`)
  }

  const raw = factors.reduce((sum, f) => sum + f.weight, 0)
  const score = Math.max(0, Math.min(100, raw))
  return { score, level: levelOf(score, rules), factors, ruleVersion: rules.version }
}

export function levelOf(score: number, rules: ScoringRules): Priority {
  if (score >= rules.thresholds.P1) return 'P1'
  if (score >= rules.thresholds.P2) return 'P2'
  if (score >= rules.thresholds.P3) return 'P3'
  return 'INFO'
}
