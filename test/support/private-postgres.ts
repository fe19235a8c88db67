// A PostgreSQL 15 cluster of the test's own (initdb into a temporary directory, a free port,
// trust auth), which a fault test may stop and start. The machine's shared PostgreSQL is never
// stopped by a test. initdb refuses to run as root, so as root the cluster runs as `postgres`.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './processes.js'

const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin'

export type PrivatePostgres = {
  port: number
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string
  /** Creates a database and applies every migration with the app's own runner (prisma migrate deploy). */
  createMigratedDatabase(name: string): Promise<string>
  start(): Promise<void>
  /** pg_ctl stop -m fast: every connection is cut, as in a restart or failover. */
  stop(): Promise<void>
  isUp(): boolean
  /** Stops the cluster and deletes its files. */
  destroy(): void
}

function asOwner(): { uid?: number; gid?: number; wrap: (cmd: string, args: string[]) => [string, string[]] } {
  if (process.getuid?.() !== 0) return { wrap: (cmd, args) => [cmd, args] }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid, wrap: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]] }
}

export async function privatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tip-triage-pg-'))
  const owner = asOwner()
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid!)
  const data = join(dir, 'data')
  const run = (cmd: string, args: string[]) => {
    const [c, a] = owner.wrap(join(BIN, cmd), args)
    return execFileSync(c, a, { stdio: 'pipe' }).toString()
  }
  // Start and stop do not block the caller's event loop: its clients go on calling meanwhile.
  const runAsync = async (cmd: string, args: string[]) => {
    const [c, a] = owner.wrap(join(BIN, cmd), args)
    await promisify(execFile)(c, a)
  }
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB`
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`
  const handle: PrivatePostgres = {
    port,
    url,
    async createMigratedDatabase(name) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name])
      execFileSync('npx', ['prisma', 'migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url(name) }, stdio: 'pipe' })
      return url(name)
    },
    start: () => runAsync('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']),
    stop: () => runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']),
    isUp: () => existsSync(join(data, 'postmaster.pid')),
    destroy() {
      try {
        if (handle.isUp()) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
  await handle.start()
  return handle
}
