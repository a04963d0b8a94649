// First start: with no accounts at all, create `admin` with MQDECK_ADMIN_PASSWORD, or with a generated password
// printed once to the server log (it is stored only as a hash, so it can never be shown again).
import 'server-only'
import { randomBytes } from 'node:crypto'
import { db, type Db } from '@/lib/db'
import { AppError, toAppError } from '@/lib/errors'
import { passwordSchema } from './passwords'
import { createUser } from './users'

export const BOOTSTRAP_ADMIN_USERNAME = 'admin'

export type BootstrapResult = { created: false } | { created: true; username: string; generated: boolean }

export async function bootstrapAdmin(
  options: { db?: Db; env?: Readonly<Record<string, string | undefined>>; log?: (line: string) => void } = {},
): Promise<BootstrapResult> {
  const client = options.db ?? db()
  const env = options.env ?? process.env
  const log = options.log ?? ((line: string) => console.log(line))
  if ((await client.user.count()) > 0) return { created: false }

  const configured = env.MQDECK_ADMIN_PASSWORD
  if (configured !== undefined && configured !== '' && !passwordSchema.safeParse(configured).success) {
    throw new AppError('CONFIG_INVALID', 'MQDECK_ADMIN_PASSWORD must be 10 to 256 characters long.')
  }
  const generated = !configured
  // 18 random bytes → 24 base64url characters (144 bits).
  const password = configured || randomBytes(18).toString('base64url')
  try {
    await createUser({ username: BOOTSTRAP_ADMIN_USERNAME, password, role: 'admin' }, { db: client })
  } catch (err) {
    // Another process created it between the count and the insert: its password is the one that counts.
    if (toAppError(err).code === 'CONFLICT') return { created: false }
    throw err
  }
  if (generated) {
    log(
      `[mqdeck] created the first account: username "${BOOTSTRAP_ADMIN_USERNAME}", password "${password}" ` +
        '(shown only this once; change it under Users, or set MQDECK_ADMIN_PASSWORD before the first start)',
    )
  } else {
    log(
      `[mqdeck] created the first account "${BOOTSTRAP_ADMIN_USERNAME}" with the password from MQDECK_ADMIN_PASSWORD`,
    )
  }
  return { created: true, username: BOOTSTRAP_ADMIN_USERNAME, generated }
}
