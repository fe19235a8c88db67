// npm run import-hashes -- --file <path|-> --format plain|csv|vics --set "<hash set>" --source "<source>"
//   [--category CSAM|0-4] [--type MD5|SHA1|SHA256|PDQ] [--series "<name>"]
// Streams a hash list into the known-hash catalog; rejected lines are printed by number and
// the import goes on. Re-running it adds nothing. Audited as the operating-system user.
import { NO_REQUEST } from '../src/lib/request-context.js'
import { createReadStream } from 'node:fs'
import { parseArgs } from 'node:util'
import { userInfo } from 'node:os'
import { loadConfig } from '../src/config.js'
import { createContainer } from '../src/container.js'
import { CATALOG_FORMATS, categoryOf, type CatalogFormat } from '../src/modules/hashes/catalog-formats.js'
import { hashTypeNamed } from '../src/modules/hashes/hash-formats.js'

const usage = 'Usage: npm run import-hashes -- --file <path or - for stdin> --format plain|csv|vics --set "<hash set>" --source "<source>" [--category CSAM] [--type MD5|SHA1|SHA256|PDQ] [--series "<name>"]'
const container = createContainer(loadConfig(), {})
try {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' }, format: { type: 'string' }, set: { type: 'string' }, source: { type: 'string' },
      category: { type: 'string' }, type: { type: 'string' }, series: { type: 'string' },
    },
    strict: true,
  })
  if (!values.file || !values.set || !values.source || !CATALOG_FORMATS.includes(values.format as CatalogFormat)) throw new Error('missing or wrong arguments')
  const category = categoryOf(values.category, 'CSAM')
  if (typeof category === 'object') throw new Error(category.error)
  const hashType = values.type ? hashTypeNamed(values.type) : null
  if (values.type && !hashType) throw new Error(`"${values.type}" is not a hash type`)
  const input = values.file === '-' ? process.stdin : createReadStream(values.file)
  const summary = await container.catalog.importCatalog(
    input,
    { format: values.format as CatalogFormat, hashSet: { name: values.set, source: values.source }, category, hashType, series: values.series ?? null, fileName: values.file },
    { actorType: 'SYSTEM', id: null, label: `cli:${userInfo().username}`, origin: NO_REQUEST },
  )
  for (const r of summary.rejectedLines) console.log(`line ${r.line}: ${r.reason}`)
  if (summary.rejected > summary.rejectedLines.length) console.log(`... and ${summary.rejected - summary.rejectedLines.length} more rejected lines`)
  console.log(
    `Hash set ${summary.hashSetId}: ${summary.read} hashes read, ${summary.added} added, ${summary.duplicates} already known, ${summary.rejected} lines rejected, ` +
      `in ${summary.seconds.toFixed(1)} s (${Math.round(summary.read / Math.max(summary.seconds, 0.001))} hashes/s).`,
  )
} catch (error) {
  console.error(`Not imported: ${(error as Error).message}`)
  console.error(usage)
  process.exitCode = 1
} finally {
  await container.close()
}
