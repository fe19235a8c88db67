// /ispws: the CyberTipline reporting API as ESPs' existing clients speak it. Every reply is a
// <reportResponse> or <reportDoneResponse> with the protocol's code (HTTP 200, or 500 with
// code 1000), except a bad credential: 401 with an empty body, as the real API answers.
import { createHash } from 'node:crypto'
import express, { Router, type Request, type RequestHandler, type Response } from 'express'
import busboy from 'busboy'
import type { Logger } from '../../lib/logger.js'
import { CYBERTIPLINE_XSD } from './intake.schemas.js'
import { EspCredentialRevoked, IntakeError, RESPONSE_CODE, reportDoneResponse, reportResponse } from './intake.protocol.js'
import { parseReportId, type EspPrincipal, type IntakeService, type UploadedFile } from './intake.service.js'

export const ISPWS_ROOT = '/ispws'

type Deps = { intake: IntakeService; logger: Logger; limits: { maxXmlBytes: number; maxUploadBytes: number } }

const XML_TYPE = 'text/xml; charset=utf-8'
const TOUCH_EVERY_MS = 60_000

function espOf(res: Response): EspPrincipal {
  return res.locals.esp as EspPrincipal
}

function sendXml(res: Response, xml: string, status = 200) {
  res.status(status).type(XML_TYPE).send(xml)
}

/** A missing, wrong or disabled credential: 401 and no body, as the real API answers. */
function refuseCredential(res: Response) {
  res.status(401).setHeader('WWW-Authenticate', 'Basic realm="CyberTipline reporting API", charset="UTF-8"')
  res.end()
}

/** A body parser's or busboy's refusal, in the protocol's words. */
function parserRefusal(err: unknown, limits: Deps['limits']): IntakeError | null {
  const type = (err as { type?: string })?.type
  if (type === 'entity.too.large') return new IntakeError(RESPONSE_CODE.invalidRequest, `Invalid request: the body is larger than ${limits.maxXmlBytes} bytes`)
  if (type === 'request.aborted') return new IntakeError(RESPONSE_CODE.invalidRequest, 'Invalid request: the body ended early')
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new IntakeError(RESPONSE_CODE.invalidRequest, 'Invalid request: send the body as UTF-8')
  return null
}

/** Reads a multipart or url-encoded form: its small fields, and at most one file, hashed as it streams. */
function readForm(req: Request, maxFileBytes: number): Promise<{ fields: Record<string, string>; file: UploadedFile | null; fileTooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: 1, fields: 8, fieldSize: 4096, parts: 10 } })
    } catch {
      reject(new IntakeError(RESPONSE_CODE.invalidRequest, 'Invalid request: send a multipart/form-data or application/x-www-form-urlencoded form'))
      return
    }
    const fields: Record<string, string> = {}
    let file: UploadedFile | null = null
    let fileTooLarge = false
    let pending: Promise<void> = Promise.resolve()
    parser.on('field', (name, value) => {
      fields[name] = value
    })
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume()
        return
      }
      const md5 = createHash('md5')
      const sha1 = createHash('sha1')
      const sha256 = createHash('sha256')
      let size = 0
      // The bytes are hashed and dropped: the clearinghouse keeps metadata only.
      stream.on('data', (chunk: Buffer) => {
        md5.update(chunk)
        sha1.update(chunk)
        sha256.update(chunk)
        size += chunk.length
      })
      stream.on('limit', () => {
        fileTooLarge = true
      })
      pending = new Promise((done) =>
        stream.on('end', () => {
          file = { fileName: info.filename ? info.filename.slice(0, 2056) : null, sizeBytes: size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') }
          done()
        }),
      )
    })
    parser.on('error', (err) => reject(new IntakeError(RESPONSE_CODE.malformedFile, `Malformed file submittal: ${(err as Error).message}`)))
    parser.on('close', () => void pending.then(() => resolve({ fields, file, fileTooLarge })))
    req.on('aborted', () => reject(new IntakeError(RESPONSE_CODE.invalidRequest, 'Invalid request: the body ended early')))
    req.pipe(parser)
  })
}

