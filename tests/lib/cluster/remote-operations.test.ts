// The remote gateway's multi-step operations against an in-memory cluster of two brokers (mini-cluster.ts) that
// follows RocketMQ 4.x semantics: time-range pages merged across queues with cursors and a scan budget, DLQ
// browse on write-only DLQ topics, DLQ resend through a producer, offset reset preview/apply (offline and
// online), test messages, message tracking, topic create and delete.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REQUEST_CODE } from '@/broker-engine/index'
import type { AppError } from '@/lib/errors'
import { RemoteGateway } from '@/lib/cluster/remote-gateway'
import type { MessageView } from '@/lib/cluster/gateway'
import { MiniBroker, MiniNameServer } from './mini-cluster'

let a: MiniBroker
let b: MiniBroker
let ns: MiniNameServer
let gateway: RemoteGateway

const T0 = Date.UTC(2026, 10, 28, 12)

beforeEach(async () => {
  a = await MiniBroker.start('broker-a')
  b = await MiniBroker.start('broker-b')
  ns = await MiniNameServer.start([a, b])
  gateway = new RemoteGateway({ namesrvAddrs: ns.addr, callTimeoutMs: 2_000, routeTtlMs: 0 })
})

afterEach(async () => {
  await gateway.close()
  await Promise.all([a.close(), b.close(), ns.close()])
})

const bodyOf = (m: MessageView) => Buffer.from(m.bodyBase64, 'base64').toString()

describe('queryMessagesByTime', () => {
  /** 2 brokers × 2 queues, message i stored at T0 + i s on a rotating queue. */
  function seed(count: number) {
    a.createTopic('Orders', 2)
    b.createTopic('Orders', 2)
    const brokers = [a, b]
    for (let i = 0; i < count; i++) {
      const broker = brokers[i % 2]!
      broker.put(
        'Orders',
        Math.floor(i / 2) % 2,
        `m${i}`,
        { TAGS: i % 3 === 0 ? 'Red' : 'Blue', KEYS: `k${i}` },
        T0 + i * 1000,
      )
    }
  }

  it('pages through the range in store-time order, every message once, counting scanned of total', async () => {
    seed(40)
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    let last = { scannedTotal: 0, totalInRange: 0 }
    do {
      const page = await gateway.queryMessagesByTime({
        topic: 'Orders',
        beginMs: T0 + 5_000,
        endMs: T0 + 29_000,
        pageSize: 7,
        cursor,
      })
      expect(page.partial).toBe(false)
      seen.push(...page.data.messages.map(bodyOf))
      cursor = page.data.nextCursor
      last = page.data
      pages++
    } while (cursor && pages < 20)
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `m${i + 5}`))
    // The time index may include about one message per queue beyond each bound; they are read, then skipped.
    expect(last.totalInRange).toBeGreaterThanOrEqual(25)
    expect(last.totalInRange).toBeLessThanOrEqual(25 + 8)
    expect(last.scannedTotal).toBeGreaterThanOrEqual(25)
    expect(last.scannedTotal).toBeLessThanOrEqual(last.totalInRange)
    // The reads were mqadmin's tools-consumer pulls: subscription only, no commit, no suspend.
    const pull = a.node.received(REQUEST_CODE.PULL_MESSAGE)[0]!
    expect(pull.extFields).toMatchObject({
      consumerGroup: 'TOOLS_CONSUMER',
      sysFlag: '4',
      commitOffset: '0',
      subscription: '*',
      expressionType: 'TAG',
    })
  })

  it('filters on the server within a scan budget and says how far it got', async () => {
    seed(30)
    const first = await gateway.queryMessagesByTime({
      topic: 'Orders',
      beginMs: 0,
      endMs: T0 + 60_000,
      pageSize: 100,
      scanMax: 12,
      filter: { tag: 'Red' },
    })
    expect(first.data.scanned).toBe(12)
    expect(first.data.totalInRange).toBe(30)
    expect(first.data.messages.map(bodyOf)).toEqual(['m0', 'm3', 'm6', 'm9'])
    expect(first.data.nextCursor).toBeDefined()
    const rest = await gateway.queryMessagesByTime({
      topic: 'Orders',
      beginMs: 0,
      endMs: T0 + 60_000,
      pageSize: 100,
      scanMax: 1000,
      filter: { tag: 'Red' },
      cursor: first.data.nextCursor,
    })
    expect(rest.data.messages.map(bodyOf)).toEqual(['m12', 'm15', 'm18', 'm21', 'm24', 'm27'])
    expect(rest.data.scannedTotal).toBe(30)
    expect(rest.data.nextCursor).toBeUndefined()
  })

  it('refuses a cursor from another query, and reports an unknown topic as empty', async () => {
    seed(10)
    const page = await gateway.queryMessagesByTime({
      topic: 'Orders',
      beginMs: 0,
      endMs: T0 + 60_000,
      pageSize: 2,
    })
    const err = await gateway
      .queryMessagesByTime({
        topic: 'Orders',
        beginMs: 1,
        endMs: T0 + 60_000,
        pageSize: 2,
        cursor: page.data.nextCursor,
      })
      .catch((e: unknown) => e)
    expect((err as AppError).code).toBe('VALIDATION_FAILED')
    const garbage = await gateway
      .queryMessagesByTime({ topic: 'Orders', beginMs: 0, endMs: 1, pageSize: 2, cursor: 'AAAA' })
      .catch((e: unknown) => e)
    expect((garbage as AppError).code).toBe('VALIDATION_FAILED')
    const none = await gateway.queryMessagesByTime({ topic: 'Nope', beginMs: 0, endMs: 1, pageSize: 2 })
    expect(none.data).toEqual({
      messages: [],
      nextCursor: undefined,
      scanned: 0,
      scannedTotal: 0,
      totalInRange: 0,
    })
  })
})

