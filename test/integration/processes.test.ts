// The entry point as an operator runs it: a worker process that consumes jobs and stops
// cleanly on SIGTERM.
import { spawn } from 'node:child_process'
import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { QUEUE_NAMES } from '../../src/queue/index.js'

describe('worker process', () => {
  let database: TestDatabase
  const prefix = `tt-test-proc-${process.pid}`
  const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null })

  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    connection.disconnect()
    await database.drop()
  })

  it('consumes jobs and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=worker'], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    await expect.poll(() => output, { timeout: 20_000 }).toContain('workers started')

    // A canary job round-trips through the worker.
    const queue = new Queue(QUEUE_NAMES.system, { connection, prefix })
    const events = new QueueEvents(QUEUE_NAMES.system, { connection: connection.duplicate(), prefix })
    await events.waitUntilReady()
    const job = await queue.add('canary', {}, { jobId: `canary-${Date.now()}` })
    const result = await job.waitUntilFinished(events, 15_000)
    expect(result.completedAt).toBeDefined()

    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(output).toContain('shutting down')
    await queue.obliterate({ force: true })
    await queue.close()
    await events.close()
  })
})

describe('npm run create-staff', () => {
  it('creates a staff user, prints a one-time password once, and refuses bad input', async () => {
    const database = await createTestDatabase()
    const run = (args: string[]) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/create-staff.ts', ...args], {
          env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
        })
        let output = ''
        child.stdout.on('data', (d) => (output += d))
        child.stderr.on('data', (d) => (output += d))
        child.on('exit', (code) => resolve({ code, output }))
      })
    try {
      const created = await run(['--email', 'First.Admin@staff.example.com', '--name', 'First Admin', '--role', 'ADMIN'])
      expect(created.code).toBe(0)
      const password = /One-time password .*: (\S+)/.exec(created.output)?.[1]
      expect(password).toMatch(/^[A-Za-z0-9]{20}$/)

      const { createDb } = await import('../../src/lib/db.js')
      const { verifyPassword } = await import('../../src/modules/auth/password.js')
      const db = createDb(database.url)
      const user = await db.staffUser.findUniqueOrThrow({ where: { email: 'first.admin@staff.example.com' } })
      expect(user.role).toBe('ADMIN')
      expect(user.mustChangePassword).toBe(true)
      expect(user.passwordHash).not.toContain(password!)
      expect(await verifyPassword(user.passwordHash, password!)).toBe(true)
      expect(await db.auditEvent.count({ where: { action: 'staff.create', objectId: String(user.id) } })).toBe(1)

      const again = await run(['--email', 'first.admin@staff.example.com', '--name', 'Again', '--role', 'ADMIN'])
      expect(again.code).toBe(1)
      expect(again.output).toContain('already exists')
      const badRole = await run(['--email', 'x@staff.example.com', '--name', 'X Person', '--role', 'ROOT'])
      expect(badRole.code).toBe(1)
      expect(badRole.output).toMatch(/role/)
      expect(await db.staffUser.count()).toBe(1)
      await db.$disconnect()
    } finally {
      await database.drop()
    }
  })
})
