// Checking a username and password: rate limited per username, one generic refusal for an unknown user and a
// wrong password alike (no user enumeration, same scrypt time), then a new session.
import 'server-only'
import { db, type Db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from './login-rate-limit'
import { dummyPasswordHash, verifyPassword } from './passwords'
import { isRole, type Actor } from './roles'
import { createSession } from './session'

export const WRONG_LOGIN_MESSAGE = 'Wrong username or password.'

/** The actor and a session token for a correct login; AppError UNAUTHENTICATED (generic) or FORBIDDEN (throttled). */
export async function logIn(
  username: string,
  password: string,
  options: { db?: Db; nowMs?: number } = {},
): Promise<{ actor: Actor; token: string; expiresAt: Date }> {
  const client = options.db ?? db()
  const nowMs = options.nowMs ?? Date.now()
  assertLoginAllowed(username, nowMs)
  const user = await client.user.findUnique({ where: { username: username.trim() } })
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()))
  if (!user || !matches || user.disabled || !isRole(user.role)) {
    recordLoginFailure(username, nowMs)
    throw new AppError('UNAUTHENTICATED', WRONG_LOGIN_MESSAGE)
  }
  clearLoginFailures(username)
  const { token, expiresAt } = await createSession(user.id, { db: client, nowMs })
  return { actor: { userId: user.id, username: user.username, role: user.role }, token, expiresAt }
}
