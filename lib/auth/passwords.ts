// Password hashing with scrypt (node:crypto): a random salt per password and the cost parameters stored in the
// hash string, so the cost can rise later without breaking stored hashes. Verification compares in constant time.
import 'server-only'
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { z } from 'zod'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 256

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`)

/** N = 2^15, r = 8, p = 1: ~32 MiB and tens of milliseconds per hash (OWASP's scrypt floor is N = 2^17 at
 *  r = 8 for 128 MiB; this console runs beside a broker on small machines, and logins are rate limited). */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const
const SALT_BYTES = 16
const KEY_BYTES = 32
/** Upper bound on parameters read back from a stored hash, so a tampered row cannot make verify eat the host. */
const MAX_N = 2 ** 20

function scryptAsync(
  password: string,
  salt: Buffer,
  keyBytes: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyBytes, options, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

function optionsFor(N: number, r: number, p: number): ScryptOptions {
  // Node refuses more than maxmem (32 MiB by default); scrypt needs 128·N·r bytes plus a little.
  return { N, r, p, maxmem: 128 * N * r + 1024 * 1024 }
}

/** `scrypt$N$r$p$<salt base64url>$<key base64url>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await scryptAsync(password, salt, KEY_BYTES, optionsFor(COST.N, COST.r, COST.p))
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

interface ParsedHash {
  readonly N: number
  readonly r: number
  readonly p: number
  readonly salt: Buffer
  readonly key: Buffer
}

function parseHash(stored: string): ParsedHash | undefined {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$')
  if (scheme !== 'scrypt' || rest.length > 0 || !salt || !key) return undefined
  const [N, R, P] = [Number(n), Number(r), Number(p)]
  const sane = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max
  if (!sane(N, MAX_N) || (N & (N - 1)) !== 0 || !sane(R, 32) || !sane(P, 16)) return undefined
  const parsed = { N, r: R, p: P, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') }
  return parsed.salt.length > 0 && parsed.key.length > 0 ? parsed : undefined
}

/** True when `password` matches `stored`; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const key = await scryptAsync(
    password,
    parsed.salt,
    parsed.key.length,
    optionsFor(parsed.N, parsed.r, parsed.p),
  )
  return timingSafeEqual(key, parsed.key)
}

/** A hash no password matches, computed once: login spends the same scrypt time on an unknown username, so the
 *  response time does not tell which usernames exist. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(randomBytes(24).toString('base64url')))
}
