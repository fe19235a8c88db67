// npm run demo:code — the current second-factor code of the demo accounts (development only):
// what an authenticator app holding the demo key would show now.
import { totpCode } from '../src/modules/auth/totp.js'
import { DEMO_TOTP_SECRET } from '../prisma/seed/people.js'

console.log(await totpCode(DEMO_TOTP_SECRET, new Date()))
