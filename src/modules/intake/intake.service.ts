// Intake of ESP reports over the CyberTipline protocol: a report is OPEN from submit until
// finish, which makes it RECEIVED, matches its files and triages it in one transaction. Until
// then staff never see it. The hot path is a few hand-written statements per call.
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { Prisma } from '@prisma/client'
import type { Db } from '../../lib/db.js'
import { executeAtCommit, sqlOf, sqlTransaction, type RawSql } from '../../lib/sql.js'
import { auditActor, type AuditService, type StaffActor } from '../audit/audit.service.js'
import type { Clock } from '../../lib/clock.js'
import { parseXml, XmlSyntaxError, type XmlLimits } from '../../lib/xml.js'
import { validateXml, type ElementDecl, type Normalisation, type XmlObject } from '../../lib/xml-schema.js'
import type { TriageService } from '../triage/triage.service.js'
import { matchReportFiles } from '../hashes/hash-matching.js'
import { espSecretMatches } from './esp-credentials.js'
import { FILE_DETAILS_ELEMENT, REPORT_ELEMENT } from './intake.schemas.js'
import { mapFileDetails, mapReport, type IntakeProblem, type SubmittedReport } from './intake.mapping.js'
import { EspCredentialRevoked, IntakeError, RESPONSE_CODE } from './intake.protocol.js'
import { reportIntakeView } from './report-view.js'

export type IntakeDeps = {
  /** node-postgres, not Prisma: every API call is a few hand-written statements (see lib/sql.ts). */
  pool: pg.Pool
  /** Prisma, for the console's hand-entered reports (audited in the same transaction). */
  db: Db
  audit: AuditService
  clock: Clock
  triage: Pick<TriageService, 'triageReport'>
  xmlLimits: XmlLimits
  /** PDQ near-match radius for a finished report's files. */
  pdqRadius?: number
  /** Hands urgent outbox rows to the workers now, after a commit (best effort). */
  kickOutbox(): Promise<void>
}

/** An ESP account as its credential was checked: `secretDigest` is the stored digest it matched. */
export type EspPrincipal = { id: number; name: string; username: string; secretDigest: string }
export type UploadedFile = { fileName: string | null; sizeBytes: number; md5: string; sha1: string; sha256: string }

/** Open reports are discarded 24 h after opening or 1 h after their last change, whichever is later. */
export const OPEN_REPORT_LIFETIME_MS = 24 * 3600_000
export const OPEN_REPORT_IDLE_MS = 3600_000
const MAX_REPORT_ID = 2_147_483_647
/** ESP accounts are a few hundred; the remembered credentials are dropped wholesale past this. */
const MAX_REMEMBERED_CREDENTIALS = 10_000

/**
 * Part of every statement a call on a remembered credential runs: the account is still active
 * and its secret unchanged, read in the statement's own snapshot, so the write happens only if so.
 */
const accountStillValid = (esp: EspPrincipal) =>
  Prisma.sql`EXISTS (SELECT 1 FROM "EspAccount" a WHERE a.id = ${esp.id} AND a.username = ${esp.username} AND a."isActive" AND a."secretDigest" = ${esp.secretDigest})`

/** 32 hex characters, never all digits: a published client rejects an id its parser reads as a number. */
export function newFileId(): string {
  const id = randomBytes(16).toString('hex')
  return /^\d+$/.test(id) ? `f${id.slice(1)}` : id
}

