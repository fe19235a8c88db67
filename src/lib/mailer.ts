// The mail transport: SMTP when SMTP_URL is set; otherwise (outside production) each message
// is written as an .eml file under MAIL_DIR and logged, so nothing leaves the machine by
// accident and a person can open what would have been sent.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import nodemailer, { type SendMailOptions } from 'nodemailer'
import type { Config } from '../config.js'
import type { Logger } from './logger.js'

export type SentMail = { messageId: string; response: string }
export type Mailer = { send(message: SendMailOptions): Promise<SentMail>; close(): void }

export function createMailer(config: Config, logger: Logger): Mailer {
  if (config.mail.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: config.mail.smtpUrl,
      pool: true,
      maxConnections: 10,
      // A hung server must not hold a job forever: fail, and BullMQ retries.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never)
    return {
      async send(message) {
        const info = await transport.sendMail({ from: config.mail.from, ...message })
        return { messageId: info.messageId, response: String(info.response) }
      },
      close: () => transport.close(),
    }
  }

  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.mail.from, ...message })
      mkdirSync(config.mail.dir, { recursive: true })
      const file = path.join(config.mail.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(info.messageId).replace(/[^A-Za-z0-9.-]/g, '')}.eml`)
      writeFileSync(file, info.message as Buffer)
      logger.info({ file, messageId: info.messageId }, 'email written to a file (SMTP_URL is not set)')
      return { messageId: info.messageId, response: `written to ${file}` }
    },
    close: () => transport.close(),
  }
}

/** 4xx replies and connection trouble may pass; 5xx replies and refused addresses will not. */
export function isPermanentMailError(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string }
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600
  return e.code === 'EENVELOPE' || e.code === 'EMESSAGE'
}