export function intakeRouter({ intake, logger, limits }: Deps): Router {
  const router = Router()
  const lastTouched = new Map<number, number>()

  /**
   * HTTP Basic against EspAccount; a missing, wrong or disabled credential gets 401 and no body.
   * A POST may go on a credential this process checked before (its statements re-check the
   * account as they write; see IntakeService.recallEsp); a GET is checked against the database.
   */
  const authenticate: RequestHandler = async (req, res, next) => {
    try {
      res.setHeader('Request-ID', String(req.id))
      const header = req.headers.authorization ?? ''
      const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6).trim(), 'base64').toString('utf8') : ''
      const colon = decoded.indexOf(':')
      const [username, secret] = colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : ['', '']
      const recalled = !username || req.method !== 'POST' ? null : intake.recallEsp(username, secret)
      const esp = recalled ?? (username ? await intake.authenticateEsp(username, secret) : null)
      if (!esp) {
        refuseCredential(res)
        return
      }
      res.locals.esp = esp
      res.locals.espRecalled = recalled !== null
      // Only an optimisation: every process may write it once a minute.
      if (Date.now() - (lastTouched.get(esp.id) ?? 0) > TOUCH_EVERY_MS) {
        lastTouched.set(esp.id, Date.now())
        intake.touchEsp(esp).catch((err: Error) => logger.warn({ err: err.message }, 'could not record ESP last use'))
      }
      next()
    } catch (err) {
      // The credential could not be checked (PostgreSQL away): the protocol's server error, as
      // every other call answers one, so an ESP's client retries instead of choking on JSON.
      req.log.error({ err }, 'ispws credential check failed')
      sendXml(res, reportResponse({ code: RESPONSE_CODE.serverError, description: `Server error; quote Request-ID ${String(req.id)} to the clearinghouse` }), 500)
    }
  }

  /** Runs a call and answers in the protocol's words, whatever happened. */
  const reply =
    (handler: (req: Request, res: Response) => Promise<string>): RequestHandler =>
    async (req, res) => {
      try {
        sendXml(res, await handler(req, res))
      } catch (err) {
        // Revoked: found so by the call's own statement, or, for a call refused for its input on
        // a remembered credential, by checking it now.
        const revoked =
          err instanceof EspCredentialRevoked ||
          (err instanceof IntakeError && res.locals.espRecalled && !(await intake.credentialStillValid(espOf(res)).catch(() => true)))
        if (revoked) {
          req.log.info({ esp: espOf(res)?.username }, 'ispws call refused: the credential was revoked')
          refuseCredential(res)
          return
        }
        if (err instanceof IntakeError) {
          // The code only: descriptions can quote the report's personal data.
          req.log.info({ esp: espOf(res)?.username, responseCode: err.code }, 'ispws call refused')
          sendXml(res, reportResponse({ code: err.code, description: err.message }))
          return
        }
        req.log.error({ err, esp: espOf(res)?.username }, 'ispws call failed')
        sendXml(res, reportResponse({ code: RESPONSE_CODE.serverError, description: `Server error; quote Request-ID ${String(req.id)} to the clearinghouse` }), 500)
      }
    }

  const xmlBody = express.text({ type: () => true, limit: limits.maxXmlBytes, defaultCharset: 'utf-8' })
  /** The XML body as text; a body the parser refuses (too large, not UTF-8) becomes the protocol's code. */
  const readXmlBody = (req: Request, res: Response) =>
    new Promise<string>((resolve, reject) =>
      xmlBody(req, res, (err?: unknown) => (err ? reject(parserRefusal(err, limits) ?? err) : resolve(typeof req.body === 'string' ? req.body : ''))),
    )

  router.use(authenticate)

  router.get(
    '/status',
    reply(async (req, res) => reportResponse({ code: RESPONSE_CODE.success, description: `Remote User : ${espOf(res).username}, Remote Ip : ${req.ip ?? ''}` })),
  )

  router.get('/xsd', (_req, res) => {
    res.type('application/xml; charset=utf-8').send(CYBERTIPLINE_XSD)
  })

  router.post(
    '/submit',
    reply(async (req, res) => {
      const { reportId } = await intake.submitReport(espOf(res), await readXmlBody(req, res))
      return reportResponse({ code: RESPONSE_CODE.success, description: 'Success', reportId })
    }),
  )

  router.post(
    '/upload',
    reply(async (req, res) => {
      const form = await readForm(req, limits.maxUploadBytes)
      const reportId = parseReportId(form.fields.id)
      if (form.fileTooLarge) throw new IntakeError(RESPONSE_CODE.malformedFile, `Malformed file submittal: the file is larger than ${limits.maxUploadBytes} bytes`)
      if (!form.file) throw new IntakeError(RESPONSE_CODE.malformedFile, 'Malformed file submittal: the form has no "file" part')
      const uploaded = await intake.recordUpload(espOf(res), reportId, form.file)
      return reportResponse({ code: RESPONSE_CODE.success, description: 'Success', reportId, fileId: uploaded.fileId, hash: uploaded.hash })
    }),
  )

  router.post(
    '/fileinfo',
    reply(async (req, res) => {
      const { reportId } = await intake.recordFileDetails(espOf(res), await readXmlBody(req, res))
      return reportResponse({ code: RESPONSE_CODE.success, description: 'Success', reportId })
    }),
  )

  router.post(
    '/finish',
    reply(async (req, res) => {
      const form = await readForm(req, 0)
      const { reportId, fileIds } = await intake.finishReport(espOf(res), parseReportId(form.fields.id))
      return reportDoneResponse(reportId, fileIds)
    }),
  )

  router.post(
    '/retract',
    reply(async (req, res) => {
      const form = await readForm(req, 0)
      const { reportId } = await intake.retractReport(espOf(res), parseReportId(form.fields.id))
      return reportResponse({ code: RESPONSE_CODE.success, description: 'Success', reportId })
    }),
  )

  return router
}
