// The Topics services against a real engine through a RemoteGateway: type classification of every kind of topic,
// text and type filters, sorting, paging, one listTopics() per snapshot, TPS read once per page, and the detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { AppError } from '@/lib/errors'
import { parseListParams } from '@/lib/console/list-query'
import {
  getTopicDetail,
  listTopicPage,
  parseTopicListParams,
  topicTypeOf,
  type TopicListParams,
} from '@/lib/console/topics'
import { fixedMetricReads, startConsoleFixture, type ConsoleFixture } from './console-fixture'

let f: ConsoleFixture

const BULK = 60
const bulkName = (i: number) => `T5-bulk-${String(i).padStart(3, '0')}`

const params = (search: string): TopicListParams => parseTopicListParams(new URLSearchParams(search))

beforeAll(async () => {
  f = await startConsoleFixture()
  const g = f.gateway
  const create = (
    topic: string,
    extra: Parameters<typeof g.createOrUpdateTopic>[0] extends infer I ? Partial<I> : never,
  ) => g.createOrUpdateTopic({ topic, readQueueNums: 4, writeQueueNums: 4, perm: 6, ...extra })
  await create('T5-orders-normal', { messageType: 'NORMAL', readQueueNums: 8, writeQueueNums: 8 })
  await create('T5-orders-fifo', { messageType: 'FIFO', order: true, readQueueNums: 2, writeQueueNums: 2 })
  await create('T5-orders-delay', { messageType: 'DELAY' })
  await create('T5-orders-tx', { messageType: 'TRANSACTION', readQueueNums: 1, writeQueueNums: 1 })
  await create('T5-plain', {})
  await create('%RETRY%T5-group', { readQueueNums: 1, writeQueueNums: 1 })
  await create('%DLQ%T5-group', { readQueueNums: 1, writeQueueNums: 1 })
  for (let i = 0; i < BULK; i++) await create(bulkName(i), { readQueueNums: 1, writeQueueNums: 1 })
})

afterAll(async () => {
  await f?.close()
})

describe('topic type', () => {
  it('classifies kind first, then the message type', () => {
    expect(topicTypeOf({ kind: 'RETRY', messageType: 'FIFO' })).toBe('retry')
    expect(topicTypeOf({ kind: 'DLQ', messageType: 'UNSPECIFIED' })).toBe('dlq')
    expect(topicTypeOf({ kind: 'SYSTEM', messageType: 'NORMAL' })).toBe('system')
    expect(topicTypeOf({ kind: 'NORMAL', messageType: 'TRANSACTION' })).toBe('transactional')
    expect(topicTypeOf({ kind: 'NORMAL', messageType: 'DELAY' })).toBe('delay')
    expect(topicTypeOf({ kind: 'NORMAL', messageType: 'FIFO' })).toBe('fifo')
    expect(topicTypeOf({ kind: 'NORMAL', messageType: 'MIXED' })).toBe('normal')
    expect(topicTypeOf({ kind: 'NORMAL', messageType: 'UNSPECIFIED' })).toBe('normal')
  })

  it('parses type= as a comma list and refuses unknown types', () => {
    expect(params('type=DLQ,retry,dlq').types).toEqual(['dlq', 'retry'])
    expect(params('').types).toEqual([])
    expect(parseTopicListParams({ type: ['fifo', 'delay'], q: 'x' })).toMatchObject({
      types: ['fifo'],
      q: 'x',
    })
    expect(() => params('type=queue')).toThrow(ZodError)
  })
})

