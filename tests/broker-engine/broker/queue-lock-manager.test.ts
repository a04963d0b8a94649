import { describe, expect, it } from 'vitest'
import { QueueLockManager } from '../../../broker-engine/broker/queue-lock-manager'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'

const q = (queueId: number) => ({ topic: 'T', brokerName: 'broker-a', queueId })

describe('orderly queue locks', () => {
  it('gives each queue to one client; the holder may renew; others wait', () => {
    const locks = new QueueLockManager(new ManualClock())
    expect(locks.tryLockBatch('cg', [q(0), q(1)], 'A')).toEqual([q(0), q(1)])
    expect(locks.tryLockBatch('cg', [q(1), q(2)], 'B')).toEqual([q(2)])
    expect(locks.tryLockBatch('cg', [q(0)], 'A')).toEqual([q(0)])
    expect(locks.isLockedBy('cg', q(1), 'A')).toBe(true)
    expect(locks.tryLockBatch('other-group', [q(0)], 'B')).toEqual([q(0)])
  })

  it("passes a dead holder's queue to another client after 60 s without renewal", () => {
    const clock = new ManualClock()
    const locks = new QueueLockManager(clock)
    locks.tryLockBatch('cg', [q(0)], 'dead')
    clock.advance(60_000)
    expect(locks.tryLockBatch('cg', [q(0)], 'B')).toEqual([])
    clock.advance(1)
    expect(locks.tryLockBatch('cg', [q(0)], 'B')).toEqual([q(0)])
    expect(locks.hasLocks('cg')).toBe(true)
  })

  it("unlocks only the holder's queues", () => {
    const locks = new QueueLockManager(new ManualClock())
    locks.tryLockBatch('cg', [q(0)], 'A')
    locks.unlockBatch('cg', [q(0)], 'B')
    expect(locks.isLockedBy('cg', q(0), 'A')).toBe(true)
    locks.unlockBatch('cg', [q(0)], 'A')
    expect(locks.hasLocks('cg')).toBe(false)
  })
})
