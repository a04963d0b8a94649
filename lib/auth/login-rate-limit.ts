// Failed-login throttle: at most 5 failures per username per minute, in memory (one console process; a restart
// forgetting the count is acceptable). Kept on globalThis because Next loads a module several times per process.
import 'server-only'
import { AppError } from '@/lib/errors'

export const LOGIN_MAX_FAILURES = 5
export const LOGIN_WINDOW_MS = 60_000
/** Bound on tracked usernames, so guessing random names cannot grow the map without end. */
const MAX_TRACKED = 10_000

const g = globalThis as unknown as { __mqdeckLoginFailures?: Map<string, number[]> }
const failures = (): Map<string, number[]> => (g.__mqdeckLoginFailures ??= new Map<string, number[]>())

const keyOf = (username: string) => username.trim().toLowerCase()

function recent(username: string, nowMs: number): number[] {
  return (failures().get(keyOf(username)) ?? []).filter((atMs) => nowMs - atMs < LOGIN_WINDOW_MS)
}

/** Throws FORBIDDEN while `username` has used up its failures in the current window. */
export function assertLoginAllowed(username: string, nowMs = Date.now()): void {
  const within = recent(username, nowMs)
  if (within.length < LOGIN_MAX_FAILURES) return
  const retryInS = Math.max(1, Math.ceil((within[0]! + LOGIN_WINDOW_MS - nowMs) / 1000))
  throw new AppError('FORBIDDEN', `Too many failed logins for this username. Try again in ${retryInS} s.`, {
    details: { retryInS },
  })
}

export function recordLoginFailure(username: string, nowMs = Date.now()): void {
  const map = failures()
  if (map.size >= MAX_TRACKED && !map.has(keyOf(username))) {
    for (const [key, times] of map)
      if (times.every((atMs) => nowMs - atMs >= LOGIN_WINDOW_MS)) map.delete(key)
    if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value!)
  }
  map.set(keyOf(username), [...recent(username, nowMs), nowMs])
}

export function clearLoginFailures(username: string): void {
  failures().delete(keyOf(username))
}

/** Tests only. */
export function resetLoginRateLimit(): void {
  failures().clear()
}
