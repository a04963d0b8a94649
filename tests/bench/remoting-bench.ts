// Remoting benchmarks (issue 4): the standalone broker (`npm run broker`) in a child process, driven over
// loopback by this process: sync send round trip, send throughput at several connection × in-flight shapes
// (our own remoting client and ali-ons), pull throughput, and the frame codec's own MB/s.

import { createRequire } from 'node:module'
import { FrameDecoder, encodeCommand } from '../../broker-engine/remoting/frame-codec'
import { createRequest, type RemotingCommand } from '../../broker-engine/remoting/remoting-command'
import { REQUEST_CODE } from '../../broker-engine/remoting/remoting-codes'
import { RemotingClient } from '../../broker-engine/remoting/remoting-client'
import { startBrokerChild } from '../lib/cluster/broker-child'
import { pullNowHeader } from '../helpers/pull-header'
import { percentile, result, type BenchResult } from './bench-kit'

const TOPIC = 'RemotingBench'
const BODY = Buffer.alloc(1024, 0x72)

function sendRequest(i: number): RemotingCommand {
  return createRequest(REQUEST_CODE.SEND_MESSAGE_V2, {
    extFields: {
      a: 'bench-pg',
      b: TOPIC,
      c: 'TBW102',
      d: '8',
      e: String(i & 7),
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: `KEYS\u0001k${i}\u0002TAGS\u0001TagA\u0002WAIT\u0001true`,
      j: '0',
      k: 'false',
      m: 'false',
    },
    body: BODY,
  })
}

/** `connections` × `inFlight` closed loops of sync sends for `count` messages; latencies in ms. */
export async function sendLoad(
  brokerAddr: string,
  connections: number,
  inFlight: number,
  count: number,
): Promise<{ rate: number; latencies: number[] }> {
  const clients = Array.from({ length: connections }, () => new RemotingClient())
  const latencies: number[] = []
  let next = 0
  try {
    for (const c of clients) await c.connection(brokerAddr)
    const t0 = performance.now()
    const loops = clients.flatMap((c) =>
      Array.from({ length: inFlight }, async () => {
        while (next < count) {
          const i = next++
          const t = performance.now()
          const response = await c.invoke(brokerAddr, sendRequest(i), 10_000)
          if (response.code !== 0) throw new Error(`send failed: ${response.code} ${response.remark ?? ''}`)
          latencies.push(performance.now() - t)
        }
      }),
    )
    await Promise.all(loops)
    return { rate: count / ((performance.now() - t0) / 1000), latencies: latencies.sort((a, b) => a - b) }
  } finally {
    for (const c of clients) c.close()
  }
}

/** Pulls everything sent to the topic back with PULL_MESSAGE (32 per request, 8 queues in parallel). */
export async function pullAll(brokerAddr: string): Promise<{ rate: number; messages: number }> {
  const c = new RemotingClient()
  try {
    let messages = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: 8 }, async (_, queueId) => {
        let offset = 0
        for (;;) {
          const response = await c.invoke(
            brokerAddr,
            createRequest(REQUEST_CODE.PULL_MESSAGE, {
              extFields: pullNowHeader('bench-pull-cg', TOPIC, queueId, offset),
            }),
            10_000,
          )
          if (response.code !== 0) return
          let n = 0
          for (let p = 0; response.body && p < response.body.length; p += response.body.readInt32BE(p)) n++
          messages += n
          offset = Number(response.extFields?.nextBeginOffset)
        }
      }),
    )
    return { rate: messages / ((performance.now() - t0) / 1000), messages }
  } finally {
    c.close()
  }
}

interface AliOnsProducer {
  ready(): Promise<void>
  send(m: unknown): Promise<{ sendStatus: string }>
  close(): Promise<void>
}

const QUIET = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: console.error }

