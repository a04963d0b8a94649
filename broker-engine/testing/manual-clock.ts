// A clock that moves only when a test says so: timers fire in due order inside advance().

import type { Clock, TimerHandle } from '../common/clock'

interface PendingTimer {
  dueMs: number
  seq: number
  fn: () => void
  cancelled: boolean
}

export class ManualClock implements Clock {
  private currentMs: number
  private seq = 0
  private timers: PendingTimer[] = []

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.currentMs = startMs
  }

  nowMs(): number {
    return this.currentMs
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: PendingTimer = {
      dueMs: this.currentMs + Math.max(0, delayMs),
      seq: this.seq++,
      fn,
      cancelled: false,
    }
    this.timers.push(timer)
    return {
      cancel: () => {
        timer.cancelled = true
      },
    }
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const targetMs = this.currentMs + ms
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled)
      let next: PendingTimer | undefined
      for (const t of this.timers) {
        if (
          t.dueMs <= targetMs &&
          (!next || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.seq < next.seq))
        )
          next = t
      }
      if (!next) break
      this.currentMs = Math.max(this.currentMs, next.dueMs)
      next.cancelled = true
      next.fn()
    }
    this.currentMs = targetMs
  }

  pendingTimerCount(): number {
    return this.timers.filter((t) => !t.cancelled).length
  }
}
