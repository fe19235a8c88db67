// Daily: re-verifies the audit chain and alerts the security officer if it is broken or events
// wait unsealed (audit-integrity.ts); the alert is sent at once.
import type { Job } from 'bullmq'
import type { Container } from '../src/container.js'

export async function verifyAuditTrail(_job: Job, { auditIntegrity, kickOutbox }: Container) {
  const result = await auditIntegrity.check()
  if (result.problem) await kickOutbox()
  return { checked: result.checked, headSeq: result.headSeq?.toString() ?? null, problem: result.problem?.problem ?? null }
}
