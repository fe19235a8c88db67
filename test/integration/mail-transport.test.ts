import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMailer, isPermanentMailError } from '../../src/lib/mailer.js'
import { createLogger } from '../../src/lib/logger.js'
import { testConfig } from '../support/app.js'

describe('mail transport', () => {
  it('writes each message to an .eml file when SMTP_URL is not set, so nothing leaves the machine', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mail-'))
    const mailer = createMailer(testConfig({ MAIL_DIR: dir }), createLogger('silent'))
    const sent = await mailer.send({ to: 'cvip@clearinghouse.example.com', subject: 'Hello', text: 'Body', messageId: '<notification-1@localhost>' })
    const files = readdirSync(dir)
    expect(files).toHaveLength(1)
    const eml = readFileSync(path.join(dir, files[0]!), 'utf8')
    expect(eml).toContain('Subject: Hello')
    expect(eml).toContain('To: cvip@clearinghouse.example.com')
    expect(eml).toContain('Message-ID: <notification-1@localhost>')
    expect(sent.messageId).toBe('<notification-1@localhost>')
    mailer.close()
  })

  it('treats 5xx replies and refused envelopes as permanent, 4xx and connection errors as temporary', () => {
    expect(isPermanentMailError({ responseCode: 550 })).toBe(true)
    expect(isPermanentMailError({ responseCode: 553, code: 'EENVELOPE' })).toBe(true)
    expect(isPermanentMailError({ code: 'EENVELOPE' })).toBe(true)
    expect(isPermanentMailError({ responseCode: 451 })).toBe(false)
    expect(isPermanentMailError({ code: 'ECONNECTION' })).toBe(false)
    expect(isPermanentMailError({ code: 'ETIMEDOUT' })).toBe(false)
  })
})