describe('listTopicPage over a real engine', () => {
  it('classifies every topic created and counts each type under the text filter', async () => {
    const page = await listTopicPage(f.context(), params('q=T5-&pageSize=500'))
    const typeOf = new Map(page.rows.map((r) => [r.topic, r.type]))
    expect(typeOf.get('T5-orders-normal')).toBe('normal')
    expect(typeOf.get('T5-orders-fifo')).toBe('fifo')
    expect(typeOf.get('T5-orders-delay')).toBe('delay')
    expect(typeOf.get('T5-orders-tx')).toBe('transactional')
    expect(typeOf.get('T5-plain')).toBe('normal')
    expect(typeOf.get('%RETRY%T5-group')).toBe('retry')
    expect(typeOf.get('%DLQ%T5-group')).toBe('dlq')
    expect(page.total).toBe(BULK + 7)
    expect(page.typeCounts).toEqual({
      normal: BULK + 2,
      fifo: 1,
      delay: 1,
      transactional: 1,
      retry: 1,
      dlq: 1,
      system: 0,
    })
    expect(page.partial).toBe(false)
  })

  it("lists RocketMQ's own topics as system", async () => {
    const page = await listTopicPage(f.context(), params('type=system&pageSize=500'))
    expect(page.total).toBeGreaterThan(0)
    expect(page.rows.every((r) => r.type === 'system')).toBe(true)
    expect(page.rows.map((r) => r.topic)).toContain('TBW102')
  })

  it('filters by text and type together', async () => {
    const ctx = f.context()
    const orders = await listTopicPage(ctx, params('q=orders&type=fifo,transactional'))
    expect(orders.rows.map((r) => r.topic)).toEqual(['T5-orders-fifo', 'T5-orders-tx'])
    expect(orders.types).toEqual(['fifo', 'transactional'])
    // Counts are per type under the text filter, whatever the type filter.
    expect(orders.typeCounts).toMatchObject({ normal: 1, fifo: 1, delay: 1, transactional: 1 })
    const dead = await listTopicPage(ctx, params('q=t5-GROUP&type=dlq'))
    expect(dead.rows.map((r) => r.topic)).toEqual(['%DLQ%T5-group'])
    const none = await listTopicPage(ctx, params('q=no-such-topic'))
    expect(none).toMatchObject({ rows: [], total: 0, page: 1, pageCount: 1 })
  })

  it('sorts by name, queues and type in both directions', async () => {
    const ctx = f.context()
    const desc = await listTopicPage(ctx, params('q=T5-orders&sort=name&dir=desc'))
    expect(desc.rows.map((r) => r.topic)).toEqual([
      'T5-orders-tx',
      'T5-orders-normal',
      'T5-orders-fifo',
      'T5-orders-delay',
    ])
    const byQueues = await listTopicPage(ctx, params('q=T5-orders&sort=queues&dir=desc'))
    expect(byQueues.rows.map((r) => [r.topic, r.readQueueNums])).toEqual([
      ['T5-orders-normal', 8],
      ['T5-orders-delay', 4],
      ['T5-orders-fifo', 2],
      ['T5-orders-tx', 1],
    ])
    expect(byQueues.sort).toBe('queues')
    const byType = await listTopicPage(ctx, params('q=T5-&sort=type&pageSize=500'))
    const order = byType.rows.map((r) => r.type)
    expect(order.indexOf('fifo')).toBeGreaterThan(order.lastIndexOf('normal'))
    expect(order.at(-1)).toBe('dlq')
  })

  it('pages on the server, clamping a page past the end to the last one', async () => {
    const ctx = f.context()
    const third = await listTopicPage(ctx, params('q=T5-bulk&pageSize=25&page=3'))
    expect(third).toMatchObject({ total: BULK, page: 3, pageSize: 25, pageCount: 3 })
    expect(third.rows.map((r) => r.topic)).toEqual(Array.from({ length: 10 }, (_, i) => bulkName(50 + i)))
    const past = await listTopicPage(ctx, params('q=T5-bulk&pageSize=25&page=99'))
    expect(past.page).toBe(3)
    expect(past.rows).toHaveLength(10)
  })

  it('reads listTopics once per snapshot, whatever the page, filter or sort', async () => {
    const ctx = f.context()
    f.counter.reset()
    await listTopicPage(ctx, params('q=T5'))
    await listTopicPage(ctx, params('type=dlq'))
    await listTopicPage(ctx, params('sort=queues&dir=desc&page=2&pageSize=10'))
    expect(f.counter.count('listTopics')).toBe(1)
    await Promise.all([listTopicPage(f.context(), params('')), listTopicPage(f.context(), params(''))])
    expect(f.counter.count('listTopics')).toBe(3)
  })

  it("reads TPS for the page's rows in one query, and every topic's only to sort by it", async () => {
    const metrics = fixedMetricReads({ [bulkName(3)]: 12.5, [bulkName(40)]: 99, [bulkName(7)]: 3 }, 4_242)
    const ctx = f.context(metrics)
    const page = await listTopicPage(ctx, params('q=T5-bulk&pageSize=10'))
    expect(metrics.latestCalls).toEqual([page.rows.map((r) => r.topic)])
    expect(page.rows.find((r) => r.topic === bulkName(3))?.tps).toBe(12.5)
    expect(page.rows.find((r) => r.topic === bulkName(4))?.tps).toBe(0)
    expect(page.tpsAtMs).toBe(4_242)

    metrics.latestCalls.length = 0
    const byTps = await listTopicPage(ctx, params('q=T5-bulk&sort=tps&dir=desc&pageSize=5'))
    expect(metrics.latestCalls).toEqual([undefined])
    expect(byTps.rows.map((r) => [r.topic, r.tps])).toEqual([
      [bulkName(40), 99],
      [bulkName(3), 12.5],
      [bulkName(7), 3],
      [bulkName(0), 0],
      [bulkName(1), 0],
    ])
  })

  it('shows no TPS when metric history has none', async () => {
    const page = await listTopicPage(f.context(), params('q=T5-bulk&pageSize=3'))
    expect(page.tpsAtMs).toBeUndefined()
    expect(page.rows.map((r) => r.tps)).toEqual([undefined, undefined, undefined])
  })

  it('refuses bad list params', () => {
    expect(() => parseListParams(new URLSearchParams('page=0'))).toThrow(ZodError)
    expect(() => params('pageSize=100000')).toThrow(ZodError)
  })
})

