// The sampler against the real engine: a standalone broker-engine NameServer + broker in this process (port 0,
// temp store) reached over remoting by a RemoteGateway, as any RocketMQ cluster would be. Messages sent between
// two passes on a manual clock show up as TOPIC PUT_TPS and GROUP LAG, a dead-lettered message as DLQ_MESSAGES.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import { readSeries } from '@/lib/metrics/read-series'
import { sampleCluster } from '@/lib/metrics/sample-cluster'
import { newSamplerState } from '@/lib/metrics/sampler-state'
import type { GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'
import { openMetricsDb, type MetricsDb } from './metrics-db'

const TOPIC = 'MetricsEngineTopic'
const GROUP = 'metrics-engine-group'
const CLUSTER = 'engine-test'

let dir: string
let broker: StandaloneBroker
let h: GatewayHarness
let mdb: MetricsDb
const logs: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-metrics-engine-'))
  broker = await startStandaloneBroker({
    config: {
      storePathRootDir: dir,
      listenPort: 0,
      brokerName: 'broker-m',
      brokerClusterName: 'MetricsCluster',
    },
    namesrvPort: 0,
    log: (m) => logs.push(m),
  })
  h = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr!], callTimeoutMs: 5_000, routeTtlMs: 0 })
  mdb = openMetricsDb()
})

afterAll(async () => {
  await h?.close()
  await broker?.close()
  await mdb?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('sampling the embedded engine over remoting', () => {
  it('writes PUT_TPS from sent messages, LAG of the group, and DLQ_MESSAGES of its dead letters', async () => {
    const gateway = h.gateway
    await gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 4, writeQueueNums: 4, perm: 6 })
    await gateway.createOrUpdateConsumerGroup({ group: GROUP })
    const send = async (n: number) => {
      const ids: string[] = []
      for (let i = 0; i < n; i++) ids.push((await gateway.sendMessage({ topic: TOPIC, body: `m${i}` })).msgId)
      return ids
    }
    const [first] = await send(5)
    expect(await h.consume!({ topic: TOPIC, group: GROUP })).toBe(5)

    let nowMs = 1_700_000_400_000
    const state = newSamplerState()
    const pass = () => sampleCluster({ cluster: CLUSTER, gateway, db: mdb.client, clock: () => nowMs, state })
    const p1 = await pass()
    expect(p1.failures).toEqual([])

    await send(20)
    nowMs += 10_000
    const p2 = await pass()
    expect(p2.failures).toEqual([])

    const q = { db: mdb.client, cluster: CLUSTER, fromMs: p1.atMs, toMs: p2.atMs, nowMs: p2.atMs }
    const tps = await readSeries({ ...q, scope: 'TOPIC', name: TOPIC, metric: 'PUT_TPS' })
    expect(tps.points).toEqual([
      { t: p1.atMs, v: 0 },
      { t: p2.atMs, v: 2 },
    ])
    const lag = await readSeries({ ...q, scope: 'GROUP', name: GROUP, metric: 'LAG' })
    expect(lag.points).toEqual([
      { t: p1.atMs, v: 0 },
      { t: p2.atMs, v: 20 },
    ])
    const brokers = await mdb.client.metricSample.findMany({
      where: { cluster: CLUSTER, scope: 'BROKER', name: 'broker-m', at: new Date(p2.atMs) },
    })
    expect(brokers.map((b) => b.metric).sort()).toEqual(['DISK_RATIO', 'GET_TPS', 'PUT_TPS'])
    const totalLag = await readSeries({ ...q, scope: 'CLUSTER', name: CLUSTER, metric: 'TOTAL_LAG' })
    expect(totalLag.points.at(-1)!.v).toBeGreaterThanOrEqual(20)

    // A dead letter: the group's %DLQ% topic appears at the next topic-list refresh and is counted.
    await h.deadLetter!({ group: GROUP, topic: TOPIC, msgId: first! })
    nowMs += 60_000
    const p3 = await pass()
    expect(p3.dlqTopicsVisited).toBe(1)
    const dlq = await readSeries({
      ...q,
      toMs: p3.atMs,
      nowMs: p3.atMs,
      scope: 'GROUP',
      name: GROUP,
      metric: 'DLQ_MESSAGES',
    })
    expect(dlq.points.at(-1)).toEqual({ t: p3.atMs, v: 1 })
  })
})
