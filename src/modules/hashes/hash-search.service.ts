// The portal's Hash Search and My Reports. An officer pastes or uploads up to 100 lines; a
// search of up to 10 hashes is answered at once, a larger one runs as a job and the officer is
// emailed (ids and a link only) when it is done. Every search is kept for My Reports, counted
// against the officer's hourly limit and audited with its counts, never its hashes.
import { NO_REQUEST, type RequestOrigin } from '../../lib/request-context.js'
import type { HashCategory, HashSearch, HashType, Prisma } from '@prisma/client'
import type pg from 'pg'
import type { Db } from '../../lib/db.js'
import type { Clock } from '../../lib/clock.js'
import { sqlOf } from '../../lib/sql.js'
import type { AuditService } from '../audit/audit.service.js'
import type { NotificationsService } from '../notifications/notifications.service.js'
import { HASH_TYPE_LABEL, parseHashLine } from './hash-formats.js'
import { lookUpHashes } from './hash-matching.js'
import { csvField } from './catalog.service.js'

export const SEARCH_MAX_LINES = 100
export const SEARCH_ON_PAGE_MAX = 10

export type SearchPolicy = { pdqRadius: number; searchesPerHour: number; publicUrl: string; cvipContact: string }

export type HashSearchDeps = {
  db: Db
  pool: pg.Pool
  clock: Clock
  audit: AuditService
  notifications: Pick<NotificationsService, 'write'>
  policy: SearchPolicy
  /** Starts the job for a large search (after its row is committed). */
  enqueueSearch(searchId: number): Promise<void>
}

/** One line of a search's results, as stored in HashSearch.results. */
export type SearchResultLine =
  | {
      line: number
      value: string
      hashType: HashType
      known: boolean
      /** "exact", or "near" for a PDQ match at `distance` bits. */
      match: 'exact' | 'near' | null
      distance: number | null
      category: HashCategory | null
      series: string | null
      seriesIdentified: boolean
      contactCvip: boolean
    }
  | { line: number; input: string; error: string }

export type SearchOutcome =
  | { kind: 'answered'; searchId: number }
  | { kind: 'queued'; searchId: number }
  | { kind: 'refused'; problem: string; invalid?: SearchResultLine[] }

type ParsedLine = { line: number; hashType: HashType; value: string } | { line: number; input: string; error: string }

/** The lines of a search: blank lines and # comments skipped, the rest a hash or an error. */
export function parseSearchLines(text: string, { sixtyFour = 'SHA256' }: { sixtyFour?: 'SHA256' | 'PDQ' } = {}): ParsedLine[] {
  const out: ParsedLine[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const parsed = parseHashLine(raw, { sixtyFour })
    if (parsed === null) return
    const input = raw.trim().length > 80 ? `${raw.trim().slice(0, 77)}...` : raw.trim()
    out.push('error' in parsed ? { line: i + 1, input, error: parsed.error } : { line: i + 1, ...parsed })
  })
  return out
}

