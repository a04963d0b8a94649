// The ClusterGateway conformance suite: the same cases, run against every implementation (the remote gateway
// pointed at `npm run broker`, the embedded gateway), so both paths give the same answers. Call
// runGatewayConformance(name, makeGateway) from a *.test.ts file; each case owns its topics and groups and
// asserts the values RocketMQ gives (counts, offsets, store times, bodies, keys, properties), not just success.
//
// Besides the gateway, some cases need the harness to act as a client: `consume` (read and commit a group's
// offsets, as a consumer does) and `deadLetter` (move a message into a group's DLQ, as a consumer's failed
// send-back does), and `online` (a consumer and a producer heartbeating). remoteHarness() (remote-harness.ts)
// implements them over remoting for any broker; the embedded harness can use the engine's in-process clients.
// The caller declares which of them its harness and brokers have (GatewayCapabilities), and the cases that need
// a missing one are not registered at all: a run reports only cases that ran, never a skipped one.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors'
import type { ClusterGateway, MessageView, SendOutcome } from '@/lib/cluster/gateway'

export interface GatewayHarness {
  readonly gateway: ClusterGateway
  close(): Promise<void>
  /** Consumes every message now in `topic` as `group` and commits the offsets; resolves with how many. */
  consume?(input: { topic: string; group: string }): Promise<number>
  /** Moves the message with this offset id into `group`'s DLQ (a send-back with delay level −1). */
  deadLetter?(input: { group: string; topic: string; msgId: string }): Promise<void>
  /**
   * Registers a client as a member of consumer `group` (subscribed to `topic` with "*") and of `producerGroup`
   * on the topic's brokers, as a push consumer's and a producer's heartbeats do; close() unregisters it.
   */
  online?(input: {
    group: string
    topic: string
    producerGroup: string
  }): Promise<{ readonly clientId: string; close(): Promise<void> }>
}

/** What the harness and its brokers can do beyond the gateway; each case that needs more is left out. */
export interface GatewayCapabilities {
  /** The harness has consume(). */
  readonly consume: boolean
  /** The harness has deadLetter(). */
  readonly deadLetter: boolean
  /** The harness has online() and the brokers take client heartbeats. */
  readonly online: boolean
  /** The brokers' delay of level 1 (messageDelayLevel's first entry), or undefined when they do not delay. */
  readonly delayLevel1Ms: number | undefined
}

const HOOKS = ['consume', 'deadLetter', 'online'] as const

/** Brokers build indexes and register routes asynchronously: retry a read until it passes or time runs out. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (accept(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Resolves once the wall clock is past `ms`, so the next stored message gets a later store time. */
async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setTimeout(resolve, ms + 1 - Date.now()))
}

const body = (m: MessageView) => Buffer.from(m.bodyBase64, 'base64').toString('utf8')

/** An offset message id on the same store host as `msgId`, at a CommitLog offset nothing is written at. */
const absentMsgId = (msgId: string) => `${msgId.slice(0, msgId.length - 16)}00000000FFFFFF00`

/** The error a rejected promise carries, as an AppError (the test fails if it resolved). */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

