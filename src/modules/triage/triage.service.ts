// Triage: scores, routes and places a received report, in the transaction that makes it
// visible (intake's finish, or a hand-entered report), and writes the notifications the
// policy asks for in the same transaction.
import type { HashMatchStatus, IncidentType, Priority, Queue, ReportAnnotation, ReportStatus } from '@prisma/client'
import type { Db, Tx } from '../../lib/db.js'
import type pg from 'pg'
import { executeAtCommit, sqlTransaction, type RawSql } from '../../lib/sql.js'
import type { Clock } from '../../lib/clock.js'
import { AppError } from '../../lib/errors.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { deriveJurisdiction } from './jurisdiction.js'
import { routeReport } from './routing.js'
import { slaDueAt } from './sla.js'
import { PRIOR_REPORT_COUNT_CAP, scoreReport, type TriageInput } from './scoring.js'
import { ROUTING_RULES_V1, SCORING_RULES_V1, type RoutingRules, type ScoringRules } from './triage.rules.js'

export type TriageDeps = {
  db: Db
  clock: Clock
  notifications: Pick<NotificationsService, 'notifyReportRouted'>
  slaMinutes: Record<Priority, number>
  scoring?: ScoringRules
  routing?: RoutingRules
  /** node-postgres for the batch re-score (hand-written SQL; see lib/sql.ts); Prisma without it. */
  pool?: pg.Pool
}

type ReportRow = {
  id: number
  incidentType: IncidentType
  incidentAt: Date
  receivedAt: Date | null
  escalationText: string | null
  annotations: string[]
  batchedReason: string | null
  reporterDetails: unknown
  status: ReportStatus
  priority: Priority | null
  queue: Queue | null
  triagedAt: Date | null
  priorityOverridden: boolean
  queueOverridden: boolean
  ruleVersion: string | null
  files: HashMatchStatus[]
  parties: { role: string; estimatedLocation: unknown }[]
  priorReportCount: number
  ipLocations: { ip: string; country: string; region: string | null }[]
}

type Location = { countryCode?: string | null; region?: string | null; state?: string | null; country?: string | null }

function asLocations(value: unknown): Location[] {
  if (!value) return []
  return (Array.isArray(value) ? value : [value]).filter((v): v is Location => typeof v === 'object' && v !== null)
}

