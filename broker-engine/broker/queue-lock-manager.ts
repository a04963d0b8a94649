// Broker-side queue locks for orderly consumption (RocketMQ's RebalanceLockManager): one client of a group holds
// a queue at a time; a lock lives 60 s unless renewed (clients renew every 20 s), so a dead consumer's queues
// pass to another after at most a minute.

import type { Clock } from '../common/clock'

export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 60_000

export interface LockedQueue {
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
}

interface LockEntry {
  clientId: string
  lastUpdateMs: number
}

function key(q: LockedQueue): string {
  return `${q.topic}@${q.brokerName}@${q.queueId}`
}

export class QueueLockManager {
  private readonly locks = new Map<string, Map<string, LockEntry>>()

  constructor(
    private readonly clock: Clock,
    private readonly lockLiveTimeMs = REBALANCE_LOCK_MAX_LIVE_TIME_MS,
  ) {}

  /** Locks every queue that is free, expired or already this client's; returns the ones now held by it. */
  tryLockBatch(group: string, queues: readonly LockedQueue[], clientId: string): LockedQueue[] {
    const now = this.clock.nowMs()
    let table = this.locks.get(group)
    if (!table) {
      table = new Map()
      this.locks.set(group, table)
    }
    const locked: LockedQueue[] = []
    for (const q of queues) {
      const k = key(q)
      const entry = table.get(k)
      if (!entry || entry.clientId === clientId || now - entry.lastUpdateMs > this.lockLiveTimeMs) {
        table.set(k, { clientId, lastUpdateMs: now })
        locked.push(q)
      }
    }
    return locked
  }

  unlockBatch(group: string, queues: readonly LockedQueue[], clientId: string): void {
    const table = this.locks.get(group)
    if (!table) return
    for (const q of queues) {
      const k = key(q)
      if (table.get(k)?.clientId === clientId) table.delete(k)
    }
  }

  /** True when `clientId` holds an unexpired lock on the queue. */
  isLockedBy(group: string, q: LockedQueue, clientId: string): boolean {
    const entry = this.locks.get(group)?.get(key(q))
    return (
      !!entry && entry.clientId === clientId && this.clock.nowMs() - entry.lastUpdateMs <= this.lockLiveTimeMs
    )
  }

  /** True when the group holds any unexpired lock (orderly groups send exhausted messages to the DLQ). */
  hasLocks(group: string): boolean {
    const now = this.clock.nowMs()
    for (const entry of this.locks.get(group)?.values() ?? [])
      if (now - entry.lastUpdateMs <= this.lockLiveTimeMs) return true
    return false
  }
}
