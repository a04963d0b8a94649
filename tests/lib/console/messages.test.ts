// The Messages services (lib/console/messages.ts) against a real gateway over a real engine: the standalone broker
// (NameServer + broker over remoting) on a temp dir and free ports, reached through the RemoteGateway; consumer
// groups consume and dead-letter over remoting (remote-harness.ts) to give the detail view real delivery states.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import type { MessageView, SendOutcome } from '@/lib/cluster/gateway'
import { parseInstant } from '@/lib/console/url-param-schemas'
import {
  getMessageBody,
  getMessageDetailView,
  messageQueryParams,
  parseMessageDetailQuery,
  parseMessageQuery,
  requireMessageQuery,
  searchMessages,
  TIME_PAGE_SIZE_MAX,
  TIME_SCAN_MAX_CAP,
  type MessageQuery,
  type MessageSearchResult,
} from '@/lib/console/messages'
import { AppError } from '@/lib/errors'
import { eventually, type GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'

const TOPIC = 'ConsoleMessages'
const GROUP_DONE = 'ConsoleMessagesDone'
const GROUP_DEAD = 'ConsoleMessagesDead'
const COUNT = 40

let dir: string
let broker: StandaloneBroker
let h: GatewayHarness
const sent: SendOutcome[] = []
/** Store time of the first message of the second batch: a time range boundary between the batches. */
let secondBatchMs = 0
let firstStoreMs = 0
let lastStoreMs = 0

/** Resolves once the wall clock is past `ms`, so the next stored message gets a later store time. */
async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setTimeout(resolve, ms + 1 - Date.now()))
}

const bodyOf = (i: number) => JSON.stringify({ order: i, note: i % 5 === 0 ? 'needle' : 'hay' })

function query(params: Record<string, string>): MessageQuery {
  const parsed = parseMessageQuery(new URLSearchParams(params))
  if (parsed.status !== 'ready') throw new Error(`not ready: ${JSON.stringify(parsed)}`)
  return parsed.query
}

async function run(params: Record<string, string>): Promise<MessageSearchResult> {
  return searchMessages(h.gateway, query(params))
}

