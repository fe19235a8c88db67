// A Redis server of the test's own, on a free port, that the test may stop and start. The
// machine's shared Redis is never stopped by a test.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

export type PrivateRedis = { url: string; port: number; start(): Promise<void>; stop(): Promise<void> }

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const url = `redis://127.0.0.1:${port}`
  const handle: PrivateRedis = {
    url,
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      probe.on('error', () => undefined) // refused until the server is up: expected while polling
      for (let i = 0; i < 100; i++) {
        try {
          await probe.connect()
          await probe.ping()
          probe.disconnect()
          return
        } catch {
          await new Promise((r) => setTimeout(r, 50))
        }
      }
      throw new Error(`private redis-server on port ${port} did not start`)
    },
    async stop() {
      if (!child || child.exitCode !== null) return
      const exited = new Promise((resolve) => child!.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    },
  }
  await handle.start()
  return handle
}
