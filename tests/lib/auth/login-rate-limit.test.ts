// Failed logins are throttled per username: the sixth attempt within a minute is refused (even with the right
// password) with a clear FORBIDDEN message; other usernames are unaffected; the window passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logIn } from '@/lib/auth/login'
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, resetLoginRateLimit } from '@/lib/auth/login-rate-limit'
import { createUser } from '@/lib/auth/users'
import { openAuthTestDb, type AuthTestDb } from './auth-db'

describe('login rate limit', () => {
  let testDb: AuthTestDb

  beforeAll(async () => {
    testDb = openAuthTestDb()
    resetLoginRateLimit()
    await createUser({ username: 'rita', password: 'rita-password-1', role: 'viewer' }, { db: testDb.client })
    await createUser({ username: 'otto', password: 'otto-password-1', role: 'viewer' }, { db: testDb.client })
  })
  afterAll(async () => {
    await testDb?.close()
  })

  it('refuses a username after 5 failures within a minute, then lets it in once the window passes', async () => {
    const t0 = Date.UTC(2026, 10, 29, 9, 0, 0)
    const at = (ms: number) => ({ db: testDb.client, nowMs: t0 + ms })
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      await expect(logIn('rita', `wrong-password-${i}`, at(i * 1000))).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      })
    }
    const locked = logIn('rita', 'rita-password-1', at(10_000))
    await expect(locked).rejects.toMatchObject({ code: 'FORBIDDEN', details: { retryInS: 50 } })
    await expect(logIn(' RITA ', 'rita-password-1', at(10_000))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(logIn('rita', 'rita-password-1', at(10_000))).rejects.toThrow(/Too many failed logins/)

    // Another username is not affected.
    await expect(logIn('otto', 'otto-password-1', at(10_000))).resolves.toMatchObject({
      actor: { username: 'otto' },
    })
    // The oldest failure leaves the window: one more attempt is allowed, and a success clears the count.
    await expect(logIn('rita', 'rita-password-1', at(LOGIN_WINDOW_MS))).resolves.toMatchObject({
      actor: { username: 'rita' },
    })
    await expect(logIn('rita', 'wrong-password-x', at(LOGIN_WINDOW_MS + 1))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })
})
