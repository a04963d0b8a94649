// lib/console/snapshot-cache.ts: fresh within the TTL, stale-while-revalidate up to STALE_SERVE_MS past it, one
// load at a time per key, failures not cached, per-cluster invalidation.
import { describe, expect, it } from 'vitest'
import { cachedSnapshot, invalidateSnapshots, STALE_SERVE_MS } from '@/lib/console/snapshot-cache'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('cachedSnapshot', () => {
  it('shares one load between concurrent callers and reuses it within the TTL', async () => {
    let now = 1_000
    let loads = 0
    const pending = deferred<string>()
    const load = () => {
      loads++
      return pending.promise
    }
    const a = cachedSnapshot('c1', 'topics', 5_000, load, () => now)
    const b = cachedSnapshot('c1', 'topics', 5_000, load, () => now)
    pending.resolve('v1')
    expect(await a).toEqual({ value: 'v1', fetchedAtMs: 1_000 })
    expect(await b).toBe(await a)
    now += 4_999
    expect((await cachedSnapshot('c1', 'topics', 5_000, load, () => now)).value).toBe('v1')
    expect(loads).toBe(1)
  })

  it('serves a stale snapshot at once while one background refresh replaces it', async () => {
    let now = 10_000
    let version = 0
    const refresh = deferred<void>()
    const load = async () => {
      version++
      if (version === 2) await refresh.promise
      return `v${version}`
    }
    await cachedSnapshot('c2', 'groups', 5_000, load, () => now)
    now += 6_000
    const stale = await cachedSnapshot('c2', 'groups', 5_000, load, () => now)
    expect(stale).toEqual({ value: 'v1', fetchedAtMs: 10_000 })
    // A second caller during the refresh gets the stale value too, without a second load.
    expect((await cachedSnapshot('c2', 'groups', 5_000, load, () => now)).value).toBe('v1')
    expect(version).toBe(2)
    refresh.resolve()
    await new Promise((r) => setImmediate(r))
    expect(await cachedSnapshot('c2', 'groups', 5_000, load, () => now)).toEqual({
      value: 'v2',
      fetchedAtMs: 16_000,
    })
  })

  it('waits for a fresh load once the snapshot is older than the stale window', async () => {
    let now = 0
    let version = 0
    const load = () => Promise.resolve(`v${++version}`)
    await cachedSnapshot('c3', 'k', 1_000, load, () => now)
    now += 1_000 + STALE_SERVE_MS
    expect((await cachedSnapshot('c3', 'k', 1_000, load, () => now)).value).toBe('v2')
  })

  it('does not cache a failed load, and keeps a stale snapshot when its refresh fails', async () => {
    let now = 0
    let fail = true
    const load = () => (fail ? Promise.reject(new Error('broker down')) : Promise.resolve('ok'))
    await expect(cachedSnapshot('c4', 'k', 1_000, load, () => now)).rejects.toThrow('broker down')
    fail = false
    expect((await cachedSnapshot('c4', 'k', 1_000, load, () => now)).value).toBe('ok')
    fail = true
    now += 2_000
    expect((await cachedSnapshot('c4', 'k', 1_000, load, () => now)).value).toBe('ok')
    await new Promise((r) => setImmediate(r))
    // The failed refresh left the stale snapshot; the next call tries again and still serves it.
    expect((await cachedSnapshot('c4', 'k', 1_000, load, () => now)).value).toBe('ok')
  })

  it('drops one cluster’s snapshots and keeps the others', async () => {
    let loads = 0
    const load = () => Promise.resolve(++loads)
    await cachedSnapshot('a', 'k', 60_000, load)
    await cachedSnapshot('b', 'k', 60_000, load)
    invalidateSnapshots('a')
    expect((await cachedSnapshot('a', 'k', 60_000, load)).value).toBe(3)
    expect((await cachedSnapshot('b', 'k', 60_000, load)).value).toBe(2)
  })
})
