// The triage rules as data, with a version. Each scored report stores the version it was
// scored under; a new version is a new object here, never an edit of an old one.
import type { IncidentType, Priority, Queue, ReportAnnotation } from '@prisma/client'

export type ScoringRules = {
  version: string
  /** Every report starts here. */
  base: number
  incidentType: Record<IncidentType, number>
  /** escalateToHighPriority present: the reporter says a child is at immediate risk. */
  escalation: number
  annotations: Record<ReportAnnotation, number>
  /** Some files match no known hash: possibly a new, unidentified victim. */
  unknownFiles: number
  /** Every file is already in the catalog (no new victim to find). */
  allFilesKnown: number
  /** A file matches a series whose child is identified. */
  identifiedSeries: number
  /** The ESP batched it as a viral meme. */
  viralMeme: number
  /** The incident happened recently: the harm may be ongoing. */
  recent: { withinHours: number; weight: number }
  /** Each earlier report about the same account, email, IP or file, up to a cap. */
  priorReports: { each: number; max: number }
  /** Lowest score of each level; below P3 is INFO. */
  thresholds: Record<Exclude<Priority, 'INFO'>, number>
}

export const SCORING_RULES_V1: ScoringRules = {
  version: 'scoring-2026-12-04',
  base: 15,
  incidentType: {
    CHILD_SEX_TRAFFICKING: 35,
    ONLINE_ENTICEMENT: 30,
    CHILD_SEXUAL_MOLESTATION: 30,
    CHILD_SEX_TOURISM: 20,
    CHILD_PORNOGRAPHY: 15,
    UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD: 15,
    MISLEADING_WORDS_OR_DIGITAL_IMAGES: 5,
    MISLEADING_DOMAIN_NAME: 5,
  },
  escalation: 45,
  annotations: {
    SADISTIC_ONLINE_EXPLOITATION: 25,
    SEXTORTION: 20,
    CSAM_SOLICITATION: 10,
    MINOR_TO_MINOR_INTERACTION: -5,
    SPAM: -40,
    INFORMATIONAL: -40,
  },
  unknownFiles: 15,
  allFilesKnown: -5,
  identifiedSeries: -5,
  viralMeme: -35,
  recent: { withinHours: 72, weight: 10 },
  priorReports: { each: 5, max: 15 },
  thresholds: { P1: 75, P2: 50, P3: 25 },
}

export type RoutingRules = { version: string; defaultQueue: Queue }

export const ROUTING_RULES_V1: RoutingRules = { version: 'routing-2026-12-04', defaultQueue: 'CYBERTIPLINE' }

/** Every scoring rule set there has been, by version: old ones stay, for the record. */
export const SCORING_RULE_SETS: Readonly<Record<string, ScoringRules>> = {
  [SCORING_RULES_V1.version]: SCORING_RULES_V1,
}

export const ROUTING_RULE_SETS: Readonly<Record<string, RoutingRules>> = {
  [ROUTING_RULES_V1.version]: ROUTING_RULES_V1,
}

export function scoringRulesNamed(version: string): ScoringRules {
  const rules = SCORING_RULE_SETS[version]
  if (!rules) throw new Error(`No scoring rules "${version}"; known: ${Object.keys(SCORING_RULE_SETS).join(', ')}`)
  return rules
}

export function routingRulesNamed(version: string): RoutingRules {
  const rules = ROUTING_RULE_SETS[version]
  if (!rules) throw new Error(`No routing rules "${version}"; known: ${Object.keys(ROUTING_RULE_SETS).join(', ')}`)
  return rules
}
