import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { privateRedis, type PrivateRedis } from '../support/private-redis.js'

describe('health checks', () => {
  let redis: PrivateRedis
  let app: TestApp

  beforeAll(async () => {
    redis = await privateRedis()
    app = await startTestApp({ REDIS_URL: redis.url })
  })
  afterAll(async () => {
    await app.close()
    await redis.stop()
  })

  it('answers /healthz while the process is up', async () => {
    const response = await fetch(`${app.baseUrl}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('is ready when PostgreSQL and Redis answer', async () => {
    const response = await fetch(`${app.baseUrl}/readyz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } })
  })

  it('reports a stopped Redis as not ready, and ready again once it is back, without a restart', async () => {
    await redis.stop()
    const down = await fetch(`${app.baseUrl}/readyz`)
    expect(down.status).toBe(503)
    const body = await down.json()
    expect(body.status).toBe('not ready')
    expect(body.checks.postgres).toBe('ok')
    expect(body.checks.redis).not.toBe('ok')

    await redis.start()
    await expect.poll(async () => (await fetch(`${app.baseUrl}/readyz`)).status, { timeout: 15_000, interval: 250 }).toBe(200)
  })

  it('answers an unknown path with a 404 in JSON, and no framework banner', async () => {
    const response = await fetch(`${app.baseUrl}/nope`)
    expect(response.status).toBe(404)
    expect(response.headers.get('x-powered-by')).toBeNull()
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /nope' } })
  })
})
