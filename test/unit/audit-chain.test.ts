import { describe, expect, it } from 'vitest'
import { auditRowHash, canonicalJson } from '../../src/modules/audit/audit.service.js'

describe('audit hash chain', () => {
  it('serialises objects canonically, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}')
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }))
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00Z') })).toBe('{"at":"2026-01-01T00:00:00.000Z"}')
  })

  it('changes a row hash when the row or the previous hash changes', () => {
    const row = { action: 'staff.sign_in', outcome: 'SUCCESS' }
    const first = auditRowHash(null, row)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(auditRowHash(null, { ...row })).toBe(first)
    expect(auditRowHash(null, { ...row, outcome: 'FAILURE' })).not.toBe(first)
    expect(auditRowHash('0'.repeat(64), row)).not.toBe(first)
  })
})
