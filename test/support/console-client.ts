// Talks to the console as a browser would: signs in with the login form and keeps the
// session cookie, then calls AdminJS's own API routes.
export type ConsoleClient = {
  cookie: string | undefined
  signIn(email: string, password: string): Promise<Response>
  get(path: string): Promise<Response>
  post(path: string, fields?: Record<string, string | string[]>): Promise<Response>
  json<T = any>(path: string, fields?: Record<string, string | string[]>): Promise<T>
}

export function sessionCookieFrom(response: Response, name = 'tt.console'): string | undefined {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  return header?.split(';')[0]
}

export function consoleClient(baseUrl: string): ConsoleClient {
  const client: ConsoleClient = {
    cookie: undefined,
    async signIn(email, password) {
      const response = await client.post('/admin/login', { email, password })
      return response
    },
    async get(path) {
      const response = await fetch(baseUrl + path, { redirect: 'manual', headers: client.cookie ? { cookie: client.cookie } : {} })
      client.cookie = sessionCookieFrom(response) ?? client.cookie
      return response
    },
    async post(path, fields = {}) {
      const body = new FormData()
      for (const [key, value] of Object.entries(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
      }
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        body,
        redirect: 'manual',
        headers: client.cookie ? { cookie: client.cookie } : {},
      })
      client.cookie = sessionCookieFrom(response) ?? client.cookie
      return response
    },
    async json(path, fields) {
      const response = fields ? await client.post(path, fields) : await client.get(path)
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
      return response.json()
    },
  }
  return client
}
