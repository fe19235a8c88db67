// Starts the real app for a test file: its own database, its own BullMQ key prefix, a real
// HTTP server on a free port.
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { randomBytes } from 'node:crypto'
import { loadConfig, type Config } from '../../src/config.js'
import { createContainer, type Container } from '../../src/container.js'
import { createApp } from '../../src/app.js'
import { createLogger } from '../../src/lib/logger.js'
import type { Clock } from '../../src/lib/clock.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { TEST_MFA_TOLERANCE_STEPS } from './totp.js'

export type TestApp = {
  baseUrl: string
  config: Config
  container: Container
  database: TestDatabase
  admin: Awaited<ReturnType<typeof createApp>>['admin']
  close(): Promise<void>
}

export async function startTestApp(env: Record<string, string> = {}, { clock }: { clock?: Clock } = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const config = testConfig({ DATABASE_URL: database.url, ...env })
  const container = createContainer(config, { logger: createLogger('silent'), ...(clock ? { clock } : {}) })
  const { app, admin } = await createApp(container)
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    container,
    database,
    admin,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await container.close()
      await database.drop()
    },
  }
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `tt-test-${randomBytes(4).toString('hex')}`,
    // Every test request comes from 127.0.0.1: the per-address limit is tested on its own.
    AUTH_RATE_PER_IP: '100000',
    // The tests' authenticator moves one step per sign-in: room for many sign-ins per 30 s.
    MFA_TOLERANCE_STEPS: String(TEST_MFA_TOLERANCE_STEPS),
    ...env,
  })
}
