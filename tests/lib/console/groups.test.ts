// The Consumer groups services against a real engine through a RemoteGateway: mode, lag, members and retry
// settings; system groups hidden by default; sorting and paging; getConsumerConnections called only for the
// page's rows, bounded in flight and cached; the online/offline filter; and the detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { AppError } from '@/lib/errors'
import {
  CONNECTIONS_CONCURRENCY,
  getGroupDetail,
  listGroupPage,
  parseGroupListParams,
  type GroupListParams,
} from '@/lib/console/groups'
import { fixedMetricReads, startConsoleFixture, type ConsoleFixture } from './console-fixture'

let f: ConsoleFixture
let member: { clientId: string; close(): Promise<void> } | undefined

const TOPIC = 'G5-orders'
const BULK = 40
const bulkName = (i: number) => `G5-bulk-${String(i).padStart(3, '0')}`
const params = (search: string): GroupListParams => parseGroupListParams(new URLSearchParams(search))

beforeAll(async () => {
  f = await startConsoleFixture()
  const g = f.gateway
  await g.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await g.createOrUpdateConsumerGroup({
    group: 'G5-broadcast',
    consumeBroadcastEnable: false,
    retryMaxTimes: 3,
  })
  await g.createOrUpdateConsumerGroup({ group: 'G5-orderly', consumeMessageOrderly: true, retryMaxTimes: 5 })
  await g.createOrUpdateConsumerGroup({ group: 'G5-lagging', retryMaxTimes: 16, retryQueueNums: 1 })
  await g.createOrUpdateConsumerGroup({ group: 'G5-online' })
  await g.createOrUpdateConsumerGroup({ group: 'CID_RMQ_SYS_G5' })
  for (let i = 0; i < BULK; i++) await g.createOrUpdateConsumerGroup({ group: bulkName(i) })
  for (let i = 0; i < 4; i++) await g.sendMessage({ topic: TOPIC, body: `a${i}` })
  await f.harness.consume!({ topic: TOPIC, group: 'G5-lagging' })
  await f.harness.consume!({ topic: TOPIC, group: 'G5-online' })
  for (let i = 0; i < 5; i++) await g.sendMessage({ topic: TOPIC, body: `b${i}` })
  member = await f.harness.online!({ group: 'G5-online', topic: TOPIC, producerGroup: 'G5-producer' })
})

afterAll(async () => {
  await member?.close()
  await f?.close()
})

describe('group list params', () => {
  it('parses state and the system toggle, refusing unknown states', () => {
    expect(params('state=online&system=1')).toMatchObject({ state: 'online', showSystem: true })
    expect(params('')).toMatchObject({ state: undefined, showSystem: false })
    expect(parseGroupListParams({ state: 'offline', system: 'false' })).toMatchObject({
      state: 'offline',
      showSystem: false,
    })
    expect(() => params('state=asleep')).toThrow(ZodError)
  })
})