/** ali-ons producers (the real third-party client) sending `count` messages over `producers` connections. */
export async function aliOnsSend(namesrvAddr: string, producers: number, count: number): Promise<number> {
  const require = createRequire(import.meta.url)
  const ons = require('ali-ons') as {
    Producer: {
      new (o: Record<string, unknown>): AliOnsProducer
      defaultProducer: AliOnsProducer | undefined
    }
    Message: new (topic: string, tags: string, body: Buffer) => unknown
  }
  const list = Array.from(
    { length: producers },
    (_, i) =>
      new ons.Producer({
        producerGroup: `bench-ons-pg-${i}`,
        nameSrv: namesrvAddr,
        // ali-ons insists on an HTTP client even when nameSrv is given; it never calls it then.
        httpclient: { request: () => Promise.reject(new Error('ali-ons fetched a URL: nameSrv is set')) },
        accessKeyId: 'none',
        accessKeySecret: 'none',
        instanceName: `bench-${i}-${process.pid}`,
        logger: QUIET,
      }),
  )
  try {
    for (const p of list) await p.ready()
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      list.flatMap((p) =>
        Array.from({ length: 16 }, async () => {
          while (next < count) {
            next++
            const r = await p.send(new ons.Message(TOPIC, 'TagA', BODY))
            if (r.sendStatus !== 'SEND_OK') throw new Error(`ali-ons send: ${r.sendStatus}`)
          }
        }),
      ),
    )
    return count / ((performance.now() - t0) / 1000)
  } finally {
    for (const p of list) await p.close()
    // Every ali-ons producer also starts one process-wide inner producer; close it before the broker goes.
    const inner = ons.Producer.defaultProducer
    ons.Producer.defaultProducer = undefined
    await inner?.close()
  }
}

/** Encode + decode of 1 KiB SEND_MESSAGE_V2 frames in process: the codec alone. */
function codecThroughput(count: number): number {
  const frames = Array.from({ length: 64 }, (_, i) => encodeCommand({ ...sendRequest(i), opaque: i }))
  const decoder = new FrameDecoder()
  let bytes = 0
  let decoded = 0
  const t0 = performance.now()
  for (let i = 0; i < count; i++) {
    const frame = encodeCommand({ ...sendRequest(i), opaque: i })
    bytes += frame.length
    decoder.push(frames[i & 63]!, () => decoded++)
  }
  const seconds = (performance.now() - t0) / 1000
  if (decoded !== count) throw new Error('codec bench decoded the wrong number of frames')
  return (2 * bytes) / 2 ** 20 / seconds
}

export async function remotingBenchmarks(root: string, quick: boolean): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  out.push(result('remoting.codec.sendV2.1KiB', codecThroughput(quick ? 50_000 : 200_000), 'MiB/s'))
  const broker = await startBrokerChild({ parentDir: root })
  try {
    // Warm-up on both sides (topic creation, JIT of the codec and send path), as any throughput run does.
    await sendLoad(broker.brokerAddr, 16, 16, 30_000)
    await sendLoad(broker.brokerAddr, 8, 1, 5_000)
    const single = await sendLoad(broker.brokerAddr, 1, 1, quick ? 1_000 : 3_000)
    out.push(
      result('remoting.send.rtt.p50', percentile(single.latencies, 50), 'ms', {
        target: 0.15,
        targetKind: 'max',
      }),
    )
    out.push(
      result('remoting.send.rtt.p99', percentile(single.latencies, 99), 'ms', {
        target: 2,
        targetKind: 'max',
      }),
    )
    const eight = await sendLoad(broker.brokerAddr, 8, 1, quick ? 20_000 : 40_000)
    out.push(
      result('remoting.send.8conn.1inflight', eight.rate, 'msgs/s', { target: 20_000, targetKind: 'min' }),
    )
    const wide = await sendLoad(broker.brokerAddr, 16, 16, quick ? 50_000 : 200_000)
    out.push(
      result('remoting.send.16conn.16inflight', wide.rate, 'msgs/s', { target: 50_000, targetKind: 'min' }),
    )
    out.push(result('remoting.send.16x16.p99', percentile(wide.latencies, 99), 'ms'))
    const oneConn = await sendLoad(broker.brokerAddr, 1, 64, quick ? 20_000 : 100_000)
    out.push(result('remoting.send.1conn.64inflight', oneConn.rate, 'msgs/s'))
    out.push(
      result(
        'remoting.send.aliOns.1producer',
        await aliOnsSend(broker.namesrvAddr, 1, quick ? 5_000 : 20_000),
        'msgs/s',
      ),
    )
    out.push(
      result(
        'remoting.send.aliOns.8producers',
        await aliOnsSend(broker.namesrvAddr, 8, quick ? 10_000 : 40_000),
        'msgs/s',
      ),
    )
    const pulled = await pullAll(broker.brokerAddr)
    out.push(result('remoting.pull.1KiB', pulled.rate, 'msgs/s'))
  } catch (err) {
    console.error(`npm run broker stderr:\n${broker.stderr()}`)
    throw err
  } finally {
    await broker.stop()
  }
  return out
}
