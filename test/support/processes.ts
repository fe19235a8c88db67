// Starting the app's processes as a deployment runs them: the esbuild bundle (npm run build)
// under plain node with the heap cap of npm run start:web / start:worker. Used by the benches
// and the fault tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Peak and current resident set of a process, from the kernel (kB -> MB). */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** CPU seconds used so far by each live process of a command (PostgreSQL's backends, say), by pid. */
export function cpuSecondsOfCommand(command: string): Map<number, number> {
  const used = new Map<number, number>()
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command) used.set(Number(pid), cpuSecondsOf(Number(pid)))
    } catch {
      // Gone between listing and reading.
    }
  }
  return used
}

/** npm run build: dist/main.js, as production runs it. */
export function buildDist(): void {
  execFileSync('npm', ['run', 'build'], { stdio: 'pipe' })
}

/**
 * Spawns `node <args>` with env and PORT; with a port, resolves once /healthz answers.
 * stdio 'inherit' shows the child's stderr (warnings and errors) in the caller's output.
 */
export async function startProcess(args: string[], env: Record<string, string>, port: number | null, stderr: 'inherit' | 'ignore' = 'inherit'): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port ?? 0) }, stdio: ['ignore', 'ignore', stderr] })
  if (port === null) return child
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
    if (ok) return child
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${args.join(' ')} did not start`)
}

/** Resolves with the exit code (or signal) once the child has exited. */
export function exited(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode)
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
}
