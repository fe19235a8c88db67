import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('configuration', () => {
  it('starts in development with safe defaults and demo data on', () => {
    const config = loadConfig({})
    expect(config.env).toBe('development')
    expect(config.port).toBe(3000)
    expect(config.seedDemoData).toBe(true)
    expect(config.session.cookieSecure).toBe(false)
    expect(config.contacts).toEqual({
      cybertipline: 'ecuassistance@clearinghouse.example.com',
      cvip: 'cvip@clearinghouse.example.com',
      security: 'security@clearinghouse.example.com',
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('refuses to start in production without its secrets, naming each one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(ConfigError)
    try {
      loadConfig({ NODE_ENV: 'production' })
    } catch (error) {
      expect(String((error as Error).message)).toMatch(/SESSION_SECRET: SESSION_SECRET is required in production/)
      expect(String((error as Error).message)).toMatch(/SMTP_URL/)
      expect(String((error as Error).message)).toMatch(/MFA_ENCRYPTION_KEY/)
    }
  })

  it('never seeds demo data in production, and refuses to be told to', () => {
    const secrets = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.com:587', MFA_ENCRYPTION_KEY: 'k'.repeat(40) }
    const config = loadConfig(secrets)
    expect(config.seedDemoData).toBe(false)
    expect(config.session.cookieSecure).toBe(true)
    expect(() => loadConfig({ ...secrets, SEED_DEMO_DATA: 'true' })).toThrowError(/demo data is never seeded in production/)
  })

  it('refuses a schedule BullMQ could not read, naming the setting, and takes a good one', () => {
    for (const [setting, pattern] of [['DIGEST_CRON', 'every hour'], ['OFFICER_SWEEP_CRON', '61 * * * *'], ['AUDIT_VERIFY_CRON', '40 2 * *']] as const) {
      expect(() => loadConfig({ [setting]: pattern })).toThrowError(`${setting}: "${pattern}" is not a cron pattern`)
    }
    expect(() => loadConfig({ DIGEST_CRON: ' ' })).toThrowError('DIGEST_CRON: is empty')
    expect(loadConfig({ AUDIT_VERIFY_CRON: '15 3 * * 1' }).audit.verifyCron).toBe('15 3 * * 1')
  })

  it('rejects a short session secret and a malformed port, quoting the field', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrowError(/SESSION_SECRET/)
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/PORT/)
  })

  it('has work-queue and SLA defaults, and refuses nonsense', () => {
    const config = loadConfig({})
    expect(config.slaMinutes).toEqual({ P1: 60, P2: 1440, P3: 10080, INFO: 43200 })
    expect(config.slaWarnPercent).toBe(75)
    expect(config.workQueues).toEqual({ leaseMinutes: 30, capacity: 10, sweepSeconds: 60 })
    expect(loadConfig({ QUEUE_CAPACITY: '3', QUEUE_LEASE_MINUTES: '15' }).workQueues).toMatchObject({ capacity: 3, leaseMinutes: 15 })
    expect(() => loadConfig({ QUEUE_CAPACITY: '0' })).toThrowError(/QUEUE_CAPACITY/)
    expect(() => loadConfig({ SLA_WARN_PERCENT: '100' })).toThrowError(/SLA_WARN_PERCENT/)
  })
})