describe('DLQ', () => {
  function seedDlq() {
    a.createTopic('Orders', 2)
    a.createTopic('%DLQ%billing', 1, 2) // 4.x creates DLQ topics write-only
    const dead = [0, 1, 2].map((i) =>
      a.put(
        '%DLQ%billing',
        0,
        `dead-${i}`,
        {
          TAGS: 'TagA',
          KEYS: `order-${i}`,
          RETRY_TOPIC: 'Orders',
          ORIGIN_MESSAGE_ID: `ORIGIN${i}`,
          UNIQ_KEY: `0A00000900002A9F0000000000000${i}00`,
          DELAY: '3',
          MAX_RECONSUME_TIMES: '16',
          user: 'kept',
        },
        T0 + i * 1000,
      ),
    )
    return dead
  }

  it('lists DLQs with their counts and browses a write-only DLQ through its ConsumeQueue', async () => {
    const dead = seedDlq()
    const dlqs = await gateway.listDlqs()
    expect(dlqs.data).toEqual([
      { group: 'billing', topic: '%DLQ%billing', messageCount: 3, lastUpdateTimestampMs: T0 + 2000 },
    ])
    const page = await gateway.browseDlq({ group: 'billing', pageSize: 10 })
    expect(page.partial).toBe(false)
    expect(page.data.messages.map((m) => [bodyOf(m), m.originTopic, m.originMsgId, m.msgId])).toEqual(
      dead.map((d, i) => [`dead-${i}`, 'Orders', `ORIGIN${i}`, a.msgIdOf(d)]),
    )
    // The pull was refused (NO_PERMISSION); the reader switched to QUERY_CONSUME_QUEUE + VIEW_MESSAGE_BY_ID.
    expect(a.node.received(REQUEST_CODE.QUERY_CONSUME_QUEUE).length).toBeGreaterThan(0)
    expect(a.node.received(REQUEST_CODE.VIEW_MESSAGE_BY_ID)).toHaveLength(3)
  })

  it('resends to the original topic or the retry topic through a producer, one result per message', async () => {
    const dead = seedDlq()
    a.createTopic('Other', 1)
    const other = a.put('Other', 0, 'not dead')
    const nothingThere = a.msgIdOf({ ...other, commitLogOffset: 0xffffff })
    const results = await gateway.resendDlqMessages({
      group: 'billing',
      target: 'ORIGIN_TOPIC',
      msgIds: [a.msgIdOf(dead[0]!), a.msgIdOf(other), nothingThere, a.msgIdOf(dead[1]!)],
    })
    expect(results.map((r) => r.status)).toEqual(['SENT', 'NOT_A_DLQ_MESSAGE', 'NOT_FOUND', 'SENT'])
    const sent = results[0]!
    if (sent.status !== 'SENT') throw new Error('unreachable')
    expect(sent.topic).toBe('Orders')
    const [copy] = (await gateway.viewMessage({ msgId: sent.newMsgId })).data
    expect(copy).toMatchObject({ topic: 'Orders', tags: 'TagA', keys: ['order-0'], uniqKey: sent.newUniqKey })
    expect(bodyOf(copy!)).toBe('dead-0')
    expect(copy!.properties).toMatchObject({
      RESENT_FROM_DLQ_MSG_ID: a.msgIdOf(dead[0]!),
      user: 'kept',
      ORIGIN_MESSAGE_ID: 'ORIGIN0',
    })
    for (const dropped of ['RETRY_TOPIC', 'DELAY', 'MAX_RECONSUME_TIMES'])
      expect(copy!.properties[dropped]).toBeUndefined()
    expect(sent.newUniqKey).not.toBe(dead[0]!.properties.get('UNIQ_KEY'))
    // The producer group of resends is the gateway's admin group.
    expect(a.node.received(REQUEST_CODE.SEND_MESSAGE_V2)[0]!.extFields?.a).toBe('MQDECK_ADMIN_PRODUCER')

    const toRetry = await gateway.resendDlqMessages({
      group: 'billing',
      target: 'RETRY_TOPIC',
      msgIds: [a.msgIdOf(dead[2]!)],
    })
    expect(toRetry[0]).toMatchObject({ status: 'SENT', topic: '%RETRY%billing', brokerName: 'broker-a' })
    const retryCopy = a.topics.get('%RETRY%billing')!.queues[0]![0]!
    expect(retryCopy.properties.get('RETRY_TOPIC')).toBe('Orders')
    expect(retryCopy.properties.get('RESENT_FROM_DLQ_MSG_ID')).toBe(a.msgIdOf(dead[2]!))
  })
})