export function createTriageService({ db, clock, notifications, slaMinutes, scoring = SCORING_RULES_V1, routing = ROUTING_RULES_V1, pool }: TriageDeps) {
  /**
   * What the rules see of a report, and its triage state, in one round trip. (Triage runs in
   * the transaction that makes a report visible, so its queries are few and hand-written.)
   */
  async function loadReport(tx: RawSql, reportId: number) {
    const [row] = await tx.$queryRaw<ReportRow[]>`
      SELECT r.id, r."incidentType", r."incidentAt", r."receivedAt", r."escalationText", COALESCE(to_json(r.annotations), '[]'::json) AS annotations,
             r."batchedReason", r."reporterDetails", r.status, r.priority, r.queue, r."triagedAt", r."priorityOverridden",
             r."queueOverridden", r."ruleVersion",
             COALESCE((SELECT json_agg(f."matchStatus") FROM "ReportFile" f WHERE f."reportId" = r.id), '[]'::json) AS files,
             COALESCE((SELECT json_agg(json_build_object('role', p.role, 'estimatedLocation', p."estimatedLocation"))
                       FROM "ReportParty" p WHERE p."reportId" = r.id), '[]'::json) AS parties,
             -- Earlier reports (opened and received before this one) sharing an identifier
             -- (account, email, IP...) or a file not in the catalog: a catalog file recurs by its
             -- nature, a new file seen again does not. Each identifier and file reads the latest
             -- twenty-one earlier reports only, a backward scan of (kind, value, reportId) from
             -- this report's id, so a common one (a spammer's address in 100,000 reports) costs no
             -- more than a rare one, for a new report and an old one alike.
             (SELECT COUNT(DISTINCT linked.id) FROM (
                SELECT theirs.id FROM "PartyIdentifier" mine
                CROSS JOIN LATERAL (
                  SELECT r2.id FROM "PartyIdentifier" pi JOIN "Report" r2 ON r2.id = pi."reportId"
                  WHERE pi.kind = mine.kind AND pi.value = mine.value AND pi."reportId" < r.id
                    AND r2."receivedAt" < r."receivedAt" AND r2.status NOT IN ('OPEN', 'RETRACTED')
                  ORDER BY pi."reportId" DESC
                  LIMIT ${PRIOR_REPORT_COUNT_CAP + 1}) theirs
                WHERE mine."reportId" = r.id
                UNION ALL
                SELECT theirs.id FROM "ReportFile" mine
                CROSS JOIN LATERAL (
                  SELECT r2.id FROM "ReportFile" f JOIN "Report" r2 ON r2.id = f."reportId"
                  WHERE f.md5 = mine.md5 AND f."reportId" < r.id
                    AND r2."receivedAt" < r."receivedAt" AND r2.status NOT IN ('OPEN', 'RETRACTED')
                  ORDER BY f."reportId" DESC
                  LIMIT ${PRIOR_REPORT_COUNT_CAP + 1}) theirs
                WHERE mine."reportId" = r.id AND mine.md5 IS NOT NULL AND mine."matchStatus" = 'UNKNOWN'
              ) linked)::int AS "priorReportCount",
             -- Where the report's IP addresses are (its IP_ADDRESS identifiers, checked to be
             -- addresses when written): the most specific known network wins.
             COALESCE((SELECT json_agg(json_build_object('ip', host(x.addr), 'country', x.country, 'region', x.region) ORDER BY x.addr) FROM (
                SELECT DISTINCT ON (a.addr) a.addr, l.country, l.region
                FROM (SELECT DISTINCT pi.value::inet AS addr FROM "PartyIdentifier" pi WHERE pi."reportId" = r.id AND pi.kind = 'IP_ADDRESS') a
                JOIN "IpLocation" l ON l.network >>= a.addr
                ORDER BY a.addr, masklen(l.network) DESC) x), '[]'::json) AS "ipLocations"
      FROM "Report" r WHERE r.id = ${reportId}`
    if (!row || !row.receivedAt) throw new AppError('NOT_FOUND', `Report ${reportId} is not a received report`)
    const reporter = (row.reporterDetails ?? {}) as { reportingPerson?: { address?: unknown } }
    const locations = [
      ...row.parties.flatMap((p) =>
        asLocations(p.estimatedLocation).map((l) => ({ countryCode: l.countryCode ?? null, region: l.region ?? null, source: `estimated location of the ${p.role.toLowerCase().replace(/_/g, ' ')}` })),
      ),
      ...asLocations(reporter.reportingPerson?.address).map((a) => ({ countryCode: a.country ?? 'US', region: a.state ?? null, source: "reporter's address" })),
      ...row.ipLocations.map((l) => ({ countryCode: l.country, region: l.region, source: `IP ${l.ip}` })),
    ]
    const input: TriageInput & { id: number } = {
      id: row.id,
      incidentType: row.incidentType,
      incidentAt: row.incidentAt,
      receivedAt: row.receivedAt,
      escalationText: row.escalationText,
      annotations: row.annotations as ReportAnnotation[],
      batchedReason: row.batchedReason,
      files: row.files.map((matchStatus) => ({ matchStatus })),
      priorReportCount: Math.min(row.priorReportCount, PRIOR_REPORT_COUNT_CAP + 1),
      locations,
    }
    return { input, before: row }
  }

  async function loadInput(tx: RawSql, reportId: number): Promise<TriageInput & { id: number }> {
    return (await loadReport(tx, reportId)).input
  }

  /**
   * Scores, routes and places one received report, and writes its notifications. Run again on a
   * triaged report (re-scoring under new rules), it keeps what a person set (an overridden
   * priority or queue), its status and its SLA clock's start, and records what changed.
   */
  async function triageReport(tx: RawSql, reportId: number) {
    const { input, before } = await loadReport(tx, reportId)
    const scored = scoreReport(input, scoring)
    const route = routeReport(input, routing)
    const jurisdiction = deriveJurisdiction(input.locations)
    const now = clock.now()
    const firstTime = before.triagedAt === null
    const level = before.priorityOverridden && before.priority ? before.priority : scored.level
    const queue = before.queueOverridden && before.queue ? before.queue : route.queue
    const triagedAt = before.triagedAt ?? now
    const dueAt = slaDueAt(triagedAt, level, slaMinutes)
    const keepRoute = before.queueOverridden
    const changed = before.priority !== level || before.queue !== queue
    const eventKind = firstTime ? 'TRIAGED' : 'PRIORITY_CHANGED'
    const eventNote = firstTime
      ? `Scored ${scored.score} (${level}) under ${scored.ruleVersion}; routed to ${queue}: ${route.reason}; jurisdiction: ${jurisdiction.evidence}`
      : `Re-scored under ${scored.ruleVersion} (was ${before.ruleVersion}): ${before.priority} ${before.queue} -> ${level} ${queue}`
    const eventDetails = { score: scored.score, level, queue, rule: route.rule, jurisdiction: jurisdiction.evidence }
    // One statement writes the triage and its timeline entry, sent with the COMMIT (nothing in
    // the transaction reads them after). The proposed agency: the ICAC task force of the
    // report's US state, if the directory has one.
    await executeAtCommit(tx)`
      WITH updated AS (
        UPDATE "Report" SET
          status = CASE WHEN status = 'RECEIVED' THEN 'TRIAGED'::"ReportStatus" ELSE status END,
          priority = ${level}::"Priority", score = ${scored.score}, "priorityFactors" = ${JSON.stringify(scored.factors)}::jsonb,
          "ruleVersion" = ${scored.ruleVersion}, queue = ${queue}::"Queue",
          "routeRule" = CASE WHEN ${keepRoute} THEN "routeRule" ELSE ${route.rule} END,
          "routeReason" = CASE WHEN ${keepRoute} THEN "routeReason" ELSE ${route.reason} END,
          "jurisdictionCountry" = ${jurisdiction.country}, "jurisdictionState" = ${jurisdiction.state},
          "proposedAgencyId" = (SELECT a.id FROM "Agency" a WHERE a.kind = 'ICAC_TASK_FORCE' AND a.country = 'US'
                                AND ${jurisdiction.country} = 'US' AND a.state = ${jurisdiction.state} ORDER BY a.id LIMIT 1),
          "triagedAt" = ${triagedAt}, "slaDueAt" = ${dueAt}, "updatedAt" = ${now}
        WHERE id = ${reportId}
      )
      INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
      SELECT ${reportId}, ${eventKind}::"ReportEventKind", ${eventNote}, ${JSON.stringify(eventDetails)}::jsonb, ${now}
      WHERE ${firstTime || changed}`
    await notifications.notifyReportRouted(tx, {
      id: reportId,
      priority: level,
      queue,
      receivedAt: input.receivedAt,
      unknownFileCount: input.files.filter((f) => f.matchStatus === 'UNKNOWN').length,
    })
    return { ...scored, level, queue, route, jurisdiction, changed }
  }

  /**
   * Re-scores every open report under the rules in force, a batch per transaction. Resumable and
   * safe to run twice: a re-scored report no longer matches, and overrides are kept.
   */
  async function rescoreOpenReports({ batchSize = 200 }: { batchSize?: number } = {}): Promise<{ rescored: number; changed: number }> {
    let rescored = 0
    let changed = 0
    for (;;) {
      const rescoreBatch = async (tx: RawSql) => {
        // The next batch of triaged reports still being worked whose score or route came from
        // other rules, locked: triage's writes go with the COMMIT, so without the lock an
        // override, a close or a referral committed meanwhile would be written over by this
        // older view of the report (one waited for is looked at again, and left if no longer stale).
        const stale = await tx.$queryRaw<{ id: number }[]>`
          SELECT id FROM "Report"
          WHERE status IN ('TRIAGED', 'IN_REVIEW')
            AND ("ruleVersion" IS DISTINCT FROM ${scoring.version}
                 OR (NOT "queueOverridden" AND ("routeRule" IS NULL OR "routeRule" NOT LIKE ${`${routing.version}:%`})))
          ORDER BY id
          LIMIT ${batchSize}
          FOR UPDATE`
        let changedHere = 0
        for (const { id } of stale) {
          if ((await triageReport(tx, id)).changed) changedHere++
        }
        return { rescored: stale.length, changed: changedHere }
      }
      const batch = pool ? await sqlTransaction(pool, rescoreBatch) : await db.$transaction(rescoreBatch, { timeout: 120_000 })
      if (batch.rescored === 0) return { rescored, changed }
      rescored += batch.rescored
      changed += batch.changed
    }
  }

  /**
   * What candidate rules would do to the last `lastN` triaged reports, changing nothing: how many
   * would change level or queue, the transitions, and examples. Overrides still win.
   */
  async function dryRun(candidate: { scoring: ScoringRules; routing: RoutingRules }, lastN: number) {
    const reports = await db.report.findMany({
      where: { triagedAt: { not: null }, status: { notIn: ['OPEN', 'RETRACTED'] } },
      orderBy: { receivedAt: 'desc' },
      take: lastN,
      select: { id: true, priority: true, queue: true, score: true, priorityOverridden: true, queueOverridden: true },
    })
    const transitions: Record<string, number> = {}
    const examples: { reportId: number; from: string; to: string; score: { from: number | null; to: number } }[] = []
    let levelChanged = 0
    let queueChanged = 0
    for (const report of reports) {
      const input = await loadInput(db, report.id)
      const scored = scoreReport(input, candidate.scoring)
      const route = routeReport(input, candidate.routing)
      const level = report.priorityOverridden && report.priority ? report.priority : scored.level
      const queue = report.queueOverridden && report.queue ? report.queue : route.queue
      if (level === report.priority && queue === report.queue) continue
      if (level !== report.priority) levelChanged++
      if (queue !== report.queue) queueChanged++
      const key = `${report.priority} ${report.queue} -> ${level} ${queue}`
      transitions[key] = (transitions[key] ?? 0) + 1
      if (examples.length < 10) examples.push({ reportId: report.id, from: `${report.priority} ${report.queue}`, to: `${level} ${queue}`, score: { from: report.score, to: scored.score } })
    }
    return {
      candidate: { scoring: candidate.scoring.version, routing: candidate.routing.version },
      current: { scoring: scoring.version, routing: routing.version },
      examined: reports.length,
      levelChanged,
      queueChanged,
      transitions,
      examples,
    }
  }

  return { triageReport, loadInput, rescoreOpenReports, dryRun, rules: { scoring, routing } }
}

export type TriageService = ReturnType<typeof createTriageService>
