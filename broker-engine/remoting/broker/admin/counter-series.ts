// A cumulative counter sampled at a few cadences, the way RocketMQ's StatsItem keeps its minute, hour and day
// lists: each ring holds the last few samples, and a window's figure is the increase between two of them.

/** The sampler's period: the finest cadence of every ring. */
export const SAMPLE_INTERVAL_MS = 10_000

export interface RingSpec {
  readonly cadenceMs: number
  readonly size: number
}

export const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** Broker totals: 10 s samples for 10 min (the runtime TPS windows), then RocketMQ's hour and day lists. */
export const BROKER_RINGS: readonly RingSpec[] = [
  { cadenceMs: SAMPLE_INTERVAL_MS, size: 61 },
  { cadenceMs: 10 * MINUTE_MS, size: 7 },
  { cadenceMs: HOUR_MS, size: 25 },
]
/** Per topic or group: RocketMQ's StatsItem lists (minute: 10 s × 7, hour: 10 min × 7, day: 1 h × 25). */
export const KEY_RINGS: readonly RingSpec[] = [
  { cadenceMs: SAMPLE_INTERVAL_MS, size: 7 },
  { cadenceMs: 10 * MINUTE_MS, size: 7 },
  { cadenceMs: HOUR_MS, size: 25 },
]

export interface WindowStats {
  /** Messages in the window. */
  readonly sum: number
  /** Messages per second over the window. */
  readonly tps: number
}

export interface SeriesStats {
  readonly minute: WindowStats
  readonly hour: WindowStats
  readonly day: WindowStats
}

/** One cumulative counter's samples at a few cadences. */
export class CounterSeries {
  private readonly rings: { spec: RingSpec; times: number[]; values: number[] }[]

  constructor(specs: readonly RingSpec[]) {
    this.rings = specs.map((spec) => ({ spec, times: [], values: [] }))
  }

  record(nowMs: number, value: number): void {
    for (const ring of this.rings) {
      const last = ring.times[ring.times.length - 1]
      if (last !== undefined && nowMs - last < ring.spec.cadenceMs) continue
      ring.times.push(nowMs)
      ring.values.push(value)
      if (ring.times.length > ring.spec.size) {
        ring.times.shift()
        ring.values.shift()
      }
    }
  }

  /**
   * The increase over about `windowMs` up to the latest sample of ring `index`: from the latest sample at least
   * `windowMs` older, or the oldest one while the history is shorter. A counter that went down (a topic deleted
   * and created again) reads as no increase.
   */
  window(index: number, windowMs: number): WindowStats {
    const ring = this.rings[index]!
    const n = ring.times.length
    if (n < 2) return { sum: 0, tps: 0 }
    const endTime = ring.times[n - 1]!
    let base = 0
    for (let i = n - 2; i >= 0; i--) {
      if (endTime - ring.times[i]! >= windowMs) {
        base = i
        break
      }
    }
    const sum = Math.max(0, ring.values[n - 1]! - ring.values[base]!)
    const spanMs = endTime - ring.times[base]!
    return { sum, tps: spanMs > 0 ? (sum * 1000) / spanMs : 0 }
  }

  stats(): SeriesStats {
    return { minute: this.window(0, MINUTE_MS), hour: this.window(1, HOUR_MS), day: this.window(2, DAY_MS) }
  }
}
