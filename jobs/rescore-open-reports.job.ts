// Re-scores the open reports under the triage rules in force. Enqueued at worker start with a
// job id per rule version, so a deployment that changes the rules runs it once.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function rescoreOpenReports(_job: Job, { triage, logger }: Container) {
  const started = Date.now()
  const result = await triage.rescoreOpenReports()
  if (result.rescored) logger.info({ ...result, ms: Date.now() - started, rules: triage.rules.scoring.version }, 'open reports re-scored')
  return result
}
