// A short-lived, per-cluster cache of whole-cluster reads (every topic, every group, cluster info), so list pages
// page, sort and filter thousands of rows on the server without asking the cluster again for every keystroke,
// and concurrent requests for the same snapshot share one load. Kept on globalThis: Next loads this module
// several times in one process.
import 'server-only'

export interface Snapshot<T> {
  readonly value: T
  /** When the load that produced `value` finished (epoch ms): pages show "updated N s ago" from it. */
  readonly fetchedAtMs: number
}

interface Entry {
  /** The snapshot being loaded, or the last one loaded. */
  promise: Promise<Snapshot<unknown>>
  /** Settled snapshots only; an entry without it is still loading. */
  settled: Snapshot<unknown> | undefined
}

/** Entries past this count are dropped oldest-first; one cluster uses a handful of keys plus one per detail. */
const ENTRIES_MAX = 2_000

const g = globalThis as unknown as { __mqdeckSnapshots?: Map<string, Entry> }

function entries(): Map<string, Entry> {
  return (g.__mqdeckSnapshots ??= new Map())
}

/**
 * The cached snapshot for (cluster, key) when it is younger than `ttlMs`, else a fresh one from `load` (one load
 * at a time per key; callers arriving meanwhile wait for it). A failed load is not cached.
 */
export function cachedSnapshot<T>(
  cluster: string,
  key: string,
  ttlMs: number,
  load: () => Promise<T>,
  nowMs: () => number = Date.now,
): Promise<Snapshot<T>> {
  const cacheKey = `${cluster}\u0000${key}`
  const map = entries()
  const entry = map.get(cacheKey)
  if (entry) {
    if (!entry.settled) return entry.promise as Promise<Snapshot<T>>
    if (nowMs() - entry.settled.fetchedAtMs < ttlMs) return entry.promise as Promise<Snapshot<T>>
  }
  const fresh: Entry = { promise: Promise.resolve(undefined as never), settled: undefined }
  fresh.promise = load().then(
    (value) => {
      const snapshot: Snapshot<T> = { value, fetchedAtMs: nowMs() }
      fresh.settled = snapshot
      return snapshot
    },
    (err: unknown) => {
      if (map.get(cacheKey) === fresh) map.delete(cacheKey)
      throw err
    },
  )
  map.delete(cacheKey)
  map.set(cacheKey, fresh)
  if (map.size > ENTRIES_MAX) map.delete(map.keys().next().value!)
  return fresh.promise as Promise<Snapshot<T>>
}

/** Drops every snapshot of `cluster` (after a mutation, or when the cluster connection is removed). */
export function invalidateSnapshots(cluster: string): void {
  const prefix = `${cluster}\u0000`
  for (const key of [...entries().keys()]) if (key.startsWith(prefix)) entries().delete(key)
}
