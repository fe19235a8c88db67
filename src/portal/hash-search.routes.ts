// The portal's Hash Search and My Reports, for verified officers only. Server-rendered: a
// search is a form post (pasted lines or an uploaded file), answered by a redirect to its
// results, so reloading never runs it twice. An officer only ever sees their own searches: any
// other id, guessed or real, is "not found".
import { originOf } from '../lib/request-context.js'
import busboy from 'busboy'
import type { Request, Response, Router } from 'express'
import type { Config } from '../config.js'
import { AppError } from '../lib/errors.js'
import { SEARCH_MAX_LINES, SEARCH_ON_PAGE_MAX, describeResult, searchCsv, type HashSearchService, type SearchResultLine } from '../modules/hashes/hash-search.service.js'
import { searchPdf } from '../modules/hashes/search-pdf.js'
import type { CollectionReviewService } from '../modules/hashes/collection-review.service.js'
import { sendPage, type PageFrame } from './pages.js'
import { csrfTokenValid, type Standing } from './portal-session.js'
import { fromThisSite } from '../lib/same-origin.js'

export type HashSearchRouteHelpers = {
  config: Config
  hashSearch: HashSearchService
  collectionReview: CollectionReviewService
  frame(req: Request, res: Response, title: string, section?: PageFrame['section']): PageFrame
  officerOnly(req: Request, res: Response): Standing | null
  refuseCrossSite(req: Request, res: Response): void
  notFound(req: Request, res: Response): void
}

