// Discards ESP reports left open past the protocol's lifetime (24 h after opening or 1 h after
// the last change, whichever is later), as the CyberTipline does. Safe to run twice, and on two
// workers at once (SKIP LOCKED).
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function expireOpenReports(_job: Job, { intake, logger }: Container) {
  const expired = await intake.expireOpenReports()
  if (expired) logger.info({ expired }, 'abandoned open reports discarded')
  return { expired }
}
