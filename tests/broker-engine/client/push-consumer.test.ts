import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import { Producer } from '../../../broker-engine/client/producer'
import {
  PushConsumer,
  type ConsumedMessage,
  type PushConsumerOptions,
} from '../../../broker-engine/client/push-consumer'
import type { MessageQueue } from '../../../broker-engine/client/rebalance/message-queue'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

const running: { stop(): Promise<void> }[] = []
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
})

/** Lets pulls, puts and callbacks run (each step is one event-loop turn). */
async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

async function cluster(queues = 4) {
  const clock = new ManualClock(1_800_000_000_000)
  const c = await EmbeddedCluster.start({
    clock,
    log: () => undefined,
    brokers: [
      { ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a', listenPort: 10911 },
    ],
  })
  running.push({ stop: () => c.shutdown() })
  c.brokers[0]!.upsertTopic({ topicName: 'Events', readQueueNums: queues, writeQueueNums: queues })
  return { c, clock, producer: new Producer(c, { group: 'pg' }) }
}

function consumer(
  c: EmbeddedCluster,
  clock: ManualClock,
  clientId: string,
  extra: Partial<PushConsumerOptions> = {},
) {
  const consumer = new PushConsumer(c, {
    group: 'cg',
    clientId,
    clock,
    log: () => undefined,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...extra,
  })
  running.push({ stop: () => consumer.shutdown() })
  return consumer
}

describe('push consumer', () => {
  it('clustering splits 4 messages 2 + 2 between two consumers; broadcasting gives each all 4', async () => {
    for (const [model, expected] of [
      ['CLUSTERING', [2, 2]],
      ['BROADCASTING', [4, 4]],
    ] as const) {
      const { c, clock, producer } = await cluster()
      const got: Record<string, string[]> = { A: [], B: [] }
      for (const id of ['A', 'B']) {
        await consumer(c, clock, id, { messageModel: model })
          .subscribe('Events')
          .start((m) => {
            got[id]!.push(m.body.toString())
            return 'CONSUME_SUCCESS'
          })
      }
      clock.advance(20_000) // both rebalance with the final membership
      await settle()
      for (let i = 0; i < 4; i++) await producer.send({ topic: 'Events', body: `m${i}` })
      await settle(20)
      expect([got.A!.length, got.B!.length]).toEqual(expected)
      if (model === 'CLUSTERING') expect([...got.A!, ...got.B!].sort()).toEqual(['m0', 'm1', 'm2', 'm3'])
      for (const r of running.splice(0).reverse()) await r.stop()
    }
  })

  it('filters by tag at the broker: a TagA subscriber sees only TagA', async () => {
    const { c, clock, producer } = await cluster(2)
    const got: string[] = []
    await consumer(c, clock, 'A')
      .subscribe('Events', 'TagA || TagC')
      .start((m) => {
        got.push(`${m.tags}:${m.body.toString()}`)
        return 'CONSUME_SUCCESS'
      })
    for (const [i, tag] of ['TagA', 'TagB', 'TagC', 'TagB', 'TagA'].entries())
      await producer.send({ topic: 'Events', body: `m${i}`, tags: tag })
    await settle(20)
    expect(got.sort()).toEqual(['TagA:m0', 'TagA:m4', 'TagC:m2'])
  })

  it('a failing consumer gets the message again through the retry topic, with growing reconsume times', async () => {
    const { c, clock, producer } = await cluster(1)
    const seen: ConsumedMessage[] = []
    await consumer(c, clock, 'A')
      .subscribe('Events')
      .start((m) => {
        seen.push(m)
        return seen.length < 3 ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS'
      })
    await producer.send({ topic: 'Events', body: 'flaky', keys: 'f-1' })
    await settle(20)
    expect(seen).toHaveLength(1)
    clock.advance(10_000) // level 3
    await settle(30)
    clock.advance(30_000) // level 4
    await settle(30)
    expect(seen.map((m) => [m.topic, m.reconsumeTimes, m.body.toString(), m.keys])).toEqual([
      ['Events', 0, 'flaky', 'f-1'],
      ['Events', 1, 'flaky', 'f-1'],
      ['Events', 2, 'flaky', 'f-1'],
    ])
    expect(new Set(seen.map((m) => m.msgId)).size).toBe(1)
  })

  it('when a consumer leaves, the others take over its queues from its committed offsets: nothing is lost', async () => {
    const { c, clock, producer } = await cluster(4)
    const got = new Map<string, number>()
    const listener = (m: ConsumedMessage) => {
      got.set(m.body.toString(), (got.get(m.body.toString()) ?? 0) + 1)
      return 'CONSUME_SUCCESS' as const
    }
    const a = consumer(c, clock, 'A')
    const b = consumer(c, clock, 'B')
    await a.subscribe('Events').start(listener)
    await b.subscribe('Events').start(listener)
    clock.advance(20_000)
    await settle()
    for (let i = 0; i < 20; i++) await producer.send({ topic: 'Events', body: `m${i}` })
    await settle(20)
    expect(b.assignedQueues.length).toBeGreaterThan(0)
    await b.shutdown()
    for (let i = 20; i < 40; i++) await producer.send({ topic: 'Events', body: `m${i}` })
    clock.advance(20_000) // A's next rebalance sees B gone
    await settle(30)
    expect(a.assignedQueues.filter((q) => q.startsWith('Events@')).length).toBe(4)
    for (let i = 0; i < 40; i++) expect(got.get(`m${i}`), `m${i}`).toBeGreaterThanOrEqual(1)
  })

  it("orderly: each order's events arrive in order while orders interleave across queues and consumers", async () => {
    const { c, clock, producer } = await cluster(4)
    const byOrder = new Map<number, string[]>()
    const consumersOf = new Map<number, Set<string>>()
    for (const id of ['A', 'B']) {
      await consumer(c, clock, id)
        .subscribe('Events')
        .startOrderly((m) => {
          const [order, step] = m.body.toString().split(':')
          const n = Number(order)
          byOrder.set(n, [...(byOrder.get(n) ?? []), step!])
          consumersOf.set(n, (consumersOf.get(n) ?? new Set()).add(id))
          return 'SUCCESS'
        })
    }
    clock.advance(20_000)
    await settle()
    const selector = (queues: readonly MessageQueue[], _m: unknown, arg: unknown) =>
      queues[Number(arg) % queues.length]!
    for (const step of ['created', 'paid', 'completed']) {
      for (let order = 0; order < 10; order++)
        await producer.send({ topic: 'Events', body: `${order}:${step}` }, selector, order)
    }
    await settle(40)
    for (let order = 0; order < 10; order++) {
      expect(byOrder.get(order), `order ${order}`).toEqual(['created', 'paid', 'completed'])
      expect(consumersOf.get(order)?.size).toBe(1)
    }
    expect(new Set([...consumersOf.values()].map((s) => [...s][0])).size).toBe(2) // both consumers took part
  })

  it('rebalances at once when a member joins or leaves (no wait for the periodic rebalance)', async () => {
    const { c, clock } = await cluster(4)
    const a = consumer(c, clock, 'A')
    await a.subscribe('Events').start(() => 'CONSUME_SUCCESS')
    await settle()
    expect(a.assignedQueues.filter((q) => q.startsWith('Events@'))).toHaveLength(4)
    const b = consumer(c, clock, 'B')
    await b.subscribe('Events').start(() => 'CONSUME_SUCCESS')
    await settle()
    expect(a.assignedQueues.filter((q) => q.startsWith('Events@'))).toHaveLength(2)
    expect(b.assignedQueues.filter((q) => q.startsWith('Events@'))).toHaveLength(2)
    await b.shutdown()
    await settle()
    expect(a.assignedQueues.filter((q) => q.startsWith('Events@'))).toHaveLength(4)
  })

  it('broadcasting keeps its offsets in a local file across restarts', async () => {
    const { c, clock, producer } = await cluster(1)
    const file = path.join(tempStoreDir(), 'offsets.json')
    const got: string[] = []
    const listener = (m: ConsumedMessage) => {
      got.push(m.body.toString())
      return 'CONSUME_SUCCESS' as const
    }
    const first = consumer(c, clock, 'B1', { messageModel: 'BROADCASTING', localOffsetFile: file })
    await first.subscribe('Events').start(listener)
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'Events', body: `m${i}` })
    await settle(20)
    await first.shutdown()
    await producer.send({ topic: 'Events', body: 'm3' })
    const again = consumer(c, clock, 'B1', { messageModel: 'BROADCASTING', localOffsetFile: file })
    await again.subscribe('Events').start(listener)
    await settle(20)
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3'])
  })
})