describe('offset reset', () => {
  function seedProgress() {
    a.createTopic('Orders', 2)
    for (let i = 0; i < 10; i++) a.put('Orders', i % 2, `m${i}`, {}, T0 + i * 1000)
    a.offsets.set('billing@Orders@0', 1)
    a.offsets.set('billing@Orders@1', 4)
  }

  it('previews and applies a reset by time for an offline group by writing the offsets', async () => {
    seedProgress()
    const request = {
      group: 'billing',
      topic: 'Orders',
      target: { kind: 'TIMESTAMP', timestampMs: T0 + 4_000 },
    } as const
    const preview = await gateway.previewOffsetReset(request)
    // Queue 1 holds T0+3 s and T0+5 s around T0+4 s: at equal distance 4.x picks the earlier (offset 1).
    expect(preview.data).toMatchObject({ consumerOnline: false, skippedTotal: 1, replayedTotal: 3 })
    expect(
      preview.data.queues.map((q) => [q.queueId, q.currentOffset, q.newOffset, q.skipped, q.replayed]),
    ).toEqual([
      [0, 1, 2, 1, 0],
      [1, 4, 1, 0, 3],
    ])
    const applied = await gateway.resetOffset(request)
    expect(applied.data).toMatchObject({ status: 'APPLIED', method: 'OFFSET_UPDATE' })
    expect([a.offsets.get('billing@Orders@0'), a.offsets.get('billing@Orders@1')]).toEqual([2, 1])
    const stats = await gateway.getConsumeStats('billing', 'Orders')
    expect(stats.data.lag).toBe(7)
  })

  it('resets an online group through the broker, and refuses explicit offsets while it is online', async () => {
    seedProgress()
    a.onlineGroups.add('billing')
    const latest = await gateway.resetOffset({
      group: 'billing',
      topic: 'Orders',
      target: { kind: 'LATEST' },
    })
    expect(latest.data).toMatchObject({ status: 'APPLIED', method: 'BROKER_RESET' })
    expect(a.node.received(REQUEST_CODE.INVOKE_BROKER_TO_RESET_OFFSET)[0]!.extFields).toMatchObject({
      timestamp: '-1',
      isForce: 'true',
      group: 'billing',
    })
    expect([a.offsets.get('billing@Orders@0'), a.offsets.get('billing@Orders@1')]).toEqual([5, 5])
    const explicit = await gateway.resetOffset({
      group: 'billing',
      topic: 'Orders',
      target: { kind: 'EXPLICIT', offsets: [{ brokerName: 'broker-a', queueId: 0, queueOffset: 0 }] },
    })
    expect(explicit.data.status).toBe('REFUSED')
    expect(a.offsets.get('billing@Orders@0')).toBe(5)
  })

  it('clamps explicit offsets to the queue and refuses queues the topic does not have', async () => {
    seedProgress()
    const preview = await gateway.previewOffsetReset({
      group: 'billing',
      topic: 'Orders',
      target: { kind: 'EXPLICIT', offsets: [{ brokerName: 'broker-a', queueId: 1, queueOffset: 99 }] },
    })
    expect(preview.data.queues).toEqual([
      {
        brokerName: 'broker-a',
        queueId: 1,
        currentOffset: 4,
        newOffset: 5,
        minOffset: 0,
        maxOffset: 5,
        skipped: 1,
        replayed: 0,
        clamped: true,
      },
    ])
    const err = await gateway
      .previewOffsetReset({
        group: 'billing',
        topic: 'Orders',
        target: { kind: 'EXPLICIT', offsets: [{ brokerName: 'broker-a', queueId: 7, queueOffset: 0 }] },
      })
      .catch((e: unknown) => e)
    expect((err as AppError).code).toBe('VALIDATION_FAILED')
  })
})

