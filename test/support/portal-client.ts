// Talks to the officers' portal as a browser would: form posts with the page's Origin, the
// portal's session cookie kept between requests, the CSRF token read from the last page.
import { sessionCookieFrom } from './console-client.js'
import { nextTotpCode, rememberTotpSecret, secretOnPage } from './totp.js'

export type PortalClient = {
  cookie: string | undefined
  csrfToken: string | undefined
  get(path: string): Promise<Response & { html: string }>
  post(path: string, fields?: Record<string, string>, options?: { origin?: string | null }): Promise<Response & { html: string }>
  /** A multipart form post, as a form with a file input sends it. */
  postMultipart(path: string, fields?: Record<string, string>, file?: { name: string; content: string }): Promise<Response & { html: string }>
  /** Password, then the second factor (enrolling on first use); the answer of the last step. */
  signIn(email: string, password: string, options?: { now?: Date }): Promise<Response & { html: string }>
}

export function portalClient(baseUrl: string): PortalClient {
  const remember = async (response: Response) => {
    client.cookie = sessionCookieFrom(response, 'tt.portal') ?? client.cookie
    const html = await response.text()
    client.csrfToken = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? client.csrfToken
    return Object.assign(response, { html })
  }
  const client: PortalClient = {
    cookie: undefined,
    csrfToken: undefined,
    async get(path) {
      return remember(await fetch(baseUrl + path, { redirect: 'manual', headers: client.cookie ? { cookie: client.cookie } : {} }))
    },
    async post(path, fields = {}, { origin = baseUrl } = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
      if (origin) headers.origin = origin
      if (client.cookie) headers.cookie = client.cookie
      return remember(await fetch(baseUrl + path, { method: 'POST', body: new URLSearchParams(fields).toString(), redirect: 'manual', headers }))
    },
    async postMultipart(path, fields = {}, file) {
      const body = new FormData()
      for (const [name, value] of Object.entries(fields)) body.append(name, value)
      body.append('file', new Blob([file?.content ?? ''], { type: file ? 'text/plain' : 'application/octet-stream' }), file?.name ?? '')
      const headers: Record<string, string> = { origin: baseUrl }
      if (client.cookie) headers.cookie = client.cookie
      return remember(await fetch(baseUrl + path, { method: 'POST', body, redirect: 'manual', headers }))
    },
    async signIn(email, password, { now } = {}) {
      const first = await client.post('/portal/sign-in', { email, password })
      if (first.headers.get('location') !== '/portal/mfa') return first
      const page = await client.get('/portal/mfa')
      const enrolling = secretOnPage(page.html)
      if (enrolling) rememberTotpSecret(email, enrolling)
      const done = await client.post('/portal/mfa', { code: await nextTotpCode(email, now) })
      // A first enrolment shows the recovery codes once, then goes where the sign-in was going.
      if (done.headers.get('location') === '/portal/recovery-codes') {
        const codes = await client.get('/portal/recovery-codes')
        const next = /href="([^"]+)">I have kept them/.exec(codes.html)?.[1] ?? '/portal'
        return Object.assign(new Response(null, { status: 303, headers: { location: next } }), { html: codes.html })
      }
      return done
    },
  }
  return client
}

/** The text of a page without its markup, for asserting on what a person reads. */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ')
