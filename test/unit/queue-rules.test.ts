import { describe, expect, it } from 'vitest'
import { compareClaimOrder, managesQueues, mayHold, queuesWorkedBy, seesQueue, slaWarningAt, slaWarningHorizonMs } from '../../src/modules/queues/queue-rules.js'
import { slaBreachNotification } from '../../src/modules/notifications/notifications.policy.js'

const policy = { p1Immediately: true, newVictimImmediately: true, contacts: { cybertipline: 'ct@example.com', cvip: 'cvip@example.com', security: 'security@example.com' }, publicUrl: 'http://localhost:3000' }

describe('work-queue rules', () => {
  it.each([
    ['CYBERTIP_ANALYST', ['CYBERTIPLINE']],
    ['CVIP_ANALYST', ['CVIP']],
    ['SUPERVISOR', ['CYBERTIPLINE', 'CVIP']],
    ['ADMIN', []],
    ['TRIAGE', []],
  ] as const)('%s claims from %j', (role, queues) => {
    expect(queuesWorkedBy(role)).toEqual(queues)
  })

  it('limits analysts to their own queue in what they see and hold', () => {
    expect(seesQueue('CVIP_ANALYST', 'CYBERTIPLINE')).toBe(false)
    expect(seesQueue('CVIP_ANALYST', 'CVIP')).toBe(true)
    expect(seesQueue('TRIAGE', 'CVIP')).toBe(true)
    expect(mayHold('CYBERTIP_ANALYST', 'CVIP')).toBe(false)
    expect(mayHold('SUPERVISOR', 'CVIP')).toBe(true)
    expect(mayHold('ADMIN', 'CVIP')).toBe(false)
    expect(managesQueues('SUPERVISOR')).toBe(true)
    expect(managesQueues('CVIP_ANALYST')).toBe(false)
  })

  it.each([
    // triaged, due, percent -> warning time
    ['2026-12-05T00:00:00Z', '2026-12-05T01:00:00Z', 75, '2026-12-05T00:45:00.000Z'],
    ['2026-12-05T00:00:00Z', '2026-12-06T00:00:00Z', 75, '2026-12-05T18:00:00.000Z'],
    ['2026-12-05T00:00:00Z', '2026-12-12T00:00:00Z', 50, '2026-12-08T12:00:00.000Z'],
  ])('warns a clock from %s due %s at %i %% on %s', (triaged, due, percent, expected) => {
    expect(slaWarningAt(new Date(triaged), new Date(due), percent).toISOString()).toBe(expected)
  })

  it('bounds the warning sweep by the longest level\'s remaining quarter', () => {
    expect(slaWarningHorizonMs({ P1: 60, P2: 1440, P3: 10080, INFO: 43200 }, 75)).toBe(43200 * 60_000 * 0.25)
  })

  it('orders claims by level, then due time, then id', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 11, 5, 0, m))
    const reports = [
      { id: 5, priority: 'INFO' as const, slaDueAt: at(1) },
      { id: 4, priority: 'P2' as const, slaDueAt: at(3) },
      { id: 3, priority: 'P1' as const, slaDueAt: at(9) },
      { id: 2, priority: 'P2' as const, slaDueAt: at(3) },
      { id: 1, priority: 'P1' as const, slaDueAt: at(5) },
    ]
    expect([...reports].sort(compareClaimOrder).map((r) => r.id)).toEqual([1, 3, 2, 4, 5])
  })

  it('keys an escalation email by report and due time, so each breach mails once', () => {
    const dueAt = new Date('2026-12-05T01:00:00Z')
    const draft = slaBreachNotification({ id: 7, priority: 'P1', queue: 'CVIP', slaDueAt: dueAt }, policy)
    expect(draft).toMatchObject({ kind: 'SLA_BREACH', recipient: 'cvip@example.com', template: 'sla-breach', idempotencyKey: `report-7-sla-breach-${dueAt.getTime()}` })
    expect(draft.data).toEqual({ reportId: 7, priority: 'P1', queue: 'CVIP', dueAt: '2026-12-05T01:00:00.000Z', consoleUrl: 'http://localhost:3000/admin/resources/Report/records/7/show' })
    const later = slaBreachNotification({ id: 7, priority: 'P1', queue: 'CVIP', slaDueAt: new Date('2026-12-05T02:00:00Z') }, policy)
    expect(later.idempotencyKey).not.toBe(draft.idempotencyKey)
  })
})
