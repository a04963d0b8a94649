// Bounds the calls one cluster connection has in flight (8 by default), so a page that fans out over many brokers
// or queues queues its calls instead of opening a storm; a call that waits too long for a slot times out.
import 'server-only'
import { RemoteClusterError } from './remote-error'

export class ConcurrencyLimiter {
  private running = 0
  private readonly waiting: { start: () => void; timer: NodeJS.Timeout | undefined }[] = []
  /** Highest number of calls seen in flight at once (tests and diagnostics). */
  peak = 0

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency limit must be ≥ 1, got ${limit}`)
  }

  get inFlight(): number {
    return this.running
  }

  get queued(): number {
    return this.waiting.length
  }

  /** Runs `task` once a slot is free; rejects with TIMEOUT if no slot frees within `waitMs`. */
  async run<T>(task: () => Promise<T>, waitMs: number): Promise<T> {
    await this.acquire(waitMs)
    try {
      return await task()
    } finally {
      this.release()
    }
  }

  private acquire(waitMs: number): Promise<void> {
    if (this.running < this.limit) {
      this.take()
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          if (entry.timer) clearTimeout(entry.timer)
          this.take()
          resolve()
        },
        timer: undefined as NodeJS.Timeout | undefined,
      }
      entry.timer = setTimeout(() => {
        const at = this.waiting.indexOf(entry)
        if (at >= 0) this.waiting.splice(at, 1)
        reject(
          new RemoteClusterError(
            'TIMEOUT',
            `no free slot within ${waitMs} ms (${this.limit} calls already in flight to this cluster)`,
          ),
        )
      }, waitMs)
      this.waiting.push(entry)
    })
  }

  private take(): void {
    this.running++
    if (this.running > this.peak) this.peak = this.running
  }

  private release(): void {
    this.running--
    this.waiting.shift()?.start()
  }
}
