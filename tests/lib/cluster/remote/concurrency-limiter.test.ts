// lib/cluster/remote/concurrency-limiter.ts: at most `limit` tasks run; waiters start in arrival order; a waiter
// that gets no slot in time fails with TIMEOUT and never runs.
import { describe, expect, it } from 'vitest'
import { ConcurrencyLimiter } from '@/lib/cluster/remote/concurrency-limiter'
import { RemoteClusterError } from '@/lib/cluster/remote/remote-error'

function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

describe('ConcurrencyLimiter', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2)
    const gates = Array.from({ length: 5 }, gate)
    const started: number[] = []
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i)
        await g.opened
        return i
      }, 60_000),
    )
    await Promise.resolve()
    expect(started).toEqual([0, 1])
    expect(limiter.inFlight).toBe(2)
    expect(limiter.queued).toBe(3)
    gates[1]!.open()
    await runs[1]
    expect(started).toEqual([0, 1, 2])
    for (const g of gates) g.open()
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4])
    expect(limiter.peak).toBe(2)
    expect(limiter.inFlight).toBe(0)
  })

  it('fails a waiter with TIMEOUT when no slot frees in time, and releases slots of failed tasks', async () => {
    const limiter = new ConcurrencyLimiter(1)
    const g = gate()
    const holder = limiter.run(() => g.opened, 60_000)
    let ran = false
    const waiter = limiter.run(() => {
      ran = true
      return Promise.resolve()
    }, 10)
    await expect(waiter).rejects.toBeInstanceOf(RemoteClusterError)
    await expect(waiter).rejects.toMatchObject({ kind: 'TIMEOUT' })
    expect(ran).toBe(false)
    g.open()
    await holder
    await expect(limiter.run(() => Promise.reject(new Error('boom')), 10)).rejects.toThrow('boom')
    expect(await limiter.run(() => Promise.resolve('ok'), 10)).toBe('ok')
  })

  it('refuses a limit below 1', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError)
  })
})
