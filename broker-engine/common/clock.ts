// Time as the engine sees it. Everything that waits (flush intervals, retention, later delay levels and
// transaction checks) goes through a Clock, so tests drive time with a ManualClock instead of sleeping.

export interface TimerHandle {
  cancel(): void
}

export interface Clock {
  nowMs(): number
  /** Runs `fn` once after `delayMs`. System timers are unref'd: they never keep a process alive. */
  setTimer(delayMs: number, fn: () => void): TimerHandle
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimer(delayMs, fn) {
    const timer = setTimeout(fn, Math.max(0, delayMs))
    timer.unref()
    return { cancel: () => clearTimeout(timer) }
  },
}

/** Calls `fn` every `intervalMs` until cancelled; the next run is scheduled only after this one returns. */
export function setRepeatingTimer(clock: Clock, intervalMs: number, fn: () => void): TimerHandle {
  let cancelled = false
  let handle: TimerHandle | undefined
  const run = (): void => {
    if (cancelled) return
    try {
      fn()
    } finally {
      if (!cancelled) handle = clock.setTimer(intervalMs, run)
    }
  }
  handle = clock.setTimer(intervalMs, run)
  return {
    cancel() {
      cancelled = true
      handle?.cancel()
    },
  }
}
