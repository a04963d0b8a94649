// Shared pieces of the benchmarks: result records, percentiles, the message shapes every store bench uses.

export interface BenchResult {
  readonly id: string
  readonly value: number
  readonly unit: string
  /** The machine's own limit for the same work, measured in the same run. */
  readonly ceiling?: number
  /** value / ceiling. */
  readonly ratio?: number
  /** The target for this figure, and whether it is a minimum or a maximum. */
  readonly target?: number
  readonly targetKind?: 'min' | 'max'
}

export function result(
  id: string,
  value: number,
  unit: string,
  extra: Partial<BenchResult> = {},
): BenchResult {
  const out: BenchResult = { id, value: round(value), unit, ...extra }
  if (out.ceiling !== undefined && out.ceiling > 0)
    return { ...out, ceiling: round(out.ceiling), ratio: round(value / out.ceiling, 3) }
  return out
}

export function round(value: number, digits = value >= 100 ? 0 : 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export const BENCH_TOPIC = 'BenchTopic'
export const BENCH_QUEUES = 8

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).toUpperCase().padStart(2, '0'),
)
const UNIQ_PREFIX = 'C0A80001' + '0001' + '00000000' + '0000'

/** The UNIQ_KEY a bench producer sets on message i (32 hex chars built from a byte table, as a client does). */
export function benchUniqKey(i: number): string {
  return (
    UNIQ_PREFIX +
    HEX_BYTE[(i >>> 24) & 0xff]! +
    HEX_BYTE[(i >>> 16) & 0xff]! +
    HEX_BYTE[(i >>> 8) & 0xff]! +
    HEX_BYTE[i & 0xff]!
  )
}

export function benchProperties(i: number): string {
  return `TAGS\u0001TagA\u0002KEYS\u0001order-${i}\u0002UNIQ_KEY\u0001${benchUniqKey(i)}`
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024)
}

/** The append API a windowed producer needs (MessageStore.appendMessage). */
interface Appender {
  appendMessage(
    msg: { topic: string; queueId: number; body: Uint8Array; propertiesString: string },
    callback: () => void,
  ): void
}

/**
 * Appends `count` messages keeping `window` puts in flight, as a producer with a send window does; resolves
 * when the last one is acknowledged.
 */
export function produceWindowed(
  store: Appender,
  count: number,
  body: Uint8Array,
  window = 8192,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let sent = 0
    let acked = 0
    const onAck = (): void => {
      acked++
      if (sent < count) send()
      else if (acked === count) resolve()
    }
    const send = (): void => {
      const i = sent++
      store.appendMessage(
        { topic: BENCH_TOPIC, queueId: i % BENCH_QUEUES, body, propertiesString: benchProperties(i) },
        onAck,
      )
    }
    for (let i = 0; i < Math.min(window, count); i++) send()
  })
}