export function createHashSearchService({ db, pool, clock, audit, notifications, policy, enqueueSearch }: HashSearchDeps) {
  const sql = sqlOf(pool)
  const HOURLY_LOCK = 7_305_011

  async function answer(lines: ParsedLine[]): Promise<SearchResultLine[]> {
    const hashes = lines.filter((l): l is Extract<ParsedLine, { hashType: HashType }> => 'hashType' in l)
    const matches = await lookUpHashes(sql, hashes, policy.pdqRadius)
    const byLine = new Map(hashes.map((h, i) => [h.line, matches[i] ?? null]))
    return lines.map((l): SearchResultLine => {
      if (!('hashType' in l)) return l
      const m = byLine.get(l.line) ?? null
      return {
        line: l.line,
        value: l.value,
        hashType: l.hashType,
        known: m !== null,
        match: m === null ? null : m.distance === null ? 'exact' : 'near',
        distance: m?.distance ?? null,
        category: m?.category ?? null,
        series: m?.seriesName ?? null,
        seriesIdentified: m?.seriesIdentified ?? false,
        // A series is CVIP's work: an identified child's series has an agency CVIP can put the
        // officer in touch with; an unidentified one is a child CVIP is still looking for.
        contactCvip: m?.seriesName != null,
      }
    })
  }

  const counts = (results: SearchResultLine[]) => ({
    matchCount: results.filter((r) => 'known' in r && r.known).length,
    invalidCount: results.filter((r) => 'error' in r).length,
  })

  /** Runs (or queues) one officer's search; refused when over the limit or with nothing to search. */
  async function search(officer: { id: number; officialEmail: string }, text: string, { sixtyFour = 'SHA256', origin }: { sixtyFour?: 'SHA256' | 'PDQ'; origin: RequestOrigin }): Promise<SearchOutcome> {
    const lines = parseSearchLines(text, { sixtyFour })
    const actor = { actorType: 'OFFICER' as const, actorId: officer.id, actorLabel: officer.officialEmail, ...origin }
    const valid = lines.filter((l) => 'hashType' in l).length
    if (lines.length > SEARCH_MAX_LINES) return { kind: 'refused', problem: `A search holds at most ${SEARCH_MAX_LINES} hashes; this one has ${lines.length} lines. Split it into several searches.` }
    if (valid === 0) {
      return {
        kind: 'refused',
        problem: lines.length ? 'None of the lines is a hash we can search. Each line is listed below the form with the reason.' : 'Enter at least one hash, or choose a file.',
        invalid: lines as SearchResultLine[],
      }
    }
    const onPage = valid <= SEARCH_ON_PAGE_MAX
    const results = onPage ? await answer(lines) : null
    const now = clock.now()
    const created = await db.$transaction(async (tx) => {
      // One officer's searches are counted one at a time, so two at once cannot both slip under the limit.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${HOURLY_LOCK}::int, ${officer.id}::int)`
      const recent = await tx.hashSearch.count({ where: { officerId: officer.id, createdAt: { gt: new Date(now.getTime() - 3600_000) } } })
      if (recent >= policy.searchesPerHour) {
        await audit.recordInTx(tx, { ...actor, action: 'hash_search.run', objectType: 'HashSearch', outcome: 'DENIED', details: { hashes: lines.length, reason: 'hourly limit' } })
        return null
      }
      const row = await tx.hashSearch.create({
        data: {
          officerId: officer.id,
          hashCount: lines.length,
          createdAt: now,
          ...(results
            ? { status: 'COMPLETED' as const, results: results as unknown as Prisma.InputJsonValue, completedAt: now, ...counts(results) }
            : { status: 'PENDING' as const, results: lines as unknown as Prisma.InputJsonValue, invalidCount: lines.length - valid }),
        },
      })
      await audit.recordInTx(tx, {
        ...actor, action: 'hash_search.run', objectType: 'HashSearch', objectId: row.id, outcome: 'SUCCESS',
        details: { hashes: lines.length, invalid: lines.length - valid, answered: onPage ? 'on the page' : 'by a job', ...(results ? { matches: counts(results).matchCount } : {}) },
      })
      return row
    })
    if (!created) return { kind: 'refused', problem: `You have run ${policy.searchesPerHour} searches in the last hour, the most allowed. Try again later.` }
    if (onPage) return { kind: 'answered', searchId: created.id }
    // If Redis is down now, the search waits: the resume-hash-searches schedule queues it again.
    await enqueueSearch(created.id).catch(() => undefined)
    return { kind: 'queued', searchId: created.id }
  }

  /** The job: answers a queued search and emails its officer. Safe to run twice. */
  async function completeSearch(searchId: number): Promise<'completed' | 'already done' | 'missing'> {
    const search = await db.hashSearch.findUnique({ where: { id: searchId }, include: { officer: { select: { officialEmail: true } } } })
    if (!search) return 'missing'
    if (search.status === 'COMPLETED' || search.status === 'FAILED') return 'already done'
    await db.hashSearch.updateMany({ where: { id: searchId, status: 'PENDING' }, data: { status: 'RUNNING' } })
    const results = await answer(search.results as unknown as ParsedLine[])
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.hashSearch.updateMany({
        where: { id: searchId, status: { in: ['PENDING', 'RUNNING'] } },
        data: { status: 'COMPLETED', results: results as unknown as Prisma.InputJsonValue, completedAt: clock.now(), ...counts(results) },
      })
      if (updated.count === 0) return false
      await notifications.write(tx, [{
        kind: 'HASH_SEARCH_READY',
        channel: 'IMMEDIATE',
        recipient: search.officer.officialEmail,
        template: 'hash-search-ready',
        data: { searchId, portalUrl: `${policy.publicUrl}/portal/my-reports/${searchId}` },
        idempotencyKey: `hash-search-${searchId}-ready`,
      }])
      return true
    })
    return done ? 'completed' : 'already done'
  }

  /**
   * A large search whose job gave up (its last attempt failed, or the resume schedule found its
   * job failed): marked FAILED, so the officer reads "could not be completed, please search
   * again" instead of "being searched" forever, and audited. The reason is the error's code and
   * class, never its message (which may quote a hash). Safe to run twice; a completed search stays.
   */
  async function failSearch(searchId: number, cause: { code: string; attempts: number }): Promise<'failed' | 'not waiting'> {
    return db.$transaction(async (tx) => {
      const updated = await tx.hashSearch.updateMany({ where: { id: searchId, status: { in: ['PENDING', 'RUNNING'] } }, data: { status: 'FAILED', completedAt: clock.now() } })
      if (updated.count === 0) return 'not waiting'
      const search = await tx.hashSearch.findUniqueOrThrow({ where: { id: searchId }, select: { officerId: true, hashCount: true, officer: { select: { officialEmail: true } } } })
      await audit.recordInTx(tx, {
        actorType: 'SYSTEM', actorId: null, actorLabel: 'run-hash-search', action: 'hash_search.fail', objectType: 'HashSearch', objectId: searchId,
        outcome: 'FAILURE', ...NO_REQUEST, details: { officerId: search.officerId, hashes: search.hashCount, error: cause.code, attempts: cause.attempts },
      })
      // The officer was told an email would come: it does, saying to search again (no hash in it).
      await notifications.write(tx, [{
        kind: 'HASH_SEARCH_FAILED',
        channel: 'IMMEDIATE',
        recipient: search.officer.officialEmail,
        template: 'hash-search-failed',
        data: { searchId, portalUrl: `${policy.publicUrl}/portal/hash-search` },
        idempotencyKey: `hash-search-${searchId}-failed`,
      }])
      return 'failed'
    })
  }

  /** An officer's searches, newest first (without their results). */
  async function listSearches(officerId: number) {
    return db.hashSearch.findMany({
      where: { officerId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, status: true, hashCount: true, matchCount: true, invalidCount: true, createdAt: true, completedAt: true },
      take: 500,
    })
  }

  /** One search, only if it is the officer's own: anyone else's is as if it did not exist. */
  async function ownSearch(officerId: number, searchId: number): Promise<HashSearch | null> {
    if (!Number.isSafeInteger(searchId) || searchId <= 0 || searchId > 2_147_483_647) return null
    return db.hashSearch.findFirst({ where: { id: searchId, officerId } })
  }

  /** A search opened or downloaded by its officer: an audit row for each read. */
  async function recordRead(officer: { id: number; officialEmail: string }, searchId: number, how: 'open' | 'csv' | 'pdf', origin: RequestOrigin) {
    await audit.record({ actorType: 'OFFICER', actorId: officer.id, actorLabel: officer.officialEmail, action: `hash_search.${how}`, objectType: 'HashSearch', objectId: searchId, outcome: 'SUCCESS', ...origin })
  }

  /** Large searches not answered yet that were made before `before`. */
  async function waitingSearches(before: Date): Promise<number[]> {
    const rows = await db.hashSearch.findMany({ where: { status: { in: ['PENDING', 'RUNNING'] }, createdAt: { lt: before } }, select: { id: true }, take: 1000 })
    return rows.map((r) => r.id)
  }

  return { search, completeSearch, failSearch, listSearches, ownSearch, recordRead, waitingSearches }
}

