// CVIP collection review requests on the portal: the request form (case, agency, statute and a
// hash list file of up to 100,000 lines), the request's status with the matching's progress,
// and, once CVIP releases it, the review report (matches, notes, CSV). An officer sees only
// their own requests.
import { originOf } from '../lib/request-context.js'
import busboy from 'busboy'
import type { Request, Response, Router } from 'express'
import { csvField } from '../modules/hashes/catalog.service.js'
import { REVIEW_MAX_LINES, ReviewRequestError, type CollectionReviewService, type ReviewMatch } from '../modules/hashes/collection-review.service.js'
import { CATEGORY_LABEL } from '../modules/hashes/hash-search.service.js'
import { HASH_TYPE_LABEL } from '../modules/hashes/hash-formats.js'
import { textPdf, wrap } from '../modules/hashes/search-pdf.js'
import { sendPage } from './pages.js'
import { csrfTokenValid } from './portal-session.js'
import { fromThisSite } from '../lib/same-origin.js'
import type { HashSearchRouteHelpers } from './hash-search.routes.js'

const FILE_MAX_BYTES = 12 * 1024 * 1024
const STATUS_LABEL = { MATCHING: 'Matching your hashes against the catalog', IN_REVIEW: 'With CVIP analysts for review', RELEASED: 'Released: the review report is below' } as const
const FIELDS = ['caseNumber', 'agencyName', 'statute', 'file'] as const
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`

function readRequestForm(req: Request): Promise<{ fields: Record<string, string>; fileText: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {}
    let fileText = ''
    let tooLarge = false
    const form = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fileSize: FILE_MAX_BYTES, fieldSize: 4096 } })
    form.on('field', (name, value) => {
      fields[name] = value
    })
    form.on('file', (_name, stream) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => {
        tooLarge = true
      })
      stream.on('end', () => {
        fileText = Buffer.concat(chunks).toString('utf8')
      })
    })
    form.on('error', reject)
    form.on('close', () => resolve({ fields, fileText, tooLarge }))
    req.pipe(form)
  })
}

export function mountCollectionReviewRoutes(router: Router, { config, frame, officerOnly, refuseCrossSite, notFound }: HashSearchRouteHelpers, reviews: CollectionReviewService): void {
  const formPage = (req: Request, res: Response, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const problems = FIELDS.filter((f) => errors[f]).map((field) => ({ field, message: errors[field] }))
    sendPage(res, 'collection-review-new', frame(req, res, problems.length ? 'Error: Request a collection review' : 'Request a collection review', 'my-reports'), {
      values: { caseNumber: '', agencyName: '', statute: '', ...values },
      errors,
      problems,
      maxLines: REVIEW_MAX_LINES.toLocaleString('en-US'),
      cvipContact: config.contacts.cvip,
    }, status)
  }

  router.get('/collection-reviews/new', (req, res) => {
    const standing = officerOnly(req, res)
    if (!standing) return
    formPage(req, res, { agencyName: standing.agency?.name ?? standing.proposedAgencyName ?? '' }, {})
  })

  router.post('/collection-reviews', async (req, res, next) => {
    try {
      const standing = officerOnly(req, res)
      if (!standing) return
      if (!fromThisSite(req)) return refuseCrossSite(req, res)
      const { fields, fileText, tooLarge } = await readRequestForm(req)
      req.body = fields
      if (!csrfTokenValid(req)) return refuseCrossSite(req, res)
      const values = { caseNumber: fields.caseNumber ?? '', agencyName: fields.agencyName ?? '', statute: fields.statute ?? '' }
      if (tooLarge) return formPage(req, res, values, { file: `The file is larger than ${FILE_MAX_BYTES / 1024 / 1024} MB: a review takes at most ${REVIEW_MAX_LINES.toLocaleString('en-US')} hashes` }, 400)
      try {
        const { reviewId } = await reviews.submit(standing, values, fileText, originOf(req))
        res.redirect(303, `/portal/collection-reviews/${reviewId}`)
      } catch (error) {
        if (error instanceof ReviewRequestError) return formPage(req, res, values, error.problems, 400)
        throw error
      }
    } catch (error) {
      next(error)
    }
  })

  const ownReview = async (req: Request, res: Response) => {
    const standing = officerOnly(req, res)
    if (!standing) return null
    const id = /^\d{1,10}$/.test(String(req.params.id)) ? Number(req.params.id) : NaN
    const review = await reviews.ownReview(standing.id, id)
    if (!review) notFound(req, res)
    return review ? { review, standing } : null
  }

  const describe = (m: ReviewMatch) => ({
    line: m.line,
    hash: m.value,
    type: HASH_TYPE_LABEL[m.hashType],
    match: m.distance === null ? 'Exact' : `Near match (${m.distance} bits apart)`,
    category: CATEGORY_LABEL[m.category as keyof typeof CATEGORY_LABEL] ?? m.category,
    series: m.series ? `${m.series}${m.seriesIdentified ? ' (identified)' : ' (not identified)'}` : '',
    identified: m.seriesIdentified,
  })

  router.get('/collection-reviews/:id', async (req, res, next) => {
    try {
      const own = await ownReview(req, res)
      if (!own) return
      const { review, standing } = own
      await reviews.recordRead(standing, review.id, 'open', originOf(req))
      const released = review.status === 'RELEASED'
      const matches = released ? ((review.matches ?? []) as unknown as ReviewMatch[]).map(describe) : []
      sendPage(res, 'collection-review', frame(req, res, `Collection review ${review.id}`, 'my-reports'), {
        id: review.id,
        caseNumber: review.caseNumber,
        agencyName: review.agencyName,
        statute: review.statute,
        created: when(review.createdAt),
        status: STATUS_LABEL[review.status],
        matching: review.status === 'MATCHING',
        released,
        releasedAt: review.releasedAt ? when(review.releasedAt) : '',
        lineCount: review.lineCount.toLocaleString('en-US'),
        processed: review.processedCount.toLocaleString('en-US'),
        percent: review.lineCount ? Math.floor((100 * review.processedCount) / review.lineCount) : 0,
        matchCount: review.matchCount,
        identifiedCount: review.identifiedCount,
        invalidCount: review.invalidCount,
        notes: review.analystNotes ?? '',
        matches,
        invalidLines: released ? ((review.invalidLines ?? []) as { line: number; error: string }[]) : [],
        cvipContact: config.contacts.cvip,
      })
    } catch (error) {
      next(error)
    }
  })

  for (const format of ['csv', 'pdf'] as const) {
    router.get(`/collection-reviews/:id/${format}`, async (req, res, next) => {
      try {
        const own = await ownReview(req, res)
        if (!own) return
        const { review, standing } = own
        if (review.status !== 'RELEASED') return res.redirect(303, `/portal/collection-reviews/${review.id}`)
        await reviews.recordRead(standing, review.id, format, originOf(req))
        const matches = ((review.matches ?? []) as unknown as ReviewMatch[]).map(describe)
        res.set({ 'Content-Disposition': `attachment; filename="collection-review-${review.id}.${format}"`, 'Cache-Control': 'no-store' })
        if (format === 'csv') {
          const rows = matches.map((m) => [m.line, m.hash, m.type, m.match, m.category, m.series].map((v) => csvField(String(v))).join(','))
          return res.type('text/csv; charset=utf-8').send(['line,hash,hash_type,match,category,series', ...rows].join('\r\n') + '\r\n')
        }
        const lines = [
          `Collection review ${review.id}: review report of the Child Victim Identification Program`,
          `Case ${review.caseNumber}, ${review.agencyName}, ${review.statute}`,
          `Requested ${when(review.createdAt)}, released ${review.releasedAt ? when(review.releasedAt) : '-'}`,
          `${review.lineCount} lines: ${review.matchCount} known, ${review.identifiedCount} in series of identified children, ${review.invalidCount} not hashes`,
          `CVIP: ${config.contacts.cvip}`,
          '',
          'Notes from CVIP:',
          ...(review.analystNotes ?? '').split(/\r?\n/).flatMap((l) => wrap(`  ${l}`, '  ')),
          '',
          'Matches:',
          ...matches.flatMap((m) => [`Line ${m.line}: ${m.type} ${m.hash}`, ...wrap(`    ${m.match}. ${m.category}${m.series ? `. Series: ${m.series}` : ''}`, '    ')]),
        ]
        res.type('application/pdf').send(textPdf(lines))
      } catch (error) {
        next(error)
      }
    })
  }
}
