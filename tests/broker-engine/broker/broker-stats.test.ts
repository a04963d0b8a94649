import { afterEach, describe, expect, it } from 'vitest'
import {
  brokerRuntimeStats,
  consumeStats,
  topicStats,
  trackMessage,
} from '../../../broker-engine/broker/broker-stats'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import { Producer } from '../../../broker-engine/client/producer'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

const clusters: EmbeddedCluster[] = []
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown()
})

describe('broker statistics and message tracking', () => {
  it('reports consume lag per queue, topic offsets, where a message stands per group, and runtime figures', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const c = await EmbeddedCluster.start({
      clock,
      log: () => undefined,
      brokers: [{ ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a' }],
    })
    clusters.push(c)
    const broker = c.brokers[0]!
    broker.upsertTopic({ topicName: 'Stats', readQueueNums: 2, writeQueueNums: 2 })
    const producer = new Producer(c, { group: 'pg' })
    const sent = []
    for (let i = 0; i < 6; i++) {
      sent.push(await producer.send({ topic: 'Stats', body: `m${i}` }, (qs, _m, n) => qs[Number(n) % 2]!, i))
      clock.advance(1000)
    }
    broker.commitOffset('fast', 'Stats', 0, 3)
    broker.commitOffset('fast', 'Stats', 1, 3)
    broker.commitOffset('slow', 'Stats', 0, 1)

    const fast = consumeStats(broker, 'fast')
    expect(fast.lagTotal).toBe(0)
    expect(fast.queues.map((q) => [q.queueId, q.brokerOffset, q.consumerOffset, q.lag])).toEqual([
      [0, 3, 3, 0],
      [1, 3, 3, 0],
    ])
    expect(fast.queues[0]!.lastTimestampMs).toBe(1_800_000_004_000) // m4, the last message of queue 0
    const slow = consumeStats(broker, 'slow', 'Stats')
    expect(slow.lagTotal).toBe(5)

    expect(topicStats(broker, 'Stats')).toEqual([
      { queueId: 0, minOffset: 0, maxOffset: 3, lastUpdateTimestampMs: 1_800_000_004_000 },
      { queueId: 1, minOffset: 0, maxOffset: 3, lastUpdateTimestampMs: 1_800_000_005_000 },
    ])
    expect(topicStats(broker, 'Ghost')).toEqual([])

    const m2 = broker.store.lookMessageByOffset(sent[2]!.commitLogOffset)!
    await broker.consumerSendMsgBack({ group: 'slow', commitLogOffset: m2.commitLogOffset, delayLevel: 0 })
    const track = trackMessage(broker, m2)
    expect(track).toEqual([
      { group: 'fast', state: 'CONSUMED', retryCopies: 0 },
      { group: 'slow', state: 'NOT_CONSUMED_YET', retryCopies: 0 },
    ])
    clock.advance(10_000)
    for (let i = 0; i < 8; i++) await new Promise((r) => setImmediate(r))
    expect(trackMessage(broker, m2).find((t) => t.group === 'slow')).toEqual({
      group: 'slow',
      state: 'IN_RETRY',
      retryCopies: 1,
    })

    const runtime = brokerRuntimeStats(broker)
    expect(runtime).toMatchObject({
      brokerName: 'broker-a',
      brokerId: 0,
      role: 'ASYNC_MASTER',
      clusterName: 'DefaultCluster',
    })
    expect(runtime.store.putMessageCount).toBeGreaterThanOrEqual(7)
    expect(runtime.topicCount).toBeGreaterThan(1)
    expect(c.namesrv.getBrokerLiveInfo().map((b) => b.brokerName)).toEqual(['broker-a'])
  })
})
