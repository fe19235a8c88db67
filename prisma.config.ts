// Prisma CLI configuration. The CLI runs its schema engine as WASM with a JavaScript driver
// adapter, so `generate`, `migrate deploy` and `migrate diff` need no downloaded binaries.
// The 7.x pg adapter is used here only: the 6.x one fails inside the WASM schema engine.
import { defineConfig } from 'prisma/config'
import { PrismaPg } from 'prisma-cli-pg-adapter'

// The schema's datasource reads DATABASE_URL; without it the CLI cannot read the schema and
// falls back to downloading a query engine. Same default as src/config.ts.
const databaseUrl = (process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/tip_triage')

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    // Discrete fields, not a connection string: with a string, the shadow database would
    // connect to the main database instead.
    const url = new URL(databaseUrl)
    return new PrismaPg({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    })
  },
})
