// A real SMTP server in the test process (smtp-server), and what it received (mailparser).
// A test can script the server's answer to each delivery attempt: '451' or '550' once, then
// accept, and so on.
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'

export type SmtpAnswer = 'accept' | '451' | '550'

export type TestSmtp = {
  url: string
  received: ParsedMail[]
  /** When each of received was taken (ms since the epoch), just before the server's 250. */
  receivedAt: number[]
  attempts: number
  /** Answers for the next delivery attempts, in order; after them, accept. */
  script(answers: SmtpAnswer[]): void
  /** A standing answer to every attempt (an outage: '451'), until called again with null. */
  answerAll(answer: SmtpAnswer | null): void
  close(): Promise<void>
}

export async function startTestSmtp({ delayMs = 0 }: { delayMs?: number } = {}): Promise<TestSmtp> {
  const answers: SmtpAnswer[] = []
  let standing: SmtpAnswer | null = null
  const state = { received: [] as ParsedMail[], receivedAt: [] as number[], attempts: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A slow server answers MAIL FROM late (before any message is taken, so a sender that dies
    // meanwhile has delivered nothing).
    ...(delayMs > 0 ? { onMailFrom: (_address: unknown, _session: unknown, callback: () => void) => void setTimeout(callback, delayMs) } : {}),
    onData(stream, _session, callback) {
      state.attempts++
      const answer = standing ?? answers.shift() ?? 'accept'
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        if (answer !== 'accept') {
          const error = Object.assign(new Error(answer === '451' ? 'Try again later' : 'Mailbox unavailable'), { responseCode: Number(answer) })
          return callback(error)
        }
        state.received.push(await simpleParser(Buffer.concat(chunks)))
        state.receivedAt.push(Date.now())
        callback()
      })
    },
  })
  // A client killed mid-conversation resets its connection: expected in the fault tests.
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received
    },
    get receivedAt() {
      return state.receivedAt
    },
    get attempts() {
      return state.attempts
    },
    script: (next) => answers.push(...next),
    answerAll: (answer) => (standing = answer),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The emails received for `to` whose subject matches. */
export const mailsTo = (smtp: Pick<TestSmtp, 'received'>, to: string, subject: RegExp): ParsedMail[] =>
  smtp.received.filter((m) => (m.to as { text: string } | undefined)?.text === to && subject.test(m.subject ?? ''))

/** Waits for the first email to `to` whose subject matches, and returns it. */
export async function mailTo(smtp: Pick<TestSmtp, 'received'>, to: string, subject: RegExp, { timeout = 20_000, interval = 50 } = {}): Promise<ParsedMail> {
  await expect.poll(() => mailsTo(smtp, to, subject)[0], { timeout, interval }).toBeDefined()
  return mailsTo(smtp, to, subject)[0]!
}

/** The single-use link an email carries (confirmation, supervisor's answer). */
export const linkIn = (mail: ParsedMail): string => /(http:\/\/\S+token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!
