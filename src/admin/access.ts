// Who may do what in the console: one table of resource × action × roles. AdminJS's
// isAccessible (and so its API) is built from it, the README's matrix is generated from it
// (`npm run access-matrix`), and the access tests walk it.
import type { StaffRole } from '@prisma/client'

export const STAFF_ROLES = ['ADMIN', 'SUPERVISOR', 'TRIAGE', 'CYBERTIP_ANALYST', 'CVIP_ANALYST'] as const satisfies readonly StaffRole[]

export const BUILT_IN_ACTIONS = ['list', 'show', 'search', 'new', 'edit', 'delete', 'bulkDelete'] as const
export type BuiltInAction = (typeof BUILT_IN_ACTIONS)[number]

type Roles = readonly StaffRole[]

const EVERY_STAFF: Roles = STAFF_ROLES
const MANAGERS: Roles = ['ADMIN', 'SUPERVISOR']
const REPORT_READERS: Roles = ['ADMIN', 'SUPERVISOR', 'TRIAGE']
const CATALOG_READERS: Roles = ['ADMIN', 'SUPERVISOR', 'TRIAGE', 'CVIP_ANALYST']
const CVIP_WORK: Roles = ['ADMIN', 'SUPERVISOR', 'CVIP_ANALYST']
const ADMIN: Roles = ['ADMIN']
/** Those who take work from a queue: each analyst from their team's, supervisors from both. */
const QUEUE_WORKERS: Roles = ['SUPERVISOR', 'CYBERTIP_ANALYST', 'CVIP_ANALYST']
/** Those who settle or hand back a claim: the holder (an analyst), or a manager for anyone's. */
const CASE_WORKERS: Roles = ['ADMIN', 'SUPERVISOR', 'CYBERTIP_ANALYST', 'CVIP_ANALYST']
const NOBODY: Roles = []

/** Actions left out of a resource's row are refused to everyone. */
export const accessMatrix = {
  // Reports come in through intake and change through audited workflow actions, never through
  // a generic edit form; nobody deletes one. Analysts see their own team's queue only.
  Report: { list: EVERY_STAFF, show: EVERY_STAFF, search: EVERY_STAFF },
  ReportFile: { list: REPORT_READERS, show: REPORT_READERS, search: REPORT_READERS },
  ReportParty: { list: REPORT_READERS, show: REPORT_READERS, search: REPORT_READERS },
  PartyIdentifier: { list: REPORT_READERS, show: REPORT_READERS },
  ReportEvent: { list: REPORT_READERS, show: REPORT_READERS },
  OfficerRegistration: { list: MANAGERS, show: MANAGERS, search: MANAGERS, edit: ADMIN },
  // The digests of emailed single-use links: nobody needs to see them, so nobody can.
  RegistrationToken: {},
  Agency: { list: EVERY_STAFF, show: EVERY_STAFF, search: EVERY_STAFF, new: MANAGERS, edit: MANAGERS, delete: ADMIN },
  EspAccount: { list: ADMIN, show: ADMIN, search: ADMIN, new: ADMIN, edit: ADMIN },
  StaffUser: { list: MANAGERS, show: MANAGERS, search: MANAGERS, new: ADMIN, edit: ADMIN },
  HashSet: { list: CATALOG_READERS, show: CATALOG_READERS, search: CATALOG_READERS, new: ADMIN, edit: ADMIN },
  Series: {
    list: CATALOG_READERS,
    show: CATALOG_READERS,
    search: CATALOG_READERS,
    new: ['ADMIN', 'CVIP_ANALYST'],
    edit: ['ADMIN', 'CVIP_ANALYST'],
  },
  KnownHash: { list: CATALOG_READERS, show: CATALOG_READERS, search: CATALOG_READERS, new: ADMIN, delete: ADMIN },
  HashSearch: { list: MANAGERS, show: MANAGERS },
  // CVIP's work: the analysts review and release; managers watch.
  CollectionReview: { list: CVIP_WORK, show: CVIP_WORK, search: CVIP_WORK },
  IpLocation: { list: REPORT_READERS, show: REPORT_READERS, search: REPORT_READERS, new: ADMIN, edit: ADMIN, delete: ADMIN },
  Notification: { list: MANAGERS, show: MANAGERS },
  AuditEvent: { list: MANAGERS, show: MANAGERS },
} as const satisfies Record<string, Partial<Record<BuiltInAction, Roles>>>

