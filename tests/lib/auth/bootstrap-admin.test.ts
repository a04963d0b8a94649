// lib/auth/bootstrap-admin.ts: the first start creates `admin` once, with MQDECK_ADMIN_PASSWORD or a generated
// password printed exactly once; later starts do nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '@/lib/auth/bootstrap-admin'
import { logIn } from '@/lib/auth/login'
import { resetLoginRateLimit } from '@/lib/auth/login-rate-limit'
import { openAuthTestDb, type AuthTestDb } from './auth-db'

describe('bootstrapAdmin', () => {
  let testDb: AuthTestDb

  beforeEach(() => {
    testDb = openAuthTestDb()
    resetLoginRateLimit()
  })
  afterEach(async () => {
    await testDb?.close()
  })

  it('generates a password, prints it exactly once, and creates the admin only once', async () => {
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    const first = await bootstrapAdmin({ db: testDb.client, env: {}, log })
    expect(first).toEqual({ created: true, username: 'admin', generated: true })
    expect(lines).toHaveLength(1)
    const password = /password "([^"]+)"/.exec(lines[0]!)?.[1]
    expect(password).toMatch(/^[\w-]{24}$/)

    expect(await bootstrapAdmin({ db: testDb.client, env: {}, log })).toEqual({ created: false })
    expect(
      await bootstrapAdmin({ db: testDb.client, env: { MQDECK_ADMIN_PASSWORD: 'other-password' }, log }),
    ).toEqual({
      created: false,
    })
    expect(lines).toHaveLength(1)
    expect(await testDb.client.user.count()).toBe(1)

    const { actor } = await logIn('admin', password!, { db: testDb.client })
    expect(actor).toMatchObject({ username: 'admin', role: 'admin' })
  })

  it('uses MQDECK_ADMIN_PASSWORD and never prints it', async () => {
    const lines: string[] = []
    const env = { MQDECK_ADMIN_PASSWORD: 'configured-secret-1' }
    expect(await bootstrapAdmin({ db: testDb.client, env, log: (l) => lines.push(l) })).toMatchObject({
      created: true,
      generated: false,
    })
    expect(lines.join('\n')).not.toContain('configured-secret-1')
    await expect(logIn('admin', 'configured-secret-1', { db: testDb.client })).resolves.toBeDefined()
  })

  it('refuses a MQDECK_ADMIN_PASSWORD shorter than 10 characters and creates nobody', async () => {
    const run = bootstrapAdmin({ db: testDb.client, env: { MQDECK_ADMIN_PASSWORD: 'short' }, log: () => {} })
    await expect(run).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    expect(await testDb.client.user.count()).toBe(0)
  })
})
