// npm run create-esp-account -- --name <esp name> [--contact <email>]
// Creates an ESP account for the reporting API and prints its credentials, once.
import { NO_REQUEST } from '../src/lib/request-context.js'
import { parseArgs } from 'node:util'
import { userInfo } from 'node:os'
import { loadConfig } from '../src/config.js'
import { createContainer } from '../src/container.js'
import { toAppError } from '../src/lib/errors.js'
import { createEspAccount } from '../src/modules/intake/esp-accounts.js'

const container = createContainer(loadConfig(), {})
try {
  const { values } = parseArgs({ options: { name: { type: 'string' }, contact: { type: 'string' } }, strict: true })
  const account = await createEspAccount(container, { name: values.name ?? '', contactEmail: values.contact ?? null, actorLabel: `cli:${userInfo().username}`, origin: NO_REQUEST })
  console.log(`Created ESP account ${account.id} for "${values.name?.trim()}".`)
  console.log('Give the ESP these HTTP Basic credentials for /ispws. The password is shown only now; only its digest is kept.')
  console.log(`  username: ${account.username}`)
  console.log(`  password: ${account.secret}`)
} catch (error) {
  const badArguments = String((error as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')
  console.error(`Not created: ${badArguments ? (error as Error).message : toAppError(error).message}`)
  console.error('Usage: npm run create-esp-account -- --name "<ESP name>" [--contact <email>]')
  process.exitCode = 1
} finally {
  await container.close()
}