/** Custom record actions beyond AdminJS's own, with who may run them. */
export const customActionMatrix = {
  Notification: { retry: ADMIN },
  StaffUser: { unlock: ADMIN, endSessions: ADMIN, resetMfa: ADMIN },
  CollectionReview: { release: CVIP_WORK },
  // Vetting is the managers' work; four eyes (the verifier did not record the evidence) is a
  // rule of the workflow itself, checked by the vetting service.
  OfficerRegistration: {
    recordEvidence: MANAGERS, verify: MANAGERS, reject: MANAGERS, requestMoreInfo: MANAGERS,
    requestSupervisorConfirmation: MANAGERS, suspend: MANAGERS, reinstate: MANAGERS, unlock: MANAGERS, endSessions: MANAGERS, resetMfa: MANAGERS,
  },
  // Analysts may escalate a report of their own queue (they see no other); only triage,
  // supervisors and administrators set a priority or move a report between teams.
  // Work queues: analysts claim from their own queue and settle what they hold (the service
  // refuses a report held by someone else); supervisors and administrators assign, reassign
  // and release anyone's. Any staff member who can see a report may note on its timeline.
  Report: {
    changePriority: REPORT_READERS, reroute: REPORT_READERS, escalate: EVERY_STAFF, merge: REPORT_READERS, unmerge: REPORT_READERS, dryRun: ADMIN, enterReport: REPORT_READERS,
    claimNext: QUEUE_WORKERS, renewLease: QUEUE_WORKERS, release: CASE_WORKERS, assign: MANAGERS, refer: CASE_WORKERS, close: CASE_WORKERS, addNote: EVERY_STAFF,
  },
} as const satisfies Partial<Record<keyof typeof accessMatrix, Record<string, Roles>>>

/** The analyst's workspace page (/admin/pages/workspace): those who hold claims. */
export const workspaceAccess = { view: QUEUE_WORKERS } as const
/** The hash catalog's import and export at /admin/catalog: administrators only, audited. */
export const catalogTransferAccess = { import: ADMIN, export: ADMIN } as const

/** The queue monitor at /admin/queues: who may look, and who may retry or remove jobs. */
export const queueMonitorAccess = { view: MANAGERS, manage: ADMIN } as const

export type ConsoleResource = keyof typeof accessMatrix
export const CONSOLE_RESOURCES = Object.keys(accessMatrix) as ConsoleResource[]

export function rolesFor(resource: ConsoleResource, action: BuiltInAction): Roles {
  const row: Partial<Record<BuiltInAction, Roles>> = accessMatrix[resource]
  return row[action] ?? NOBODY
}

export function mayDo(role: StaffRole | undefined, resource: ConsoleResource, action: BuiltInAction): boolean {
  return role !== undefined && rolesFor(resource, action).includes(role)
}

export function mayRun(role: StaffRole | undefined, resource: keyof typeof customActionMatrix, action: string): boolean {
  const row: Record<string, Roles> = customActionMatrix[resource]
  return role !== undefined && (row[action] ?? NOBODY).includes(role)
}

/** The queue an analyst works; undefined for roles that see every queue. */
export function teamQueueOf(role: StaffRole | undefined): 'CYBERTIPLINE' | 'CVIP' | undefined {
  if (role === 'CYBERTIP_ANALYST') return 'CYBERTIPLINE'
  if (role === 'CVIP_ANALYST') return 'CVIP'
  return undefined
}

/** The matrix as a Markdown table, for the README. */
export function accessMatrixMarkdown(): string {
  const short: Record<StaffRole, string> = {
    ADMIN: 'A',
    SUPERVISOR: 'S',
    TRIAGE: 'T',
    CYBERTIP_ANALYST: 'CT',
    CVIP_ANALYST: 'CV',
  }
  const header = `| resource | ${BUILT_IN_ACTIONS.join(' | ')} |`
  const rule = `|---|${BUILT_IN_ACTIONS.map(() => '---').join('|')}|`
  const rows = CONSOLE_RESOURCES.map((resource) => {
    const cells = BUILT_IN_ACTIONS.map((action) => rolesFor(resource, action).map((r) => short[r]).join(' ') || '–')
    return `| ${resource} | ${cells.join(' | ')} |`
  })
  const custom = Object.entries(customActionMatrix).flatMap(([resource, actions]) =>
    Object.entries(actions as Record<string, Roles>).map(([action, roles]) => `| ${resource} | ${action} | ${roles.map((r) => short[r]).join(' ')} |`),
  )
  const monitor = [
    `| workspace page (/admin/pages/workspace) | view | ${workspaceAccess.view.map((r) => short[r]).join(' ')} |`,
    `| queue monitor (/admin/queues) | view | ${queueMonitorAccess.view.map((r) => short[r]).join(' ')} |`,
    `| queue monitor (/admin/queues) | retry, remove jobs | ${queueMonitorAccess.manage.map((r) => short[r]).join(' ')} |`,
  ]
  const transfer = [
    `| hash catalog (/admin/catalog) | import (upload) | ${catalogTransferAccess.import.map((r) => short[r]).join(' ')} |`,
    `| hash catalog (/admin/catalog) | export (CSV download) | ${catalogTransferAccess.export.map((r) => short[r]).join(' ')} |`,
  ]
  return [header, rule, ...rows, '', '| resource | custom action | roles |', '|---|---|---|', ...custom, ...transfer, ...monitor].join('\n')
}
