// A Prisma resource whose every read is limited by a scope computed from the signed-in staff
// member, and which never returns secret columns. AdminJS passes the action context (with
// currentAdmin) to find, count, findOne and findMany, so the scope holds in lists, searches,
// show pages, reference pickers and bulk actions alike, whatever route a request comes through.
import { Resource, convertFilter, convertParam } from '@adminjs/prisma'
import { BaseRecord, type ActionContext, type Filter } from 'adminjs'
import type { PrismaClient } from '@prisma/client'
import type { StaffSessionUser } from '../modules/staff/staff.service.js'
import { clientModule, modelNamed } from './dmmf.js'

export type ResourceScope = (admin: StaffSessionUser | undefined) => Record<string, unknown>

export type ScopedResourceOptions = {
  scope?: ResourceScope
  /** Columns never sent to the browser (password hashes, secrets); they stay writable by hooks. */
  secretFields?: readonly string[]
  /** Large columns read for one record (its show page) only, not for lists, searches or references. */
  showOnlyFields?: readonly string[]
  /**
   * Count at most this many matches for a list's pager. AdminJS counts every list page; over a
   * million reports an exact COUNT of a broad filter reads hundreds of thousands of rows per
   * page view, while a bounded one stops at the cap (the pager then ends at the cap's page).
   */
  countCap?: number
  /** Rows equal on the sort column (a status) come in creation order, so a queue reads oldest first. */
  tieBreakById?: boolean
  /** Told when a viewer asks for a record that exists outside their scope (another team's report). */
  onOutOfScope?: (id: string, viewer: StaffSessionUser | undefined) => Promise<void>
}

type Sort = { sortBy?: string; direction?: 'asc' | 'desc' }

export class ScopedResource extends Resource {
  private readonly scope: ResourceScope
  private readonly secretFields: ReadonlySet<string>
  private readonly showOnlyFields: readonly string[]
  private readonly countCap: number | undefined
  private readonly tieBreakById: boolean
  private readonly onOutOfScope: ScopedResourceOptions['onOutOfScope']

  constructor(modelName: string, client: PrismaClient, options: ScopedResourceOptions = {}) {
    super({ model: modelNamed(modelName), client, clientModule })
    this.scope = options.scope ?? (() => ({}))
    this.secretFields = new Set(options.secretFields ?? [])
    this.showOnlyFields = options.showOnlyFields ?? []
    this.countCap = options.countCap
    this.tieBreakById = options.tieBreakById ?? false
    this.onOutOfScope = options.onOutOfScope
  }

  /** A filter or sort on a secret column would leak it a guess at a time: drop those. */
  private withoutSecrets(filter: Filter): Filter {
    for (const field of this.secretFields) delete filter.filters[field]
    return filter
  }

  private sortable(sort: Sort): Sort {
    return sort.sortBy && this.secretFields.has(sort.sortBy) ? {} : sort
  }

  private where(filterWhere: Record<string, unknown>, context?: ActionContext): Record<string, unknown> {
    const scope = this.scope(context?.currentAdmin as StaffSessionUser | undefined)
    return Object.keys(scope).length === 0 ? filterWhere : { AND: [filterWhere, scope] }
  }

  /** Secret columns are not even read: some are large (a review's hash list) as well as private. */
  private omitted(many = false): Record<string, true> | undefined {
    const fields = [...this.secretFields, ...(many ? this.showOnlyFields : [])]
    return fields.length ? Object.fromEntries(fields.map((f) => [f, true] as const)) : undefined
  }

  private idsWhere(ids: (string | number)[]): Record<string, unknown> {
    return { [this.idProperty.path()]: { in: ids.map((id) => convertParam(this.idProperty, this.model.fields, id)) } }
  }

  private toRecord(row: Record<string, unknown>): BaseRecord {
    return new BaseRecord(this.prepareReturnValues(row), this)
  }

  protected override prepareReturnValues(row: Record<string, unknown>): Record<string, unknown> {
    const values = super.prepareReturnValues(row)
    for (const field of this.secretFields) delete values[field]
    return values
  }

  override async count(filter: Filter, context?: ActionContext): Promise<number> {
    const where = this.where(convertFilter(this.model.fields, this.withoutSecrets(filter)), context)
    return this.manager.count({ where, ...(this.countCap ? { take: this.countCap } : {}) })
  }

  override async find(
    filter: Filter,
    params: { limit?: number; offset?: number; sort?: Sort } = {},
    context?: ActionContext,
  ): Promise<BaseRecord[]> {
    const { limit = 10, offset = 0, sort = {} } = params
    const rows: Record<string, unknown>[] = await this.manager.findMany({
      where: this.where(convertFilter(this.model.fields, this.withoutSecrets(filter)), context),
      skip: offset,
      take: limit,
      orderBy: this.tieBreakById
        ? [this.buildSortBy(this.sortable(sort)), { [this.idProperty.path()]: 'asc' }]
        : this.buildSortBy(this.sortable(sort)),
      omit: this.omitted(true),
    })
    return rows.map((row) => this.toRecord(row))
  }

  override async findOne(id: string | number, context?: ActionContext): Promise<BaseRecord | null> {
    const row: Record<string, unknown> | null = await this.manager.findFirst({ where: this.where(this.idsWhere([id]), context), omit: this.omitted() })
    if (row) return this.toRecord(row)
    // A record that exists but lies outside the viewer's scope: refused like a missing one, and
    // the attempt is reported (audited as DENIED by the caller).
    if (this.onOutOfScope && Object.keys(this.scope(context?.currentAdmin as StaffSessionUser | undefined)).length > 0) {
      const exists = await this.manager.findFirst({ where: this.idsWhere([id]), select: { [this.idProperty.path()]: true } })
      if (exists) await this.onOutOfScope(String(id), context?.currentAdmin as StaffSessionUser | undefined)
    }
    return null
  }

  override async findMany(ids: (string | number)[], context?: ActionContext): Promise<BaseRecord[]> {
    const rows: Record<string, unknown>[] = await this.manager.findMany({ where: this.where(this.idsWhere(ids), context), omit: this.omitted(true) })
    return rows.map((row) => this.toRecord(row))
  }
}