function describeProblems(problems: { path: string; message: string; line?: number }[]): string {
  return `Validation failed: ${problems.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.path}: ${p.message}`).join('; ')}`
}

/** Reads and validates one protocol document (both layers), or throws the code that says why not. */
export function readDocument(body: string, decl: ElementDecl, limits: XmlLimits): { value: XmlObject; normalised: Normalisation[] } {
  if (!body.trim()) throw new IntakeError(RESPONSE_CODE.malformedXml, `Malformed XML submittal: the body is empty; expected a <${decl.name}> document`)
  let root
  try {
    root = parseXml(body, limits)
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new IntakeError(RESPONSE_CODE.malformedXml, `Malformed XML submittal: ${err.message}`)
    throw err
  }
  const result = validateXml(root, decl)
  if (!result.ok) throw new IntakeError(RESPONSE_CODE.validationFailed, describeProblems(result.problems), result.problems)
  return { value: result.value, normalised: result.normalised }
}

function refuseProblems(problems: IntakeProblem[]): never {
  throw new IntakeError(RESPONSE_CODE.validationFailed, describeProblems(problems), problems)
}

/** A report id no report can have (ids are positive 32-bit integers) is refused as unknown. */
function existingReportId(id: number): number {
  if (id < 1 || id > MAX_REPORT_ID) throw new IntakeError(RESPONSE_CODE.reportNotFound, `Report ${id} does not exist`)
  return id
}

/** The protocol's form field `id`, as a report id. */
export function parseReportId(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\s*\d{1,15}\s*$/.test(raw)) {
    throw new IntakeError(RESPONSE_CODE.invalidRequest, `Invalid request: the form field "id" must be a report id (a number)${typeof raw === 'string' ? `, not "${raw.slice(0, 40)}"` : ' and is missing'}`)
  }
  return existingReportId(Number(raw))
}

/** A <report> through both validation layers, as ESPs and the console's hand entry submit it. */
function readReport(xml: string, limits: XmlLimits, now: Date): { report: SubmittedReport; normalised: Normalisation[] } {
  const { value, normalised } = readDocument(xml, REPORT_ELEMENT, limits)
  const mapped = mapReport(value, now)
  if (!mapped.ok) refuseProblems(mapped.problems)
  return { report: mapped.report, normalised }
}

export function createIntakeService({ pool, db: prisma, audit, clock, triage, xmlLimits, pdqRadius, kickOutbox }: IntakeDeps) {
  const db = sqlOf(pool)

  /**
   * Credentials this process has checked against the database, by username. A call that writes
   * (every POST) presenting one again needs no query of its own to be let in: its statement
   * re-checks the account as it writes (`accountStillValid`) and changes nothing if the account
   * was disabled or given a new secret since, so that still stops the very next call, whichever
   * process serves it. That saves a round trip to PostgreSQL on nearly every call.
   */
  const remembered = new Map<string, EspPrincipal>()

  /** HTTP Basic credentials of an ESP account; null for unknown, wrong or disabled ones alike. */
  async function authenticateEsp(username: string, secret: string): Promise<EspPrincipal | null> {
    const [account] = await db.$queryRaw<{ id: number; name: string; secretDigest: string; isActive: boolean }[]>`
      SELECT id, name, "secretDigest", "isActive" FROM "EspAccount" WHERE username = ${username}`
    // Compare even for an unknown name, so the answer takes as long either way.
    const matches = espSecretMatches(secret, account?.secretDigest ?? '0'.repeat(64))
    if (!account || !matches || !account.isActive) {
      remembered.delete(username)
      return null
    }
    const esp = { id: account.id, name: account.name, username, secretDigest: account.secretDigest }
    if (remembered.size >= MAX_REMEMBERED_CREDENTIALS) remembered.clear()
    remembered.set(username, esp)
    return esp
  }

  /**
   * A credential this process has checked before, without asking the database; null if it has
   * not (or the secret differs). Only for calls whose statements check `accountStillValid`.
   */
  function recallEsp(username: string, secret: string): EspPrincipal | null {
    const known = remembered.get(username)
    return known && espSecretMatches(secret, known.secretDigest) ? known : null
  }

  function revoked(esp: EspPrincipal): EspCredentialRevoked {
    if (remembered.get(esp.username)?.secretDigest === esp.secretDigest) remembered.delete(esp.username)
    return new EspCredentialRevoked()
  }

  /**
   * Records when an account last called, at most once a minute (a write per call would cost),
   * and only while its credential is still good (a remembered one may have been revoked).
   */
  async function touchEsp(esp: EspPrincipal): Promise<void> {
    const now = clock.now()
    await db.$executeRaw`
      UPDATE "EspAccount" SET "lastUsedAt" = ${now}
      WHERE id = ${esp.id} AND ${accountStillValid(esp)} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${new Date(now.getTime() - 60_000)})`
  }

  /**
   * Whether a remembered credential still holds, for a call refused before any statement of
   * its own re-checked it (a malformed body, say): a revoked one is then answered 401 and
   * forgotten, not told what was wrong with its input.
   */
  async function credentialStillValid(esp: EspPrincipal): Promise<boolean> {
    const [row] = await db.$queryRaw<{ valid: boolean }[]>`SELECT ${accountStillValid(esp)} AS valid`
    if (row?.valid) return true
    revoked(esp)
    return false
  }

  /** Why a call on an open report of this account changed nothing. */
  async function refusal(esp: EspPrincipal, reportId: number): Promise<IntakeError | EspCredentialRevoked> {
    const [row] = await db.$queryRaw<{ accountValid: boolean; status: string | null; espAccountId: number | null }[]>`
      SELECT ${accountStillValid(esp)} AS "accountValid", r.status, r."espAccountId"
      FROM (SELECT ${reportId}::int AS id) q LEFT JOIN "Report" r ON r.id = q.id`
    if (!row!.accountValid) return revoked(esp)
    if (!row!.status) return new IntakeError(RESPONSE_CODE.reportNotFound, `Report ${reportId} does not exist`)
    if (row!.espAccountId !== esp.id) return new IntakeError(RESPONSE_CODE.notAuthorised, `Not authorized: report ${reportId} was opened by another account`)
    if (row!.status === 'RETRACTED') return new IntakeError(RESPONSE_CODE.alreadyRetracted, `Report ${reportId} has already been retracted`)
    return new IntakeError(RESPONSE_CODE.alreadyFinished, `Report ${reportId} has already been finished`)
  }

  /** POST /submit: opens a report. */
  async function submitReport(esp: EspPrincipal, body: string): Promise<{ reportId: number }> {
    const { report, normalised } = readReport(body, xmlLimits, clock.now())
    const reportId = await insertOpenReport(db, { espId: esp.id, source: 'ESP', externalReference: null, onlyIf: accountStillValid(esp) }, report, body, normalised)
    if (reportId === null) throw revoked(esp)
    return { reportId }
  }

  /**
   * The report, its parties and their identifiers in one statement (so one round trip, and
   * atomic without a transaction). Party ids are drawn first so identifiers can point at them.
   * Nothing is written, and null returned, unless `onlyIf` holds.
   */
  async function insertOpenReport(
    q: RawSql,
    { espId, source, externalReference, onlyIf = Prisma.sql`TRUE` }: { espId: number | null; source: 'ESP' | 'PUBLIC'; externalReference: string | null; onlyIf?: Prisma.Sql },
    report: SubmittedReport,
    rawXml: string | null,
    normalised: Normalisation[],
  ): Promise<number | null> {
    const now = clock.now()
    const parties = report.parties.map((p) => ({ ...p, dateOfBirth: p.dateOfBirth?.toISOString().slice(0, 10) ?? null }))
    const [row] = await q.$queryRaw<{ id: number }[]>`
      WITH r AS (
        INSERT INTO "Report" (source, "espAccountId", "externalReference", status, "incidentType", "incidentAt", "incidentDateTimeDescription", platform,
          "escalationText", annotations, "batchedReason", "internetDetails", "reporterDetails", "additionalInfo", "rawXml",
          "intakeNormalisations", "openedAt", "updatedAt")
        SELECT ${source}::"ReportSource", ${espId}, ${externalReference}, 'OPEN', ${report.incidentType}::"IncidentType", ${report.incidentAt}, ${report.incidentDateTimeDescription},
          ${report.platform}, ${report.escalationText},
          ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(report.annotations)}::jsonb))::"ReportAnnotation"[],
          ${report.batchedReason}, ${JSON.stringify(report.internetDetails)}::jsonb, ${JSON.stringify(report.reporterDetails)}::jsonb,
          ${report.additionalInfo}, ${rawXml}, ${normalised.length ? JSON.stringify(normalised) : null}::jsonb, ${now}, ${now}
        WHERE ${onlyIf}
        RETURNING id
      ), p AS MATERIALIZED (
        SELECT nextval(pg_get_serial_sequence('"ReportParty"', 'id'))::int AS id, data
        FROM jsonb_array_elements(${JSON.stringify(parties)}::jsonb) AS t(data)
      ), inserted_parties AS (
        INSERT INTO "ReportParty" (id, "reportId", role, "screenName", "displayName", "espIdentifier", "espService", "firstName", "lastName",
          age, "dateOfBirth", emails, phones, "profileUrls", "ipCaptureEvents", "estimatedLocation", details, "createdAt")
        SELECT p.id, r.id, (data->>'role')::"PartyRole", data->>'screenName', data->>'displayName', data->>'espIdentifier', data->>'espService',
          data->>'firstName', data->>'lastName', (data->>'age')::int, (data->>'dateOfBirth')::date,
          ARRAY(SELECT jsonb_array_elements_text(data->'emails')), ARRAY(SELECT jsonb_array_elements_text(data->'phones')),
          ARRAY(SELECT jsonb_array_elements_text(data->'profileUrls')),
          NULLIF(data->'ipCaptureEvents', 'null'::jsonb), NULLIF(data->'estimatedLocation', 'null'::jsonb), NULLIF(data->'details', 'null'::jsonb), ${now}
        FROM p, r
        RETURNING id
      ), inserted_identifiers AS (
        INSERT INTO "PartyIdentifier" ("reportId", "partyId", kind, value)
        SELECT r.id, p.id, (i->>'kind')::"PartyIdentifierKind",
          CASE WHEN i->>'kind' = 'IP_ADDRESS' THEN host((i->>'value')::inet) ELSE i->>'value' END
        FROM p, r, jsonb_array_elements(p.data->'identifiers') AS i
        -- Only once the party row exists (the identifier references it).
        WHERE p.id IN (SELECT id FROM inserted_parties)
      )
      SELECT id FROM r`
    return row?.id ?? null
  }

  /** POST /upload: the file's hashes and size (the bytes were hashed and dropped by the route). */
  async function recordUpload(esp: EspPrincipal, reportId: number, file: UploadedFile): Promise<{ reportId: number; fileId: string; hash: string }> {
    const fileId = newFileId()
    const now = clock.now()
    // FOR SHARE: waits for a finish in progress, then sees the report finished. No write to the
    // report itself: an open report's last change is read from its files (expireOpenReports).
    const rows = await db.$queryRaw<{ fileId: string }[]>`
      INSERT INTO "ReportFile" ("reportId", "fileId", "fileName", "sizeBytes", md5, sha1, sha256, "createdAt")
      SELECT r.id, ${fileId}, ${file.fileName}, ${file.sizeBytes}, ${file.md5}, ${file.sha1}, ${file.sha256}, ${now}
      FROM "Report" r WHERE r.id = ${reportId} AND r."espAccountId" = ${esp.id} AND r.status = 'OPEN' AND ${accountStillValid(esp)}
      FOR SHARE
      RETURNING "fileId"`
    if (!rows.length) throw await refusal(esp, reportId)
    return { reportId, fileId, hash: file.md5 }
  }

  /** POST /fileinfo: details of an uploaded file. Sending the same details again changes nothing. */
  async function recordFileDetails(esp: EspPrincipal, body: string): Promise<{ reportId: number; fileId: string }> {
    const { value } = readDocument(body, FILE_DETAILS_ELEMENT, xmlLimits)
    const mapped = mapFileDetails(value, clock.now())
    if (!mapped.ok) refuseProblems(mapped.problems)
    const f = mapped.file
    existingReportId(f.reportId)
    const now = clock.now()
    const rows = await db.$queryRaw<{ reportOpen: boolean; updated: boolean }[]>`
      WITH r AS (
        SELECT id FROM "Report" WHERE id = ${f.reportId} AND "espAccountId" = ${esp.id} AND status = 'OPEN' AND ${accountStillValid(esp)} FOR SHARE
      ), updated AS (
        UPDATE "ReportFile" file SET "fileName" = COALESCE(${f.fileName}, file."fileName"), "originalFileName" = ${f.originalFileName},
          "uploadedToEspAt" = ${f.uploadedToEspAt}, "locationOfFile" = ${f.locationOfFile}, "fileViewedByEsp" = ${f.fileViewedByEsp},
          "exifViewedByEsp" = ${f.exifViewedByEsp}, "publiclyAvailable" = ${f.publiclyAvailable}, "fileRelevance" = ${f.fileRelevance},
          "industryClassification" = ${f.industryClassification},
          "fileAnnotations" = ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(f.fileAnnotations)}::jsonb)),
          pdq = ${f.pdq}, details = ${JSON.stringify(f.details)}::jsonb, "describedAt" = ${now}
        FROM r WHERE file."reportId" = r.id AND file."fileId" = ${f.fileId}
        RETURNING file.id
      )
      SELECT EXISTS (SELECT 1 FROM r) AS "reportOpen", EXISTS (SELECT 1 FROM updated) AS updated`
    const result = rows[0]!
    if (!result.reportOpen) throw await refusal(esp, f.reportId)
    if (!result.updated) throw new IntakeError(RESPONSE_CODE.fileNotFound, `File ${f.fileId} does not exist in report ${f.reportId}`)
    return { reportId: f.reportId, fileId: f.fileId }
  }

  /**
   * POST /finish: the report becomes RECEIVED with its files matched and triaged, in one
   * transaction, so staff see it whole or not at all. A retried finish gets the same answer.
   */
  async function finishReport(esp: EspPrincipal, reportId: number): Promise<{ reportId: number; fileIds: string[] }> {
    const outcome = await sqlTransaction(pool, async (tx) => {
      // One statement takes the row lock and makes an open report RECEIVED; concurrent finishes
      // of one report wait on the lock, then find it finished and answer the same.
      const now = clock.now()
      const [row] = await tx.$queryRaw<
        { accountValid: boolean; status: string; espAccountId: number | null; intakeNormalisations: unknown; fileIds: string[]; finished: boolean }[]
      >`
        WITH account AS (
          SELECT ${accountStillValid(esp)} AS valid
        ), target AS (
          SELECT id, status, "espAccountId", "intakeNormalisations" FROM "Report" WHERE id = ${reportId} FOR UPDATE
        ), received AS (
          UPDATE "Report" r SET status = 'RECEIVED', "receivedAt" = ${now}, "updatedAt" = ${now}
          FROM target t, account WHERE r.id = t.id AND t.status = 'OPEN' AND t."espAccountId" = ${esp.id} AND account.valid
          RETURNING r.id
        ), files AS (
          -- For a retried finish's answer only: read in this statement's snapshot, taken before any
          -- wait for the lock.
          SELECT COALESCE(json_agg(f."fileId" ORDER BY f.id), '[]'::json) AS ids FROM "ReportFile" f WHERE f."reportId" = ${reportId}
        )
        SELECT account.valid AS "accountValid", t.status, t."espAccountId", t."intakeNormalisations", files.ids AS "fileIds",
          EXISTS (SELECT 1 FROM received) AS finished
        FROM target t, files, account`
      // Finished already (a retry) is answered as the first finish was; anything else is refused.
      if (!row || !row.accountValid || row.espAccountId !== esp.id || row.status === 'RETRACTED') return { refused: true as const }
      if (!row.finished) return { refused: false as const, fileIds: row.fileIds, urgent: false }
      // The files as matched, read after the lock: an upload that committed while this finish
      // waited for it is answered, matched and counted with the rest.
      const { fileIds } = await matchReportFiles(tx, reportId, { pdqRadius })
      await executeAtCommit(tx)`
        INSERT INTO "ReportEvent" ("reportId", kind, note, details, "createdAt")
        VALUES (${reportId}, 'RECEIVED',
          ${row.intakeNormalisations === null ? 'Finished by the ESP' : "Finished by the ESP; values sent in a published client's variant were normalised (see details)"},
          ${JSON.stringify({ esp: esp.name, files: fileIds.length, normalised: row.intakeNormalisations })}::jsonb, ${now})`
      const triaged = await triage.triageReport(tx, reportId)
      return { refused: false as const, fileIds, urgent: triaged.level === 'P1' || triaged.queue === 'CVIP' }
    })
    if (outcome.refused) throw await refusal(esp, reportId)
    if (outcome.urgent) void kickOutbox()
    return { reportId, fileIds: outcome.fileIds }
  }

  /** What an abandoned report keeps: the row (so later calls get 5101), none of its details. */
  async function discardOpenReports(where: { reportId: number; esp: EspPrincipal } | { idleBefore: Date; openedBefore: Date; limit: number }, now: Date): Promise<number[]> {
    const which =
      'reportId' in where
        ? Prisma.sql`id = ${where.reportId} AND "espAccountId" = ${where.esp.id} AND status = 'OPEN' AND ${accountStillValid(where.esp)}`
        : Prisma.sql`id IN (SELECT r.id FROM "Report" r WHERE r.status = 'OPEN' AND r."openedAt" < ${where.openedBefore} AND r."updatedAt" < ${where.idleBefore}
                             -- Uploads and file details change an open report too.
                             AND NOT EXISTS (SELECT 1 FROM "ReportFile" f WHERE f."reportId" = r.id
                                             AND (f."createdAt" >= ${where.idleBefore} OR f."describedAt" >= ${where.idleBefore}))
                           ORDER BY r.id LIMIT ${where.limit} FOR UPDATE SKIP LOCKED)`
    const rows = await db.$queryRaw<{ id: number }[]>`
      WITH r AS (
        UPDATE "Report" SET status = 'RETRACTED', "retractedAt" = ${now}, "updatedAt" = ${now}, "rawXml" = NULL, "internetDetails" = NULL,
          "reporterDetails" = NULL, "escalationText" = NULL, "additionalInfo" = NULL, "incidentDateTimeDescription" = NULL
        WHERE ${which}
        RETURNING id
      ), files AS (DELETE FROM "ReportFile" WHERE "reportId" IN (SELECT id FROM r)),
      parties AS (DELETE FROM "ReportParty" WHERE "reportId" IN (SELECT id FROM r))
      SELECT id FROM r`
    return rows.map((r) => r.id)
  }

  /** POST /retract: discards an open report. */
  async function retractReport(esp: EspPrincipal, reportId: number): Promise<{ reportId: number }> {
    const [id] = await discardOpenReports({ reportId, esp }, clock.now())
    if (id === undefined) throw await refusal(esp, reportId)
    return { reportId }
  }

  /** The scheduled sweep: open reports past their lifetime are discarded, as if retracted. */
  async function expireOpenReports({ batchSize = 500 }: { batchSize?: number } = {}): Promise<number> {
    let expired = 0
    for (;;) {
      const now = clock.now()
      const ids = await discardOpenReports(
        { openedBefore: new Date(now.getTime() - OPEN_REPORT_LIFETIME_MS), idleBefore: new Date(now.getTime() - OPEN_REPORT_IDLE_MS), limit: batchSize },
        now,
      )
      expired += ids.length
      if (ids.length < batchSize) return expired
    }
  }

  /**
   * A report typed in by staff (a public tip by phone): validated by the same two layers as an
   * ESP's, then stored, received and triaged in one transaction, and audited in it.
   */
  async function enterReport(staff: StaffActor, xml: string, externalReference: string | null): Promise<{ reportId: number }> {
    const { report, normalised } = readReport(xml, xmlLimits, clock.now())
    const reportId = await prisma.$transaction(async (tx) => {
      // Never null: nothing but the transaction itself conditions a hand-entered report.
      const id = (await insertOpenReport(tx, { espId: null, source: 'PUBLIC', externalReference }, report, xml, normalised))!
      const now = clock.now()
      await tx.$executeRaw`
        WITH r AS (UPDATE "Report" SET status = 'RECEIVED', "receivedAt" = ${now}, "updatedAt" = ${now} WHERE id = ${id})
        INSERT INTO "ReportEvent" ("reportId", kind, "actorId", note, "createdAt")
        VALUES (${id}, 'RECEIVED', ${staff.id}, ${`Entered in the console by ${staff.email}${externalReference ? ` (call ${externalReference})` : ''}`}, ${now})`
      const triaged = await triage.triageReport(tx, id)
      await audit.recordInTx(tx, {
        ...auditActor(staff), action: 'report.enter', objectType: 'Report', objectId: id, outcome: 'SUCCESS',
        details: { priority: triaged.level, queue: triaged.queue },
      })
      return id
    })
    void kickOutbox()
    return { reportId }
  }

  /** The report as submitted, for its page in the console. */
  const intakeView = (reportId: number) => reportIntakeView(prisma, reportId)

  return { authenticateEsp, recallEsp, credentialStillValid, touchEsp, submitReport, enterReport, intakeView, recordUpload, recordFileDetails, finishReport, retractReport, expireOpenReports }
}

export type IntakeService = ReturnType<typeof createIntakeService>