describe('getTopicDetail over a real engine', () => {
  it('shows config per broker, route, per-queue offsets and the consuming groups with lag', async () => {
    const topic = 'T5-detail'
    await f.gateway.createOrUpdateTopic({
      topic,
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
      messageType: 'FIFO',
      order: true,
    })
    for (let i = 0; i < 6; i++) await f.gateway.sendMessage({ topic, body: `m${i}`, keys: [`k${i}`] })
    await f.harness.consume!({ topic, group: 'T5-detail-consumer' })
    for (let i = 0; i < 3; i++) await f.gateway.sendMessage({ topic, body: `late${i}` })

    const metrics = fixedMetricReads({ [topic]: 7 })
    const detail = await getTopicDetail(f.context(metrics), topic)
    expect(detail.type).toBe('fifo')
    expect(detail.config?.brokers).toEqual([
      expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 2, writeQueueNums: 2, perm: 6 }),
    ])
    expect(detail.route?.brokers.map((b) => b.brokerName)).toEqual(['broker-a'])
    expect(detail.route?.brokers[0]?.addrs['0']).toBe(f.broker.brokerAddr)
    expect(detail.stats?.queues).toHaveLength(2)
    expect(detail.stats?.queues.reduce((sum, q) => sum + q.maxOffset, 0)).toBe(9)
    expect(detail.stats?.queues.some((q) => q.lastUpdateTimestampMs > 0)).toBe(true)
    expect(detail.consumers).toEqual([expect.objectContaining({ group: 'T5-detail-consumer', lag: 3 })])
    expect(detail.tpsSeries).toEqual([{ t: 1_000, v: 7 }])
    expect(detail.ownerGroup).toBeUndefined()
    expect(detail.partial).toBe(false)
  })

  it('names the group a %DLQ% topic belongs to', async () => {
    const detail = await getTopicDetail(f.context(), '%DLQ%T5-group')
    expect(detail).toMatchObject({ type: 'dlq', ownerGroup: 'T5-group' })
  })

  it('is NOT_FOUND for a topic nobody knows', async () => {
    const err = await getTopicDetail(f.context(), 'T5-no-such-topic').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('NOT_FOUND')
  })
})
