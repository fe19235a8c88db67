// Talks to the console as a browser would: signs in with the login form and the second factor
// (from the tests' authenticator), keeps the session cookie, sends its Origin with every
// POST as a browser does, then calls AdminJS's own API routes.
import { nextTotpCode, rememberTotpSecret, secretOnPage } from './totp.js'

export type ConsoleClient = {
  cookie: string | undefined
  /** Password, then the code; the answer of the last step taken. */
  signIn(email: string, password: string, options?: { now?: Date }): Promise<Response>
  /** The password step alone. */
  signInPassword(email: string, password: string): Promise<Response>
  get(path: string): Promise<Response>
  post(path: string, fields?: Record<string, string | string[]>, options?: { origin?: string | null }): Promise<Response>
  postForm(path: string, fields: Record<string, string>, options?: { origin?: string | null }): Promise<Response>
  json<T = any>(path: string, fields?: Record<string, string | string[]>): Promise<T>
}

export function sessionCookieFrom(response: Response, name = 'tt.console'): string | undefined {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  return header?.split(';')[0]
}

export function consoleClient(baseUrl: string): ConsoleClient {
  const send = async (path: string, init: RequestInit, origin: string | null) => {
    const headers = new Headers(init.headers)
    if (client.cookie) headers.set('cookie', client.cookie)
    if (origin) headers.set('origin', origin)
    const response = await fetch(baseUrl + path, { ...init, headers, redirect: 'manual' })
    client.cookie = sessionCookieFrom(response) ?? client.cookie
    return response
  }
  const client: ConsoleClient = {
    cookie: undefined,
    signInPassword(email, password) {
      return client.postForm('/admin/login', { email, password })
    },
    async signIn(email, password, { now } = {}) {
      const first = await client.signInPassword(email, password)
      if (first.headers.get('location') !== '/admin/mfa') return first
      const page = await (await client.get('/admin/mfa')).text()
      const enrolling = secretOnPage(page)
      if (enrolling) rememberTotpSecret(email, enrolling)
      return client.postForm('/admin/mfa', { code: await nextTotpCode(email, now) })
    },
    get(path) {
      return send(path, {}, null)
    },
    post(path, fields = {}, { origin = baseUrl } = {}) {
      const body = new FormData()
      for (const [key, value] of Object.entries(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
      }
      return send(path, { method: 'POST', body }, origin)
    },
    postForm(path, fields, { origin = baseUrl } = {}) {
      return send(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, origin)
    },
    async json(path, fields) {
      const response = fields ? await client.post(path, fields) : await client.get(path)
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
      return response.json()
    },
  }
  return client
}
