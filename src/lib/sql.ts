// Hand-written SQL over node-postgres for the hot paths (the ESP API, triage inside finish),
// with the same tagged-template interface as Prisma's $queryRaw / $executeRaw, so the same code
// runs in a Prisma transaction or here. Prisma adds about half a millisecond of CPU to every
// query (its query compiler runs even for raw SQL); at thousands of API calls a second that cost
// more than the queries themselves.
import { createHash } from 'node:crypto'
import pg from 'pg'
import { Prisma } from '@prisma/client'

/** What code that only runs hand-written SQL needs of a connection or transaction. */
export type RawSql = {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>
}

// Prisma's timestamp(3) columns hold UTC without a zone: read them as UTC whatever TZ says.
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE && format !== 'binary'
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
}

export function createSqlPool(databaseUrl: string, { max = 10 }: { max?: number } = {}): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max, types })
}

const statementNames = new Map<string, string>()
function statementName(text: string): string {
  let name = statementNames.get(text)
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    if (statementNames.size < 10_000) statementNames.set(text, name)
  }
  return name
}

/** Dates are written as UTC (pg would write local time, which a zone-less column keeps as is). */
function toParameter(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

function bind(queryable: pg.Pool | pg.PoolClient): RawSql {
  const run = (strings: TemplateStringsArray, values: unknown[]) => {
    // Prisma's Sql flattens nested fragments (Prisma.sql, Prisma.join) into $1..$n text.
    const query = Prisma.sql(strings, ...(values as Prisma.Sql[]))
    // A named statement: each connection plans it once, not on every call (planning the triage
    // queries costs more than running them).
    return queryable.query({ name: statementName(query.text), text: query.text, values: query.values.map(toParameter) })
  }
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]) {
      return (await run(strings, values)).rows as T
    },
    async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]) {
      return (await run(strings, values)).rowCount ?? 0
    },
  }
}

export function sqlOf(pool: pg.Pool): RawSql {
  return bind(pool)
}

/**
 * A transaction on node-postgres. `beforeCommit` queues statements (complete SQL text, values
 * as literals made with `literal`) that are sent with the COMMIT in one message: PostgreSQL runs
 * them and commits without waiting on the client. Any lock they take is therefore held for
 * their own run and the commit only, not for a round trip through a busy event loop (the audit
 * chain's lock, taken by every audited change, is the one this is for). If one fails, nothing
 * is committed.
 */
export type SqlTx = RawSql & { beforeCommit(statement: string): void; literal(value: string): string }

/**
 * A parameter written into SQL text as a literal: quoted, so its type is unknown until
 * PostgreSQL infers it from where it stands, as it does an untyped parameter's (`id = '42'` is
 * an integer comparison). Scalars only: an array or object throws.
 */
function literalOf(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString())
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`Cannot write ${value} into SQL`)
  if (['boolean', 'number', 'bigint', 'string'].includes(typeof value)) return pg.escapeLiteral(String(value))
  throw new TypeError(`Cannot write a ${Array.isArray(value) ? 'array' : typeof value} into SQL as a literal`)
}

const isSqlTx = (tx: RawSql): tx is SqlTx => typeof (tx as Partial<SqlTx>).beforeCommit === 'function'

/**
 * A write whose result the caller does not need, as a tagged template:
 * `await executeAtCommit(tx)`UPDATE ...``. In a node-postgres transaction it is sent with the
 * COMMIT, its values written in as quoted literals (see literalOf): one round trip instead of
 * two, and it still commits with the rest or not at all. Anywhere else (a Prisma transaction)
 * it runs at once. Statements later in the same transaction do not see its effect, so only the
 * last writes of a transaction go here.
 */
export function executeAtCommit(tx: RawSql): (strings: TemplateStringsArray, ...values: unknown[]) => Promise<void> {
  return async (strings, ...values) => {
    if (!isSqlTx(tx)) {
      await tx.$executeRaw(strings, ...values)
      return
    }
    tx.beforeCommit(inlined(Prisma.sql(strings, ...(values as Prisma.Sql[]))))
  }
}

/**
 * The statement's text with its values written in as literals. Its own text must hold no `$n`
 * (in a comment or a string): each placeholder must stand for one of its values, and each value
 * be used, or it throws rather than send something else.
 */
function inlined(query: Prisma.Sql): string {
  const used = new Set<number>()
  const text = query.text.replace(/\$(\d+)/g, (_, n: string) => {
    const at = Number(n)
    if (at < 1 || at > query.values.length) throw new TypeError(`$${n} in a deferred statement stands for no value`)
    used.add(at)
    return literalOf(query.values[at - 1])
  })
  if (used.size !== query.values.length) throw new TypeError('A deferred statement does not use each of its values once')
  return text
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function sqlTransaction<T>(pool: pg.Pool, work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let broken = false
  // A checked-out client has no 'error' listener of the pool's: if PostgreSQL ends the
  // connection between two statements (a restart, a failover), the client emits 'error' and,
  // unheard, it would kill the process. Heard, the next statement fails and the transaction
  // rolls back; the connection is then thrown away, not returned to the pool.
  const onConnectionError = () => {
    broken = true
  }
  client.on('error', onConnectionError)
  const atCommit: string[] = []
  try {
    await client.query('BEGIN')
    const tx: SqlTx = { ...bind(client), beforeCommit: (statement) => void atCommit.push(statement), literal: (value) => pg.escapeLiteral(value) }
    const result = await work(tx)
    // The simple query protocol: several statements in one message, each with its own snapshot.
    await client.query(atCommit.length ? `${atCommit.join(';\n')};\nCOMMIT` : 'COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true
    })
    throw err
  } finally {
    client.off('error', onConnectionError)
    client.release(broken)
  }
}
