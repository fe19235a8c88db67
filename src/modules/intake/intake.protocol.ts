// The CyberTipline API's answers: response codes and the two reply documents (section 1.3).
import { escapeXml } from '../../lib/xml.js'

export const RESPONSE_CODE = {
  success: 0,
  serverError: 1000,
  notAuthorised: 3000,
  invalidRequest: 4000,
  validationFailed: 4100,
  malformedXml: 4110,
  malformedFile: 4200,
  reportNotFound: 5001,
  fileNotFound: 5002,
  alreadyRetracted: 5101,
  alreadyFinished: 5102,
} as const

export type ResponseCode = (typeof RESPONSE_CODE)[keyof typeof RESPONSE_CODE]

/** A refusal the client is told about with its code; nothing was changed. */
export class IntakeError extends Error {
  override name = 'IntakeError'
  constructor(
    readonly code: Exclude<ResponseCode, 0>,
    message: string,
    /** For 4100: each problem on its own, with the element path it concerns. */
    readonly problems: { path: string; message: string }[] = [],
  ) {
    super(message)
  }
}

/**
 * The account behind a remembered credential was disabled or given a new secret since it was
 * last checked: the call changed nothing and is answered as any bad credential is (401).
 */
export class EspCredentialRevoked extends Error {
  override name = 'EspCredentialRevoked'
  constructor() {
    super('The ESP credential is no longer valid')
  }
}

const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

export function reportResponse(reply: { code: ResponseCode; description: string; reportId?: number; fileId?: string; hash?: string }): string {
  return (
    `${PROLOG}<reportResponse>\n  <responseCode>${reply.code}</responseCode>\n  <responseDescription>${escapeXml(reply.description)}</responseDescription>\n` +
    (reply.reportId !== undefined ? `  <reportId>${reply.reportId}</reportId>\n` : '') +
    (reply.fileId !== undefined ? `  <fileId>${escapeXml(reply.fileId)}</fileId>\n` : '') +
    (reply.hash !== undefined ? `  <hash>${escapeXml(reply.hash)}</hash>\n` : '') +
    '</reportResponse>\n'
  )
}

export function reportDoneResponse(reportId: number, fileIds: string[]): string {
  const files = fileIds.length ? `  <files>\n${fileIds.map((id) => `    <fileId>${escapeXml(id)}</fileId>\n`).join('')}  </files>\n` : '  <files/>\n'
  return `${PROLOG}<reportDoneResponse>\n  <responseCode>0</responseCode>\n  <reportId>${reportId}</reportId>\n${files}</reportDoneResponse>\n`
}
