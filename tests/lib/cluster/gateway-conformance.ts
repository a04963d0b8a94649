// The ClusterGateway conformance suite: the same cases, run against every implementation (the remote gateway
// pointed at `npm run broker`, the embedded gateway), so both paths give the same answers. Call
// runGatewayConformance(name, makeGateway) from a *.test.ts file; each case owns its topics and groups.
//
// Besides the gateway, two cases need the harness to act as a client: `consume` (read and commit a group's
// offsets, as a consumer does) and `deadLetter` (move a message into a group's DLQ, as a consumer's failed
// send-back does). remoteHarnessHooks() (remote-harness.ts) implements both over remoting for any broker; the
// embedded harness can use the engine's in-process clients. A harness without them skips those two cases.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors'
import type { ClusterGateway, MessageView } from '@/lib/cluster/gateway'

export interface GatewayHarness {
  readonly gateway: ClusterGateway
  close(): Promise<void>
  /** Consumes every message now in `topic` as `group` and commits the offsets; resolves with how many. */
  consume?(input: { topic: string; group: string }): Promise<number>
  /** Moves the message with this offset id into `group`'s DLQ (a send-back with delay level −1). */
  deadLetter?(input: { group: string; topic: string; msgId: string }): Promise<void>
}

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

const body = (m: MessageView) => Buffer.from(m.bodyBase64, 'base64').toString('utf8')