/** What `fn` throws (the test fails when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

const orderOf = (m: MessageView) =>
  (JSON.parse(Buffer.from(m.bodyBase64, 'base64').toString('utf8')) as { order: number }).order

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mqdeck-console-messages-'))
  broker = await startStandaloneBroker({
    config: { storePathRootDir: dir, listenPort: 0, brokerName: 'broker-msg' },
    namesrvPort: 0,
    log: () => undefined,
  })
  h = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr!], callTimeoutMs: 5_000, routeTtlMs: 0 })
  await h.gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 4, writeQueueNums: 4, perm: 6 })
  await eventually(
    () => h.gateway.getTopicRoute(TOPIC),
    (r) => r !== undefined,
  )
  const send = (i: number) =>
    h.gateway.sendMessage({
      topic: TOPIC,
      body: bodyOf(i),
      tag: i % 4 === 0 ? 'TagB' : 'TagA',
      keys: [`order-${i}`, i % 2 === 0 ? 'even' : 'odd'],
      properties: { region: i % 3 === 0 ? 'eu' : 'us' },
    })
  for (let i = 0; i < COUNT / 2; i++) sent.push(await send(i))
  const firstHalfLast = (await h.gateway.viewMessage({ msgId: sent.at(-1)!.msgId })).data[0]!
  await clockPast(firstHalfLast.storeTimestampMs)
  for (let i = COUNT / 2; i < COUNT; i++) sent.push(await send(i))
  const storeMs = async (s: SendOutcome) =>
    (await h.gateway.viewMessage({ msgId: s.msgId })).data[0]!.storeTimestampMs
  secondBatchMs = await storeMs(sent[COUNT / 2]!)
  firstStoreMs = await storeMs(sent[0]!)
  lastStoreMs = await storeMs(sent.at(-1)!)
  // The key index is built asynchronously after the put.
  await eventually(
    () => h.gateway.queryMessagesByKey({ topic: TOPIC, key: `order-${COUNT - 1}` }),
    (r) => r.data.length === 1,
  )
})

afterAll(async () => {
  await h?.close()
  await broker?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('parseMessageQuery', () => {
  it('is idle until the mode’s required fields are given, and names missing and malformed fields', () => {
    expect(parseMessageQuery(new URLSearchParams())).toEqual({ status: 'idle', mode: 'id' })
    expect(parseMessageQuery(new URLSearchParams({ mode: 'key', topic: '' }))).toEqual({
      status: 'idle',
      mode: 'key',
    })
    const missingKey = parseMessageQuery(new URLSearchParams({ mode: 'key', topic: TOPIC }))
    expect(missingKey).toMatchObject({ status: 'invalid', fieldErrors: { key: ['a key is required'] } })
    const badId = parseMessageQuery(new URLSearchParams({ mode: 'id', msgId: 'not-hex' }))
    expect(badId).toMatchObject({ status: 'invalid', mode: 'id' })
    if (badId.status === 'invalid') expect(badId.fieldErrors.msgId?.[0]).toMatch(/hexadecimal/)
    // A bad id does not block the key tab: params of other modes are ignored.
    expect(
      parseMessageQuery(new URLSearchParams({ mode: 'key', topic: TOPIC, key: 'k', msgId: 'zz' })).status,
    ).toBe('ready')
    const badTopic = parseMessageQuery(new URLSearchParams({ mode: 'time', topic: 'bad topic!' }))
    expect(badTopic.status === 'invalid' && badTopic.fieldErrors.topic).toBeTruthy()
  })

  it('takes instants as epoch ms or ISO with an offset, refuses local times and reversed ranges', () => {
    expect(parseInstant('1700000000000')).toBe(1_700_000_000_000)
    expect(parseInstant('2026-11-28T07:41:03.120+01:00')).toBe(Date.parse('2026-11-28T06:41:03.120Z'))
    expect(parseInstant('2026-11-28T07:41:03Z')).toBe(Date.parse('2026-11-28T07:41:03Z'))
    expect(parseInstant('2026-11-28T07:41:03')).toBeUndefined()
    expect(parseInstant('yesterday')).toBeUndefined()
    const local = parseMessageQuery(
      new URLSearchParams({ mode: 'time', topic: TOPIC, begin: '2026-11-28T07:41' }),
    )
    expect(local.status === 'invalid' && local.fieldErrors.begin?.[0]).toMatch(/offset/)
    const reversed = parseMessageQuery(
      new URLSearchParams({ mode: 'key', topic: TOPIC, key: 'k', begin: '2000', end: '1000' }),
    )
    expect(reversed).toMatchObject({
      status: 'invalid',
      fieldErrors: { end: ['the range ends before it begins'] },
    })
    const err = thrown(() => requireMessageQuery(new URLSearchParams({ mode: 'key', topic: TOPIC })))
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: { key: ['a key is required'] } })
  })

  it('fills a time range’s defaults, caps page size and scan budget, and round-trips through the URL', () => {
    const parsed = parseMessageQuery(
      new URLSearchParams({
        mode: 'time',
        topic: TOPIC,
        pageSize: '100000',
        scanMax: '999999999',
        fProp: 'a=b=c',
      }),
      10_000_000,
    )
    expect(parsed).toMatchObject({
      status: 'ready',
      query: {
        mode: 'time',
        beginMs: 10_000_000 - 3_600_000,
        endMs: 10_000_000,
        pageSize: TIME_PAGE_SIZE_MAX,
        scanMax: TIME_SCAN_MAX_CAP,
        filter: { property: { name: 'a', value: 'b=c' } },
      },
    })
    if (parsed.status !== 'ready') return
    const again = parseMessageQuery(messageQueryParams(parsed.query))
    expect(again).toEqual(parsed)
    const key = query({ mode: 'key', topic: TOPIC, key: 'k', tag: 'T', begin: '5', end: '9' })
    expect(parseMessageQuery(messageQueryParams(key))).toEqual({ status: 'ready', query: key })
  })
})

describe('searchMessages over the remote gateway and the standalone broker', () => {
  it('finds a message by its offset id (topic optional) and by its UNIQ_KEY with the topic', async () => {
    const target = sent[7]!
    const byOffset = await run({ mode: 'id', msgId: target.msgId })
    expect(byOffset).toMatchObject({ partial: false, page: undefined })
    expect(byOffset.messages).toHaveLength(1)
    expect(byOffset.messages[0]).toMatchObject({
      msgId: target.msgId,
      uniqKey: target.uniqKey,
      topic: TOPIC,
      tags: 'TagA',
      keys: ['order-7', 'odd'],
      queueId: target.queueId,
      queueOffset: target.queueOffset,
      bodySizeBytes: Buffer.byteLength(bodyOf(7)),
    })
    const byUniq = await run({ mode: 'id', msgId: target.uniqKey.toLowerCase(), topic: TOPIC })
    expect(byUniq.messages.map((m) => m.msgId)).toEqual([target.msgId])
  })

  it('finds messages by key within a time range and with a tag', async () => {
    const one = await run({ mode: 'key', topic: TOPIC, key: 'order-12' })
    expect(one.messages.map((m) => m.msgId)).toEqual([sent[12]!.msgId])
    const even = await eventually(
      () => run({ mode: 'key', topic: TOPIC, key: 'even' }),
      (r) => r.messages.length === COUNT / 2,
    )
    expect(even.messages).toHaveLength(COUNT / 2)
    // Sorted by store time.
    const times = even.messages.map((m) => m.storeTimestampMs)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const evenLater = await run({ mode: 'key', topic: TOPIC, key: 'even', begin: String(secondBatchMs) })
    expect(evenLater.messages.map(orderOf).sort((a, b) => a - b)).toEqual(
      Array.from({ length: COUNT / 4 }, (_, i) => COUNT / 2 + 2 * i),
    )
    const evenTagB = await run({
      mode: 'key',
      topic: TOPIC,
      key: 'even',
      tag: 'TagB',
      begin: new Date(firstStoreMs).toISOString(),
      end: new Date(secondBatchMs - 1).toISOString().replace('Z', '+00:00'),
    })
    expect(evenTagB.messages.map(orderOf).sort((a, b) => a - b)).toEqual([0, 4, 8, 12, 16])
    expect((await run({ mode: 'key', topic: TOPIC, key: 'no-such-key' })).messages).toEqual([])
  })

  it('pages a time range in store-time order with a cursor, showing scan progress', async () => {
    const base = {
      mode: 'time',
      topic: TOPIC,
      begin: String(firstStoreMs),
      end: String(lastStoreMs),
      pageSize: '7',
    }
    const seen: MessageView[] = []
    let cursor: string | undefined
    let pages = 0
    let last: MessageSearchResult | undefined
    do {
      last = await run({ ...base, ...(cursor ? { cursor } : {}) })
      expect(last.partial).toBe(false)
      expect(last.page!.totalInRange).toBe(COUNT)
      expect(last.messages.length).toBeLessThanOrEqual(7)
      seen.push(...last.messages)
      cursor = last.page!.nextCursor
      // The "next page" link carries the cursor and the same absolute range.
      if (cursor)
        expect(messageQueryParams({ ...last.query, cursor } as MessageQuery).get('cursor')).toBe(cursor)
      pages++
    } while (cursor && pages < 20)
    expect(pages).toBe(Math.ceil(COUNT / 7))
    expect(last.page!.scannedTotal).toBe(COUNT)
    expect(seen.map((m) => m.msgId).sort()).toEqual(sent.map((s) => s.msgId).sort())
    const times = seen.map((m) => m.storeTimestampMs)
    expect(times).toEqual([...times].sort((a, b) => a - b))

    const secondHalf = await run({ ...base, begin: String(secondBatchMs), pageSize: '100' })
    expect(secondHalf.messages.map(orderOf).sort((a, b) => a - b)).toEqual(
      Array.from({ length: COUNT / 2 }, (_, i) => COUNT / 2 + i),
    )
  })

  it('filters a time range server-side by tag, key, property and body text', async () => {
    const range = {
      mode: 'time',
      topic: TOPIC,
      begin: String(firstStoreMs),
      end: String(lastStoreMs),
      pageSize: '100',
    }
    const orders = async (extra: Record<string, string>) =>
      (await run({ ...range, ...extra })).messages.map(orderOf).sort((a, b) => a - b)
    const all = Array.from({ length: COUNT }, (_, i) => i)
    expect(await orders({ fTag: 'TagB' })).toEqual(all.filter((i) => i % 4 === 0))
    expect(await orders({ fKey: 'order-33' })).toEqual([33])
    expect(await orders({ fProp: 'region=eu' })).toEqual(all.filter((i) => i % 3 === 0))
    expect(await orders({ fProp: 'region' })).toEqual(all)
    expect(await orders({ fBody: 'needle' })).toEqual(all.filter((i) => i % 5 === 0))
    expect(await orders({ fTag: 'TagB', fBody: 'needle' })).toEqual([0, 20])
    // The scan still reads the whole range: every message was looked at, two matched.
    const filtered = await run({ ...range, fTag: 'TagB', fBody: 'needle' })
    expect(filtered.page).toMatchObject({ scannedTotal: COUNT, totalInRange: COUNT, nextCursor: undefined })
  })

  it('refuses a cursor of another range as a field error', async () => {
    const first = await run({
      mode: 'time',
      topic: TOPIC,
      begin: String(firstStoreMs),
      end: String(lastStoreMs),
      pageSize: '5',
    })
    const cursor = first.page!.nextCursor!
    expect(cursor).toBeDefined()
    const err = await searchMessages(
      h.gateway,
      query({
        mode: 'time',
        topic: TOPIC,
        begin: String(firstStoreMs + 1),
        end: String(lastStoreMs),
        cursor,
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: { cursor: [expect.stringMatching(/cursor/)] },
    })
  })

  it('answers a missing message with an empty result, not an error', async () => {
    const absent = `${sent[0]!.msgId.slice(0, -16)}00000000FFFFFF00`
    expect((await run({ mode: 'id', msgId: absent })).messages).toEqual([])
    expect((await run({ mode: 'id', msgId: 'AB'.repeat(16), topic: TOPIC })).messages).toEqual([])
    expect(await getMessageDetailView(h.gateway, parseMessageDetailQuery(absent, {}))).toBeUndefined()
    expect(await getMessageBody(h.gateway, absent, undefined)).toBeUndefined()
  })
})

describe('message detail', () => {
  it('shows the delivery state per group: consumed, not consumed yet, in the DLQ with its copy', async () => {
    expect(await h.consume!({ topic: TOPIC, group: GROUP_DONE })).toBe(COUNT)
    expect(await h.consume!({ topic: TOPIC, group: GROUP_DEAD })).toBe(COUNT)
    const victim = sent[3]!
    await h.deadLetter!({ group: GROUP_DEAD, topic: TOPIC, msgId: victim.msgId })
    const late = await h.gateway.sendMessage({ topic: TOPIC, body: 'late', keys: ['late'] })

    const detail = await eventually(
      () => getMessageDetailView(h.gateway, parseMessageDetailQuery(victim.msgId, { topic: TOPIC })),
      (d) => d?.deliveries.find((x) => x.group === GROUP_DEAD)?.state === 'IN_DLQ',
    )
    expect(detail).toBeDefined()
    expect(detail!.message).toMatchObject({ msgId: victim.msgId, uniqKey: victim.uniqKey, topic: TOPIC })
    expect(Buffer.from(detail!.message.bodyBase64, 'base64').toString('utf8')).toBe(bodyOf(3))
    const byGroup = new Map(detail!.deliveries.map((d) => [d.group, d]))
    expect(byGroup.get(GROUP_DONE)).toMatchObject({ state: 'CONSUMED', retryMsgIds: [], dlqMsgIds: [] })
    const dead = byGroup.get(GROUP_DEAD)!
    expect(dead.state).toBe('IN_DLQ')
    expect(dead.dlqMsgIds).toHaveLength(1)
    // The DLQ copy opens as a message of %DLQ%<group> that names its origin.
    const copy = await getMessageDetailView(h.gateway, parseMessageDetailQuery(dead.dlqMsgIds[0]!, {}))
    expect(copy!.message).toMatchObject({
      topic: `%DLQ%${GROUP_DEAD}`,
      properties: { ORIGIN_MESSAGE_ID: victim.msgId },
    })

    const pending = await getMessageDetailView(h.gateway, parseMessageDetailQuery(late.msgId, {}))
    expect(pending!.deliveries.find((d) => d.group === GROUP_DONE)?.state).toBe('NOT_CONSUMED_YET')
  })

  it('cuts the body at bodyBytesMax and serves the whole body for download', async () => {
    const big = 'x'.repeat(5000) + 'END'
    const out = await h.gateway.sendMessage({ topic: TOPIC, body: big })
    const cut = await getMessageDetailView(
      h.gateway,
      parseMessageDetailQuery(out.msgId, { bodyBytesMax: '100' }),
    )
    expect(cut!.message).toMatchObject({ bodySizeBytes: big.length, bodyTruncated: true })
    expect(Buffer.from(cut!.message.bodyBase64, 'base64')).toHaveLength(100)
    expect(cut!.bodyBytesMax).toBe(100)
    const whole = await getMessageBody(h.gateway, out.msgId.toLowerCase(), undefined)
    expect(whole).toMatchObject({ msgId: out.msgId, topic: TOPIC, decoded: true })
    expect(whole!.body.toString('utf8')).toBe(big)
  })

  it('refuses a malformed id or body limit with field errors', () => {
    expect(thrown(() => parseMessageDetailQuery('xyz', {}))).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: { msgId: [expect.stringMatching(/hexadecimal/)] },
    })
    const err = thrown(() =>
      parseMessageDetailQuery('AB'.repeat(16), { bodyBytesMax: 'lots', topic: 'no spaces please' }),
    )
    expect(err).toBeInstanceOf(AppError)
    expect(Object.keys((err as AppError).fieldErrors ?? {}).sort()).toEqual(['bodyBytesMax', 'topic'])
  })
})
