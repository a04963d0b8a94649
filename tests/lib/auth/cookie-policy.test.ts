// lib/auth/cookie-policy.ts: when the session cookie is Secure, and when a login over plain http is refused.
import { describe, expect, it } from 'vitest'
import { cookieSecurity, isLoopbackHost, sessionCookieOptions } from '@/lib/auth/cookie-policy'

const prod = { NODE_ENV: 'production' } as NodeJS.ProcessEnv
const dev = { NODE_ENV: 'development' } as NodeJS.ProcessEnv

describe('cookieSecurity', () => {
  it('is Secure over https, in development too', () => {
    expect(cookieSecurity({ proto: 'https', host: 'mq.example.com' }, prod)).toEqual({ secure: true })
    expect(cookieSecurity({ proto: 'https', host: '127.0.0.1:3000' }, dev)).toEqual({ secure: true })
  })

  it('lets `npm start` on http://127.0.0.1 log in, and refuses plain http from elsewhere in production', () => {
    expect(cookieSecurity({ proto: 'http', host: '127.0.0.1:3000' }, prod)).toEqual({ secure: false })
    expect(cookieSecurity({ proto: 'http', host: 'localhost:3000' }, prod)).toEqual({ secure: false })
    expect(cookieSecurity({ proto: 'http', host: '[::1]:3000' }, prod)).toEqual({ secure: false })
    expect(cookieSecurity({ proto: 'http', host: '10.0.0.5:3000' }, prod)).toHaveProperty('refused')
    expect(cookieSecurity({ proto: 'http', host: '10.0.0.5:3000' }, dev)).toEqual({ secure: false })
  })

  it('MQDECK_COOKIE_SECURE forces either way', () => {
    expect(
      cookieSecurity({ proto: 'http', host: '10.0.0.5' }, { ...prod, MQDECK_COOKIE_SECURE: '0' }),
    ).toEqual({
      secure: false,
    })
    expect(
      cookieSecurity({ proto: 'http', host: '127.0.0.1' }, { ...dev, MQDECK_COOKIE_SECURE: '1' }),
    ).toEqual({
      secure: true,
    })
  })

  it('reads loopback hosts with and without ports', () => {
    expect(isLoopbackHost('127.0.0.1:3000')).toBe(true)
    expect(isLoopbackHost('127.1.2.3')).toBe(true)
    expect(isLoopbackHost('[::1]:80')).toBe(true)
    expect(isLoopbackHost('127.0.0.1.evil.com')).toBe(false)
    expect(isLoopbackHost(undefined)).toBe(false)
  })

  it('the cookie is httpOnly, SameSite=Lax, path /, 12 h', () => {
    expect(sessionCookieOptions(true)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 43_200,
    })
  })
})
