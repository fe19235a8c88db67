import type { Job } from 'bullmq'

/**
 * The canary: a job that does nothing but finish. A health check that enqueues one and waits
 * for it proves a worker is actually consuming, which a Redis PING cannot.
 */
export async function handleCanary(job: Job): Promise<{ completedAt: string; enqueuedAt: number }> {
  return { completedAt: new Date().toISOString(), enqueuedAt: job.timestamp }
}
