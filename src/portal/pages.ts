// The portal's pages: Handlebars templates in templates/portal, one layout, strict mode (a
// missing value is an error, not a blank), HTML-escaped by default.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import type { Response } from 'express'
import { PROJECT_ROOT } from '../lib/project-root.js'

export const PORTAL_TEMPLATE_DIR = path.join(PROJECT_ROOT, 'templates/portal')

const handlebars = Handlebars.create()
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)

const sources = readdirSync(PORTAL_TEMPLATE_DIR)
  .filter((file) => file.endsWith('.hbs'))
  .map((file) => [file.replace(/\.hbs$/, ''), readFileSync(path.join(PORTAL_TEMPLATE_DIR, file), 'utf8')] as const)
// Files named _x.hbs are partials ({{> _x}}); the rest are pages.
for (const [name, source] of sources) if (name.startsWith('_')) handlebars.registerPartial(name, source)
const compiled = new Map(sources.filter(([name]) => !name.startsWith('_')).map(([name, source]) => [name, handlebars.compile(source, { strict: true })]))

export type PageFrame = {
  title: string
  /** The signed-in officer's name, for the header and the navigation; null when signed out. */
  officerName: string | null
  csrfToken: string | null
  /** Which navigation entry is current. */
  section?: 'home' | 'hash-search' | 'my-reports' | 'application' | null
}

/** Renders a page into the layout and sends it. Pages are never cached: they can hold personal data. */
export function sendPage(res: Response, name: string, frame: PageFrame, data: Record<string, unknown> = {}, status = 200): void {
  const page = compiled.get(name)
  const layout = compiled.get('layout')
  if (!page || !layout) throw new Error(`No portal template "${name}"`)
  const values = { section: null, ...frame, ...data }
  res.status(status).type('html').set('Cache-Control', 'no-store').send(layout({ ...values, body: page(values) }))
}
