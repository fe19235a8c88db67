// npm run create-staff -- --email <e> --name <n> --role <ROLE>
// Creates a staff user and prints a one-time password, once. This is how the first
// administrator of a production install is made.
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { createContainer } from '../src/container.js'
import { AppError, toAppError } from '../src/lib/errors.js'

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
  strict: true,
})

const container = createContainer(loadConfig(), {})
try {
  const { id, oneTimePassword } = await container.staff.createStaffUser({
    email: values.email ?? '',
    name: values.name ?? '',
    role: (values.role ?? '') as never,
  })
  console.log(`Created staff user ${id} (${values.email}, ${values.role}).`)
  console.log(`One-time password (shown only now; it must be changed at first sign-in): ${oneTimePassword}`)
} catch (error) {
  const appError = error instanceof AppError ? error : toAppError(error)
  console.error(`Not created: ${appError.message}`)
  console.error('Usage: npm run create-staff -- --email <email> --name <name> --role <ADMIN|SUPERVISOR|TRIAGE|CYBERTIP_ANALYST|CVIP_ANALYST>')
  process.exitCode = 1
} finally {
  await container.close()
}