export function runGatewayConformance(name: string, makeGateway: () => Promise<GatewayHarness>): void {
  describe(`ClusterGateway conformance: ${name}`, () => {
    let h: GatewayHarness
    const run = randomBytes(4).toString('hex')
    let serial = 0
    const unique = (prefix: string) => `${prefix}_${run}_${++serial}`

    beforeAll(async () => {
      h = await makeGateway()
    })

    afterAll(async () => {
      await h?.close()
    })

    async function freshTopic(queueNums = 4): Promise<string> {
      const topic = unique('conf_topic')
      const created = await h.gateway.createOrUpdateTopic({
        topic,
        readQueueNums: queueNums,
        writeQueueNums: queueNums,
        perm: 6,
      })
      expect(created.partial).toBe(false)
      await eventually(
        () => h.gateway.getTopicRoute(topic),
        (route) => route !== undefined,
      )
      return topic
    }

    it('describes the cluster: at least one master with runtime figures, reachable NameServers', async () => {
      const info = await h.gateway.getClusterInfo()
      expect(info.partial).toBe(false)
      const masters = info.data.brokers.filter((b) => b.role === 'MASTER')
      expect(masters.length).toBeGreaterThan(0)
      for (const m of masters) {
        expect(m.runtime).toBeDefined()
        expect(info.data.clusters.some((c) => c.brokerNames.includes(m.brokerName))).toBe(true)
      }
      const namesrvs = await h.gateway.listNameServers()
      expect(namesrvs.some((n) => n.reachable)).toBe(true)
      const config = await h.gateway.getBrokerConfig({ brokerName: masters[0]!.brokerName })
      expect(config?.brokerName).toBe(masters[0]!.brokerName)
    })

    it('creates a topic, then lists it with its queues, route and empty queue offsets', async () => {
      const topic = await freshTopic(4)
      const topics = await h.gateway.listTopics()
      const listed = topics.data.find((t) => t.topic === topic)
      expect(listed).toMatchObject({ kind: 'NORMAL' })
      expect(listed!.brokers.length).toBeGreaterThan(0)
      for (const b of listed!.brokers)
        expect(b).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6 })
      const route = await h.gateway.getTopicRoute(topic)
      expect(route!.queues.every((q) => q.readQueueNums === 4 && q.writeQueueNums === 4)).toBe(true)
      const stats = await h.gateway.getTopicStats(topic)
      expect(stats.data!.queues).toHaveLength(4 * listed!.brokers.length)
      expect(stats.data!.messageCount).toBe(0)
      const config = await h.gateway.getTopicConfig(topic)
      expect(config.data?.topic).toBe(topic)
      // Classification of the topics every cluster has.
      expect(topics.data.find((t) => t.topic === 'TBW102')?.kind ?? 'SYSTEM').toBe('SYSTEM')
      expect(topics.data.filter((t) => t.topic.startsWith('%RETRY%')).every((t) => t.kind === 'RETRY')).toBe(
        true,
      )
    })

    it('sends a test message and finds it by key, by offset id, by UNIQ_KEY and by topic + time range', async () => {
      const topic = await freshTopic(2)
      const key = unique('key')
      const beforeMs = Date.now() - 1_000
      const sent = await h.gateway.sendMessage({
        topic,
        body: 'conformance body',
        tag: 'ConfTag',
        keys: [key],
        properties: { origin: 'conformance' },
      })
      expect(sent.status).toBe('SEND_OK')
      expect(sent.topic).toBe(topic)

      const byKey = await eventually(
        () => h.gateway.queryMessagesByKey({ topic, key }),
        (r) => r.data.length > 0,
      )
      expect(byKey.data.map((m) => m.msgId)).toEqual([sent.msgId])
      const m = byKey.data[0]!
      expect(m).toMatchObject({
        topic,
        tags: 'ConfTag',
        keys: [key],
        uniqKey: sent.uniqKey,
        queueId: sent.queueId,
        queueOffset: sent.queueOffset,
      })
      expect(m.properties.origin).toBe('conformance')
      expect(body(m)).toBe('conformance body')

      expect((await h.gateway.viewMessage({ msgId: sent.msgId })).data.map((x) => x.msgId)).toEqual([
        sent.msgId,
      ])
      const byUniq = await eventually(
        () => h.gateway.viewMessage({ msgId: sent.uniqKey, topic }),
        (r) => r.data.length > 0,
      )
      expect(byUniq.data.map((x) => x.msgId)).toEqual([sent.msgId])

      const page = await h.gateway.queryMessagesByTime({
        topic,
        beginMs: beforeMs,
        endMs: Date.now() + 60_000,
        pageSize: 10,
      })
      expect(page.data.messages.map((x) => x.msgId)).toEqual([sent.msgId])
      expect(page.data.totalInRange).toBeGreaterThanOrEqual(1)
      expect(page.data.nextCursor).toBeUndefined()
      const filtered = await h.gateway.queryMessagesByTime({
        topic,
        beginMs: beforeMs,
        endMs: Date.now() + 60_000,
        pageSize: 10,
        filter: { tag: 'OtherTag' },
      })
      expect(filtered.data.messages).toEqual([])
    })

    it('reports a group’s consume stats and delivery state after it consumed', async (ctx) => {
      if (!h.consume) return ctx.skip()
      const topic = await freshTopic(2)
      const group = unique('conf_group')
      await h.gateway.createOrUpdateConsumerGroup({ group })
      const sent = []
      for (let i = 0; i < 3; i++)
        sent.push(await h.gateway.sendMessage({ topic, body: `m${i}`, keys: [unique('k')] }))
      expect(await h.consume({ topic, group })).toBe(3)

      const stats = await h.gateway.getConsumeStats(group, topic)
      expect(stats.data.lag).toBe(0)
      expect(stats.data.queues.reduce((sum, q) => sum + q.consumerOffset, 0)).toBe(3)
      const groups = await h.gateway.listConsumerGroups()
      expect(groups.data.find((g) => g.group === group)).toMatchObject({ lag: 0 })
      const detail = await h.gateway.getMessageDetail({ msgId: sent[0]!.msgId })
      expect(detail.data?.deliveries.find((d) => d.group === group)?.state).toBe('CONSUMED')
      const consumers = await h.gateway.getTopicConsumers(topic)
      expect(consumers.data.find((c) => c.group === group)?.lag).toBe(0)
    })

    it('previews and applies offset resets for an offline group', async (ctx) => {
      if (!h.consume) return ctx.skip()
      const topic = await freshTopic(2)
      const group = unique('conf_reset')
      await h.gateway.createOrUpdateConsumerGroup({ group })
      for (let i = 0; i < 4; i++) await h.gateway.sendMessage({ topic, body: `r${i}` })
      await h.consume({ topic, group })

      const earliest = await h.gateway.previewOffsetReset({ group, topic, target: { kind: 'EARLIEST' } })
      expect(earliest.data).toMatchObject({ consumerOnline: false, replayedTotal: 4, skippedTotal: 0 })
      const applied = await h.gateway.resetOffset({ group, topic, target: { kind: 'EARLIEST' } })
      expect(applied.data.status).toBe('APPLIED')
      expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(4)

      const latest = await h.gateway.previewOffsetReset({ group, topic, target: { kind: 'LATEST' } })
      expect(latest.data.skippedTotal).toBe(4)
      await h.gateway.resetOffset({ group, topic, target: { kind: 'LATEST' } })
      expect((await h.gateway.getConsumeStats(group, topic)).data.lag).toBe(0)

      const q = latest.data.queues[0]!
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
    })

    it('resends a dead message from the DLQ to its original topic through a producer', async (ctx) => {
      if (!h.deadLetter) return ctx.skip()
      const topic = await freshTopic(1)
      const group = unique('conf_dlq')
      await h.gateway.createOrUpdateConsumerGroup({ group })
      const key = unique('dead')
      const sent = await h.gateway.sendMessage({ topic, body: 'to the DLQ and back', keys: [key] })
      await h.deadLetter({ group, topic, msgId: sent.msgId })

      const dlqs = await eventually(
        () => h.gateway.listDlqs(),
        (r) => r.data.some((d) => d.group === group && d.messageCount > 0),
      )
      expect(dlqs.data.find((d) => d.group === group)).toMatchObject({
        topic: `%DLQ%${group}`,
        messageCount: 1,
      })
      const page = await h.gateway.browseDlq({ group, pageSize: 10 })
      expect(page.data.messages).toHaveLength(1)
      const dead = page.data.messages[0]!
      expect(dead).toMatchObject({ originTopic: topic, keys: [key] })
      expect(body(dead)).toBe('to the DLQ and back')

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
      const resent = copies.data.find((m) => m.msgId !== sent.msgId)!
      expect(resent.properties.RESENT_FROM_DLQ_MSG_ID).toBe(dead.msgId)
      expect(body(resent)).toBe('to the DLQ and back')
      expect(
        (await h.gateway.resendDlqMessages({ group, msgIds: [sent.msgId], target: 'ORIGIN_TOPIC' }))[0]!
          .status,
      ).toBe('NOT_A_DLQ_MESSAGE')
    })

    it('deletes a topic from its brokers and the NameServer', async () => {
      const topic = await freshTopic(1)
      const deleted = await h.gateway.deleteTopic(topic)
      expect(deleted.partial).toBe(false)
      expect(deleted.data.brokerNames.length).toBeGreaterThan(0)
      expect((await h.gateway.listTopics()).data.some((t) => t.topic === topic)).toBe(false)
      expect(
        await eventually(
          () => h.gateway.getTopicRoute(topic),
          (r) => r === undefined,
        ),
      ).toBeUndefined()
    })

    it('answers whether it can list pending transactions with a typed capability', async () => {
      const pending = await h.gateway.listPendingTransactions()
      if (pending.supported) expect(Array.isArray(pending.value.data)).toBe(true)
      else expect(pending.reason.length).toBeGreaterThan(0)
    })

    it('refuses malformed input with VALIDATION_FAILED and field errors', async () => {
      const err = await h.gateway
        .createOrUpdateTopic({ topic: 'not a topic!', readQueueNums: 0, writeQueueNums: 4, perm: 6 })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('VALIDATION_FAILED')
      expect(Object.keys((err as AppError).fieldErrors ?? {})).toEqual(
        expect.arrayContaining(['topic', 'readQueueNums']),
      )
      const missing = await h.gateway.viewMessage({ msgId: 'zz' }).catch((e: unknown) => e)
      expect((missing as AppError).code).toBe('VALIDATION_FAILED')
    })
  })
}
