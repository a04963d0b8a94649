import { describe, expect, it } from 'vitest'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import { Producer, SendError } from '../../../broker-engine/client/producer'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { findProperty } from '../../../broker-engine/store/message-properties'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

async function twoBrokers(clock = new ManualClock(1_800_000_000_000), extra = {}) {
  const cluster = await EmbeddedCluster.start({
    clock,
    log: () => undefined,
    random: () => 0,
    brokers: [
      {
        ...SMALL_STORE,
        ...extra,
        storePathRootDir: tempStoreDir(),
        brokerName: 'broker-a',
        listenPort: 10911,
      },
      {
        ...SMALL_STORE,
        ...extra,
        storePathRootDir: tempStoreDir(),
        brokerName: 'broker-b',
        listenPort: 10921,
      },
    ],
  })
  return { cluster, clock }
}

function bodiesOf(records: Buffer): string[] {
  const out: string[] = []
  for (let pos = 0; pos < records.length; pos += records.readInt32BE(pos))
    out.push(decodeRecord(records, pos).body.toString())
  return out
}

describe('embedded cluster: brokers, NameServer and the producer', () => {
  it('registers both brokers; a send to a new topic creates it through TBW102 and routes appear', async () => {
    const { cluster } = await twoBrokers()
    try {
      expect(Object.keys(cluster.namesrv.getClusterInfo().brokerAddrTable).sort()).toEqual([
        'broker-a',
        'broker-b',
      ])
      expect(cluster.routeOf('Orders')).toBeUndefined()
      const producer = new Producer(cluster, { group: 'pg' })
      const r = await producer.send({ topic: 'Orders', body: 'first', tags: 'created', keys: ['o-1', 'u-9'] })
      expect(r.sendStatus).toBe('SEND_OK')
      expect(r.msgId).toMatch(/^[0-9A-F]{32}$/)
      const route = cluster.routeOf('Orders')!
      expect(route.queueDatas.map((q) => q.brokerName)).toContain(r.messageQueue.brokerName)
      const broker = cluster.masterOf(r.messageQueue.brokerName)!
      const m = broker.store.queryMessageByUniqKey('Orders', r.msgId)!
      expect(m.body.toString()).toBe('first')
      expect(findProperty(m.propertiesString, 'KEYS')).toBe('o-1 u-9')
      expect(broker.store.offsetMsgIdOf(m.commitLogOffset)).toBe(r.offsetMsgId)
    } finally {
      await cluster.shutdown()
    }
  })

  it('spreads sends round-robin over every queue of every broker, and a selector keeps an order on one queue', async () => {
    const { cluster } = await twoBrokers()
    try {
      for (const b of cluster.brokers)
        b.upsertTopic({ topicName: 'Spread', readQueueNums: 4, writeQueueNums: 4 })
      const producer = new Producer(cluster, { group: 'pg' })
      const seen = new Set<string>()
      for (let i = 0; i < 16; i++) {
        const r = await producer.send({ topic: 'Spread', body: `m${i}` })
        seen.add(`${r.messageQueue.brokerName}/${r.messageQueue.queueId}`)
      }
      expect(seen.size).toBe(8)
      const byOrder = (queues: readonly { queueId: number }[], _m: unknown, orderId: unknown) =>
        queues[Number(orderId) % queues.length]!
      const steps = ['created', 'paid', 'completed']
      const placed = []
      for (const step of steps)
        placed.push(await producer.send({ topic: 'Spread', body: `order-7 ${step}` }, byOrder as never, 7))
      expect(new Set(placed.map((p) => `${p.messageQueue.brokerName}/${p.messageQueue.queueId}`)).size).toBe(
        1,
      )
      expect(placed.map((p) => p.queueOffset)).toEqual([
        placed[0]!.queueOffset,
        placed[0]!.queueOffset + 1,
        placed[0]!.queueOffset + 2,
      ])
    } finally {
      await cluster.shutdown()
    }
  })

  it('refuses a missing topic when auto-create is off, and bad input before sending', async () => {
    const { cluster } = await twoBrokers(new ManualClock(), { autoCreateTopicEnable: false })
    try {
      const producer = new Producer(cluster, { group: 'pg' })
      await expect(producer.send({ topic: 'Nope', body: 'x' })).rejects.toBeInstanceOf(SendError)
      await expect(producer.send({ topic: 'Nope', body: 'x', properties: { KEYS: 'x' } })).rejects.toThrow(
        /reserved/,
      )
      await expect(producer.send({ topic: 'Nope', body: 'x', tags: 'a\u0001b' })).rejects.toThrow(/separator/)
    } finally {
      await cluster.shutdown()
    }
  })

  it('pulls what was sent, keeps committed offsets, and a new group starts at 0', async () => {
    const { cluster } = await twoBrokers()
    try {
      const a = cluster.masterOf('broker-a')!
      a.upsertTopic({ topicName: 'Pull', readQueueNums: 1, writeQueueNums: 1 })
      const producer = new Producer(cluster, { group: 'pg' })
      for (let i = 0; i < 5; i++) await producer.send({ topic: 'Pull', body: `m${i}` })
      expect(a.queryConsumerOffset('cg', 'Pull', 0)).toBe(0)
      const first = await a.pullMessage({
        consumerGroup: 'cg',
        topic: 'Pull',
        queueId: 0,
        queueOffset: 0,
        maxMsgNums: 3,
        suspendTimeoutMs: 0,
      })
      if (first.status !== 'FOUND') throw new Error(`pull: ${first.status}`)
      expect(bodiesOf(first.records)).toEqual(['m0', 'm1', 'm2'])
      a.commitOffset('cg', 'Pull', 0, first.nextBeginOffset)
      expect(a.queryConsumerOffset('cg', 'Pull', 0)).toBe(3)
      expect(
        await a.pullMessage({
          consumerGroup: 'cg',
          topic: 'Pull',
          queueId: 9,
          queueOffset: 0,
          maxMsgNums: 3,
          suspendTimeoutMs: 0,
        }),
      ).toMatchObject({ status: 'ERROR', code: 'QUEUE_ID_INVALID' })
      expect(
        await a.pullMessage({
          consumerGroup: 'cg',
          topic: 'Ghost',
          queueId: 0,
          queueOffset: 0,
          maxMsgNums: 3,
          suspendTimeoutMs: 0,
        }),
      ).toMatchObject({ status: 'ERROR', code: 'TOPIC_NOT_EXIST' })
    } finally {
      await cluster.shutdown()
    }
  })

  it('delivers a delayed message to its topic when the level falls due', async () => {
    const { cluster, clock } = await twoBrokers()
    try {
      const a = cluster.masterOf('broker-a')!
      a.upsertTopic({ topicName: 'Later', readQueueNums: 1, writeQueueNums: 1 })
      const producer = new Producer(cluster, { group: 'pg' })
      const r = await producer.send({ topic: 'Later', body: 'in 5 s', delayLevel: 2 })
      expect(r.messageQueue.brokerName).toBe('broker-a')
      const pull = () =>
        a.pullMessage({
          consumerGroup: 'cg',
          topic: 'Later',
          queueId: 0,
          queueOffset: 0,
          maxMsgNums: 8,
          suspendTimeoutMs: 0,
        })
      clock.advance(4_999)
      await new Promise((r2) => setImmediate(r2))
      expect((await pull()).status).toBe('NO_NEW_MSG')
      clock.advance(1)
      for (let i = 0; i < 5; i++) await new Promise((r2) => setImmediate(r2))
      const got = await pull()
      if (got.status !== 'FOUND') throw new Error(`pull: ${got.status}`)
      expect(bodiesOf(got.records)).toEqual(['in 5 s'])
    } finally {
      await cluster.shutdown()
    }
  })

  it('retries a failed message through %RETRY%group at 10 s, 30 s, ... and moves it to %DLQ%group after 16 failures', async () => {
    const { cluster, clock } = await twoBrokers(new ManualClock(1_800_000_000_000))
    try {
      const a = cluster.masterOf('broker-a')!
      a.upsertTopic({ topicName: 'Fragile', readQueueNums: 1, writeQueueNums: 1 })
      const producer = new Producer(cluster, { group: 'pg' })
      await producer.send({ topic: 'Fragile', body: 'poison', keys: 'p-1' })
      a.consumerHeartbeat({
        clientId: 'c1',
        group: 'cg',
        language: 'JAVA',
        version: 401,
        clientAddr: 'local',
        messageModel: 'CLUSTERING',
        consumeType: 'CONSUME_PASSIVELY',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        subscriptions: [{ topic: 'Fragile', subString: '*' }],
      })
      const first = await a.pullMessage({
        consumerGroup: 'cg',
        topic: 'Fragile',
        queueId: 0,
        queueOffset: 0,
        maxMsgNums: 1,
        suspendTimeoutMs: 0,
      })
      if (first.status !== 'FOUND') throw new Error('expected the message')
      let offset = decodeRecord(first.records, 0).commitLogOffset
      const delaysS = [10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200]
      let retryOffset = 0
      for (const [i, delayS] of delaysS.entries()) {
        const back = await a.consumerSendMsgBack({ group: 'cg', commitLogOffset: offset, delayLevel: 0 })
        expect(back).toMatchObject({ status: 'RETRY', topic: '%RETRY%cg', delayLevel: 3 + i })
        clock.advance(delayS * 1000 - 1)
        for (let k = 0; k < 4; k++) await new Promise((r) => setImmediate(r))
        const early = await a.pullMessage({
          consumerGroup: 'cg',
          topic: '%RETRY%cg',
          queueId: 0,
          queueOffset: retryOffset,
          maxMsgNums: 1,
          suspendTimeoutMs: 0,
        })
        expect(early.status).toBe('NO_NEW_MSG')
        clock.advance(1)
        for (let k = 0; k < 6; k++) await new Promise((r) => setImmediate(r))
        const again = await a.pullMessage({
          consumerGroup: 'cg',
          topic: '%RETRY%cg',
          queueId: 0,
          queueOffset: retryOffset,
          maxMsgNums: 1,
          suspendTimeoutMs: 0,
        })
        if (again.status !== 'FOUND')
          throw new Error(`retry ${i + 1} not delivered after ${delayS} s: ${again.status}`)
        const m = decodeRecord(again.records, 0)
        expect(m.reconsumeTimes).toBe(i + 1)
        expect(findProperty(m.propertiesString, 'RETRY_TOPIC')).toBe('Fragile')
        offset = m.commitLogOffset
        retryOffset = again.nextBeginOffset
      }
      const dead = await a.consumerSendMsgBack({ group: 'cg', commitLogOffset: offset, delayLevel: 0 })
      expect(dead).toMatchObject({ status: 'DLQ', topic: '%DLQ%cg' })
      const dlq = await a.pullMessage({
        consumerGroup: 'dlq-reader',
        topic: '%DLQ%cg',
        queueId: 0,
        queueOffset: 0,
        maxMsgNums: 1,
        suspendTimeoutMs: 0,
      })
      if (dlq.status !== 'FOUND') throw new Error('expected the DLQ copy')
      const m = decodeRecord(dlq.records, 0)
      expect(m.body.toString()).toBe('poison')
      expect(findProperty(m.propertiesString, 'KEYS')).toBe('p-1')
      expect(findProperty(m.propertiesString, 'DLQ_ORIGIN_TOPIC')).toBe('Fragile')
      expect(a.store.queryMessage('%DLQ%cg', 'p-1', 4, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1)
    } finally {
      await cluster.shutdown()
    }
  })

  it('resets a group to a point in time: the next pull of each queue answers OFFSET_ILLEGAL with the new offset', async () => {
    const { cluster, clock } = await twoBrokers()
    try {
      const a = cluster.masterOf('broker-a')!
      a.upsertTopic({ topicName: 'Replay', readQueueNums: 1, writeQueueNums: 1 })
      const producer = new Producer(cluster, { group: 'pg' })
      for (let i = 0; i < 6; i++) {
        await producer.send({ topic: 'Replay', body: `m${i}` })
        clock.advance(1000)
      }
      a.commitOffset('cg', 'Replay', 0, 6)
      const offsets = a.resetOffsetByTime('cg', 'Replay', 1_800_000_002_500)
      expect([...offsets]).toEqual([[0, 3]])
      const moved = await a.pullMessage({
        consumerGroup: 'cg',
        topic: 'Replay',
        queueId: 0,
        queueOffset: 6,
        maxMsgNums: 8,
        suspendTimeoutMs: 0,
      })
      expect(moved).toMatchObject({ status: 'OFFSET_ILLEGAL', nextBeginOffset: 3 })
      const replay = await a.pullMessage({
        consumerGroup: 'cg',
        topic: 'Replay',
        queueId: 0,
        queueOffset: 3,
        maxMsgNums: 8,
        suspendTimeoutMs: 0,
      })
      if (replay.status !== 'FOUND') throw new Error(replay.status)
      expect(bodiesOf(replay.records)).toEqual(['m3', 'm4', 'm5'])
      expect(() => a.resetOffsetByTime('cg', 'Ghost', 0)).toThrow(/does not exist/)
    } finally {
      await cluster.shutdown()
    }
  })

  it('stores a batch in one queue with consecutive offsets, and refuses delayed messages in a batch', async () => {
    const { cluster } = await twoBrokers()
    try {
      const a = cluster.masterOf('broker-a')!
      a.upsertTopic({ topicName: 'Batch', readQueueNums: 4, writeQueueNums: 4 })
      const results = await a.sendBatch({
        topic: 'Batch',
        queueId: -1,
        messages: [1, 2, 3].map((i) => ({
          body: Buffer.from(`b${i}`),
          propertiesString: `KEYS\u0001batch-${i}`,
        })),
      })
      expect(results.map((r) => r.status)).toEqual(['SEND_OK', 'SEND_OK', 'SEND_OK'])
      const ok = results.flatMap((r) => (r.status === 'SEND_OK' ? [r] : []))
      expect(new Set(ok.map((r) => r.queueId)).size).toBe(1)
      expect(ok.map((r) => r.queueOffset)).toEqual([
        ok[0]!.queueOffset,
        ok[0]!.queueOffset + 1,
        ok[0]!.queueOffset + 2,
      ])
      const refused = await a.sendBatch({
        topic: 'Batch',
        queueId: 0,
        messages: [{ body: Buffer.from('x'), propertiesString: 'DELAY\u00012' }],
      })
      expect(refused).toMatchObject([{ status: 'ERROR', code: 'MESSAGE_ILLEGAL' }])
      expect(await a.sendBatch({ topic: 'Batch', queueId: 0, messages: [] })).toMatchObject([
        { status: 'ERROR' },
      ])
    } finally {
      await cluster.shutdown()
    }
  })
})
