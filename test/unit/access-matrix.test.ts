import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { accessMatrixMarkdown, CONSOLE_RESOURCES, mayDo, teamQueueOf } from '../../src/admin/access.js'
import datamodel from '../../prisma/generated/dmmf.json' with { type: 'json' }

describe('console access matrix', () => {
  it('is written in the README exactly as the code enforces it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toContain(accessMatrixMarkdown())
  })

  it('has a row for every model except the session store', () => {
    const models = (datamodel as { models: { name: string }[] }).models.map((m) => m.name).filter((n) => n !== 'ConsoleSession')
    expect([...CONSOLE_RESOURCES].sort()).toEqual(models.sort())
  })

  it('refuses anything not granted, and an unknown role everything', () => {
    expect(mayDo('ADMIN', 'Report', 'delete')).toBe(false)
    expect(mayDo('ADMIN', 'AuditEvent', 'edit')).toBe(false)
    expect(mayDo('CVIP_ANALYST', 'StaffUser', 'list')).toBe(false)
    expect(mayDo(undefined, 'Agency', 'list')).toBe(false)
    expect(mayDo('TRIAGE', 'Report', 'list')).toBe(true)
  })

  it('gives each analyst role its own queue and every other role all queues', () => {
    expect(teamQueueOf('CYBERTIP_ANALYST')).toBe('CYBERTIPLINE')
    expect(teamQueueOf('CVIP_ANALYST')).toBe('CVIP')
    expect(teamQueueOf('TRIAGE')).toBeUndefined()
    expect(teamQueueOf('SUPERVISOR')).toBeUndefined()
  })
})
