// Producers' side of BullMQ: queue names and how to reach them. Workers live in jobs/, which
// imports from here; src never imports from jobs.
import { Queue, type ConnectionOptions } from 'bullmq'

export const QUEUE_NAMES = {
  /** Housekeeping: the canary that proves a worker is consuming. */
  system: 'system',
} as const

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES]

export type Queues = Record<keyof typeof QUEUE_NAMES, Queue> & { closeAll(): Promise<void> }

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const system = new Queue(QUEUE_NAMES.system, { connection, prefix })
  return {
    system,
    async closeAll() {
      await Promise.all([system.close()])
    },
  }
}

/** Job ids derive from the entity they are about; BullMQ reserves ':' so never use it. */
export function jobIdFor(kind: string, id: string | number): string {
  return `${kind}-${String(id).replace(/:/g, '-')}`
}
