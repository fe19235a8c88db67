// Entry point: `tsx src/main.ts [--role=all|web|worker]`. One process runs both by default.
import type { Server } from 'node:http'
import { rmSync } from 'node:fs'
import { loadConfig, ConfigError } from './config.js'
import { createContainer } from './container.js'
import { createApp } from './app.js'
import { ADMINJS_BUNDLE_DIR } from './admin/index.js'
import { startWorkers, type RunningWorkers } from '../jobs/worker.js'

type Role = 'all' | 'web' | 'worker'

function parseRole(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='))
  const role = arg ? arg.slice('--role='.length) : 'all'
  if (role !== 'all' && role !== 'web' && role !== 'worker') {
    throw new ConfigError(`--role must be all, web or worker; got "${role}"`)
  }
  return role
}

async function main(): Promise<void> {
  const role = parseRole(process.argv.slice(2))
  const config = loadConfig()
  const container = createContainer(config)
  const { logger } = container

  let server: Server | undefined
  let startDraining: () => void = () => undefined
  let workers: RunningWorkers | undefined

  if (role === 'all' || role === 'web') {
    // Outside production AdminJS bundles the custom components on first request and then reuses
    // the bundle on disk; drop a bundle left by an earlier version of the components.
    if (!config.isProduction) rmSync(ADMINJS_BUNDLE_DIR, { recursive: true, force: true })
    const created = await createApp(container)
    const { app } = created
    startDraining = created.startDraining
    server = app.listen(config.port, config.host, () => {
      logger.info({ url: `${config.publicUrl}/admin`, port: config.port }, 'console and API listening')
    })
  }
  if (role === 'all' || role === 'worker') workers = startWorkers(container)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal, drainMs: server ? config.shutdownDrainMs : 0 }, 'shutting down: no new requests or jobs, finishing those in hand')
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 25 s after the drain; exiting')
      process.exit(1)
    }, (server ? config.shutdownDrainMs : 0) + 25_000)
    timer.unref()
    // First the drain: /readyz answers 503 so the load balancer stops sending new requests here,
    // while this process goes on serving whatever still arrives (its health check has not yet
    // noticed) and the requests in hand. Only then does it stop accepting connections.
    if (server) {
      startDraining()
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs))
      logger.info('drained: no longer accepting connections')
    }
    // server.close() stops listening and closes idle keep-alive connections, but a busy one stays
    // open and its client goes on sending requests on it, so the process might not exit before
    // the timer (seen once in five under load: 25 s, then exit 1). Whatever still arrives is
    // answered with "Connection: close", which ends it.
    // A connection busy when the signal came is closed as soon as its answer has gone (else it
    // would idle on until keepAliveTimeout).
    server?.prependListener('request', (_req, res) => {
      if (!res.headersSent) res.setHeader('Connection', 'close')
    })
    const closeIdle = server ? setInterval(() => server!.closeIdleConnections(), 100) : undefined
    closeIdle?.unref()
    await Promise.allSettled([
      server ? new Promise<void>((resolve) => server!.close(() => resolve())) : undefined,
      workers?.close(),
    ])
    await container.close()
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(78) // EX_CONFIG
  }
  console.error(error)
  process.exit(1)
})