const UPLOAD_MAX_BYTES = 64 * 1024
const STATUS_LABEL = { PENDING: 'Waiting to be searched', RUNNING: 'Being searched', COMPLETED: 'Ready', FAILED: 'Could not be completed, please search again' } as const
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`

/** The search form's fields and its file, read with limits; a file's text replaces the pasted text. */
function readSearchForm(req: Request): Promise<{ fields: Record<string, string>; fileText: string | null; problem: string | null }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {}
    let fileText: string | null = null
    let problem: string | null = null
    let form: busboy.Busboy
    try {
      form = busboy({ headers: req.headers, limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 10, fieldSize: UPLOAD_MAX_BYTES } })
    } catch {
      return reject(new AppError('VALIDATION_FAILED', 'The form could not be read: send it again from the Hash Search page'))
    }
    form.on('field', (name, value) => {
      fields[name] = value
    })
    form.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => {
        problem = `The file is larger than ${UPLOAD_MAX_BYTES / 1024} KB: a search holds at most ${SEARCH_MAX_LINES} hashes.`
      })
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (info.filename && text.trim()) fileText = text
      })
    })
    form.on('error', reject)
    form.on('close', () => resolve({ fields, fileText, problem }))
    req.pipe(form)
  })
}

export function mountHashSearchRoutes(router: Router, { config, hashSearch, collectionReview, frame, officerOnly, refuseCrossSite, notFound }: HashSearchRouteHelpers): void {
  const formPage = (req: Request, res: Response, data: { hashes?: string; sixtyFour?: string; problem?: string | null; invalid?: SearchResultLine[] }, status = 200) => {
    const problems = data.problem ? [{ field: 'hashes', message: data.problem }] : []
    sendPage(res, 'hash-search', frame(req, res, problems.length ? 'Error: Hash Search' : 'Hash Search', 'hash-search'), {
      hashes: data.hashes ?? '',
      pdq: data.sixtyFour === 'PDQ',
      problems,
      problem: data.problem ?? null,
      invalid: (data.invalid ?? []).map((r) => describeResult(r, config.contacts.cvip)),
      maxLines: SEARCH_MAX_LINES,
      onPageMax: SEARCH_ON_PAGE_MAX,
      perHour: config.hashes.searchesPerHour,
      cvipContact: config.contacts.cvip,
    }, status)
  }

  router.get('/hash-search', (req, res) => {
    if (!officerOnly(req, res)) return
    formPage(req, res, {})
  })

  router.post('/hash-search', async (req, res, next) => {
    try {
      const standing = officerOnly(req, res)
      if (!standing) return
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      const { fields, fileText, problem } = await readSearchForm(req)
      req.body = fields
      if (!csrfTokenValid(req)) return refuseCrossSite(req, res)
      const sixtyFour = fields.sixtyFour === 'PDQ' ? 'PDQ' : 'SHA256'
      const pasted = fields.hashes ?? ''
      if (problem) return formPage(req, res, { hashes: pasted, sixtyFour, problem }, 400)
      const outcome = await hashSearch.search(standing, fileText ?? pasted, { sixtyFour, origin: originOf(req) })
      if (outcome.kind === 'refused') {
        const limited = outcome.problem.includes('last hour')
        return formPage(req, res, { hashes: pasted, sixtyFour, problem: outcome.problem, ...(outcome.invalid ? { invalid: outcome.invalid } : {}) }, limited ? 429 : 400)
      }
      res.redirect(303, `/portal/my-reports/${outcome.searchId}`)
    } catch (error) {
      next(error)
    }
  })

  router.get('/my-reports', async (req, res, next) => {
    try {
      const standing = officerOnly(req, res)
      if (!standing) return
      const [searches, reviews] = await Promise.all([hashSearch.listSearches(standing.id), collectionReview.listReviews(standing.id)])
      sendPage(res, 'my-reports', frame(req, res, 'My Reports', 'my-reports'), {
        searches: searches.map((s) => ({
          id: s.id,
          created: when(s.createdAt),
          status: STATUS_LABEL[s.status],
          ready: s.status === 'COMPLETED',
          hashCount: s.hashCount,
          matchCount: s.matchCount,
          invalidCount: s.invalidCount,
        })),
        reviews: reviews.map((r) => ({
          id: r.id,
          caseNumber: r.caseNumber,
          created: when(r.createdAt),
          lineCount: r.lineCount.toLocaleString('en-US'),
          status: r.status === 'MATCHING' ? `Matching (${Math.floor((100 * r.processedCount) / Math.max(1, r.lineCount))}%)` : r.status === 'IN_REVIEW' ? 'With CVIP analysts' : 'Released',
        })),
      })
    } catch (error) {
      next(error)
    }
  })

  const ownSearch = async (req: Request, res: Response) => {
    const standing = officerOnly(req, res)
    if (!standing) return null
    const id = /^\d{1,10}$/.test(String(req.params.id)) ? Number(req.params.id) : NaN
    const search = await hashSearch.ownSearch(standing.id, id)
    if (!search) {
      notFound(req, res)
      return null
    }
    return { standing, search }
  }

  router.get('/my-reports/:id', async (req, res, next) => {
    try {
      const own = await ownSearch(req, res)
      if (!own) return
      const { standing, search } = own
      await hashSearch.recordRead(standing, search.id, 'open', originOf(req))
      const ready = search.status === 'COMPLETED'
      const lines = ready ? ((search.results ?? []) as unknown as SearchResultLine[]).map((r) => ({ ...describeResult(r, config.contacts.cvip), invalid: 'error' in r, isKnown: 'known' in r && r.known, contactCvip: 'contactCvip' in r && r.contactCvip })) : []
      sendPage(res, 'my-report', frame(req, res, `Search ${search.id}`, 'my-reports'), {
        id: search.id,
        created: when(search.createdAt),
        completed: search.completedAt ? when(search.completedAt) : '',
        status: STATUS_LABEL[search.status],
        ready,
        failed: search.status === 'FAILED',
        hashCount: search.hashCount,
        matchCount: search.matchCount,
        invalidCount: search.invalidCount,
        lines,
        anyForCvip: lines.some((l) => l.contactCvip),
        cvipContact: config.contacts.cvip,
      })
    } catch (error) {
      next(error)
    }
  })

  for (const format of ['csv', 'pdf'] as const) {
    router.get(`/my-reports/:id/${format}`, async (req, res, next) => {
      try {
        const own = await ownSearch(req, res)
        if (!own) return
        const { standing, search } = own
        if (search.status !== 'COMPLETED') return res.redirect(303, `/portal/my-reports/${search.id}`)
        await hashSearch.recordRead(standing, search.id, format, originOf(req))
        const name = `hash-search-${search.id}.${format}`
        res.set({ 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' })
        if (format === 'csv') res.type('text/csv; charset=utf-8').send(searchCsv(search, config.contacts.cvip))
        else res.type('application/pdf').send(searchPdf(search, config.contacts.cvip))
      } catch (error) {
        next(error)
      }
    })
  }
}
