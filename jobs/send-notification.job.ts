// Sends one outbox row. Safe to run twice: a row already sent (or being sent by a live worker)
// is skipped, and the Message-ID is the row's, so a resend after a lost "250" is recognisable.
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Container } from '../src/container.js'
import { isPermanentMailError } from '../src/lib/mailer.js'
import { renderEmail, TemplateDataError } from '../src/modules/notifications/templates.js'
import type { NotificationJob } from '../src/queue/index.js'

export function messageIdFor(notificationId: number, publicUrl: string): string {
  return `<notification-${notificationId}@${new URL(publicUrl).hostname}>`
}

export async function sendNotification(job: Job<NotificationJob>, { notifications, mailer, config, logger, queues }: Container) {
  const { notificationId } = job.data
  const notification = await notifications.claimForSending(notificationId)
  if (!notification) return { skipped: true }

  let email
  try {
    email = renderEmail(notification.template, notification.data)
  } catch (error) {
    // Bad data stays bad: no retry can mend it.
    const reason = error instanceof TemplateDataError ? error.message : `Rendering failed: ${(error as Error).message}`
    await notifications.markFailed(notification, reason)
    throw new UnrecoverableError(reason)
  }

  let sent
  try {
    sent = await mailer.send({
      to: notification.recipient,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: messageIdFor(notification.id, config.publicUrl),
      headers: { 'X-Notification-Id': String(notification.id), 'Auto-Submitted': 'auto-generated' },
    })
  } catch (error) {
    const reason = describeMailError(error)
    if (isPermanentMailError(error)) {
      await notifications.markFailed(notification, reason)
      throw new UnrecoverableError(reason)
    }
    // The row's tries (each claim counts one), whichever way the earlier ones failed.
    if (notification.attempts >= config.notifications.attempts) {
      await notifications.markFailed(notification, `Gave up after ${notification.attempts} tries: ${reason}`)
      throw new UnrecoverableError(reason)
    }
    await notifications.markRetryable(notification, reason)
    logger.warn({ notificationId, attempt: notification.attempts, reason }, 'notification not sent yet')
    if (refusedForThisRecipient(error)) throw error // this message alone waits out its backoff
    // The server itself is refusing (down, 421, 451 to the message): every send would fail
    // alike. Hold the whole queue for the backoff and put this job back among the waiting, in
    // its place by priority, so when the server takes mail again the P1s go first. (Each job
    // backing off on its own would come back in the order its timer ran out.)
    const holdMs = Math.round(config.notifications.backoffMs * 2 ** Math.min(notification.attempts - 1, 20) * (0.9 + Math.random() * 0.2))
    await queues.notifications.rateLimit(holdMs)
    throw Worker.RateLimitError()
  }

  // The server has accepted it: from here on, never send again. If the row cannot be marked
  // (the database is away), keep trying a while; failing that, the row stays SENDING and is
  // sent again once its hold lapses: at least once, with the same Message-ID.
  for (let attempt = 1; ; attempt++) {
    try {
      await notifications.markSent(notification, sent.messageId)
      return { messageId: sent.messageId }
    } catch (error) {
      if (attempt >= MARK_SENT_TRIES) {
        logger.error({ notificationId, err: (error as Error).message }, 'sent, but could not record it')
        throw new UnrecoverableError(`Sent as ${sent.messageId} but not recorded: ${(error as Error).message}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt))
    }
  }
}

const MARK_SENT_TRIES = 5

/** A refusal of the recipient (RCPT TO), which says nothing about other messages. */
function refusedForThisRecipient(error: unknown): boolean {
  const e = error as { command?: string; code?: string }
  return e.command === 'RCPT TO' || e.code === 'EENVELOPE'
}

function describeMailError(error: unknown): string {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string }
  if (e.responseCode) return `SMTP ${e.responseCode}: ${e.response ?? e.message ?? ''}`.trim()
  return `${e.code ?? 'error'}: ${e.message ?? String(error)}`
}
