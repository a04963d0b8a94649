// lib/auth/login.ts + session.ts + users.ts on a real SQLite file: login, wrong password, sessions stored as a
// hash, expiry and sliding, a deleted user's or reset password's sessions die, account rules.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { logIn, WRONG_LOGIN_MESSAGE } from '@/lib/auth/login'
import { resetLoginRateLimit } from '@/lib/auth/login-rate-limit'
import { SESSION_IDLE_MS } from '@/lib/auth/cookie-policy'
import { actorForToken, createSession, deleteSession, hashSessionToken } from '@/lib/auth/session'
import { createUser, deleteUser, listUsers, setPassword, setRole } from '@/lib/auth/users'
import { openAuthTestDb, type AuthTestDb } from './auth-db'

const T0_MS = Date.UTC(2026, 10, 29, 8, 0, 0)
const HOUR_MS = 3_600_000

describe('accounts and sessions', () => {
  let testDb: AuthTestDb
  const options = () => ({ db: testDb.client })

  beforeAll(() => {
    testDb = openAuthTestDb()
  })
  afterAll(async () => {
    await testDb?.close()
  })
  beforeEach(() => resetLoginRateLimit())

  it('creates users without ever returning the hash, and refuses a taken name or a short password', async () => {
    const ada = await createUser({ username: 'ada', password: 'ada-password-1', role: 'admin' }, options())
    expect(ada).toMatchObject({ username: 'ada', role: 'admin', disabled: false })
    expect(Object.keys(ada).sort()).toEqual(['createdAtMs', 'disabled', 'id', 'role', 'username'])
    await expect(
      createUser({ username: 'ada', password: 'another-password', role: 'viewer' }, options()),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(
      createUser({ username: 'bob', password: 'short', role: 'viewer' }, options()),
    ).rejects.toMatchObject({ name: 'ZodError' })
    const stored = await testDb.client.user.findUniqueOrThrow({ where: { username: 'ada' } })
    expect(stored.passwordHash).toMatch(/^scrypt\$/)
    expect(JSON.stringify(await listUsers(options()))).not.toContain('scrypt')
  })

  it('logs in with the right password; a wrong one or an unknown user gets the same generic refusal', async () => {
    const { actor, token } = await logIn('ada', 'ada-password-1', { ...options(), nowMs: T0_MS })
    expect(actor).toMatchObject({ username: 'ada', role: 'admin' })
    // Only the token's sha256 is stored.
    const row = await testDb.client.session.findUniqueOrThrow({ where: { id: hashSessionToken(token) } })
    expect(row.id).not.toBe(token)
    expect(await testDb.client.session.count({ where: { id: token } })).toBe(0)

    const wrong = logIn('ada', 'ada-password-2', options())
    await expect(wrong).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: WRONG_LOGIN_MESSAGE })
    const unknown = logIn('nobody', 'ada-password-1', options())
    await expect(unknown).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: WRONG_LOGIN_MESSAGE })
  })

  it('a session expires after 12 h idle and slides forward on use', async () => {
    const user = await createUser(
      { username: 'sam', password: 'sam-password-1', role: 'operator' },
      options(),
    )
    const { token, expiresAt } = await createSession(user.id, { ...options(), nowMs: T0_MS })
    expect(expiresAt.getTime()).toBe(T0_MS + SESSION_IDLE_MS)

    // Used after 11 h: still valid, and the expiry moves to 11 h + 12 h.
    const at11h = T0_MS + 11 * HOUR_MS
    expect(await actorForToken(token, { ...options(), nowMs: at11h })).toMatchObject({ username: 'sam' })
    const slid = await testDb.client.session.findUniqueOrThrow({ where: { id: hashSessionToken(token) } })
    expect(slid.expiresAt.getTime()).toBe(at11h + SESSION_IDLE_MS)
    expect(slid.lastSeenAt.getTime()).toBe(at11h)

    // 13 h after the start is past the original expiry but within the slid one.
    expect(await actorForToken(token, { ...options(), nowMs: T0_MS + 13 * HOUR_MS })).toBeDefined()
    // Idle 12 h after the last use: gone.
    expect(
      await actorForToken(token, { ...options(), nowMs: T0_MS + 13 * HOUR_MS + SESSION_IDLE_MS }),
    ).toBeUndefined()
  })

  it('unknown, empty and logged-out tokens give no actor', async () => {
    const user = await createUser({ username: 'lou', password: 'lou-password-1', role: 'viewer' }, options())
    const { token } = await createSession(user.id, options())
    expect(await actorForToken(token, options())).toMatchObject({ username: 'lou', role: 'viewer' })
    await deleteSession(token, options())
    expect(await actorForToken(token, options())).toBeUndefined()
    expect(await actorForToken(undefined, options())).toBeUndefined()
    expect(await actorForToken('not-a-token', options())).toBeUndefined()
  })

  it("a deleted user's sessions die, and so do all sessions at a password reset", async () => {
    const dee = await createUser({ username: 'dee', password: 'dee-password-1', role: 'operator' }, options())
    const a = await createSession(dee.id, options())
    const b = await createSession(dee.id, options())
    await setPassword(dee.id, 'dee-password-2', options())
    expect(await actorForToken(a.token, options())).toBeUndefined()
    expect(await actorForToken(b.token, options())).toBeUndefined()
    await expect(logIn('dee', 'dee-password-1', options())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    const { token } = await logIn('dee', 'dee-password-2', options())
    expect(await actorForToken(token, options())).toMatchObject({ username: 'dee' })

    await deleteUser(dee.id, options())
    expect(await actorForToken(token, options())).toBeUndefined()
    expect(await testDb.client.session.count({ where: { userId: dee.id } })).toBe(0)
    await expect(logIn('dee', 'dee-password-2', options())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })

  it('a role change applies to live sessions; the last admin cannot be demoted or deleted', async () => {
    const users = await listUsers(options())
    const ada = users.find((u) => u.username === 'ada')!
    const lou = users.find((u) => u.username === 'lou')!
    const { token } = await createSession(lou.id, options())
    await setRole(lou.id, 'operator', options())
    expect(await actorForToken(token, options())).toMatchObject({ role: 'operator' })

    await expect(setRole(ada.id, 'viewer', options())).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(deleteUser(ada.id, options())).rejects.toMatchObject({ code: 'CONFLICT' })
    await setRole(lou.id, 'admin', options())
    await setRole(ada.id, 'viewer', options())
    expect((await listUsers(options())).filter((u) => u.role === 'admin').map((u) => u.username)).toEqual([
      'lou',
    ])
    await expect(setRole(9_999, 'viewer', options())).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a disabled account cannot log in and its sessions stop working', async () => {
    const dan = await createUser({ username: 'dan', password: 'dan-password-1', role: 'viewer' }, options())
    const { token } = await createSession(dan.id, options())
    await testDb.client.user.update({ where: { id: dan.id }, data: { disabled: true } })
    expect(await actorForToken(token, options())).toBeUndefined()
    await expect(logIn('dan', 'dan-password-1', options())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})
