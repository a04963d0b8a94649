// Real-client acceptance: the npm package ali-ons 3.12.0 (pure-JS RocketMQ remoting client nobody here wrote)
// against the engine's standalone broker + NameServer over TCP, with every message accounted for.

import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { findProperty } from '../../../broker-engine/store/message-properties'
import {
  aliOns,
  allCommitted,
  asyncHandler,
  bodyText,
  DELAY_LEVEL_2_MS,
  describeOffsets,
  Inbox,
  observePulls,
  queuesOf,
  startAliOnsHarness,
  waitForEvent,
  waitUntil,
  type AliOnsHarness,
} from './ali-ons-kit'
import type { AliOnsHandler, AliOnsMessage, AliOnsSendResult } from './ali-ons-types'

const WAIT_MS = 10_000
const OFFSET_MSG_ID = /^[0-9A-F]{32}$/
const FAILURE = 'business failure on delivery'

let harness: AliOnsHarness | undefined
let restorePulls: (() => void) | undefined

afterEach(async (ctx) => {
  restorePulls?.()
  restorePulls = undefined
  const h = harness
  harness = undefined
  // On failure, what the clients and the broker said is the first thing to read.
  if (h && ctx.task.result?.state === 'fail') {
    const said = [...h.logs, ...h.errors.map((e) => `[${e.client} error event] ${e.error.message}`)]
    console.warn(`ali-ons and broker output:\n${said.join('\n')}`)
  }
  await h?.close()
})

async function start(): Promise<AliOnsHarness> {
  harness = await startAliOnsHarness()
  return harness
}