export function runGatewayConformance(
  name: string,
  makeGateway: () => Promise<GatewayHarness>,
  capabilities: GatewayCapabilities,
): void {
  describe(`ClusterGateway conformance: ${name}`, () => {
    let h: GatewayHarness
    const run = randomBytes(4).toString('hex')
    let serial = 0
    const unique = (prefix: string) => `${prefix}_${run}_${++serial}`
    /** Registers a case only when the capabilities allow it (a test.skip would still count as skipped). */
    const itWhen = (capable: boolean, title: string, fn: () => Promise<void>) => {
      if (capable) it(title, fn)
    }

    beforeAll(async () => {
      h = await makeGateway()
      for (const hook of HOOKS)
        if (capabilities[hook] && !h[hook])
          throw new Error(`${name}: ${hook} is declared but the harness lacks it`)
    })

    afterAll(async () => {
      await h?.close()
    })

    /** A new topic on every master, or with `onOneBroker` on the first master only (one queue set in all). */
    async function freshTopic(queueNums = 4, onOneBroker = false): Promise<string> {
      const topic = unique('conf_topic')
      const first = onOneBroker ? [...(await masterAddrs()).keys()].sort()[0] : undefined
      const created = await h.gateway.createOrUpdateTopic({
        topic,
        readQueueNums: queueNums,
        writeQueueNums: queueNums,
        perm: 6,
        ...(first === undefined ? {} : { brokerNames: [first] }),
      })
      expect(created.partial).toBe(false)
      await eventually(
        () => h.gateway.getTopicRoute(topic),
        (route) => route !== undefined,
      )
      return topic
    }

    async function masterAddrs(): Promise<Map<string, string>> {
      const info = await h.gateway.getClusterInfo()
      return new Map(info.data.brokers.filter((b) => b.brokerId === 0).map((b) => [b.brokerName, b.addr]))
    }

    /** The stored copy of a sent message, read back by its offset id. */
    async function stored(sent: SendOutcome): Promise<MessageView> {
      const viewed = await h.gateway.viewMessage({ msgId: sent.msgId })
      expect(viewed.data).toHaveLength(1)
      return viewed.data[0]!
    }

    it('describes the cluster: masters with runtime figures, reachable NameServers, broker configs', async () => {
      const info = await h.gateway.getClusterInfo()
      expect(info).toMatchObject({ partial: false, failures: [] })
      const masters = info.data.brokers.filter((b) => b.role === 'MASTER')
      expect(masters.length).toBeGreaterThan(0)
      for (const m of masters) {
        expect(m.brokerId).toBe(0)
        expect(m.addr).toMatch(/^[\w.-]+:\d{1,5}$/)
        expect(m.runtime).toBeDefined()
        expect(m.runtime!.version).toMatch(/^V\d+_\d+_\d+/)
        expect(m.runtime!.bootTimestampMs).toBeGreaterThan(0)
        expect(m.runtime!.bootTimestampMs).toBeLessThanOrEqual(Date.now())
        expect(m.runtime!.putTps).toBeGreaterThanOrEqual(0)
        expect(m.runtime!.msgPutTotalTodayNow).toBeGreaterThanOrEqual(0)
        expect(['ASYNC_FLUSH', 'SYNC_FLUSH']).toContain(m.flushDiskType)
        expect(['ASYNC_MASTER', 'SYNC_MASTER']).toContain(m.brokerRole)
        expect(info.data.clusters.filter((c) => c.brokerNames.includes(m.brokerName))).toHaveLength(1)
      }
      // Every broker a cluster names is described, once per node.
      for (const c of info.data.clusters)
        for (const brokerName of c.brokerNames)
          expect(
            info.data.brokers.filter((b) => b.brokerName === brokerName && b.brokerId === 0),
          ).toHaveLength(1)

      const namesrvs = await h.gateway.listNameServers()
      expect(namesrvs.length).toBeGreaterThan(0)
      expect(new Set(namesrvs.map((n) => n.addr)).size).toBe(namesrvs.length)
      for (const n of namesrvs) {
        expect(n).toMatchObject({ reachable: true, error: undefined })
        expect(n.latencyMs).toBeGreaterThanOrEqual(0)
      }

      const master = masters[0]!
      const clusterName = info.data.clusters.find((c) =>
        c.brokerNames.includes(master.brokerName),
      )!.clusterName
      const config = await h.gateway.getBrokerConfig({ brokerName: master.brokerName })
      expect(config).toMatchObject({ brokerName: master.brokerName, brokerClusterName: clusterName })
      expect(config!.flushDiskType).toBe(master.flushDiskType)
      const byAddr = await h.gateway.getBrokerConfig({ addr: master.addr })
      expect(byAddr?.brokerName).toBe(master.brokerName)
      expect(await h.gateway.getBrokerConfig({ brokerName: unique('no_such_broker') })).toBeUndefined()
    })

    it('creates a topic with its queues, route and empty offsets; grows it; makes it read-only', async () => {
      const topic = await freshTopic(4)
      const masters = await masterAddrs()
      const topics = await h.gateway.listTopics()
      expect(topics.partial).toBe(false)
      const listed = topics.data.find((t) => t.topic === topic)
      expect(listed).toMatchObject({ kind: 'NORMAL' })
      const brokerNames = listed!.brokers.map((b) => b.brokerName).sort()
      expect(brokerNames.length).toBeGreaterThan(0)
      expect(brokerNames.every((b) => masters.has(b))).toBe(true)
      for (const b of listed!.brokers)
        expect(b).toMatchObject({
          readQueueNums: 4,
          writeQueueNums: 4,
          perm: 6,
          order: false,
          topicSysFlag: 0,
        })
      expect(listed).toMatchObject({
        readQueueNums: 4 * brokerNames.length,
        writeQueueNums: 4 * brokerNames.length,
      })

      const route = await h.gateway.getTopicRoute(topic)
      expect(route!.topic).toBe(topic)
      expect(route!.queues.map((q) => q.brokerName).sort()).toEqual(brokerNames)
      expect(
        route!.queues.every((q) => q.readQueueNums === 4 && q.writeQueueNums === 4 && q.perm === 6),
      ).toBe(true)
      for (const b of route!.brokers) expect(b.addrs['0']).toBe(masters.get(b.brokerName))

      const stats = await h.gateway.getTopicStats(topic)
      expect(stats.data!.topic).toBe(topic)
      expect(stats.data!.messageCount).toBe(0)
      expect(stats.data!.queues).toHaveLength(4 * brokerNames.length)
      for (const brokerName of brokerNames)
        expect(stats.data!.queues.filter((q) => q.brokerName === brokerName).map((q) => q.queueId)).toEqual([
          0, 1, 2, 3,
        ])
      for (const q of stats.data!.queues)
        expect(q).toMatchObject({ minOffset: 0, maxOffset: 0, lastUpdateTimestampMs: 0 })

      const config = await h.gateway.getTopicConfig(topic)
      expect(config.data).toMatchObject({ topic, kind: 'NORMAL', readQueueNums: 4 * brokerNames.length })

      // Growing the topic re-registers it: the route and every broker's config follow.
      const grown = await h.gateway.createOrUpdateTopic({
        topic,
        readQueueNums: 8,
        writeQueueNums: 8,
        perm: 6,
        brokerNames,
      })
      expect(grown.data.brokerNames.slice().sort()).toEqual(brokerNames)
      const grownRoute = await eventually(
        () => h.gateway.getTopicRoute(topic),
        (r) => r!.queues.every((q) => q.writeQueueNums === 8),
      )
      expect(grownRoute!.queues.every((q) => q.readQueueNums === 8 && q.writeQueueNums === 8)).toBe(true)
      expect((await h.gateway.getTopicStats(topic)).data!.queues).toHaveLength(8 * brokerNames.length)
      expect((await h.gateway.getTopicConfig(topic)).data!.brokers.every((b) => b.readQueueNums === 8)).toBe(
        true,
      )

      // A read-only topic (perm 4) takes no test message.
      await h.gateway.createOrUpdateTopic({
        topic,
        readQueueNums: 8,
        writeQueueNums: 8,
        perm: 4,
        brokerNames,
      })
      const readOnly = await eventually(
        () => h.gateway.getTopicRoute(topic),
        (r) => r!.queues.every((q) => q.perm === 4),
      )
      expect(readOnly!.queues.every((q) => q.perm === 4)).toBe(true)
      expect((await appErrorOf(h.gateway.sendMessage({ topic, body: 'refused' }))).code).toBe(
        'SERVICE_UNAVAILABLE',
      )

      // Classification of the topics every cluster has.
      expect(topics.data.find((t) => t.topic === 'TBW102')?.kind ?? 'SYSTEM').toBe('SYSTEM')
      expect(topics.data.filter((t) => t.topic.startsWith('%RETRY%')).every((t) => t.kind === 'RETRY')).toBe(
        true,
      )
      expect(topics.data.filter((t) => t.topic.startsWith('%DLQ%')).every((t) => t.kind === 'DLQ')).toBe(true)
    })

    it('creates an ordered (FIFO) topic and reports its type', async () => {
      const topic = unique('conf_fifo')
      const created = await h.gateway.createOrUpdateTopic({
        topic,
        readQueueNums: 2,
        writeQueueNums: 2,
        perm: 6,
        messageType: 'FIFO',
      })
      expect(created.partial).toBe(false)
      const config = await eventually(
        () => h.gateway.getTopicConfig(topic),
        (r) => r.data !== undefined,
      )
      expect(config.data).toMatchObject({ topic, kind: 'NORMAL', messageType: 'FIFO' })
      expect(config.data!.brokers.every((b) => b.order && b.readQueueNums === 2)).toBe(true)
      expect((await h.gateway.listTopics()).data.find((t) => t.topic === topic)?.messageType).toBe('FIFO')
    })

    it('answers an unknown topic with no route, no stats, no config, and refuses to send to it', async () => {
      const topic = unique('conf_missing')
      expect(await h.gateway.getTopicRoute(topic)).toBeUndefined()
      expect((await h.gateway.getTopicStats(topic)).data).toBeUndefined()
      expect((await h.gateway.getTopicConfig(topic)).data).toBeUndefined()
      expect((await h.gateway.listTopics()).data.some((t) => t.topic === topic)).toBe(false)
      expect((await appErrorOf(h.gateway.sendMessage({ topic, body: 'nowhere' }))).code).toBe('NOT_FOUND')
    })

    it('sends a test message and finds it by key, by offset id, by UNIQ_KEY and by topic + time range', async () => {
      const topic = await freshTopic(2)
      const masters = await masterAddrs()
      const key = unique('key')
      const beforeMs = Date.now() - 1_000
      const sent = await h.gateway.sendMessage({
        topic,
        body: 'conformance body',
        tag: 'ConfTag',
        keys: [key, unique('second_key')],
        properties: { origin: 'conformance' },
      })
      const afterMs = Date.now()
      expect(sent).toMatchObject({ status: 'SEND_OK', topic, queueOffset: 0 })
      expect(sent.msgId).toMatch(/^[0-9A-F]{32}$/)
      expect(sent.uniqKey).toMatch(/^[0-9A-F]{32}$/)
      expect(masters.has(sent.brokerName)).toBe(true)
      expect([0, 1]).toContain(sent.queueId)

      const byKey = await eventually(
        () => h.gateway.queryMessagesByKey({ topic, key }),
        (r) => r.data.length > 0,
      )
      expect(byKey.partial).toBe(false)
      expect(byKey.data.map((m) => m.msgId)).toEqual([sent.msgId])
      const m = byKey.data[0]!
      expect(m).toMatchObject({
        topic,
        brokerName: sent.brokerName,
        tags: 'ConfTag',
        keys: [key, expect.stringMatching(/^second_key_/)],
        uniqKey: sent.uniqKey,
        queueId: sent.queueId,
        queueOffset: sent.queueOffset,
        storeHost: masters.get(sent.brokerName),
        reconsumeTimes: 0,
        bodySizeBytes: 16,
        bodyTruncated: false,
        compression: 'NONE',
        bodyDecoded: true,
      })
      // The offset id is the store host followed by the CommitLog offset (PROTOCOL.md 4.1).
      expect(BigInt(`0x${sent.msgId.slice(-16)}`)).toBe(BigInt(m.commitLogOffset))
      expect(m.storeTimestampMs).toBeGreaterThanOrEqual(beforeMs)
      expect(m.storeTimestampMs).toBeLessThanOrEqual(afterMs + 1_000)
      expect(m.bornTimestampMs).toBeGreaterThanOrEqual(beforeMs)
      expect(m.properties).toMatchObject({ origin: 'conformance', TAGS: 'ConfTag', UNIQ_KEY: sent.uniqKey })
      expect(body(m)).toBe('conformance body')

      // The second key finds it too; a key nobody used and a range before the send find nothing.
      const second = m.keys[1]!
      expect((await h.gateway.queryMessagesByKey({ topic, key: second })).data.map((x) => x.msgId)).toEqual([
        sent.msgId,
      ])
      expect((await h.gateway.queryMessagesByKey({ topic, key: unique('unused') })).data).toEqual([])
      expect(
        (await h.gateway.queryMessagesByKey({ topic, key, beginMs: 0, endMs: beforeMs - 60_000 })).data,
      ).toEqual([])

      const stats = await h.gateway.getTopicStats(topic)
      expect(stats.data!.messageCount).toBe(1)
      const queue = stats.data!.queues.find(
        (q) => q.brokerName === sent.brokerName && q.queueId === sent.queueId,
      )
      expect(queue).toMatchObject({ minOffset: 0, maxOffset: 1, lastUpdateTimestampMs: m.storeTimestampMs })

      const viewed = await h.gateway.viewMessage({ msgId: sent.msgId })
      expect(viewed.data).toEqual([m])
      const cut = await h.gateway.viewMessage({ msgId: sent.msgId, bodyBytesMax: 4 })
      expect(cut.data[0]).toMatchObject({ bodySizeBytes: 16, bodyTruncated: true })
      expect(body(cut.data[0]!)).toBe('conf')
      const byUniq = await eventually(
        () => h.gateway.viewMessage({ msgId: sent.uniqKey, topic }),
        (r) => r.data.length > 0,
      )
      expect(byUniq.data.map((x) => x.msgId)).toEqual([sent.msgId])
      expect(await h.gateway.viewMessage({ msgId: absentMsgId(sent.msgId) })).toMatchObject({
        data: [],
        partial: false,
      })
      expect((await h.gateway.getMessageDetail({ msgId: absentMsgId(sent.msgId) })).data).toBeUndefined()

      const range = { topic, beginMs: beforeMs, endMs: Date.now() + 60_000, pageSize: 10 }
      const page = await h.gateway.queryMessagesByTime(range)
      expect(page.data.messages.map((x) => x.msgId)).toEqual([sent.msgId])
      expect(page.data).toMatchObject({ nextCursor: undefined, scanned: 1, scannedTotal: 1 })
      expect(page.data.totalInRange).toBeGreaterThanOrEqual(1)
      const matching = [
        { tag: 'ConfTag' },
        { key },
        { property: { name: 'origin', value: 'conformance' } },
        { property: { name: 'origin' } },
        { bodyContains: 'mance bo' },
      ]
      for (const filter of matching)
        expect((await h.gateway.queryMessagesByTime({ ...range, filter })).data.messages).toHaveLength(1)
      const missing = [
        { tag: 'OtherTag' },
        { key: 'other-key' },
        { property: { name: 'origin', value: 'elsewhere' } },
        { bodyContains: 'not in the body' },
      ]
      for (const filter of missing)
        expect((await h.gateway.queryMessagesByTime({ ...range, filter })).data.messages).toEqual([])
    })

    it('pages through a topic + time range in store order with cursors', async () => {
      const topic = await freshTopic(2)
      const beginMs = Date.now() - 1_000
      const sent: SendOutcome[] = []
      for (let i = 0; i < 5; i++)
        sent.push(
          await h.gateway.sendMessage({ topic, body: `page ${i}`, tag: i % 2 === 0 ? 'Even' : 'Odd' }),
        )
      const range = { topic, beginMs, endMs: Date.now() + 60_000, pageSize: 2 }
      const pages = []
      let cursor: string | undefined
      do {
        const page = await h.gateway.queryMessagesByTime({ ...range, cursor })
        expect(page.partial).toBe(false)
        pages.push(page.data)
        cursor = page.data.nextCursor
      } while (cursor !== undefined && pages.length < 10)
      expect(pages.map((p) => p.messages.length)).toEqual([2, 2, 1])
      expect(pages.map((p) => p.scannedTotal)).toEqual([2, 4, 5])
      expect(pages.every((p) => p.totalInRange === 5)).toBe(true)
      const messages = pages.flatMap((p) => p.messages)
      expect(messages.map((x) => x.msgId).sort()).toEqual(sent.map((s) => s.msgId).sort())
      const storeTimes = messages.map((x) => x.storeTimestampMs)
      expect(storeTimes).toEqual([...storeTimes].sort((a, b) => a - b))
      expect(messages.map(body).sort()).toEqual(['page 0', 'page 1', 'page 2', 'page 3', 'page 4'])

      const even = await h.gateway.queryMessagesByTime({ ...range, pageSize: 10, filter: { tag: 'Even' } })
      expect(even.data.messages.map(body).sort()).toEqual(['page 0', 'page 2', 'page 4'])
      expect(even.data).toMatchObject({ nextCursor: undefined, scannedTotal: 5 })

      // A scan budget of 2 reads at most 2 messages per call and hands back a cursor, matches or not.
      const odd: string[] = []
      const scannedPerCall: number[] = []
      cursor = undefined
      do {
        const page = await h.gateway.queryMessagesByTime({
          ...range,
          pageSize: 10,
          scanMax: 2,
          filter: { tag: 'Odd' },
          cursor,
        })
        odd.push(...page.data.messages.map(body))
        scannedPerCall.push(page.data.scanned)
        cursor = page.data.nextCursor
      } while (cursor !== undefined && scannedPerCall.length < 10)
      expect(odd.sort()).toEqual(['page 1', 'page 3'])
      expect(scannedPerCall.every((n) => n <= 2)).toBe(true)
      expect(scannedPerCall.reduce((a, b) => a + b, 0)).toBe(5)
    })

    const delayLevel1Ms = capabilities.delayLevel1Ms
    itWhen(
      delayLevel1Ms !== undefined,
      'delivers a delayed test message to its topic after the level’s delay',
      async () => {
        const delayMs = delayLevel1Ms!
        const topic = await freshTopic(1)
        const key = unique('delayed')
        const sentAtMs = Date.now()
        const sent = await h.gateway.sendMessage({ topic, body: 'later', keys: [key], delayLevel: 1 })
        expect(sent).toMatchObject({ status: 'SEND_OK', topic })
        // Until the delay passes the message waits in SCHEDULE_TOPIC_XXXX (queue level − 1), its real topic kept.
        const waiting = await h.gateway.viewMessage({ msgId: sent.msgId })
        expect(waiting.data[0]).toMatchObject({
          topic: 'SCHEDULE_TOPIC_XXXX',
          queueId: 0,
          uniqKey: sent.uniqKey,
        })
        expect(waiting.data[0]!.properties).toMatchObject({ REAL_TOPIC: topic, REAL_QID: '0', DELAY: '1' })
        if (Date.now() - sentAtMs < delayMs / 2)
          expect((await h.gateway.getTopicStats(topic)).data!.messageCount).toBe(0)

        const arrived = await eventually(
          () => h.gateway.queryMessagesByKey({ topic, key }),
          (r) => r.data.length > 0,
          delayMs + 15_000,
        )
        expect(arrived.data).toHaveLength(1)
        const m = arrived.data[0]!
        expect(m).toMatchObject({ topic, queueId: 0, queueOffset: 0, uniqKey: sent.uniqKey })
        expect(m.msgId).not.toBe(sent.msgId)
        expect(m.properties.DELAY).toBeUndefined()
        expect(body(m)).toBe('later')
        expect(m.storeTimestampMs - waiting.data[0]!.storeTimestampMs).toBeGreaterThanOrEqual(delayMs - 50)
        expect((await h.gateway.getTopicStats(topic)).data!.messageCount).toBe(1)
      },
    )

    itWhen(
      capabilities.consume,
      'reports a group’s consume stats, progress and delivery state before and after it consumed',
      async () => {
        const topic = await freshTopic(2)
        const group = unique('conf_group')
        const created = await h.gateway.createOrUpdateConsumerGroup({ group })
        expect(created.partial).toBe(false)
        const sent: SendOutcome[] = []
        for (let i = 0; i < 3; i++)
          sent.push(await h.gateway.sendMessage({ topic, body: `m${i}`, keys: [unique('k')] }))
        const views = await Promise.all(sent.map(stored))
        expect(await h.consume!({ topic, group })).toBe(3)

        const stats = await h.gateway.getConsumeStats(group, topic)
        expect(stats.partial).toBe(false)
        expect(stats.data).toMatchObject({ group, lag: 0 })
        expect(stats.data.queues.reduce((sum, q) => sum + q.consumerOffset, 0)).toBe(3)
        expect(stats.data.queues.reduce((sum, q) => sum + q.brokerOffset, 0)).toBe(3)
        for (const q of stats.data.queues) {
          expect(q).toMatchObject({ topic, lag: 0, consumerOffset: q.brokerOffset })
          // The store time of the last consumed message of the queue (consumerOffset − 1).
          const inQueue = views.filter((v) => v.brokerName === q.brokerName && v.queueId === q.queueId)
          expect(q.lastTimestampMs).toBe(Math.max(0, ...inQueue.map((v) => v.storeTimestampMs)))
        }
        expect(
          (await h.gateway.getConsumeStats(group)).data.queues.filter((q) => q.topic === topic),
        ).toHaveLength(stats.data.queues.length)

        const groups = await h.gateway.listConsumerGroups()
        const listed = groups.data.find((g) => g.group === group)
        expect(listed).toMatchObject({ lag: 0, system: false })
        expect(listed!.config).toMatchObject({ group, retryMaxTimes: 16, consumeEnable: true })
        expect(listed!.topics).toEqual([
          {
            topic,
            brokerOffset: 3,
            consumerOffset: 3,
            lag: 0,
            lastTimestampMs: Math.max(...views.map((v) => v.storeTimestampMs)),
          },
        ])
        const detail = await h.gateway.getConsumerGroup(group)
        expect(detail.data.config?.group).toBe(group)
        expect(detail.data.stats.lag).toBe(0)
        expect(detail.data.connections).toMatchObject({ group, online: false, members: [] })
        expect((await h.gateway.getConsumerConnections(group)).data).toMatchObject({
          online: false,
          members: [],
          subscriptions: [],
        })

        const delivered = await h.gateway.getMessageDetail({ msgId: sent[0]!.msgId })
        expect(delivered.data?.message.msgId).toBe(sent[0]!.msgId)
        expect(delivered.data?.deliveries).toEqual([
          { group, state: 'CONSUMED', online: false, retryMsgIds: [], dlqMsgIds: [] },
        ])
        const consumers = await h.gateway.getTopicConsumers(topic)
        expect(consumers.data).toEqual([
          {
            group,
            lag: 0,
            consumeTps: expect.any(Number) as unknown,
            lastConsumeTimestampMs: Math.max(...views.map((v) => v.storeTimestampMs)),
          },
        ])

        // Two more messages: the group lags by two and has not consumed the new ones yet.
        const later = [
          await h.gateway.sendMessage({ topic, body: 'm3' }),
          await h.gateway.sendMessage({ topic, body: 'm4' }),
        ]
        expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(2)
        expect((await h.gateway.listConsumerGroups()).data.find((g) => g.group === group)?.lag).toBe(2)
        expect((await h.gateway.getTopicConsumers(topic)).data.find((c) => c.group === group)?.lag).toBe(2)
        const pending = await h.gateway.getMessageDetail({ msgId: later[1]!.msgId })
        expect(pending.data?.deliveries.find((d) => d.group === group)?.state).toBe('NOT_CONSUMED_YET')
        expect(await h.consume!({ topic, group })).toBe(2)
        expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(0)
      },
    )

    itWhen(
      capabilities.online && capabilities.consume,
      'shows an online group’s members, subscriptions and producers, and resets it through the broker',
      async () => {
        const topic = await freshTopic(2)
        const group = unique('conf_online')
        const producerGroup = unique('conf_producer')
        await h.gateway.createOrUpdateConsumerGroup({ group })
        const sent: SendOutcome[] = []
        for (let i = 0; i < 3; i++) sent.push(await h.gateway.sendMessage({ topic, body: `o${i}` }))
        expect(await h.consume!({ topic, group })).toBe(3)
        const client = await h.online!({ group, topic, producerGroup })
        try {
          const connections = await h.gateway.getConsumerConnections(group)
          expect(connections.data).toMatchObject({
            group,
            online: true,
            consumeType: 'CONSUME_PASSIVELY',
            messageModel: 'CLUSTERING',
            consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          })
          expect(connections.data.members).toHaveLength(1)
          expect(connections.data.members[0]).toMatchObject({ clientId: client.clientId, language: 'JAVA' })
          expect(connections.data.members[0]!.clientAddr).toMatch(/^[\d.]+:\d+$/)
          expect(connections.data.subscriptions).toEqual([
            expect.objectContaining({ topic, expression: '*', expressionType: 'TAG' }),
          ])
          expect((await h.gateway.getConsumerGroup(group)).data.connections.online).toBe(true)
          // The harness's member takes heartbeats only; it cannot report its queues, and that is a reason, not
          // an error (a Java client answers: tests/lib/cluster/consumer-running-info.test.ts).
          const running = await h.gateway.getConsumerRunningInfo(group, client.clientId)
          expect(running.supported).toBe(false)
          if (!running.supported) expect(running.reason).toContain(client.clientId)

          const producers = await h.gateway.getProducerConnections(producerGroup)
          expect(producers.data.map((p) => [p.producerGroup, p.clientId])).toEqual([
            [producerGroup, client.clientId],
          ])
          expect(producers.data[0]!.clientAddr).toMatch(/^[\d.]+:\d+$/)
          const all = await h.gateway.listProducers()
          if (all.supported) {
            const listed = all.value.data.find((g) => g.producerGroup === producerGroup)?.connections
            expect(listed?.map((c) => c.clientId)).toEqual([client.clientId])
            expect(listed?.[0]!.clientAddr).toBe(producers.data[0]!.clientAddr)
          }

          const detail = await h.gateway.getMessageDetail({ msgId: sent[0]!.msgId })
          expect(detail.data?.deliveries).toEqual([
            { group, state: 'CONSUMED', online: true, retryMsgIds: [], dlqMsgIds: [] },
          ])

          // An online group is reset by its broker (so its consumers follow); explicit offsets are refused.
          const preview = await h.gateway.previewOffsetReset({ group, topic, target: { kind: 'EARLIEST' } })
          expect(preview.data).toMatchObject({ consumerOnline: true, replayedTotal: 3, skippedTotal: 0 })
          const applied = await h.gateway.resetOffset({ group, topic, target: { kind: 'EARLIEST' } })
          expect(applied.data).toMatchObject({ status: 'APPLIED' })
          if (applied.data.status === 'APPLIED') {
            expect(applied.data.queues.map((q) => q.newOffset)).toEqual(preview.data.queues.map(() => 0))
            expect(applied.data.queues.reduce((sum, q) => sum + q.replayed, 0)).toBe(3)
          }
          const refused = await h.gateway.resetOffset({
            group,
            topic,
            target: {
              kind: 'EXPLICIT',
              offsets: [{ brokerName: sent[0]!.brokerName, queueId: sent[0]!.queueId, queueOffset: 0 }],
            },
          })
          expect(refused.data.status).toBe('REFUSED')
          // The reset reaches the group's next pulls: everything is read again.
          expect(await h.consume!({ topic, group })).toBe(3)
          expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(0)
          // Reset once more, and leave before pulling: the reset is still pending when the group goes offline.
          await h.gateway.resetOffset({ group, topic, target: { kind: 'EARLIEST' } })
          expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(3)
        } finally {
          await client.close()
        }
        expect((await h.gateway.getConsumerConnections(group)).data).toMatchObject({
          online: false,
          members: [],
        })
        expect((await h.gateway.getProducerConnections(producerGroup)).data).toEqual([])
        // Resets of the now offline group still take effect (a RocketMQ 5 broker ignores plain offset commits
        // while a reset is pending).
        const latest = await h.gateway.resetOffset({ group, topic, target: { kind: 'LATEST' } })
        expect(latest.data.status).toBe('APPLIED')
        expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(0)
        const one = sent[0]!
        await h.gateway.resetOffset({
          group,
          topic,
          target: {
            kind: 'EXPLICIT',
            offsets: [{ brokerName: one.brokerName, queueId: one.queueId, queueOffset: 0 }],
          },
        })
        const stats = await h.gateway.getConsumeStats(group, topic)
        const queue = stats.data.queues.find(
          (q) => q.brokerName === one.brokerName && q.queueId === one.queueId,
        )!
        expect(queue.consumerOffset).toBe(0)
        expect(stats.data.lag).toBe(queue.brokerOffset)
        expect(await h.consume!({ topic, group })).toBe(queue.brokerOffset)
      },
    )

    it('creates, updates and deletes a consumer group’s retry policy and switches', async () => {
      const group = unique('conf_cfg')
      const masters = await masterAddrs()
      const created = await h.gateway.createOrUpdateConsumerGroup({
        group,
        retryMaxTimes: 5,
        consumeBroadcastEnable: false,
        consumeMessageOrderly: true,
      })
      expect(created.partial).toBe(false)
      expect(created.data.brokerNames.slice().sort()).toEqual([...masters.keys()].sort())
      const listed = (await h.gateway.listConsumerGroups()).data.find((g) => g.group === group)
      expect(listed).toMatchObject({ system: false, lag: 0, topics: [] })
      expect(listed!.config).toMatchObject({
        group,
        retryMaxTimes: 5,
        consumeBroadcastEnable: false,
        consumeMessageOrderly: true,
        consumeEnable: true,
      })
      expect(listed!.config!.brokerNames.slice().sort()).toEqual([...masters.keys()].sort())

      // An update changes what it names and keeps the rest.
      await h.gateway.createOrUpdateConsumerGroup({ group, retryMaxTimes: 7 })
      expect((await h.gateway.getConsumerGroup(group)).data.config).toMatchObject({
        retryMaxTimes: 7,
        consumeBroadcastEnable: false,
        consumeMessageOrderly: true,
      })

      const deleted = await h.gateway.deleteConsumerGroup(group)
      expect(deleted).toMatchObject({ partial: false })
      expect(deleted.data.brokerNames.slice().sort()).toEqual([...masters.keys()].sort())
      expect((await h.gateway.listConsumerGroups()).data.some((g) => g.group === group)).toBe(false)
    })

    itWhen(capabilities.consume, 'previews and applies offset resets for an offline group', async () => {
      const topic = await freshTopic(2)
      const group = unique('conf_reset')
      await h.gateway.createOrUpdateConsumerGroup({ group })
      for (let i = 0; i < 4; i++) await h.gateway.sendMessage({ topic, body: `r${i}` })
      expect(await h.consume!({ topic, group })).toBe(4)

      const earliest = await h.gateway.previewOffsetReset({ group, topic, target: { kind: 'EARLIEST' } })
      expect(earliest.data).toMatchObject({
        group,
        topic,
        consumerOnline: false,
        replayedTotal: 4,
        skippedTotal: 0,
      })
      for (const q of earliest.data.queues)
        expect(q).toMatchObject({
          currentOffset: q.maxOffset,
          newOffset: 0,
          minOffset: 0,
          replayed: q.maxOffset,
          skipped: 0,
          clamped: false,
        })
      expect(earliest.data.queues.reduce((sum, q) => sum + q.maxOffset, 0)).toBe(4)
      // A preview changes nothing.
      expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(0)
      const applied = await h.gateway.resetOffset({ group, topic, target: { kind: 'EARLIEST' } })
      expect(applied.data).toMatchObject({ status: 'APPLIED' })
      if (applied.data.status === 'APPLIED')
        expect(applied.data.queues.map((q) => q.newOffset)).toEqual(earliest.data.queues.map(() => 0))
      const reset = await h.gateway.getConsumeStats(group, topic)
      expect(reset.data.lag).toBe(4)
      expect(reset.data.queues.every((q) => q.consumerOffset === 0)).toBe(true)
      // The group reads everything again after an EARLIEST reset.
      expect(await h.consume!({ topic, group })).toBe(4)

      await h.gateway.resetOffset({ group, topic, target: { kind: 'EARLIEST' } })
      const latest = await h.gateway.previewOffsetReset({ group, topic, target: { kind: 'LATEST' } })
      expect(latest.data).toMatchObject({ skippedTotal: 4, replayedTotal: 0 })
      await h.gateway.resetOffset({ group, topic, target: { kind: 'LATEST' } })
      expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(0)

      const q = latest.data.queues.find((x) => x.maxOffset > 0)!
      const explicit = await h.gateway.resetOffset({
        group,
        topic,
        target: {
          kind: 'EXPLICIT',
          offsets: [{ brokerName: q.brokerName, queueId: q.queueId, queueOffset: 0 }],
        },
      })
      expect(explicit.data.status).toBe('APPLIED')
      expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(q.maxOffset)
      // An explicit offset past the queue's end is clamped to it.
      const beyond = await h.gateway.previewOffsetReset({
        group,
        topic,
        target: {
          kind: 'EXPLICIT',
          offsets: [{ brokerName: q.brokerName, queueId: q.queueId, queueOffset: 1_000 }],
        },
      })
      expect(
        beyond.data.queues.find((x) => x.queueId === q.queueId && x.brokerName === q.brokerName),
      ).toMatchObject({ currentOffset: 0, newOffset: q.maxOffset, clamped: true, skipped: q.maxOffset })
    })

    itWhen(
      capabilities.consume,
      'resets a group to a point in time: the first message stored at or after it',
      async () => {
        const topic = await freshTopic(1, true)
        const group = unique('conf_time')
        await h.gateway.createOrUpdateConsumerGroup({ group })
        const views: MessageView[] = []
        for (let i = 0; i < 4; i++) {
          // Distinct store times, so a time names exactly one message.
          if (views.length > 0) await clockPast(views.at(-1)!.storeTimestampMs)
          views.push(await stored(await h.gateway.sendMessage({ topic, body: `t${i}` })))
        }
        expect(views.map((v) => v.queueOffset)).toEqual([0, 1, 2, 3])
        expect(await h.consume!({ topic, group })).toBe(4)

        const third = views[2]!.storeTimestampMs
        const preview = await h.gateway.previewOffsetReset({
          group,
          topic,
          target: { kind: 'TIMESTAMP', timestampMs: third },
        })
        expect(preview.data.queues).toEqual([
          expect.objectContaining({ currentOffset: 4, newOffset: 2, replayed: 2, skipped: 0, maxOffset: 4 }),
        ])
        const applied = await h.gateway.resetOffset({
          group,
          topic,
          target: { kind: 'TIMESTAMP', timestampMs: third },
        })
        expect(applied.data.status).toBe('APPLIED')
        const stats = await h.gateway.getConsumeStats(group, topic)
        expect(stats.data.lag).toBe(2)
        expect(stats.data.queues[0]).toMatchObject({ consumerOffset: 2, brokerOffset: 4 })
        expect(stats.data.queues[0]!.lastTimestampMs).toBe(views[1]!.storeTimestampMs)

        // Before the first message: all of it. After the last: nothing on RocketMQ 5 and the engine (the first
        // message stored at or after the time, else the max offset); RocketMQ 4.x searches for the closest store
        // time instead, which is the last message.
        const before = await h.gateway.previewOffsetReset({
          group,
          topic,
          target: { kind: 'TIMESTAMP', timestampMs: views[0]!.storeTimestampMs - 60_000 },
        })
        expect(before.data.queues[0]).toMatchObject({ currentOffset: 2, newOffset: 0, replayed: 2 })
        const after = await h.gateway.previewOffsetReset({
          group,
          topic,
          target: { kind: 'TIMESTAMP', timestampMs: Date.now() + 60_000 },
        })
        expect(after.data.queues[0]).toMatchObject({ currentOffset: 2, maxOffset: 4 })
        expect([3, 4]).toContain(after.data.queues[0]!.newOffset)
        expect(after.data.queues[0]!.skipped).toBe(after.data.queues[0]!.newOffset - 2)
      },
    )

    itWhen(
      capabilities.deadLetter,
      'resends a dead message from the DLQ to its original topic and to the retry topic',
      async () => {
        const topic = await freshTopic(1)
        const group = unique('conf_dlq')
        await h.gateway.createOrUpdateConsumerGroup({ group })
        const key = unique('dead')
        const sent = await h.gateway.sendMessage({
          topic,
          body: 'to the DLQ and back',
          tag: 'Dead',
          keys: [key],
          properties: { order: '42' },
        })
        if (capabilities.consume) expect(await h.consume!({ topic, group })).toBe(1)
        await h.deadLetter!({ group, topic, msgId: sent.msgId })

        const dlqs = await eventually(
          () => h.gateway.listDlqs(),
          (r) => r.data.some((d) => d.group === group && d.messageCount > 0),
        )
        const summary = dlqs.data.find((d) => d.group === group)
        expect(summary).toMatchObject({ topic: `%DLQ%${group}`, messageCount: 1 })
        const page = await h.gateway.browseDlq({ group, pageSize: 10 })
        expect(page.data).toMatchObject({ nextCursor: undefined, scannedTotal: 1 })
        expect(page.data.messages).toHaveLength(1)
        const dead = page.data.messages[0]!
        expect(dead).toMatchObject({
          topic: `%DLQ%${group}`,
          originTopic: topic,
          originMsgId: sent.msgId,
          uniqKey: sent.uniqKey,
          keys: [key],
          tags: 'Dead',
          // A send-back stores a new message with reconsumeTimes + 1.
          reconsumeTimes: 1,
        })
        expect(dead.msgId).not.toBe(sent.msgId)
        expect(dead.properties).toMatchObject({
          order: '42',
          RETRY_TOPIC: topic,
          ORIGIN_MESSAGE_ID: sent.msgId,
        })
        expect(body(dead)).toBe('to the DLQ and back')
        expect(summary!.lastUpdateTimestampMs).toBe(dead.storeTimestampMs)
        expect(
          (await h.gateway.browseDlq({ group, pageSize: 10, filter: { key: 'other' } })).data.messages,
        ).toEqual([])
        if (capabilities.consume) {
          const track = await h.gateway.getMessageDetail({ msgId: sent.msgId })
          expect(track.data?.deliveries.find((d) => d.group === group)).toMatchObject({
            state: 'IN_DLQ',
            dlqMsgIds: [dead.msgId],
          })
        }

        const results = await h.gateway.resendDlqMessages({
          group,
          msgIds: [dead.msgId],
          target: 'ORIGIN_TOPIC',
        })
        expect(results).toHaveLength(1)
        expect(results[0]).toMatchObject({ msgId: dead.msgId, status: 'SENT', topic })
        const copies = await eventually(
          () => h.gateway.queryMessagesByKey({ topic, key }),
          (r) => r.data.length === 2,
        )
        expect(copies.data).toHaveLength(2)
        const resent = copies.data.find((m) => m.msgId !== sent.msgId)!
        const result = results[0]!
        if (result.status === 'SENT')
          expect(resent).toMatchObject({ msgId: result.newMsgId, uniqKey: result.newUniqKey })
        expect(resent).toMatchObject({ topic, tags: 'Dead', keys: [key], reconsumeTimes: 0 })
        expect(resent.uniqKey).not.toBe(sent.uniqKey)
        // It names the DLQ copy it came from and still traces back to the first original (ORIGIN_MESSAGE_ID, kept
        // as a send-back keeps it); retry bookkeeping is dropped, so consumers see a plain message of the topic.
        expect(resent.properties).toMatchObject({
          order: '42',
          RESENT_FROM_DLQ_MSG_ID: dead.msgId,
          ORIGIN_MESSAGE_ID: sent.msgId,
        })
        expect(resent.properties.RETRY_TOPIC).toBeUndefined()
        expect(resent.properties.DELAY).toBeUndefined()
        expect(body(resent)).toBe('to the DLQ and back')
        // The DLQ copy stays where it was.
        expect((await h.gateway.listDlqs()).data.find((d) => d.group === group)?.messageCount).toBe(1)

        const toRetry = await h.gateway.resendDlqMessages({
          group,
          msgIds: [dead.msgId],
          target: 'RETRY_TOPIC',
        })
        expect(toRetry[0]).toMatchObject({ msgId: dead.msgId, status: 'SENT', topic: `%RETRY%${group}` })
        const retryResult = toRetry[0]!
        if (retryResult.status === 'SENT') {
          const retried = await h.gateway.viewMessage({ msgId: retryResult.newMsgId })
          expect(retried.data[0]).toMatchObject({ topic: `%RETRY%${group}`, keys: [key] })
          // A consumer of the retry topic restores the original topic from RETRY_TOPIC.
          expect(retried.data[0]!.properties.RETRY_TOPIC).toBe(topic)
          expect(body(retried.data[0]!)).toBe('to the DLQ and back')
        }

        const others = await h.gateway.resendDlqMessages({
          group,
          msgIds: [sent.msgId, absentMsgId(sent.msgId)],
          target: 'ORIGIN_TOPIC',
        })
        expect(others.map((r) => r.status)).toEqual(['NOT_A_DLQ_MESSAGE', 'NOT_FOUND'])
      },
    )

    it('deletes a topic from its brokers and the NameServer', async () => {
      const topic = await freshTopic(1)
      const before = (await h.gateway.getTopicConfig(topic)).data!.brokers.map((b) => b.brokerName).sort()
      await h.gateway.sendMessage({ topic, body: 'doomed' })
      const deleted = await h.gateway.deleteTopic(topic)
      expect(deleted.partial).toBe(false)
      expect(deleted.data.brokerNames.slice().sort()).toEqual(before)
      expect((await h.gateway.listTopics()).data.some((t) => t.topic === topic)).toBe(false)
      expect(
        await eventually(
          () => h.gateway.getTopicRoute(topic),
          (r) => r === undefined,
        ),
      ).toBeUndefined()
      expect((await h.gateway.getTopicStats(topic)).data).toBeUndefined()
      expect((await h.gateway.getTopicConfig(topic)).data).toBeUndefined()
      expect((await appErrorOf(h.gateway.sendMessage({ topic, body: 'too late' }))).code).toBe('NOT_FOUND')
    })

    it('answers transactions and producers with typed capabilities and outcomes', async () => {
      const pending = await h.gateway.listPendingTransactions()
      if (pending.supported) expect(Array.isArray(pending.value.data)).toBe(true)
      else expect(pending.reason.length).toBeGreaterThan(0)

      const topic = await freshTopic(1)
      const sent = await h.gateway.sendMessage({ topic, body: 'not a half message' })
      const ended = await h.gateway.endTransaction({ msgId: sent.msgId, action: 'COMMIT' })
      if (ended.supported) {
        expect(ended.value.status).toBe('NOT_A_HALF_MESSAGE')
        const absent = await h.gateway.endTransaction({ msgId: absentMsgId(sent.msgId), action: 'ROLLBACK' })
        expect(absent.supported && absent.value.status).toBe('NOT_FOUND')
      } else expect(ended.reason.length).toBeGreaterThan(0)
      // Committing a normal message changed nothing.
      expect((await h.gateway.getTopicStats(topic)).data!.messageCount).toBe(1)

      const producers = await h.gateway.listProducers()
      if (producers.supported) expect(producers.value.partial).toBe(false)
      else expect(producers.reason.length).toBeGreaterThan(0)
      expect((await h.gateway.getProducerConnections(unique('no_producer'))).data).toEqual([])
    })

    it('refuses malformed input with VALIDATION_FAILED and field errors', async () => {
      const err = await appErrorOf(
        h.gateway.createOrUpdateTopic({
          topic: 'not a topic!',
          readQueueNums: 0,
          writeQueueNums: 4,
          perm: 6,
        }),
      )
      expect(err.code).toBe('VALIDATION_FAILED')
      expect(Object.keys(err.fieldErrors ?? {})).toEqual(expect.arrayContaining(['topic', 'readQueueNums']))
      expect((await appErrorOf(h.gateway.viewMessage({ msgId: 'zz' }))).code).toBe('VALIDATION_FAILED')
      const reserved = await appErrorOf(
        h.gateway.sendMessage({ topic: 'AnyTopic', body: 'x', properties: { UNIQ_KEY: 'forged' } }),
      )
      expect(reserved.code).toBe('VALIDATION_FAILED')
      expect(Object.keys(reserved.fieldErrors ?? {})).toEqual(['properties'])
      const paging = await appErrorOf(
        h.gateway.queryMessagesByTime({ topic: 'AnyTopic', beginMs: 0, endMs: 1, pageSize: 0 }),
      )
      expect(Object.keys(paging.fieldErrors ?? {})).toEqual(['pageSize'])
      const resend = await appErrorOf(
        h.gateway.resendDlqMessages({ group: 'g', msgIds: [], target: 'ORIGIN_TOPIC' }),
      )
      expect(Object.keys(resend.fieldErrors ?? {})).toEqual(['msgIds'])
    })
  })
}
