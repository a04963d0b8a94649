// Broker benchmarks (issue 3): in-process produce → consume throughput and end-to-end latency (1 KiB, 8 queues,
// one group), long-poll wake latency, and delay-level redelivery throughput.

import fs from 'node:fs'
import path from 'node:path'
import { EmbeddedCluster } from '../../broker-engine/cluster/embedded-cluster'
import { Producer } from '../../broker-engine/client/producer'
import { PushConsumer } from '../../broker-engine/client/push-consumer'
import { parseSubscription } from '../../broker-engine/broker/subscription-filter'
import { percentile, result, type BenchResult } from './bench-kit'

const TOPIC = 'BrokerBench'

export async function withCluster<T>(
  root: string,
  name: string,
  run: (c: EmbeddedCluster) => Promise<T>,
): Promise<T> {
  const dir = path.join(root, name)
  fs.rmSync(dir, { recursive: true, force: true })
  const cluster = await EmbeddedCluster.start({
    log: () => undefined,
    brokers: [{ storePathRootDir: dir, brokerName: 'bench-a' }],
  })
  try {
    cluster.brokers[0]!.upsertTopic({ topicName: TOPIC, readQueueNums: 8, writeQueueNums: 8 })
    return await run(cluster)
  } finally {
    await cluster.shutdown()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Producer (a window of sends in flight) and one push consumer, both in process; latency = send → consume. */
export async function produceConsume(c: EmbeddedCluster, count: number): Promise<BenchResult[]> {
  const sentAt = new Float64Array(count)
  const latencies: number[] = []
  let consumed = 0
  let done: () => void = () => undefined
  const allConsumed = new Promise<void>((resolve) => (done = resolve))
  const consumer = new PushConsumer(c, {
    group: 'bench-cg',
    clientId: 'bench-c1',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    log: () => undefined,
  })
  await consumer.subscribe(TOPIC).start((m) => {
    const i = m.body.readUInt32BE(0)
    latencies.push(performance.now() - sentAt[i]!)
    if (++consumed === count) done()
    return 'CONSUME_SUCCESS'
  })
  const producer = new Producer(c, { group: 'bench-pg' })
  const body = Buffer.alloc(1024, 0x62)
  const t0 = performance.now()
  let next = 0
  const sendLoop = async (): Promise<void> => {
    while (next < count) {
      const i = next++
      const b = Buffer.from(body)
      b.writeUInt32BE(i, 0)
      sentAt[i] = performance.now()
      await producer.send({ topic: TOPIC, body: b, tags: 'TagA', keys: `k-${i}` })
    }
  }
  await Promise.all(Array.from({ length: 256 }, sendLoop))
  const produced = count / ((performance.now() - t0) / 1000)
  await allConsumed
  const endToEnd = count / ((performance.now() - t0) / 1000)
  await consumer.shutdown()
  latencies.sort((a, b) => a - b)
  return [
    result('broker.produce.1KiB.8queues', produced, 'msgs/s'),
    result('broker.produceConsume.1KiB.8queues', endToEnd, 'msgs/s', { target: 100_000, targetKind: 'min' }),
    result('broker.e2eLatency.p50', percentile(latencies, 50), 'ms'),
    result('broker.e2eLatency.p99', percentile(latencies, 99), 'ms'),
  ]
}

/** A pull held at the broker is answered when a message arrives: time from the put to the answer. */
async function longPollWake(c: EmbeddedCluster, rounds: number): Promise<BenchResult[]> {
  const broker = c.brokers[0]!
  const latencies: number[] = []
  let offset = broker.store.getMaxOffsetInQueue(TOPIC, 7)
  for (let i = 0; i < rounds; i++) {
    const pending = broker.pullMessage({
      consumerGroup: 'wake-cg',
      topic: TOPIC,
      queueId: 7,
      queueOffset: offset,
      maxMsgNums: 1,
      suspendTimeoutMs: 15_000,
      subExpression: parseSubscription('*').subString,
    })
    await new Promise((r) => setImmediate(r))
    const t = performance.now()
    await broker.sendMessage({ topic: TOPIC, queueId: 7, body: Buffer.from('wake') })
    const got = await pending
    latencies.push(performance.now() - t)
    if (got.status !== 'FOUND') throw new Error(`held pull answered ${got.status}`)
    offset = got.nextBeginOffset
  }
  latencies.sort((a, b) => a - b)
  return [
    result('broker.longPollWake.p50', percentile(latencies, 50), 'ms'),
    result('broker.longPollWake.p99', percentile(latencies, 99), 'ms', { target: 5, targetKind: 'max' }),
  ]
}

/** Messages parked at delay level 2 (5 s): how fast they are redelivered once due. */
async function delayThroughput(c: EmbeddedCluster, count: number): Promise<BenchResult[]> {
  const broker = c.brokers[0]!
  broker.upsertTopic({ topicName: 'DelayBench', readQueueNums: 1, writeQueueNums: 1 })
  const body = Buffer.alloc(1024, 0x64)
  const firstPutAt = performance.now()
  const puts = []
  for (let i = 0; i < count; i++)
    puts.push(broker.sendMessage({ topic: 'DelayBench', queueId: 0, body, propertiesString: 'DELAY\u00012' }))
  await Promise.all(puts)
  const parkedAt = performance.now()
  if (parkedAt - firstPutAt > 4000) throw new Error('parking took longer than the delay: lower the count')
  while (broker.store.getMaxOffsetInQueue('DelayBench', 0) < count) await new Promise((r) => setTimeout(r, 2))
  // The first message fell due 5 s after the first put; the scheduler then works through the backlog.
  const seconds = (performance.now() - (firstPutAt + 5000)) / 1000
  return [result('broker.delay.redelivery.1KiB', count / seconds, 'msgs/s')]
}

export async function brokerBenchmarks(root: string, quick: boolean): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  out.push(...(await withCluster(root, 'e2e', (c) => produceConsume(c, quick ? 50_000 : 200_000))))
  out.push(...(await withCluster(root, 'wake', (c) => longPollWake(c, quick ? 300 : 2000))))
  out.push(...(await withCluster(root, 'delay', (c) => delayThroughput(c, quick ? 20_000 : 100_000))))
  return out
}
