// One chunk of a catalog import, written in its own transaction on its own connection: the
// validated rows stream by COPY into a session's temporary staging table (no WAL, no index),
// then one set-based INSERT … SELECT … ON CONFLICT DO NOTHING moves them into the catalog, in
// (type, value) order, and the transaction commits. So a chunk is all in or all out, and two
// chunks in flight at once take their index entries in the same order (no deadlock when they
// hold the same new hash: the second waits for the first and then does nothing).
import { once } from 'node:events'
import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import type { CatalogRecord } from './catalog-formats.js'

const { from: copyFrom } = copyStreams

/** The staging table: per session (TEMP), emptied at each commit, so a pooled connection may keep it. */
const STAGE = 'catalog_import_stage'
const CREATE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} ("hashType" "HashType" NOT NULL, value varchar(64) NOT NULL, category "HashCategory" NOT NULL, series text) ON COMMIT DELETE ROWS`

/** COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N'
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value
}

const FLUSH_CHARS = 256 * 1024

export type ChunkResult = { added: number; copySeconds: number; insertSeconds: number }

export class CatalogChunk {
  rows = 0
  /** Series named in this chunk, and whether a row said the series' child is identified. */
  readonly series = new Map<string, boolean>()
  private pending: string[] = []
  private pendingChars = 0
  private stream: ReturnType<typeof copyFrom> | null = null
  private failure: Error | null = null
  private copySeconds = 0

  private constructor(private readonly client: pg.PoolClient) {}

  /** Begins the chunk's transaction and its COPY. */
  static async begin(client: pg.PoolClient, { synchronousCommit }: { synchronousCommit: boolean }): Promise<CatalogChunk> {
    const chunk = new CatalogChunk(client)
    const started = performance.now()
    await client.query('BEGIN')
    // Losing the last commits in a server crash is acceptable here: the import says what it
    // added only after its commits, and re-running the file adds what is missing.
    if (!synchronousCommit) await client.query('SET LOCAL synchronous_commit = off')
    await client.query(CREATE_STAGE)
    chunk.stream = client.query(copyFrom(`COPY ${STAGE} ("hashType", value, category, series) FROM STDIN`))
    chunk.stream.on('error', (error: Error) => {
      chunk.failure ??= error
    })
    chunk.copySeconds += (performance.now() - started) / 1000
    return chunk
  }

  /** Adds one validated record; resolves at once unless the connection is behind. */
  add(record: CatalogRecord): Promise<void> | null {
    this.rows++
    if (record.series !== null) this.series.set(record.series, (this.series.get(record.series) ?? false) || record.seriesIdentified)
    const line = `${record.hashType}\t${record.value}\t${record.category}\t${copyField(record.series)}\n`
    this.pending.push(line)
    this.pendingChars += line.length
    return this.pendingChars >= FLUSH_CHARS ? this.flush() : null
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure
    const text = this.pending.join('')
    this.pending = []
    this.pendingChars = 0
    if (!text) return
    const started = performance.now()
    if (!this.stream!.write(text)) await Promise.race([once(this.stream!, 'drain'), once(this.stream!, 'error')])
    this.copySeconds += (performance.now() - started) / 1000
    if (this.failure) throw this.failure
  }

  /**
   * Ends the COPY, inserts the staged rows and commits. The chunk's series must exist (the
   * insert finds them by name): the caller makes them first.
   */
  async commit(insert: { hashSetId: number; addedAt: Date }): Promise<ChunkResult> {
    await this.flush()
    const copyEnd = performance.now()
    this.stream!.end()
    await once(this.stream!, 'finish')
    if (this.failure) throw this.failure
    this.copySeconds += (performance.now() - copyEnd) / 1000
    const started = performance.now()
    const result = await this.client.query(
      `INSERT INTO "KnownHash" ("hashType", value, category, "hashSetId", "seriesId", "addedAt")
       SELECT st."hashType", st.value, st.category, $1, s.id, $2::timestamp
       FROM ${STAGE} st LEFT JOIN "Series" s ON s.name = st.series
       ORDER BY st."hashType", st.value
       ON CONFLICT ("hashType", value) DO NOTHING`,
      [insert.hashSetId, insert.addedAt.toISOString()],
    )
    await this.client.query('COMMIT')
    return { added: result.rowCount ?? 0, copySeconds: this.copySeconds, insertSeconds: (performance.now() - started) / 1000 }
  }

  /** Gives the chunk up: the COPY is cancelled; the caller drops the connection, which rolls back. */
  abort(): void {
    if (this.stream && !this.stream.writableFinished) this.stream.destroy()
  }
}