function createTopic(h: AliOnsHarness, topicName: string, queueNums: number): void {
  h.broker.broker.upsertTopic({ topicName, readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6 })
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** What a handler saw, copied out of the ali-ons message. */
interface Delivery {
  readonly msgId: string
  readonly topic: string
  readonly queueId: number
  readonly queueOffset: number
  readonly tags: string | null
  readonly keys: string | undefined
  readonly body: string
  readonly reconsumeTimes: number
  readonly originMessageId: string | undefined
  readonly properties: Record<string, string | null>
  readonly receivedAtMs: number
}

function deliveryOf(msg: AliOnsMessage): Delivery {
  return {
    msgId: msg.msgId,
    topic: msg.topic,
    queueId: msg.queueId,
    queueOffset: msg.queueOffset,
    tags: msg.tags,
    keys: msg.keys,
    body: bodyText(msg),
    reconsumeTimes: msg.reconsumeTimes,
    originMessageId: msg.originMessageId,
    properties: { ...msg.properties },
    receivedAtMs: Date.now(),
  }
}

/** A handler that records each delivery (in every inbox given) and acknowledges it. */
function recordInto(...inboxes: Inbox<Delivery>[]): AliOnsHandler {
  return asyncHandler((msg) => {
    const delivery = deliveryOf(msg)
    for (const inbox of inboxes) inbox.push(delivery)
    return undefined
  })
}

/** ali-ons' queue for a sharding key (`producer/topic_publish_info.js`): md5 → uint32 → mod queue count. */
function shardingQueueOf(shardingKey: string, queueNums: number): number {
  return createHash('md5').update(shardingKey).digest().readUInt32BE(0) % queueNums
}

/** No client reported an error, other than the handler failures a test provokes on purpose. */
function expectNoClientErrors(h: AliOnsHarness, provoked = FAILURE): void {
  const unexpected = h.errors.filter((e) => !e.error.message.includes(provoked))
  expect(unexpected.map((e) => `${e.client}: ${e.error.message}`)).toEqual([])
}

function expectSendOk(result: AliOnsSendResult, topic: string): void {
  expect(result.sendStatus).toBe('SEND_OK')
  expect(result.msgId).toMatch(OFFSET_MSG_ID)
  expect(result.messageQueue.topic).toBe(topic)
}

describe('ali-ons 3.12.0 against the standalone broker', () => {
  it('produces with keys and tags (the broker stores both) and consumes only the subscribed tags', async () => {
    const h = await start()
    const topic = 'AliOnsTagTopic'
    const tags = ['TagA', 'TagB', 'TagC'] as const
    // Created first, as with `mqadmin updateTopic`: ali-ons 3.12.0 cannot auto-create a topic, because its
    // send() throws on the NameServer's TOPIC_NOT_EXIST before it would fall back to TBW102's route.
    createTopic(h, topic, 4)
    const producer = await h.producer('producer', 'PID_ALI_ONS_TAGS')
    const sent: { i: number; tag: string; result: AliOnsSendResult }[] = []
    for (const i of range(12)) {
      const tag = tags[i % 3]!
      const msg = new aliOns.Message(topic, tag, `tagged body ${i}`)
      msg.keys = [`order-${i}`, `k${i}`]
      const result = await producer.send(msg)
      expectSendOk(result, topic)
      sent.push({ i, tag, result })
    }
    expect(new Set(sent.map((s) => s.result.msgId)).size).toBe(12)

    // The store has each message under its key, with its tag, keys and a broker-generated UNIQ_KEY.
    const store = h.broker.broker.store
    const uniqKeys = new Set<string>()
    for (const { i, tag, result } of sent) {
      const found = store.queryMessage(topic, `order-${i}`, 32, 0, Date.now() + 60_000)
      expect(found, `messages with key order-${i}`).toHaveLength(1)
      const stored = found[0]!
      expect(findProperty(stored.propertiesString, 'TAGS')).toBe(tag)
      expect(findProperty(stored.propertiesString, 'KEYS')).toBe(`order-${i} k${i}`)
      expect(stored.body.toString()).toBe(`tagged body ${i}`)
      expect(stored.queueId).toBe(Number(result.messageQueue.queueId))
      expect(stored.queueOffset).toBe(result.queueOffset)
      // RocketMQ answers SEND_MESSAGE_V2 with the offset message id in `msgId`.
      expect(store.offsetMsgIdOf(stored.commitLogOffset)).toBe(result.msgId)
      const uniqKey = findProperty(stored.propertiesString, 'UNIQ_KEY')
      expect(uniqKey, 'UNIQ_KEY generated by the broker').toMatch(/^[0-9A-F]{32}$/)
      uniqKeys.add(uniqKey!)
      expect(store.queryMessage(topic, `k${i}`, 32, 0, Date.now() + 60_000)).toHaveLength(1)
    }
    expect(uniqKeys.size).toBe(12)

    // ali-ons filters by tag again after each pull, so what the broker sent is observed on the pull path.
    const observed = observePulls()
    restorePulls = observed.restore
    const inbox = new Inbox<Delivery>()
    const consumer = h.consumer({ name: 'consumer', group: 'GID_ALI_ONS_TAGS' })
    consumer.subscribe(topic, 'TagA || TagC', recordInto(inbox))
    await consumer.ready()

    const wanted = sent.filter((s) => s.tag !== 'TagB')
    await inbox.waitForCount(wanted.length, WAIT_MS, 'TagA/TagC deliveries')
    // Done when the broker has let the consumer past the end of every queue (filtered messages included).
    const maxOffsets = range(4).map((q) => store.getMaxOffsetInQueue(topic, q))
    const pulledToEnd = (q: number): boolean =>
      observed.pulls.some(
        (p) => p.topic === topic && p.queueId === q && p.result.nextBeginOffset >= maxOffsets[q]!,
      )
    await waitForEvent(
      [observed.events],
      'pull',
      () => range(4).every(pulledToEnd),
      WAIT_MS,
      () => {
        return `pulls did not reach the end of every queue: ${JSON.stringify(maxOffsets)}`
      },
    )

    expect(inbox.items).toHaveLength(wanted.length)
    expect(inbox.items.map((d) => d.msgId).sort()).toEqual(wanted.map((s) => s.result.msgId).sort())
    for (const d of inbox.items) {
      const s = sent.find((x) => x.result.msgId === d.msgId)!
      expect(d).toMatchObject({
        topic,
        tags: s.tag,
        keys: `order-${s.i} k${s.i}`,
        body: `tagged body ${s.i}`,
      })
    }
    // The broker filtered: no TagB message ever crossed the wire to this group.
    const pulledTags = observed.pulls
      .filter((p) => p.topic === topic)
      .flatMap((p) => p.result.msgFoundList.map((m) => m.tags))
    expect(pulledTags.filter((t) => t === 'TagB')).toEqual([])
    expect(pulledTags.sort()).toEqual(wanted.map((s) => s.tag).sort())
    expectNoClientErrors(h)
  })

  it('clustering: two consumers of one group share the queues and get each message exactly once', async () => {
    const h = await start()
    const topic = 'AliOnsClusterTopic'
    const group = 'GID_ALI_ONS_CLUSTER'
    createTopic(h, topic, 8)
    const inbox1 = new Inbox<Delivery>()
    const inbox2 = new Inbox<Delivery>()
    const total = new Inbox<Delivery>()
    const c1 = h.consumer({ name: 'c1', group })
    c1.subscribe(topic, '*', recordInto(inbox1, total))
    await c1.ready()
    const c2 = h.consumer({ name: 'c2', group })
    c2.subscribe(topic, '*', recordInto(inbox2, total))
    await c2.ready()

    // Both members see each other (GET_CONSUMER_LIST_BY_GROUP) and split the 8 queues 4 + 4.
    const split = (): boolean => {
      const q1 = queuesOf(c1, topic)
      const q2 = queuesOf(c2, topic)
      return q1.length === 4 && q2.length === 4 && new Set([...q1, ...q2]).size === 8
    }
    await waitForEvent([c1, c2], `topic_${topic}_queue_changed`, split, WAIT_MS, () => {
      return `queues not split: c1 ${JSON.stringify(queuesOf(c1, topic))}, c2 ${JSON.stringify(queuesOf(c2, topic))}`
    })

    const producer = await h.producer('producer', 'PID_ALI_ONS_CLUSTER')
    const n = 40
    const sentIds: string[] = []
    for (const i of range(n)) {
      const result = await producer.send(new aliOns.Message(topic, 'T', `cluster ${i}`))
      expectSendOk(result, topic)
      sentIds.push(result.msgId)
    }
    await total.waitForCount(n, WAIT_MS, 'deliveries across both consumers')
    // No late duplicates: every queue's offset is committed at its end.
    const queues = range(8)
    await waitUntil(
      () => allCommitted(h.broker, group, topic, queues),
      WAIT_MS,
      () => `offsets not committed: ${describeOffsets(h.broker, group, topic, queues)}`,
    )

    const ids1 = inbox1.items.map((d) => d.msgId)
    const ids2 = inbox2.items.map((d) => d.msgId)
    expect(ids1.length).toBeGreaterThan(0)
    expect(ids2.length).toBeGreaterThan(0)
    expect(ids1.length + ids2.length).toBe(n)
    expect(ids1.filter((id) => ids2.includes(id))).toEqual([])
    expect([...ids1, ...ids2].sort()).toEqual([...sentIds].sort())
    // Each consumer got exactly the messages of its own queues.
    const q1 = new Set(queuesOf(c1, topic))
    expect(inbox1.items.every((d) => q1.has(d.queueId))).toBe(true)
    expect(inbox2.items.every((d) => !q1.has(d.queueId))).toBe(true)
    expectNoClientErrors(h)
  })

  it('commits offsets: a consumer restarted in the same group gets nothing already consumed', async () => {
    const h = await start()
    const topic = 'AliOnsOffsetTopic'
    const group = 'GID_ALI_ONS_OFFSETS'
    createTopic(h, topic, 4)
    const producer = await h.producer('producer', 'PID_ALI_ONS_OFFSETS')
    const firstIds: string[] = []
    for (const i of range(20)) {
      const result = await producer.send(new aliOns.Message(topic, 'T', `first ${i}`))
      expectSendOk(result, topic)
      firstIds.push(result.msgId)
    }

    const first = new Inbox<Delivery>()
    const c1 = h.consumer({ name: 'c1', group })
    c1.subscribe(topic, '*', recordInto(first))
    await c1.ready()
    await first.waitForCount(20, WAIT_MS, 'first run')
    const queues = range(4)
    await waitUntil(
      () => allCommitted(h.broker, group, topic, queues),
      WAIT_MS,
      () => `offsets not committed: ${describeOffsets(h.broker, group, topic, queues)}`,
    )
    await h.closeClient(c1)
    expect(first.items.map((d) => d.msgId).sort()).toEqual([...firstIds].sort())

    // The restarted consumer starts "from the first offset" only where its group has none.
    const second = new Inbox<Delivery>()
    const c2 = h.consumer({ name: 'c2', group })
    c2.subscribe(topic, '*', recordInto(second))
    await c2.ready()
    // One marker per queue (ali-ons sends round robin); a re-delivered old message would precede its queue's
    // marker, since ali-ons hands over each queue's messages in offset order.
    const markers: AliOnsSendResult[] = []
    for (const i of range(4)) markers.push(await producer.send(new aliOns.Message(topic, 'T', `marker ${i}`)))
    expect(new Set(markers.map((m) => Number(m.messageQueue.queueId)))).toEqual(new Set(queues))
    await second.waitForCount(4, WAIT_MS, 'markers after restart')
    expect(second.items.map((d) => d.body).sort()).toEqual(range(4).map((i) => `marker ${i}`))
    expect(second.items.map((d) => d.msgId).sort()).toEqual(markers.map((m) => m.msgId).sort())
    expectNoClientErrors(h)
  })

  it('broadcasting: two consumers of one group each get every message', async () => {
    const h = await start()
    const topic = 'AliOnsBroadcastTopic'
    const group = 'GID_ALI_ONS_BROADCAST'
    createTopic(h, topic, 4)
    const inboxes = [new Inbox<Delivery>(), new Inbox<Delivery>()] as const
    for (const [k, inbox] of inboxes.entries()) {
      const c = h.consumer({ name: `b${k}`, group, isBroadcast: true })
      c.subscribe(topic, '*', recordInto(inbox))
      await c.ready()
    }
    const producer = await h.producer('producer', 'PID_ALI_ONS_BROADCAST')
    const n = 20
    const sentIds: string[] = []
    for (const i of range(n)) {
      const result = await producer.send(new aliOns.Message(topic, 'T', `broadcast ${i}`))
      expectSendOk(result, topic)
      sentIds.push(result.msgId)
    }
    for (const [k, inbox] of inboxes.entries()) {
      await inbox.waitForCount(n, WAIT_MS, `broadcast consumer b${k}`)
      expect(inbox.items).toHaveLength(n)
      expect(inbox.items.map((d) => d.msgId).sort()).toEqual([...sentIds].sort())
    }
    expectNoClientErrors(h)
  })

  it('ordered by sharding key: each order id uses one queue and is consumed in send order', async () => {
    const h = await start()
    const topic = 'AliOnsOrderTopic'
    createTopic(h, topic, 4)
    const producer = await h.producer('producer', 'PID_ALI_ONS_ORDER')
    // ali-ons pins a key to queue `queueIds[index] || ''`: a key hashing to queue 0 reads as "no key" and goes
    // round robin (an ali-ons bug), so the order ids are ones whose hash picks another queue.
    const orders = range(40)
      .map((i) => `order-${1001 + i}`)
      .filter((id) => shardingQueueOf(id, 4) !== 0)
      .slice(0, 6)
    const steps = 8
    const queueOfOrder = new Map<string, Set<number>>()
    // Interleaved: step s of every order, then step s + 1, so per-queue order is not an accident of sending.
    for (const step of range(steps)) {
      for (const orderId of orders) {
        const msg = new aliOns.Message(topic, 'OrderEvent', `${orderId}:${step}`)
        msg.shardingKey = orderId
        msg.keys = [orderId]
        const result = await producer.send(msg)
        expectSendOk(result, topic)
        const set = queueOfOrder.get(orderId) ?? new Set<number>()
        set.add(Number(result.messageQueue.queueId))
        queueOfOrder.set(orderId, set)
      }
    }
    for (const [orderId, set] of queueOfOrder)
      expect([...set], `queues of ${orderId}`).toEqual([shardingQueueOf(orderId, 4)])
    expect(new Set([...queueOfOrder.values()].map((s) => [...s][0])).size).toBeGreaterThan(1)

    // ali-ons (parallelConsumeLimit 1, its default) hands each queue's messages to the handler one at a time
    // in queue-offset order: that is the ordering it guarantees.
    const inbox = new Inbox<Delivery>()
    const consumer = h.consumer({ name: 'consumer', group: 'GID_ALI_ONS_ORDER' })
    consumer.subscribe(topic, '*', recordInto(inbox))
    await consumer.ready()
    await inbox.waitForCount(orders.length * steps, WAIT_MS, 'ordered deliveries')
    expect(inbox.items).toHaveLength(orders.length * steps)
    for (const orderId of orders) {
      const mine = inbox.items.filter((d) => d.body.startsWith(`${orderId}:`))
      expect(mine.map((d) => d.body)).toEqual(range(steps).map((s) => `${orderId}:${s}`))
      expect(new Set(mine.map((d) => d.queueId))).toEqual(queueOfOrder.get(orderId))
      const offsets = mine.map((d) => d.queueOffset)
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
      expect(mine.every((d) => d.properties.__SHARDING_KEY === orderId)).toBe(true)
    }
    expectNoClientErrors(h)
  })

  it('delayed message: delivered no earlier than its delay level (broker.conf messageDelayLevel)', async () => {
    const h = await start()
    const topic = 'AliOnsDelayTopic'
    createTopic(h, topic, 4)
    const inbox = new Inbox<Delivery>()
    const consumer = h.consumer({ name: 'consumer', group: 'GID_ALI_ONS_DELAY' })
    consumer.subscribe(topic, '*', recordInto(inbox))
    await consumer.ready()
    const producer = await h.producer('producer', 'PID_ALI_ONS_DELAY')

    const delayed = new aliOns.Message(topic, 'Later', 'delayed body')
    delayed.keys = ['delayed-1']
    delayed.delayTimeLevel = 2
    const sentAtMs = Date.now()
    const delayedResult = await producer.send(delayed)
    expectSendOk(delayedResult, topic)
    const plainResult = await producer.send(new aliOns.Message(topic, 'Now', 'plain body'))
    expectSendOk(plainResult, topic)

    await inbox.waitForCount(1, WAIT_MS, 'plain message')
    expect(inbox.items[0]?.body).toBe('plain body')
    await inbox.waitForCount(2, DELAY_LEVEL_2_MS + WAIT_MS, 'delayed message')
    const got = inbox.items[1]!
    expect(inbox.items).toHaveLength(2)
    expect(got).toMatchObject({
      topic,
      body: 'delayed body',
      tags: 'Later',
      keys: 'delayed-1',
      reconsumeTimes: 0,
    })
    expect(got.receivedAtMs - sentAtMs).toBeGreaterThanOrEqual(DELAY_LEVEL_2_MS)
    // It waited in SCHEDULE_TOPIC_XXXX and was re-put into its real topic (a new record, a new offset id).
    expect(got.msgId).not.toBe(delayedResult.msgId)
    expect(got.properties.DELAY).toBeUndefined()
    expectNoClientErrors(h)
  })

  it('failing consumer: redelivered with reconsumeTimes 1..max, then moved to %DLQ%<group>', async () => {
    const h = await start()
    const topic = 'AliOnsRetryTopic'
    const group = 'GID_ALI_ONS_DLQ'
    const maxReconsumeTimes = 2
    createTopic(h, topic, 4)
    const inbox = new Inbox<Delivery>()
    const consumer = h.consumer({ name: 'consumer', group, maxReconsumeTimes })
    consumer.subscribe(
      topic,
      '*',
      asyncHandler((msg) => {
        inbox.push(deliveryOf(msg))
        // A throw, not ACTION_RETRY: ali-ons' handler for %RETRY% messages ignores the return value, so
        // ACTION_RETRY would fail the first delivery only.
        throw new Error(`${FAILURE} ${msg.reconsumeTimes}`)
      }),
    )
    await consumer.ready()
    const producer = await h.producer('producer', 'PID_ALI_ONS_DLQ')
    const msg = new aliOns.Message(topic, 'Fragile', 'always fails')
    msg.keys = ['dlq-1']
    const sent = await producer.send(msg)
    expectSendOk(sent, topic)

    const deliveries = 1 + maxReconsumeTimes
    await inbox.waitForCount(deliveries, 3 * WAIT_MS, 'deliveries of the failing message')
    const broker = h.broker.broker
    await waitUntil(
      () => broker.listDlq(group).length > 0,
      WAIT_MS,
      () => `nothing in %DLQ%${group}`,
    )
    // Both queues the message went through are consumed to their end, so no further delivery can come.
    const retryTopic = `%RETRY%${group}`
    await waitUntil(
      () => allCommitted(h.broker, group, topic, range(4)) && allCommitted(h.broker, group, retryTopic, [0]),
      WAIT_MS,
      () =>
        `offsets not committed: ${describeOffsets(h.broker, group, topic, range(4))}; ` +
        `${describeOffsets(h.broker, group, retryTopic, [0])}`,
    )

    expect(inbox.items.map((d) => d.reconsumeTimes)).toEqual(range(deliveries))
    for (const d of inbox.items) {
      expect(d).toMatchObject({ topic, body: 'always fails', tags: 'Fragile', keys: 'dlq-1' })
    }
    expect(inbox.items[0]!.msgId).toBe(sent.msgId)
    expect(inbox.items.slice(1).map((d) => d.originMessageId)).toEqual([sent.msgId, sent.msgId])
    expect(broker.store.getMaxOffsetInQueue(retryTopic, 0)).toBe(maxReconsumeTimes)

    const dlq = broker.listDlq(group)
    expect(dlq).toHaveLength(1)
    const dead = dlq[0]!
    expect(dead.originTopic).toBe(topic)
    expect(dead.message.topic).toBe(`%DLQ%${group}`)
    expect(dead.message.body.toString()).toBe('always fails')
    expect(dead.message.reconsumeTimes).toBe(deliveries)
    const props = dead.message.propertiesString
    expect(findProperty(props, 'ORIGIN_MESSAGE_ID')).toBe(sent.msgId)
    expect(findProperty(props, 'RETRY_TOPIC')).toBe(topic)
    expect(findProperty(props, 'KEYS')).toBe('dlq-1')
    expect(findProperty(props, 'TAGS')).toBe('Fragile')
    expect(inbox.items).toHaveLength(deliveries)
    // ali-ons reports each failed delivery as an error event, and nothing else went wrong.
    const failures = h.errors.filter((e) => e.error.message.includes(FAILURE))
    expect(failures).toHaveLength(deliveries)
    expectNoClientErrors(h)
  })
})
