// A CyberTipline API client as ESPs write them (fetch, Basic auth, text/xml bodies, multipart
// uploads, url-encoded finish), with a tiny reader for the reply documents.
export type IspwsReply = {
  status: number
  body: string
  code: number | null
  description: string | null
  reportId: number | null
  fileId: string | null
  hash: string | null
  fileIds: string[]
  requestId: string | null
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

export function readReply(status: number, body: string, requestId: string | null = null): IspwsReply {
  const code = tag(body, 'responseCode')
  const reportId = tag(body, 'reportId')
  const description = tag(body, 'responseDescription')
  return {
    status,
    body,
    code: code === null ? null : Number(code),
    description: description === null ? null : unescape(description),
    reportId: reportId === null ? null : Number(reportId),
    fileId: body.includes('<reportResponse>') ? tag(body, 'fileId') : null,
    hash: tag(body, 'hash'),
    fileIds: body.includes('<reportDoneResponse>') ? [...body.matchAll(/<fileId>([^<]*)<\/fileId>/g)].map((m) => m[1]!) : [],
    requestId,
  }
}

export function ispwsClient(baseUrl: string, username: string, password: string) {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  async function call(path: string, init: RequestInit = {}): Promise<IspwsReply> {
    const response = await fetch(`${baseUrl}/ispws${path}`, { ...init, headers: { authorization, ...(init.headers as Record<string, string>) } })
    return readReply(response.status, await response.text(), response.headers.get('request-id'))
  }
  const xml = (path: string, body: string) => call(path, { method: 'POST', body, headers: { 'content-type': 'text/xml; charset=utf-8' } })
  const form = (path: string, id: number | string) => call(path, { method: 'POST', body: new URLSearchParams({ id: String(id) }) })
  return {
    call,
    status: () => call('/status'),
    xsd: () => fetch(`${baseUrl}/ispws/xsd`, { headers: { authorization } }),
    submit: (report: string) => xml('/submit', report),
    fileinfo: (details: string) => xml('/fileinfo', details),
    upload(reportId: number | string, bytes: Uint8Array | string, fileName = 'upload.jpg') {
      const body = new FormData()
      body.set('id', String(reportId))
      body.set('file', new Blob([Buffer.from(bytes as Uint8Array)]), fileName)
      return call('/upload', { method: 'POST', body })
    },
    finish: (reportId: number | string) => form('/finish', reportId),
    /** finish as civitai's client sends it: multipart rather than url-encoded. */
    finishMultipart(reportId: number | string) {
      const body = new FormData()
      body.set('id', String(reportId))
      return call('/finish', { method: 'POST', body })
    },
    retract: (reportId: number | string) => form('/retract', reportId),
  }
}

export type IspwsClient = ReturnType<typeof ispwsClient>
