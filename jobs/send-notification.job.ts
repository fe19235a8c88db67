// Sends one outbox row. Safe to run twice: a row already sent (or being sent by a live worker)
// is skipped, and the Message-ID is the row's, so a resend after a lost "250" is recognisable.
import { UnrecoverableError, type Job } from 'bullmq'
import type { Container } from '../src/container.js'
import { isPermanentMailError } from '../src/lib/mailer.js'
import { renderEmail, TemplateDataError } from '../src/modules/notifications/templates.js'
import type { NotificationJob } from '../src/queue/index.js'

export function messageIdFor(notificationId: number, publicUrl: string): string {
  return `<notification-${notificationId}@${new URL(publicUrl).hostname}>`
}

export async function sendNotification(job: Job<NotificationJob>, { notifications, mailer, config, logger }: Container) {
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
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
    if (lastTry) {
      await notifications.markFailed(notification, `Gave up after ${job.attemptsMade + 1} tries: ${reason}`)
    } else {
      await notifications.markRetryable(notification, reason)
    }
    logger.warn({ notificationId, attempt: job.attemptsMade + 1, reason }, 'notification not sent yet')
    throw error
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

function describeMailError(error: unknown): string {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string }
  if (e.responseCode) return `SMTP ${e.responseCode}: ${e.response ?? e.message ?? ''}`.trim()
  return `${e.code ?? 'error'}: ${e.message ?? String(error)}`
}
