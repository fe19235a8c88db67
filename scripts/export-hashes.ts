// npm run export-hashes -- [--set <hash set id>] > catalog.csv
// Writes the catalog (or one hash set) as CSV, in the format the CSV import reads. Audited.
import { NO_REQUEST } from '../src/lib/request-context.js'
import { parseArgs } from 'node:util'
import { userInfo } from 'node:os'
import { loadConfig } from '../src/config.js'
import { createContainer } from '../src/container.js'

const container = createContainer(loadConfig(), {})
try {
  const { values } = parseArgs({ options: { set: { type: 'string' } }, strict: true })
  const count = await container.catalog.exportCatalog(process.stdout, { hashSetId: values.set ? Number(values.set) : null }, { actorType: 'SYSTEM', id: null, label: `cli:${userInfo().username}`, origin: NO_REQUEST })
  console.error(`Exported ${count} hashes.`)
} catch (error) {
  console.error(`Not exported: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await container.close()
}
