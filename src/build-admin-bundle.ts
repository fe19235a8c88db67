// `npm run build` step: bundles the console's custom components once, at build time, so a
// production web process serves the bundle instead of running AdminJS's bundler (rollup) at
// start-up, which would double its memory for the rest of its life.
import { loadConfig } from './config.js'
import { createContainer } from './container.js'
import { createLogger } from './lib/logger.js'
import { createAdmin } from './admin/index.js'

process.env.NODE_ENV = 'production' // AdminJS bundles for production when it reads this.
const container = createContainer(loadConfig({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' }), { logger: createLogger('warn') })
try {
  await createAdmin(container).initialize()
} finally {
  await container.close()
}
