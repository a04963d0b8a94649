// The ClusterGateway conformance suite through the remote gateway against `npm run broker` in a child process:
// the real standalone NameServer + broker, reached only over remoting (the harness consumes and dead-letters as a
// client would). Then what only this server can be held to: the addresses and names of its READY line and
// broker.conf, its runtime counters, and RocketMQ 5's time search. The broker's stderr is printed on a failure.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SendOutcome } from '@/lib/cluster/gateway'
import { startBrokerChild, type BrokerChild } from './broker-child'
import { eventually, runGatewayConformance, type GatewayHarness } from './gateway-conformance'
import { remoteHarness } from './remote-harness'

const CLUSTER = 'ConformanceCluster'
const BROKER_NAME = 'broker-conf'

let broker: BrokerChild

beforeAll(async () => {
  broker = await startBrokerChild({ clusterName: CLUSTER, brokerName: BROKER_NAME })
})

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`npm run broker stderr:\n${broker.stderr()}`)
})

afterAll(async () => {
  const code = await broker?.stop()
  if (code !== 0) console.error(`npm run broker exited with ${code}; stderr:\n${broker.stderr()}`)
})

const harness = () =>
  remoteHarness({ namesrvAddrs: [broker.namesrvAddr], callTimeoutMs: 5_000, routeTtlMs: 0 })

runGatewayConformance('remote gateway → npm run broker', harness, {
  consume: true,
  deadLetter: true,
  online: true,
  // RocketMQ's default messageDelayLevel starts with 1s, and the broker.conf keeps the default.
  delayLevel1Ms: 1_000,
})

describe('remote gateway → npm run broker: what its broker.conf and READY line say', () => {
  let h: GatewayHarness

  beforeAll(async () => {
    h = await harness()
  })

  afterAll(async () => {
    await h?.close()
  })

  it('reports the cluster, broker, addresses and store of the READY line', async () => {
    expect(broker).toMatchObject({ clusterName: CLUSTER, brokerName: BROKER_NAME })
    const info = await h.gateway.getClusterInfo()
    expect(info.data.clusters).toEqual([{ clusterName: CLUSTER, brokerNames: [BROKER_NAME] }])
    expect(info.data.brokers).toHaveLength(1)
    expect(info.data.brokers[0]).toMatchObject({
      clusterName: CLUSTER,
      brokerName: BROKER_NAME,
      brokerId: 0,
      addr: broker.brokerAddr,
      role: 'MASTER',
      flushDiskType: 'ASYNC_FLUSH',
      brokerRole: 'ASYNC_MASTER',
    })
    expect(info.data.brokers[0]!.runtime!.version).toBe('V4_9_4')
    expect((await h.gateway.listNameServers()).map((n) => n.addr)).toEqual([broker.namesrvAddr])
    const config = await h.gateway.getBrokerConfig({ brokerName: BROKER_NAME })
    expect(config).toMatchObject({
      brokerClusterName: CLUSTER,
      brokerName: BROKER_NAME,
      brokerId: '0',
      listenPort: broker.brokerAddr.split(':')[1],
      storePathRootDir: broker.storeDir,
      flushDiskType: 'ASYNC_FLUSH',
    })
  })

  // msgGet* figures are not checked: this broker derives them from pull-offset movement sampled every 10 s
  // (traffic-sampler.ts), where RocketMQ counts every message a pull finds, live.
  it('counts the messages put today in its runtime figures, live', async () => {
    const runtime = async () => (await h.gateway.getClusterInfo()).data.brokers[0]!.runtime!
    const topic = `RuntimeCount_${Date.now()}`
    await h.gateway.createOrUpdateTopic({ topic, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
    await eventually(
      () => h.gateway.getTopicRoute(topic),
      (r) => r !== undefined,
    )
    const before = await runtime()
    for (let i = 0; i < 5; i++) await h.gateway.sendMessage({ topic, body: `count ${i}` })
    const afterPut = await runtime()
    expect(afterPut.msgPutTotalTodayNow - before.msgPutTotalTodayNow).toBe(5)
    expect(afterPut.commitLogMaxOffset!).toBeGreaterThan(before.commitLogMaxOffset!)
    expect(afterPut.commitLogMinOffset).toBe(0)
    expect(afterPut.earliestMessageTimestampMs).toBeGreaterThan(0)
    expect(Number(afterPut.table.putMessageTimesTotal)).toBe(afterPut.msgPutTotalTodayNow)
  })

  it('resets by time to the first message stored at or after it (RocketMQ 5: the max offset past the end)', async () => {
    const topic = `TimeSearch_${Date.now()}`
    const group = `TimeSearchGroup_${Date.now()}`
    await h.gateway.createOrUpdateTopic({ topic, readQueueNums: 1, writeQueueNums: 1, perm: 6 })
    await eventually(
      () => h.gateway.getTopicRoute(topic),
      (r) => r !== undefined,
    )
    const sent: SendOutcome[] = []
    for (let i = 0; i < 3; i++) sent.push(await h.gateway.sendMessage({ topic, body: `ts ${i}` }))
    expect(await h.consume!({ topic, group })).toBe(3)
    const last = (await h.gateway.viewMessage({ msgId: sent[2]!.msgId })).data[0]!
    const first = (await h.gateway.viewMessage({ msgId: sent[0]!.msgId })).data[0]!
    const at = async (timestampMs: number) =>
      (await h.gateway.previewOffsetReset({ group, topic, target: { kind: 'TIMESTAMP', timestampMs } })).data
        .queues[0]!.newOffset
    expect(await at(last.storeTimestampMs + 1)).toBe(3)
    expect(await at(last.storeTimestampMs)).toBeLessThanOrEqual(2)
    expect(await at(first.storeTimestampMs)).toBe(0)
  })
})
