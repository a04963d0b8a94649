// Paces a resend job: each send reserves the next slot 1/rate s after the previous one, so no window of one
// second ever holds more than `ratePerSec` + 1 sends, however many workers ask at once.
import 'server-only'

/** The clock a job paces by; tests pass a manual one whose sleep advances time, and count sends per second. */
export interface PacingClock {
  nowMs(): number
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleepMs(ms: number, signal?: AbortSignal): Promise<void>
}

export const REAL_CLOCK: PacingClock = {
  // Whole milliseconds (what results and the page show), from the monotonic clock so pacing never jumps.
  nowMs: () => Math.floor(performance.timeOrigin + performance.now()),
  sleepMs: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
    }),
}

export class RateLimiter {
  private nextSlotMs = -Infinity
  private readonly intervalMs: number

  constructor(
    ratePerSec: number,
    private readonly clock: PacingClock = REAL_CLOCK,
  ) {
    if (!(ratePerSec > 0)) throw new RangeError(`ratePerSec must be positive, got ${ratePerSec}`)
    this.intervalMs = 1000 / ratePerSec
  }

  /**
   * Resolves with the slot's time when the caller may send, or with undefined when `signal` aborted first (the
   * caller must not send then). Slots are reserved synchronously, so concurrent callers queue fairly.
   */
  async acquire(signal?: AbortSignal): Promise<number | undefined> {
    const now = this.clock.nowMs()
    const slot = Math.max(now, this.nextSlotMs)
    this.nextSlotMs = slot + this.intervalMs
    if (slot > now) await this.clock.sleepMs(slot - now, signal)
    return signal?.aborted ? undefined : slot
  }
}