describe('listGroupPage over a real engine', () => {
  it('shows mode, retry max, lag, members and online state', async () => {
    const page = await listGroupPage(f.context(), params('q=G5-&pageSize=100'))
    const row = (group: string) => page.rows.find((r) => r.group === group)
    expect(row('G5-broadcast')).toMatchObject({
      consumeBroadcastEnable: false,
      messageModel: undefined,
      orderly: false,
      retryMaxTimes: 3,
      online: false,
    })
    expect(row('G5-orderly')).toMatchObject({
      consumeBroadcastEnable: true,
      orderly: true,
      retryMaxTimes: 5,
      members: 0,
    })
    expect(row('G5-lagging')).toMatchObject({ lag: 5, topics: [TOPIC], online: false, members: 0 })
    expect(row('G5-online')).toMatchObject({
      online: true,
      members: 1,
      messageModel: 'CLUSTERING',
      lag: 5,
      membersError: undefined,
    })
    expect(page.partial).toBe(false)
  })

  it('hides system groups unless asked, and says how many it hid', async () => {
    const ctx = f.context()
    const hidden = await listGroupPage(ctx, params('q=CID_RMQ_SYS_G5'))
    expect(hidden.rows).toEqual([])
    expect(hidden.systemHidden).toBeGreaterThan(0)
    const shown = await listGroupPage(ctx, params('q=CID_RMQ_SYS_G5&system=1'))
    expect(shown.rows.map((r) => [r.group, r.system])).toEqual([['CID_RMQ_SYS_G5', true]])
    expect(shown.systemHidden).toBe(0)
  })

  it('sorts by lag and name, and pages on the server', async () => {
    const ctx = f.context()
    const byLag = await listGroupPage(ctx, params('q=G5-&sort=lag&dir=desc&pageSize=2'))
    expect(byLag.rows.map((r) => r.group)).toEqual(['G5-lagging', 'G5-online'])
    const second = await listGroupPage(ctx, params('q=G5-bulk&sort=name&dir=desc&pageSize=15&page=2'))
    expect(second).toMatchObject({ total: BULK, page: 2, pageCount: 3 })
    expect(second.rows.map((r) => r.group)).toEqual(Array.from({ length: 15 }, (_, i) => bulkName(24 - i)))
  })

  it("calls getConsumerConnections only for the page's rows, at most 8 at once, cached per group", async () => {
    const ctx = f.context()
    f.counter.reset()
    const page = await listGroupPage(ctx, params('q=G5-bulk&pageSize=20'))
    expect(page.rows).toHaveLength(20)
    expect(f.counter.count('listConsumerGroups')).toBe(1)
    expect(f.counter.count('getConsumerConnections')).toBe(20)
    expect(f.counter.args.get('getConsumerConnections')?.map((a) => a[0])).toEqual(
      page.rows.map((r) => r.group),
    )
    expect(f.counter.peakInFlight.get('getConsumerConnections')).toBeLessThanOrEqual(CONNECTIONS_CONCURRENCY)
    expect(page.rows.every((r) => r.members === 0 && r.online === false)).toBe(true)

    // The same page again (a refresh, another tab) within the TTL reads nothing new.
    await listGroupPage(ctx, params('q=G5-bulk&pageSize=20'))
    expect(f.counter.count('getConsumerConnections')).toBe(20)
    expect(f.counter.count('listConsumerGroups')).toBe(1)
    // The next page reads only its own rows.
    await listGroupPage(ctx, params('q=G5-bulk&pageSize=20&page=2'))
    expect(f.counter.count('getConsumerConnections')).toBe(40)
  })

  it('filters online and offline groups by checking them in list order', async () => {
    const ctx = f.context()
    f.counter.reset()
    const online = await listGroupPage(ctx, params('q=G5-&state=online'))
    expect(online.rows.map((r) => r.group)).toEqual(['G5-online'])
    expect(online.stateScan).toEqual({ checked: BULK + 4, candidates: BULK + 4, complete: true })
    expect(f.counter.count('getConsumerConnections')).toBe(BULK + 4)
    const offline = await listGroupPage(ctx, params('q=G5-&state=offline&pageSize=5'))
    expect(offline.rows.map((r) => r.group)).toEqual([
      'G5-broadcast',
      bulkName(0),
      bulkName(1),
      bulkName(2),
      bulkName(3),
    ])
    // Filled from the cache: the scan stopped once the page was full.
    expect(offline.stateScan).toMatchObject({ complete: false })
    expect(offline.pageCount).toBeGreaterThan(1)
    expect(f.counter.count('getConsumerConnections')).toBe(BULK + 4)
  })
})

describe('getGroupDetail over a real engine', () => {
  it('shows per-queue offsets and lag, members, subscriptions, retry settings and the lag history', async () => {
    const detail = await getGroupDetail(f.context(fixedMetricReads({ 'G5-online': 5 })), 'G5-online')
    expect(detail.stats.lag).toBe(5)
    expect(detail.stats.queues).toHaveLength(2)
    for (const q of detail.stats.queues) {
      expect(q).toMatchObject({ topic: TOPIC, brokerName: 'broker-a' })
      expect(q.lag).toBe(q.brokerOffset - q.consumerOffset)
      expect(q.lastTimestampMs).toBeGreaterThan(0)
    }
    expect(detail.connections.online).toBe(true)
    expect(detail.connections.members).toEqual([expect.objectContaining({ clientId: member!.clientId })])
    expect(detail.connections.subscriptions).toEqual([
      expect.objectContaining({ topic: TOPIC, expression: '*' }),
    ])
    expect(detail.config).toMatchObject({
      retryMaxTimes: 16,
      consumeEnable: true,
      consumeMessageOrderly: false,
    })
    expect(detail.connections.messageModel).toBe('CLUSTERING')
    expect(detail.retryTopic.topic).toBe('%RETRY%G5-online')
    expect(detail.dlqTopic).toMatchObject({ topic: '%DLQ%G5-online', exists: false, messageCount: undefined })
    expect(detail.lagSeries).toEqual([{ t: 1_000, v: 5 }])
    expect(detail.system).toBe(false)
  })

  it('counts the messages in the DLQ of a group that has one', async () => {
    const sent = await f.gateway.sendMessage({ topic: TOPIC, body: 'poison' })
    await f.harness.deadLetter!({ group: 'G5-lagging', topic: TOPIC, msgId: sent.msgId })
    const detail = await getGroupDetail(f.context(), 'G5-lagging')
    expect(detail.dlqTopic).toMatchObject({ topic: '%DLQ%G5-lagging', exists: true, messageCount: 1 })
    expect(detail.config).toMatchObject({ retryMaxTimes: 16, retryQueueNums: 1 })
    expect(detail.connections.online).toBe(false)
  })

  it('is NOT_FOUND for a group nobody knows', async () => {
    const err = await getGroupDetail(f.context(), 'G5-no-such-group').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('NOT_FOUND')
  })
})
