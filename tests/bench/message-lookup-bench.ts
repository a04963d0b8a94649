// Message lookup on a big store (issue 5's target: message by key or by ID on a 1,000,000-message store answers in
// < 100 ms). A standalone broker (NameServer + broker over remoting) on a temp dir is filled in process through
// its store's windowed append (every message with a tag, a KEYS entry and a UNIQ_KEY, small bodies), then the
// console's RemoteGateway looks messages up over loopback as the Messages page does: by key (the index on every
// broker of the route), by offset message id (one VIEW_MESSAGE_BY_ID) and by UNIQ_KEY with its topic (the index).

import fs from 'node:fs'
import path from 'node:path'
import { startStandaloneBroker } from '../../broker-engine/standalone/standalone-broker'
import type { RemoteGateway as RemoteGatewayClass } from '../../lib/cluster/remote-gateway'
import {
  BENCH_QUEUES,
  BENCH_TOPIC,
  benchProperties,
  benchUniqKey,
  percentile,
  result,
  type BenchResult,
} from './bench-kit'

const LOOKUP_TARGET_MS = 100

/** lib/ is imported lazily: `npm run bench` registers tests/bench/allow-server-only.mjs first. */
function loadRemoteGateway(): Promise<{ RemoteGateway: typeof RemoteGatewayClass }> {
  return import('../../lib/cluster/remote-gateway')
}
/** Appends in flight while filling, as a producer with a send window. */
const FILL_WINDOW = 8192

interface Appender {
  appendMessage(
    msg: { topic: string; queueId: number; body: Uint8Array; propertiesString: string },
    callback: (r: { status: string; commitLogOffset?: number }) => void,
  ): void
}

/**
 * Appends `count` messages (message i keyed `order-<i>`, UNIQ_KEY benchUniqKey(i)) with a window in flight and
 * returns the CommitLog offset of every message, so the lookups can name them by offset id.
 */
function fill(store: Appender, count: number): Promise<Float64Array> {
  const offsets = new Float64Array(count)
  const body = Buffer.alloc(16, 0x6d)
  return new Promise((resolve, reject) => {
    let sent = 0
    let acked = 0
    const send = (): void => {
      const i = sent++
      store.appendMessage(
        { topic: BENCH_TOPIC, queueId: i % BENCH_QUEUES, body, propertiesString: benchProperties(i) },
        (r) => {
          if (r.commitLogOffset === undefined) return reject(new Error(`append ${i} failed: ${r.status}`))
          offsets[i] = r.commitLogOffset
          acked++
          if (sent < count) send()
          else if (acked === count) resolve(offsets)
        },
      )
    }
    for (let i = 0; i < Math.min(FILL_WINDOW, count); i++) send()
  })
}

/** Milliseconds per call of `lookup(i)` for `samples` indexes spread over the store (after a short warm-up). */
async function time(
  count: number,
  samples: number,
  lookup: (i: number) => Promise<number>,
): Promise<{ p50: number; p99: number; max: number }> {
  // A fixed stride over the store, so old and new messages (cold and warm pages) are both asked for.
  const stride = Math.max(1, Math.floor(count / samples))
  for (let w = 0; w < 10; w++) await lookup((w * 7919) % count)
  const latencies: number[] = []
  for (let s = 0; s < samples; s++) {
    const i = (s * stride + 13) % count
    const t0 = performance.now()
    const found = await lookup(i)
    latencies.push(performance.now() - t0)
    if (found !== 1) throw new Error(`lookup of message ${i} found ${found} messages, expected 1`)
  }
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)! }
}

export async function messageLookupBenchmarks(root: string, quick: boolean): Promise<BenchResult[]> {
  const count = quick ? 100_000 : 1_000_000
  const samples = quick ? 100 : 300
  const dir = path.join(root, 'message-lookup')
  fs.rmSync(dir, { recursive: true, force: true })
  const broker = await startStandaloneBroker({
    config: { storePathRootDir: dir, listenPort: 0, brokerName: 'lookup-a' },
    namesrvPort: 0,
    log: () => undefined,
  })
  const { RemoteGateway } = await loadRemoteGateway()
  const gateway = new RemoteGateway({ namesrvAddrs: broker.namesrvAddr!, callTimeoutMs: 10_000 })
  try {
    broker.broker.upsertTopic({
      topicName: BENCH_TOPIC,
      readQueueNums: BENCH_QUEUES,
      writeQueueNums: BENCH_QUEUES,
    })
    const t0 = performance.now()
    const offsets = await fill(broker.broker.store, count)
    const fillSec = (performance.now() - t0) / 1000
    // The index is built by the dispatcher after the append: wait until the newest key answers.
    for (;;) {
      const last = await gateway.queryMessagesByKey({ topic: BENCH_TOPIC, key: `order-${count - 1}` })
      if (last.data.length === 1) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const buildSec = (performance.now() - t0) / 1000
    const writtenMiB = offsets[count - 1]! / 2 ** 20

    const byKey = await time(count, samples, async (i) => {
      const r = await gateway.queryMessagesByKey({ topic: BENCH_TOPIC, key: `order-${i}`, bodyBytesMax: 96 })
      return r.data.length
    })
    const byOffsetId = await time(count, samples, async (i) => {
      const r = await gateway.viewMessage({
        msgId: broker.broker.store.offsetMsgIdOf(offsets[i]!),
        bodyBytesMax: 96,
      })
      return r.data.length
    })
    const byUniqKey = await time(count, samples, async (i) => {
      const r = await gateway.viewMessage({ msgId: benchUniqKey(i), topic: BENCH_TOPIC, bodyBytesMax: 96 })
      return r.data.length
    })
    console.log(
      `message lookup: ${count.toLocaleString('en-US')} messages (${Math.round(writtenMiB)} MiB of CommitLog) ` +
        `appended in ${fillSec.toFixed(1)} s (${Math.round(count / fillSec).toLocaleString('en-US')} msgs/s), ` +
        `indexed and queryable after ${buildSec.toFixed(1)} s; ${samples} lookups each over loopback: ` +
        `key p50 ${byKey.p50.toFixed(2)} / p99 ${byKey.p99.toFixed(2)} ms, ` +
        `offset id p50 ${byOffsetId.p50.toFixed(2)} / p99 ${byOffsetId.p99.toFixed(2)} ms, ` +
        `UNIQ_KEY p50 ${byUniqKey.p50.toFixed(2)} / p99 ${byUniqKey.p99.toFixed(2)} ms`,
    )
    const max = { target: LOOKUP_TARGET_MS, targetKind: 'max' as const }
    return [
      result('messages.lookup.storeBuild', buildSec, 's'),
      result('messages.lookup.storeBuildRate', count / buildSec, 'msgs/s'),
      result('messages.lookup.byKey.p50', byKey.p50, 'ms', max),
      result('messages.lookup.byKey.p99', byKey.p99, 'ms', max),
      result('messages.lookup.byOffsetId.p50', byOffsetId.p50, 'ms', max),
      result('messages.lookup.byOffsetId.p99', byOffsetId.p99, 'ms', max),
      result('messages.lookup.byUniqKey.p50', byUniqKey.p50, 'ms', max),
      result('messages.lookup.byUniqKey.p99', byUniqKey.p99, 'ms', max),
    ]
  } finally {
    await gateway.close()
    await broker.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
