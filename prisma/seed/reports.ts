// 2,000 demo reports across every incident type, priority, queue and status, with files,
// parties, identifiers and a timeline. Each is scored and routed by the real triage rules,
// as of the time it was triaged; then the worked ones are moved along the workflow.
import type { ClosingReason, IncidentType, Prisma, Priority, Queue, ReportAnnotation, ReportStatus, StaffRole } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { hashesOf, pdqOf, type Random } from './random.js'
import { KNOWN_FILE_COUNT, knownFileText } from './catalog.js'
import { createTriageService } from '../../src/modules/triage/triage.service.js'

export const DEMO_REPORT_COUNT = 2000
export const DEMO_REFERENCE_PREFIX = 'DEMO-'

const INCIDENT_TYPES: (readonly [IncidentType, number])[] = [
  ['CHILD_PORNOGRAPHY', 60],
  ['ONLINE_ENTICEMENT', 12],
  ['UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD', 8],
  ['CHILD_SEX_TRAFFICKING', 5],
  ['CHILD_SEXUAL_MOLESTATION', 5],
  ['MISLEADING_WORDS_OR_DIGITAL_IMAGES', 4],
  ['MISLEADING_DOMAIN_NAME', 3],
  ['CHILD_SEX_TOURISM', 3],
]
const STATUSES: (readonly [ReportStatus, number])[] = [
  ['RECEIVED', 8], ['TRIAGED', 45], ['IN_REVIEW', 12], ['REFERRED', 18], ['CLOSED', 15], ['OPEN', 1], ['RETRACTED', 1],
]
const US_STATES = ['CA', 'TX', 'NY', 'FL', 'WA', 'VA']
const PLATFORMS = ['Example Social', 'Example Photos', 'Example Chat', 'Example Cloud', 'Example Games']
const IP_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.']
const ESCALATIONS = [
  'The reported user says they will meet the child this weekend.',
  'The child says they are being harmed at home now.',
  'Live-streaming of abuse appears to be ongoing.',
]

const HOUR = 3600 * 1000
const DEMO_HELD_PER_ANALYST = 3
const DEMO_SLA_WARN_PERCENT = 75
// Any constant: names the advisory lock that serialises seeding.
const SEED_LOCK = 7_305_002

type Known = { id: number; seriesId: number | null; series: { identified: boolean } | null }

