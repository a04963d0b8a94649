// lib/auth/passwords.ts: scrypt hashes with their own salt and parameters; verification by constant-time compare.
import { describe, expect, it } from 'vitest'
import { hashPassword, passwordSchema, verifyPassword } from '@/lib/auth/passwords'

describe('passwords', () => {
  it('hashes with a per-password salt and the parameters in the string, and verifies', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse battery', b)).toBe(true)
  })

  it('refuses a wrong password and an unreadable or tampered hash', async () => {
    const stored = await hashPassword('correct horse battery')
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
    expect(await verifyPassword('correct horse battery', 'plain-text')).toBe(false)
    expect(await verifyPassword('correct horse battery', stored.replace('$32768$', '$1073741824$'))).toBe(
      false,
    )
    expect(await verifyPassword('correct horse battery', stored.replace('$32768$', '$1000$'))).toBe(false)
  })

  it('verifies a hash made with other (older) parameters', async () => {
    const { scryptSync } = await import('node:crypto')
    const salt = Buffer.from('0123456789abcdef')
    const key = scryptSync('old password 1', salt, 32, { N: 1024, r: 8, p: 1 })
    const stored = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`
    expect(await verifyPassword('old password 1', stored)).toBe(true)
    expect(await verifyPassword('old password 2', stored)).toBe(false)
  })

  it('requires at least 10 characters', () => {
    expect(passwordSchema.safeParse('123456789').success).toBe(false)
    expect(passwordSchema.safeParse('1234567890').success).toBe(true)
  })
})