export type HashSearchService = ReturnType<typeof createHashSearchService>

/** What a result line says, in words, for the page, the CSV and the PDF. */
export function describeResult(r: SearchResultLine, cvipContact: string) {
  if ('error' in r) return { line: r.line, hash: r.input, type: '', known: 'Not searched', match: '', category: '', series: '', contact: '', problem: r.error }
  const contact = !r.contactCvip
    ? 'No'
    : r.seriesIdentified
      ? `Yes: the child in this series has been identified. Contact CVIP at ${cvipContact}`
      : `Yes: this series' child is not yet identified. Contact CVIP at ${cvipContact} with anything that may help`
  return {
    line: r.line,
    hash: r.value,
    type: HASH_TYPE_LABEL[r.hashType],
    known: r.known ? 'Known' : 'Not known',
    match: r.match === 'near' ? `Near match (${r.distance} bits apart)` : r.match === 'exact' ? 'Exact' : '',
    category: r.category ? CATEGORY_LABEL[r.category] : '',
    series: r.series ? `${r.series}${r.seriesIdentified ? ' (identified)' : ' (not identified)'}` : '',
    contact,
    problem: '',
  }
}

export const CATEGORY_LABEL: Record<HashCategory, string> = {
  NON_PERTINENT: 'Non-pertinent',
  CSAM: 'Child sexual abuse material',
  CHILD_EXPLOITIVE: 'Child exploitive (age difficult)',
  CGI_ANIMATION: 'CGI or animation',
  COMPARISON: 'Comparison',
}

/** A cell a spreadsheet would run as a formula (an officer's own invalid line) is quoted with '. */
function inertInSpreadsheets(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** A completed search as CSV, one row per line of the search. */
export function searchCsv(search: Pick<HashSearch, 'results'>, cvipContact: string): string {
  const header = 'line,hash,hash_type,known,match,category,series,contact_cvip,problem'
  const rows = ((search.results ?? []) as unknown as SearchResultLine[]).map((r) => {
    const d = describeResult(r, cvipContact)
    return [d.line, d.hash, d.type, d.known, d.match, d.category, d.series, d.contact, d.problem].map((v) => csvField(inertInSpreadsheets(String(v)))).join(',')
  })
  return [header, ...rows].join('\r\n') + '\r\n'
}
