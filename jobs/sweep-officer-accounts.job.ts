// Officers whose verification has run out must be verified again (EXPIRED); officers who have
// not signed in for the configured days are disabled (DISABLED). Each change is audited and
// mailed, and re-checked under lock, so the sweep is safe to run twice or on two workers.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function sweepOfficerAccounts(_job: Job, { vetting, logger }: Container) {
  const expired = await vetting.expireVerifications()
  const disabled = await vetting.disableInactiveAccounts()
  if (expired || disabled) logger.info({ expired, disabled }, 'officer accounts swept')
  return { expired, disabled }
}
