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
  /** A background refresh of this stale entry is running. */
  refreshing: boolean
}

/** Entries past this count are dropped oldest-first; one cluster uses a handful of keys plus one per detail. */
const ENTRIES_MAX = 2_000

const g = globalThis as unknown as { __mqdeckSnapshots?: Map<string, Entry> }

function entries(): Map<string, Entry> {
  return (g.__mqdeckSnapshots ??= new Map<string, Entry>())
}

/**
 * A snapshot older than its TTL but younger than this is still served at once while a fresh one loads in the
 * background (stale-while-revalidate): a 2,000-group read costs a second on a big cluster, and a page should
 * not wait for it when a 10-second-old answer, labelled with its age, is there. Older snapshots are waited for.
 */
export const STALE_SERVE_MS = 60_000

/**
 * The cached snapshot for (cluster, key) when it is younger than `ttlMs`; a stale one (up to STALE_SERVE_MS past
 * the TTL) while a refresh runs in the background; else a fresh one from `load`. One load at a time per key;
 * callers arriving meanwhile share it. A failed load is not cached (a stale snapshot stays until it is too old).
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
    const ageMs = nowMs() - entry.settled.fetchedAtMs
    if (ageMs < ttlMs) return entry.promise as Promise<Snapshot<T>>
    if (ageMs < ttlMs + STALE_SERVE_MS) {
      if (!entry.refreshing) {
        entry.refreshing = true
        void startLoad(map, cacheKey, load, nowMs, entry).catch(() => undefined)
      }
      return Promise.resolve(entry.settled as Snapshot<T>)
    }
  }
  return startLoad(map, cacheKey, load, nowMs, undefined)
}

/** Loads a snapshot; on success it replaces the key's entry, on failure a `stale` entry is kept for reuse. */
function startLoad<T>(
  map: Map<string, Entry>,
  cacheKey: string,
  load: () => Promise<T>,
  nowMs: () => number,
  stale: Entry | undefined,
): Promise<Snapshot<T>> {
  const fresh: Entry = { promise: Promise.resolve(undefined as never), settled: undefined, refreshing: false }
  fresh.promise = load().then(
    (value) => {
      const snapshot: Snapshot<T> = { value, fetchedAtMs: nowMs() }
      fresh.settled = snapshot
      map.delete(cacheKey)
      map.set(cacheKey, fresh)
      if (map.size > ENTRIES_MAX) map.delete(map.keys().next().value!)
      return snapshot
    },
    (err: unknown) => {
      if (map.get(cacheKey) === fresh) map.delete(cacheKey)
      if (stale) stale.refreshing = false
      throw err
    },
  )
  // A background refresh leaves the stale entry in place until it succeeds; a foreground load is the entry.
  if (!stale) {
    map.delete(cacheKey)
    map.set(cacheKey, fresh)
    if (map.size > ENTRIES_MAX) map.delete(map.keys().next().value!)
  }
  return fresh.promise as Promise<Snapshot<T>>
}

/** Drops every snapshot of `cluster` (after a mutation, or when the cluster connection is removed). */
export function invalidateSnapshots(cluster: string): void {
  const prefix = `${cluster}\u0000`
  for (const key of [...entries().keys()]) if (key.startsWith(prefix)) entries().delete(key)
}