export async function seedReports(
  db: Db,
  random: Random,
  ctx: {
    now: Date
    staff: Map<StaffRole, number[]>
    agencies: { id: number; state: string | null; kind: string }[]
    espAccountIds: number[]
    knownByMd5: Map<string, Known>
    slaMinutes: Record<Priority, number>
  },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      // One seeding at a time: two processes starting together must not both add reports.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`
      const already = await tx.report.count({ where: { externalReference: { startsWith: DEMO_REFERENCE_PREFIX } } })
      if (already >= DEMO_REPORT_COUNT) return

      // Take a block of ids past anything already there, so explicit ids cannot collide.
      const [row] = await tx.$queryRaw<{ max: number | null }[]>`SELECT MAX(id) AS max FROM "Report"`
      const base = (row?.max ?? 0) + 1
      await tx.$executeRaw`SELECT setval(pg_get_serial_sequence('"Report"', 'id'), ${base + DEMO_REPORT_COUNT})`

      const reports: Prisma.ReportCreateManyInput[] = []
      const files: Prisma.ReportFileCreateManyInput[] = []
      const parties: (Prisma.ReportPartyCreateManyInput & { identifiers: { kind: Prisma.PartyIdentifierCreateManyInput['kind']; value: string }[] })[] = []
      const events: Prisma.ReportEventCreateManyInput[] = []
      const work: { id: number; status: ReportStatus; triagedAt: Date; referredAt: Date | null; closingReason: ClosingReason | null; claimMinutesAgo: number; leaseMinutes: number }[] = []
      const teams: Record<Queue, number[]> = { CYBERTIPLINE: ctx.staff.get('CYBERTIP_ANALYST') ?? [], CVIP: ctx.staff.get('CVIP_ANALYST') ?? [] }
      const supervisor = ctx.staff.get('SUPERVISOR')![0]!
      const heldBy = new Map<number, number>()

      for (let n = 0; n < DEMO_REPORT_COUNT; n++) {
        const id = base + n
        // The first rows walk every combination, so each type, priority and status appears.
        const incidentType = n < 8 ? INCIDENT_TYPES[n]![0] : random.weighted(INCIDENT_TYPES)
        const status: ReportStatus = n < STATUSES.length ? STATUSES[n]![0] : random.weighted(STATUSES)
        // Recent reports are more often still open; older ones more often worked.
        const ageHours = status === 'RECEIVED' || status === 'TRIAGED' ? random.int(0, 24 * 10) : random.int(24, 24 * 60)
        const receivedAt = new Date(ctx.now.getTime() - ageHours * HOUR - random.int(0, 3599) * 1000)
        const openedAt = new Date(receivedAt.getTime() - random.int(5, 600) * 1000)
        const state = random.pick(US_STATES)
        const annotations: ReportAnnotation[] = []
        if (incidentType === 'ONLINE_ENTICEMENT' && random.chance(0.4)) annotations.push('SEXTORTION')
        if (random.chance(0.05)) annotations.push('MINOR_TO_MINOR_INTERACTION')
        if (random.chance(0.08)) annotations.push('SPAM')
        if (n % 25 === 3) annotations.push('SADISTIC_ONLINE_EXPLOITATION')
        // Every fifteenth report escalated by its reporter: the P1s.
        const escalationText = n % 15 === 1 || random.chance(0.02) ? random.pick(ESCALATIONS) : null
        const triaged = status !== 'RECEIVED' && status !== 'OPEN' && status !== 'RETRACTED'
        const triagedAt = triaged ? new Date(receivedAt.getTime() + random.int(1, 30) * 1000) : null
        const closingReason: ClosingReason | null = status === 'CLOSED' ? random.pick(['INFORMATIONAL', 'DUPLICATE', 'INSUFFICIENT_INFORMATION', 'OUTSIDE_JURISDICTION'] as const) : null
        const referredAt = status === 'REFERRED' ? new Date(receivedAt.getTime() + random.int(1, 48) * HOUR) : null
        if (triagedAt) work.push({ id, status, triagedAt, referredAt, closingReason, claimMinutesAgo: random.int(1, 20), leaseMinutes: random.int(5, 30) })

        reports.push({
          id,
          source: n % 10 === 0 ? 'PUBLIC' : 'ESP',
          espAccountId: n % 10 === 0 ? null : ctx.espAccountIds[n % ctx.espAccountIds.length]!,
          externalReference: `${DEMO_REFERENCE_PREFIX}${String(n + 1).padStart(4, '0')}`,
          // Received first; triage and the workflow below move it on.
          status: triaged ? 'RECEIVED' : status,
          incidentType,
          incidentAt: new Date(receivedAt.getTime() - random.int(1, 24 * 14) * HOUR),
          platform: random.pick(PLATFORMS),
          escalationText,
          annotations,
          batchedReason: n % 40 === 7 ? 'VIRAL_POTENTIAL_MEME' : null,
          internetDetails: [{ type: 'webPageIncident', url: [`https://www.example.com/post/${id}`] }],
          reporterDetails: n % 10 === 0
            ? { reportingPerson: { firstName: 'Public', lastName: 'Caller', phone: ['+1-202-555-0100'] } }
            : { reportingPerson: { firstName: 'Trust', lastName: 'Safety', email: ['reports@esp.example.com'] } },
          openedAt,
          receivedAt: status === 'OPEN' || status === 'RETRACTED' ? null : receivedAt,
          retractedAt: status === 'RETRACTED' ? receivedAt : null,
        })

        const fileCount = incidentType === 'CHILD_PORNOGRAPHY' ? random.int(1, 4) : random.int(0, 2)
        for (let f = 0; f < fileCount; f++) {
          // Most files repeat a catalog entry (circulating material); the rest are new to it.
          const knownIndex = random.chance(0.6) ? random.int(0, KNOWN_FILE_COUNT - 1) : null
          const text = knownIndex !== null ? knownFileText(knownIndex) : `demo report ${n} file ${f}`
          const hashes = hashesOf(text)
          const known = knownIndex !== null ? ctx.knownByMd5.get(hashes.md5) : undefined
          files.push({
            reportId: id,
            fileId: hashesOf(`fileId ${n} ${f}`).md5.replace(/^[0-9]/, 'f'),
            fileName: `upload_${n}_${f}.jpg`,
            originalFileName: `IMG_${1000 + f}.jpg`,
            sizeBytes: BigInt(random.int(20_000, 4_000_000)),
            ...hashes,
            pdq: random.chance(0.3) ? pdqOf(text) : null,
            fileViewedByEsp: random.chance(0.6),
            publiclyAvailable: random.chance(0.2),
            fileRelevance: 'Reported',
            matchStatus: !triaged ? 'UNCHECKED' : known ? (known.series?.identified ? 'IDENTIFIED_SERIES' : 'KNOWN') : 'UNKNOWN',
            knownHashId: triaged && known ? known.id : null,
            createdAt: openedAt,
          })
        }

        const screenName = `user_${random.int(1000, 3000)}` // a bounded pool, so some accounts recur
        const ip = `${random.pick(IP_PREFIXES)}${random.int(1, 254)}`
        parties.push({
          reportId: id,
          role: 'REPORTED_USER',
          screenName,
          espIdentifier: `esp-${screenName}`,
          espService: random.pick(PLATFORMS),
          emails: [`${screenName}@example.com`],
          ipCaptureEvents: [{ ipAddress: ip, eventName: 'Upload', dateTime: openedAt.toISOString() }],
          estimatedLocation: { city: 'Exampleton', region: state, countryCode: 'US', verified: false },
          identifiers: [
            { kind: 'SCREEN_NAME', value: screenName },
            { kind: 'ESP_IDENTIFIER', value: `esp-${screenName}` },
            { kind: 'EMAIL', value: `${screenName}@example.com` },
            { kind: 'IP_ADDRESS', value: ip },
          ],
        })
        if (incidentType === 'ONLINE_ENTICEMENT' || incidentType === 'UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD') {
          parties.push({ reportId: id, role: 'VICTIM', screenName: `minor_${n}`, age: random.int(11, 16), emails: [], identifiers: [{ kind: 'SCREEN_NAME', value: `minor_${n}` }] })
        }

        if (status === 'OPEN' || status === 'RETRACTED') continue
        events.push({ reportId: id, kind: 'RECEIVED', createdAt: receivedAt })
      }

      await tx.report.createMany({ data: reports })
      await tx.reportFile.createMany({ data: files })
      await tx.reportParty.createMany({ data: parties.map(({ identifiers: _identifiers, ...party }) => party) })
      const partyRows = await tx.reportParty.findMany({
        where: { reportId: { gte: base, lt: base + DEMO_REPORT_COUNT } },
        select: { id: true, reportId: true, role: true, screenName: true },
      })
      const partyId = new Map(partyRows.map((p) => [`${p.reportId}/${p.role}/${p.screenName}`, p.id]))
      await tx.partyIdentifier.createMany({
        data: parties.flatMap((p) =>
          p.identifiers.map((i) => ({ ...i, reportId: p.reportId, partyId: partyId.get(`${p.reportId}/${p.role}/${p.screenName}`)! })),
        ),
      })
      await tx.reportEvent.createMany({ data: events })

      // Triage each as of the time it was triaged (demo history: its emails are not replayed).
      let asOf = ctx.now
      const triage = createTriageService({
        db,
        clock: { now: () => asOf },
        notifications: { notifyReportRouted: async () => undefined },
        slaMinutes: ctx.slaMinutes,
      })
      for (const item of work) {
        asOf = item.triagedAt
        const { route } = await triage.triageReport(tx, item.id)
        const team = teams[route.queue]
        const analyst = team.length ? team[item.id % team.length]! : supervisor
        if (item.status === 'IN_REVIEW') {
          // Each demo analyst holds a few, well under the capacity limit, so "Claim next" works;
          // the rest stay in the queue for them to claim.
          const held = heldBy.get(analyst) ?? 0
          if (held >= DEMO_HELD_PER_ANALYST) continue
          heldBy.set(analyst, held + 1)
          const claimedAt = new Date(ctx.now.getTime() - item.claimMinutesAgo * 60_000)
          await tx.report.update({ where: { id: item.id }, data: { status: 'IN_REVIEW', assigneeId: analyst, claimedAt, firstActionAt: claimedAt, leaseExpiresAt: new Date(ctx.now.getTime() + item.leaseMinutes * 60_000) } })
          await tx.reportEvent.create({ data: { reportId: item.id, kind: 'CLAIMED', actorId: analyst, createdAt: claimedAt } })
        } else if (item.status === 'REFERRED' && item.referredAt) {
          const { proposedAgencyId } = await tx.report.findUniqueOrThrow({ where: { id: item.id }, select: { proposedAgencyId: true } })
          await tx.report.update({ where: { id: item.id }, data: { status: 'REFERRED', referredAgencyId: proposedAgencyId, referredAt: item.referredAt, referredById: analyst, assigneeId: analyst, firstActionAt: item.referredAt } })
          await tx.reportEvent.create({ data: { reportId: item.id, kind: 'REFERRED', actorId: analyst, note: 'Referred to the ICAC task force of the state', createdAt: item.referredAt } })
        } else if (item.status === 'CLOSED' && item.closingReason) {
          const closedAt = new Date(item.triagedAt.getTime() + HOUR)
          await tx.report.update({ where: { id: item.id }, data: { status: 'CLOSED', closingReason: item.closingReason, closedAt, assigneeId: analyst, firstActionAt: closedAt } })
          await tx.reportEvent.create({ data: { reportId: item.id, kind: 'CLOSED', actorId: analyst, note: `Closed: ${item.closingReason}`, createdAt: closedAt } })
        }
      }

      // Demo history of the SLA sweep: clocks already past their warning point or due time are
      // marked and on the timeline as the sweep would have left them, so starting the worker
      // does not escalate hundreds of old demo reports at once.
      const warnFraction = DEMO_SLA_WARN_PERCENT / 100
      await tx.$executeRaw`
        WITH marked AS (
          UPDATE "Report" SET
            "slaWarnedAt" = "triagedAt" + ("slaDueAt" - "triagedAt") * ${warnFraction}::float8,
            "slaBreachedAt" = CASE WHEN "slaDueAt" <= ${ctx.now} THEN "slaDueAt" END
          WHERE id >= ${base} AND id < ${base + DEMO_REPORT_COUNT} AND status IN ('TRIAGED', 'IN_REVIEW')
            AND "triagedAt" + ("slaDueAt" - "triagedAt") * ${warnFraction}::float8 <= ${ctx.now}
          RETURNING id, "slaWarnedAt", "slaBreachedAt", "slaDueAt", priority, queue
        ), warned AS (
          INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
          SELECT id, 'SLA_WARNING', ${`${DEMO_SLA_WARN_PERCENT}% of the SLA time is used`} || ': due ' || to_char("slaDueAt", 'YYYY-MM-DD HH24:MI') || ' UTC',
                 jsonb_build_object('dueAt', "slaDueAt", 'priority', priority), "slaWarnedAt"
          FROM marked
        )
        INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
        SELECT id, 'SLA_BREACHED', 'Past its SLA due time (' || to_char("slaDueAt", 'YYYY-MM-DD HH24:MI') || ' UTC): escalated to the ' || queue || ' contact',
               jsonb_build_object('dueAt', "slaDueAt", 'priority', priority), "slaBreachedAt"
        FROM marked WHERE "slaBreachedAt" IS NOT NULL`
    },
    { timeout: 120_000 },
  )
}
