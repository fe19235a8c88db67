// The hash catalog's import and export in the console, at /admin/catalog: administrators only
// (access.ts), each one audited by the catalog service. The uploaded file is streamed straight
// into the import, never held whole in memory or written to disk.
import { originOf } from '../lib/request-context.js'
import busboy from 'busboy'
import type { Request, Response, Router } from 'express'
import { HashCategory } from '@prisma/client'
import type { CatalogService, ImportSummary } from '../modules/hashes/catalog.service.js'
import { CATALOG_FORMATS, type CatalogFormat } from '../modules/hashes/catalog-formats.js'
import { hashTypeNamed } from '../modules/hashes/hash-formats.js'
import { catalogTransferAccess } from './access.js'
import { ADMIN_ROOT_PATH } from './paths.js'

export const CATALOG_TRANSFER_PATH = `${ADMIN_ROOT_PATH}/catalog`
const UPLOAD_MAX_BYTES = 4 * 1024 ** 3

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const FORMAT_LABEL: Record<CatalogFormat, string> = { plain: 'Plain list (one hash a line)', csv: 'CSV with a header', vics: 'Project VIC / VICS JSON' }

function page(body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hash catalog import and export · Tip triage console</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; background: #f3f4f6; color: #111827; margin: 0; }
  main { max-width: 760px; margin: 40px auto; background: #fff; padding: 28px 32px; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  label { display: block; margin-top: 16px; font-weight: bold; }
  .hint { display: block; font-weight: normal; color: #4b5563; font-size: 14px; }
  input, select { box-sizing: border-box; width: 100%; padding: 9px; margin-top: 6px; border: 1px solid #6b7280; border-radius: 4px; font-size: 16px; }
  button, .button { display: inline-block; margin-top: 22px; padding: 10px 18px; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; font-size: 16px; cursor: pointer; text-decoration: none; }
  .error { background: #fee2e2; color: #991b1b; padding: 12px; border-radius: 4px; }
  .good { background: #dcfce7; color: #166534; padding: 12px; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; margin-top: 12px; font-size: 14px; }
  th, td { text-align: left; border-bottom: 1px solid #d1d5db; padding: 6px 8px; vertical-align: top; }
</style></head>
<body><main>
${body}
<p><a href="${ADMIN_ROOT_PATH}/resources/HashSet">Hash sets</a> · <a href="${ADMIN_ROOT_PATH}">Back to the console</a></p>
</main></body></html>`
}

function formPage(message: string | null): string {
  const options = (values: readonly string[], labels: (v: string) => string, selected: string) =>
    values.map((v) => `<option value="${v}"${v === selected ? ' selected' : ''}>${escape(labels(v))}</option>`).join('')
  return page(`<h1>Hash catalog: import and export</h1>
  ${message ? `<p class="error" role="alert">${escape(message)}</p>` : ''}
  <h2>Import</h2>
  <p>Lines that are not hashes are listed by number and skipped; the rest are imported. A hash already in the catalog is left as it is, so importing a file twice adds nothing.</p>
  <form method="post" action="${CATALOG_TRANSFER_PATH}/import" enctype="multipart/form-data">
    <label for="hashSet">Hash set <span class="hint">Found by name, or made new.</span></label>
    <input id="hashSet" name="hashSet" required maxlength="200">
    <label for="source">Source <span class="hint">Where the list came from, e.g. "CVIP" or "Project VIC".</span></label>
    <input id="source" name="source" required maxlength="200">
    <label for="format">Format</label>
    <select id="format" name="format">${options(CATALOG_FORMATS, (v) => FORMAT_LABEL[v as CatalogFormat], 'plain')}</select>
    <label for="category">Category <span class="hint">For lines that do not give one.</span></label>
    <select id="category" name="category">${options(Object.keys(HashCategory), (v) => v, 'CSAM')}</select>
    <label for="hashType">Type of a plain list's 64-character lines</label>
    <select id="hashType" name="hashType"><option value="">SHA-256 (or as each line says)</option><option value="PDQ">PDQ</option></select>
    <label for="series">Series <span class="hint">Optional: every hash of a plain list belongs to this series.</span></label>
    <input id="series" name="series" maxlength="200">
    <label for="file">File</label>
    <input id="file" name="file" type="file" required>
    <button type="submit">Import</button>
  </form>
  <h2>Export</h2>
  <p>The whole catalog as CSV, in the format the CSV import reads. The download is recorded.</p>
  <a class="button" href="${CATALOG_TRANSFER_PATH}/export.csv">Download the catalog (CSV)</a>`)
}

/** "1 line", "2 lines". */
const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function summaryPage(summary: ImportSummary): string {
  const rejected = summary.rejectedLines.map((r) => `<tr><td>${r.line}</td><td>${escape(r.reason)}</td></tr>`).join('')
  return page(`<h1>Import finished</h1>
  <p class="good" role="status">${counted(summary.read, 'hash', 'hashes')} read: ${summary.added} added, ${summary.duplicates} already in the catalog. ${counted(summary.rejected, 'line', 'lines')} rejected. ${summary.seconds.toFixed(1)} s.</p>
  ${summary.rejected ? `<h2>Rejected lines${summary.rejected > summary.rejectedLines.length ? ` (the first ${summary.rejectedLines.length} of ${summary.rejected})` : ''}</h2>
  <table><thead><tr><th scope="col">Line</th><th scope="col">Why</th></tr></thead><tbody>${rejected}</tbody></table>` : ''}
  <p><a href="${CATALOG_TRANSFER_PATH}">Import another file</a></p>`)
}

function fromThisSite(req: Request): boolean {
  const origin = req.get('origin')
  return !origin || origin === `${req.protocol}://${req.get('host')}`
}

export function mountCatalogTransfer(router: Router, catalog: CatalogService): void {
  const allowed = (req: Request, res: Response, action: keyof typeof catalogTransferAccess) => {
    if (!req.session?.adminUser) {
      res.redirect(`${ADMIN_ROOT_PATH}/login`)
      return false
    }
    const role = req.session.adminUser.role
    if (role && (catalogTransferAccess[action] as readonly string[]).includes(role)) return true
    res.status(403).type('html').send(page('<h1>Not allowed</h1><p class="error">Only administrators import or export the hash catalog.</p>'))
    return false
  }
  const actor = (req: Request) => ({ actorType: 'STAFF' as const, id: req.session.adminUser!.id, label: req.session.adminUser!.email, origin: originOf(req) })

  router.get('/catalog', (req, res) => {
    if (allowed(req, res, 'import')) res.type('html').set('Cache-Control', 'no-store').send(formPage(null))
  })

  router.post('/catalog/import', (req, res, next) => {
    if (!allowed(req, res, 'import')) return
    if (!fromThisSite(req)) return res.status(403).type('html').send(formPage('This form must be sent from the console itself.'))
    let form: busboy.Busboy
    try {
      form = busboy({ headers: req.headers, limits: { files: 1, fileSize: UPLOAD_MAX_BYTES, fields: 10 } })
    } catch {
      return res.status(400).type('html').send(formPage('Send the form with a file.'))
    }
    const fields: Record<string, string> = {}
    let started = false
    form.on('field', (name, value) => {
      fields[name] = value.trim()
    })
    form.on('file', (_name, stream, info) => {
      started = true
      const format = fields.format as CatalogFormat
      const problem = !fields.hashSet || !fields.source ? 'Give the hash set and its source.' : !CATALOG_FORMATS.includes(format) ? 'Choose a format.' : null
      const category = (Object.keys(HashCategory) as HashCategory[]).find((c) => c === fields.category) ?? 'CSAM'
      if (problem || !info.filename) {
        stream.resume()
        return res.status(400).type('html').send(formPage(problem || 'Choose a file.'))
      }
      catalog
        .importCatalog(stream, {
          format, category, hashType: fields.hashType ? hashTypeNamed(fields.hashType) : null, series: fields.series || null,
          hashSet: { name: fields.hashSet!, source: fields.source! }, fileName: info.filename,
        }, actor(req))
        .then((summary) => res.type('html').set('Cache-Control', 'no-store').send(summaryPage(summary)), (error: unknown) => {
          stream.resume()
          next(error)
        })
    })
    form.on('close', () => {
      if (!started) res.status(400).type('html').send(formPage('Choose a file.'))
    })
    form.on('error', next)
    req.pipe(form)
  })

  router.get('/catalog/export.csv', async (req, res, next) => {
    try {
      if (!allowed(req, res, 'export')) return
      res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="hash-catalog.csv"', 'Cache-Control': 'no-store' })
      await catalog.exportCatalog(res, {}, actor(req))
      res.end()
    } catch (error) {
      next(error)
    }
  })
}