describe('topics, test messages and tracking', () => {
  it('creates a topic on every master, sends to it round-robin, finds it by key, id and detail, then deletes it', async () => {
    const created = await gateway.createOrUpdateTopic({
      topic: 'Fresh',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
    })
    expect(created).toEqual({ data: { brokerNames: ['broker-a', 'broker-b'] }, partial: false, failures: [] })
    const listed = (await gateway.listTopics()).data.find((t) => t.topic === 'Fresh')
    expect(listed).toMatchObject({
      kind: 'NORMAL',
      readQueueNums: 4,
      brokers: [{ brokerName: 'broker-a' }, { brokerName: 'broker-b' }],
    })

    const sent = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        gateway.sendMessage({
          topic: 'Fresh',
          body: `hello ${i}`,
          tag: 'T1',
          keys: [`key-${i}`],
          properties: { p: 'v' },
        }),
      ),
    )
    expect(new Set(sent.map((s) => `${s.brokerName}:${s.queueId}`)).size).toBe(4)
    expect(sent.every((s) => s.status === 'SEND_OK' && /^[0-9A-F]{32}$/.test(s.uniqKey))).toBe(true)

    const byKey = await gateway.queryMessagesByKey({ topic: 'Fresh', key: 'key-3' })
    expect(byKey.data.map(bodyOf)).toEqual(['hello 3'])
    expect(byKey.data[0]!.properties).toMatchObject({
      p: 'v',
      TAGS: 'T1',
      WAIT: 'true',
      UNIQ_KEY: sent[2]!.uniqKey,
    })
    const byUniq = await gateway.viewMessage({ msgId: sent[2]!.uniqKey, topic: 'Fresh' })
    expect(byUniq.data.map((m) => m.msgId)).toEqual([sent[2]!.msgId])

    // Group "reader" consumed queue 0 of the message's broker past it; group "slow" did not.
    const target = sent[2]!
    const broker = target.brokerName === 'broker-a' ? a : b
    broker.offsets.set(`reader@Fresh@${target.queueId}`, target.queueOffset + 1)
    broker.offsets.set(`slow@Fresh@${target.queueId}`, target.queueOffset)
    const detail = await gateway.getMessageDetail({ msgId: target.msgId })
    expect(detail.data?.deliveries.map((d) => [d.group, d.state, d.online])).toEqual([
      ['reader', 'CONSUMED', false],
      ['slow', 'NOT_CONSUMED_YET', false],
    ])

    const consumers = await gateway.getTopicConsumers('Fresh')
    expect(consumers.data.map((c) => [c.group, c.lag])).toEqual([
      ['reader', 3],
      ['slow', 4],
    ])

    const deleted = await gateway.deleteTopic('Fresh')
    expect(deleted.data.brokerNames).toEqual(['broker-a', 'broker-b'])
    expect(ns.node.received(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV)[0]!.extFields).toEqual({ topic: 'Fresh' })
    expect(await gateway.getTopicRoute('Fresh')).toBeUndefined()
  })

  it('refuses to send to a topic without a route', async () => {
    const err = await gateway.sendMessage({ topic: 'Missing', body: 'x' }).catch((e: unknown) => e)
    expect((err as AppError).code).toBe('NOT_FOUND')
  })
})
