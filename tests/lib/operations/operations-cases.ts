// The console's operations as its server actions run them — the lib services, through runMutation with the audit
// row and the idempotency key — against one target cluster: DLQ resend, offset reset, transactions, topic and
// group admin, a test message, and the refusals. Run on the embedded engine (operations-embedded.test.ts) and on a
// `npm run broker` child process (operations-remote.test.ts); each case checks the broker itself over remoting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RemotingClient, SCHEDULE_TOPIC } from '@/broker-engine/index'
import type { Actor } from '@/lib/auth/session'
import type { MessageView } from '@/lib/cluster/gateway'
import { consoleContext, type ConsoleContext } from '@/lib/console/console-context'
import { createGroup, deleteGroup, groupDeleteImpact, updateGroup } from '@/lib/console/group-admin'
import { parseListParams } from '@/lib/console/list-query'
import { applyOffsetReset, previewOffsetReset } from '@/lib/console/offset-reset'
import { sendTestMessage } from '@/lib/console/send-message'
import { invalidateSnapshots } from '@/lib/console/snapshot-cache'
import { createTopic, deleteTopic, topicDeleteImpact, updateTopic } from '@/lib/console/topic-admin'
import { endTransactions, listTransactionPage } from '@/lib/console/transactions'
import { db, type AuditLog } from '@/lib/db'
import { getDlqResendResults, waitForDlqResendJob } from '@/lib/dlq/read-dlq-resend-job'
import type { StartDlqResendInput } from '@/lib/dlq/dlq-schemas'
import { startDlqResend } from '@/lib/dlq/start-dlq-resend'
import { ADMIN, newKey, OPERATOR, rejection, VIEWER } from '../console/admin-fixture'
import { countingGateway } from '../console/console-fixture'
import { seedDeadLetters } from '../dlq/dlq-fixture'
import { eventually } from '../cluster/gateway-conformance'
import { sendHalfMessage, type SentHalfMessage } from './half-message'
import type { OperationsTarget } from './operations-target'

export type { OperationsTarget } from './operations-target'

let nameSeq = 0
/** Topic and group names of one case: unique per run, so no case sees another's data. */
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++nameSeq}`

/** Resolves once the wall clock is past `ms`, so a message stored next gets a later store time. */
async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setTimeout(resolve, ms + 1 - Date.now()))
}

const bodyOf = (m: MessageView) => Buffer.from(m.bodyBase64, 'base64').toString('utf8')

const auditRows = (idempotencyKey: string): Promise<AuditLog[]> =>
  db().auditLog.findMany({ where: { idempotencyKey }, orderBy: { id: 'asc' } })

/** The rows of a key once none is PENDING (a DLQ job completes its row just after the job ends). */
const settledAuditRows = (idempotencyKey: string): Promise<AuditLog[]> =>
  eventually(
    () => auditRows(idempotencyKey),
    (rows) => rows.length > 0 && rows.every((r) => r.result !== 'PENDING'),
  )

export function runOperationsCases(name: string, makeTarget: () => Promise<OperationsTarget>): void {
  describe(name, () => {
    let t: OperationsTarget
    let remoting: RemotingClient

    beforeAll(async () => {
      t = await makeTarget()
      remoting = new RemotingClient()
    })

    afterAll(async () => {
      remoting?.close()
      await t?.close()
    })

    /** The context a page or server action builds for the cluster in its URL. */
    const ctx = (): Promise<ConsoleContext> => consoleContext(t.cluster)
    const broker = () => t.harness.gateway
    const messageCount = async (topic: string) =>
      (await broker().getTopicStats(topic)).data?.messageCount ?? 0
    const byKey = async (topic: string, key: string) =>
      (await broker().queryMessagesByKey({ topic, key })).data
    /** The group's committed offset per queue, by queue id. */
    const committedOffsets = async (group: string, topic: string) =>
      (await broker().getConsumeStats(group, topic)).data.queues
        .slice()
        .sort((a, b) => a.queueId - b.queueId)
        .map((q) => q.consumerOffset)
    const masterAddr = async (topic: string) => {
      const route = await eventually(
        () => broker().getTopicRoute(topic),
        (r) => r !== undefined,
      )
      const addr = route?.brokers[0]?.addrs['0']
      if (!addr) throw new Error(`no master for ${topic}`)
      return addr
    }

    /** The audit row of a first (not replayed) run: SUCCEEDED, by `actor`, on this cluster. */
    async function expectSucceeded(
      idempotencyKey: string,
      actor: Actor,
      expected: { action: string; targetType: string; targetId: string },
    ): Promise<AuditLog> {
      const rows = await settledAuditRows(idempotencyKey)
      const first = rows.filter((r) => !r.replayed)
      expect(first).toHaveLength(1)
      expect(first[0]).toMatchObject({
        ...expected,
        actor: actor.username,
        cluster: t.cluster,
        result: 'SUCCEEDED',
        errorCode: null,
      })
      return first[0]!
    }

    /** The key's rows are [the first run, its replay], both SUCCEEDED. */
    async function expectReplayRow(idempotencyKey: string): Promise<void> {
      const rows = await settledAuditRows(idempotencyKey)
      expect(rows.map((r) => [r.result, r.replayed])).toEqual([
        ['SUCCEEDED', false],
        ['SUCCEEDED', true],
      ])
    }

    /** The one row of a refused attempt: FAILED with FORBIDDEN. */
    async function expectRefused(
      idempotencyKey: string,
      actor: Actor,
      cluster: string,
      action: string,
    ): Promise<void> {
      const rows = await auditRows(idempotencyKey)
      expect(rows, `${action}: one audit row for the refused attempt`).toHaveLength(1)
      expect(rows[0]).toMatchObject({
        action,
        actor: actor.username,
        cluster,
        result: 'FAILED',
        errorCode: 'FORBIDDEN',
      })
    }

    async function resendAndWait(actor: Actor, input: Omit<StartDlqResendInput, 'cluster'>) {
      const started = await startDlqResend(actor, { cluster: t.cluster, ...input })
      const view = await waitForDlqResendJob(t.cluster, started.jobId)
      const results = getDlqResendResults(t.cluster, started.jobId, { pageSize: 500 })
      return { started, view, results }
    }

    /** A topic with `queues` queues and a consumer group, created over remoting as a client's admin tool would. */
    async function seedTopicAndGroup(prefix: string, queues: number) {
      const topic = unique(`${prefix}_topic`)
      const group = unique(`${prefix}_group`)
      await broker().createOrUpdateTopic({
        topic,
        readQueueNums: queues,
        writeQueueNums: queues,
        perm: 6,
      })
      await broker().createOrUpdateConsumerGroup({ group })
      return { topic, group }
    }

    // -----------------------------------------------------------------------------------------------------------

    it('DLQ: resends one message to its origin topic and a batch to the retry topic; repeats send nothing more', async () => {
      const { topic, group, dlqMsgIds } = await seedDeadLetters(t.harness, 4, { prefix: 'ops_dlq' })
      const retryTopic = `%RETRY%${group}`
      const originBefore = await messageCount(topic)
      expect(originBefore).toBe(4)

      // One message back to where it came from.
      const oneKey = newKey('ops-dlq-one')
      const one = await resendAndWait(OPERATOR, {
        group,
        selection: { msgIds: [dlqMsgIds[0]!] },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: oneKey,
      })
      expect(one.started.replayed).toBe(false)
      expect(one.view).toMatchObject({ status: 'DONE', total: 1, sent: 1, failed: 0, skipped: 0 })
      expect(one.results.items).toEqual([
        expect.objectContaining({ msgId: dlqMsgIds[0], status: 'SENT', topic }),
      ])
      expect(await messageCount(topic)).toBe(originBefore + 1)
      const [resent] = (await broker().viewMessage({ msgId: one.results.items[0]!.newMsgId! })).data
      expect(resent).toMatchObject({ topic, properties: { RESENT_FROM_DLQ_MSG_ID: dlqMsgIds[0] } })
      const oneRow = await expectSucceeded(oneKey, OPERATOR, {
        action: 'dlq.resend',
        targetType: 'dlq',
        targetId: group,
      })
      expect(JSON.parse(oneRow.resultJson!)).toMatchObject({
        jobId: one.started.jobId,
        status: 'DONE',
        sent: 1,
      })

      // A batch of the other three to the group's retry topic.
      const batchIds = dlqMsgIds.slice(1)
      const batchInput = {
        group,
        selection: { msgIds: batchIds },
        target: 'RETRY_TOPIC' as const,
        idempotencyKey: newKey('ops-dlq-batch'),
      }
      const batch = await resendAndWait(OPERATOR, batchInput)
      expect(batch.view).toMatchObject({ status: 'DONE', total: 3, sent: 3, failed: 0, skipped: 0 })
      for (const item of batch.results.items)
        expect(item).toMatchObject({ status: 'SENT', topic: retryTopic })
      expect(new Set(batch.results.items.map((r) => r.msgId))).toEqual(new Set(batchIds))
      expect(await messageCount(retryTopic)).toBe(3)
      const batchRow = await expectSucceeded(batchInput.idempotencyKey, OPERATOR, {
        action: 'dlq.resend',
        targetType: 'dlq',
        targetId: group,
      })
      expect(JSON.parse(batchRow.requestJson)).toMatchObject({ group, target: 'RETRY_TOPIC' })

      // The same key again (a double submit): the same job, nothing sent.
      const again = await startDlqResend(OPERATOR, { cluster: t.cluster, ...batchInput })
      expect(again).toMatchObject({ jobId: batch.started.jobId, replayed: true })
      expect(await messageCount(retryTopic)).toBe(3)

      // A new intent over all four: each was resent once already, so all are SKIPPED.
      const allKey = newKey('ops-dlq-all')
      const all = await resendAndWait(OPERATOR, {
        group,
        selection: { msgIds: dlqMsgIds },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: allKey,
      })
      expect(all.view).toMatchObject({ status: 'DONE', total: 4, sent: 0, failed: 0, skipped: 4 })
      expect(all.results.items.every((r) => r.status === 'SKIPPED')).toBe(true)
      expect(await messageCount(topic)).toBe(originBefore + 1)
      expect(await messageCount(retryTopic)).toBe(3)
      const allRow = await expectSucceeded(allKey, OPERATOR, {
        action: 'dlq.resend',
        targetType: 'dlq',
        targetId: group,
      })
      expect(JSON.parse(allRow.resultJson!)).toMatchObject({ sent: 0, skipped: 4 })
    })

    it('offset reset of an offline group: preview, apply to earliest and to a time; committed offsets match', async () => {
      const { topic, group } = await seedTopicAndGroup('ops_reset', 2)
      const earlyPerQueue = [0, 0]
      for (let i = 0; i < 3; i++) {
        const sent = await broker().sendMessage({ topic, body: `early ${i}` })
        earlyPerQueue[sent.queueId]! += 1
      }
      // Every early message is stored by now (the send answered): later ones get a later store time than `splitMs`.
      await clockPast(Date.now())
      const splitMs = Date.now()
      for (let i = 0; i < 3; i++) await broker().sendMessage({ topic, body: `late ${i}` })
      expect(await t.harness.consume!({ topic, group })).toBe(6)
      const c = await ctx()

      const earliest = { group, topic, target: { kind: 'EARLIEST' as const } }
      const preview = await previewOffsetReset(c, earliest)
      expect(preview.partial).toBe(false)
      expect(preview.data).toMatchObject({
        group,
        topic,
        consumerOnline: false,
        skippedTotal: 0,
        replayedTotal: 6,
      })
      expect(preview.data.queues.map((q) => q.queueId).sort()).toEqual([0, 1])
      for (const q of preview.data.queues)
        expect(q).toMatchObject({
          currentOffset: q.maxOffset,
          newOffset: 0,
          replayed: q.maxOffset,
          skipped: 0,
        })
      const byQueue = (queues: readonly { queueId: number; newOffset: number }[]) =>
        queues
          .slice()
          .sort((a, b) => a.queueId - b.queueId)
          .map((q) => q.newOffset)
      expect(await committedOffsets(group, topic)).toEqual(
        preview.data.queues
          .slice()
          .sort((a, b) => a.queueId - b.queueId)
          .map((q) => q.currentOffset),
      )

      const earliestInput = { ...earliest, idempotencyKey: newKey('ops-reset-earliest') }
      const applied = await applyOffsetReset(OPERATOR, c, earliestInput)
      expect(applied.replayed).toBe(false)
      expect(applied.outcome.data.status).toBe('APPLIED')
      if (applied.outcome.data.status === 'APPLIED')
        expect(byQueue(applied.outcome.data.queues)).toEqual(byQueue(preview.data.queues))
      expect(await committedOffsets(group, topic)).toEqual(byQueue(preview.data.queues))
      const row = await expectSucceeded(earliestInput.idempotencyKey, OPERATOR, {
        action: 'offset.reset',
        targetType: 'consumerGroup',
        targetId: group,
      })
      expect(JSON.parse(row.requestJson)).toEqual({ group, topic, target: { kind: 'EARLIEST' } })
      expect(JSON.parse(row.resultJson!)).toMatchObject({ status: 'APPLIED', replayed: 6, skipped: 0 })

      // The group catches up; the same intent again must not rewind it a second time.
      expect(await t.harness.consume!({ topic, group })).toBe(6)
      const caughtUp = await committedOffsets(group, topic)
      const again = await applyOffsetReset(OPERATOR, c, earliestInput)
      expect(again.replayed).toBe(true)
      expect(again.outcome).toEqual(applied.outcome)
      expect(await committedOffsets(group, topic)).toEqual(caughtUp)
      await expectReplayRow(earliestInput.idempotencyKey)

      // To a time: each queue to its first message stored at or after it, i.e. past its early messages.
      const atTime = { group, topic, target: { kind: 'TIMESTAMP' as const, timestampMs: splitMs } }
      const timePreview = await previewOffsetReset(c, atTime)
      expect(byQueue(timePreview.data.queues)).toEqual(earlyPerQueue)
      expect(timePreview.data).toMatchObject({ skippedTotal: 0, replayedTotal: 3 })
      const timeInput = { ...atTime, idempotencyKey: newKey('ops-reset-time') }
      const timeApplied = await applyOffsetReset(OPERATOR, c, timeInput)
      expect(timeApplied.outcome.data.status).toBe('APPLIED')
      expect(await committedOffsets(group, topic)).toEqual(byQueue(timePreview.data.queues))
      await expectSucceeded(timeInput.idempotencyKey, OPERATOR, {
        action: 'offset.reset',
        targetType: 'consumerGroup',
        targetId: group,
      })
      expect(await t.harness.consume!({ topic, group })).toBe(3)
    })

    it('transactions: lists the half messages, commits one (it becomes consumable), rolls back another (never seen)', async () => {
      const { topic, group } = await seedTopicAndGroup('ops_tx', 1)
      const producerGroup = unique('ops_tx_producer')
      const addr = await masterAddr(topic)
      const commitKey = `${topic}-commit`
      const rollbackKey = `${topic}-rollback`
      const toCommit = await sendHalfMessage(remoting, addr, {
        topic,
        producerGroup,
        keys: [commitKey],
        body: 'commit me',
      })
      const toRollBack = await sendHalfMessage(remoting, addr, {
        topic,
        producerGroup,
        keys: [rollbackKey],
        body: 'roll me back',
      })
      expect(await messageCount(topic)).toBe(0)
      const c = await ctx()

      const pending = async () => {
        invalidateSnapshots(t.cluster)
        return listTransactionPage(c, parseListParams({ q: topic, pageSize: '100' }))
      }
      const listed = await pending()
      if (t.listsHalfMessages) {
        expect(listed.supported).toBe(true)
        if (listed.supported) {
          const rows = listed.page.rows.slice().sort((a, b) => a.keys[0]!.localeCompare(b.keys[0]!))
          expect(rows).toEqual([
            expect.objectContaining({
              topic,
              producerGroup,
              msgId: toCommit.offsetMsgId,
              uniqKey: toCommit.uniqKey,
              keys: [commitKey],
              checkTimes: 0,
            }),
            expect.objectContaining({
              topic,
              producerGroup,
              msgId: toRollBack.offsetMsgId,
              uniqKey: toRollBack.uniqKey,
              keys: [rollbackKey],
              checkTimes: 0,
            }),
          ])
        }
      } else {
        // RocketMQ has no request that lists half messages: the page says so, and they are ended by id.
        expect(listed).toMatchObject({ supported: false })
        if (!listed.supported) expect(listed.reason).toMatch(/half messages/)
      }

      const end = (half: SentHalfMessage, action: 'COMMIT' | 'ROLLBACK', idempotencyKey: string) =>
        endTransactions(OPERATOR, c, { msgIds: [half.offsetMsgId], action, idempotencyKey })

      const commitInput = newKey('ops-tx-commit')
      const committed = await end(toCommit, 'COMMIT', commitInput)
      expect(committed).toMatchObject({
        replayed: false,
        outcome: {
          action: 'COMMIT',
          done: 1,
          failed: 0,
          results: [{ msgId: toCommit.offsetMsgId, status: 'DONE' }],
        },
      })
      expect(await messageCount(topic)).toBe(1)
      const [found] = await eventually(
        () => byKey(topic, commitKey),
        (rows) => rows.length > 0,
      )
      expect(found).toMatchObject({ topic, uniqKey: toCommit.uniqKey })
      expect(bodyOf(found!)).toBe('commit me')
      expect(await t.harness.consume!({ topic, group })).toBe(1)
      await expectSucceeded(commitInput, OPERATOR, {
        action: 'transaction.commit',
        targetType: 'halfMessage',
        targetId: toCommit.offsetMsgId,
      })

      const again = await end(toCommit, 'COMMIT', commitInput)
      expect(again.replayed).toBe(true)
      expect(again.outcome).toEqual(committed.outcome)
      expect(await messageCount(topic)).toBe(1)
      await expectReplayRow(commitInput)

      const rollbackInput = newKey('ops-tx-rollback')
      const rolledBack = await end(toRollBack, 'ROLLBACK', rollbackInput)
      expect(rolledBack.outcome).toMatchObject({ action: 'ROLLBACK', done: 1, failed: 0 })
      await expectSucceeded(rollbackInput, OPERATOR, {
        action: 'transaction.rollback',
        targetType: 'halfMessage',
        targetId: toRollBack.offsetMsgId,
      })
      expect(await messageCount(topic)).toBe(1)
      expect(await byKey(topic, rollbackKey)).toEqual([])
      expect(await t.harness.consume!({ topic, group })).toBe(0)

      const after = await pending()
      if (after.supported) expect(after.page.rows).toEqual([])
    })

    it('topic admin: create (queues, perm, type), update, delete with an impact preview', async () => {
      const c = await ctx()
      const topic = unique('ops_admin_topic')
      const config = async () => (await broker().getTopicConfig(topic)).data

      const createInput = {
        idempotencyKey: newKey('ops-topic-create'),
        topic,
        readQueueNums: 2,
        writeQueueNums: 2,
        perm: 'RW' as const,
        messageType: 'NORMAL' as const,
      }
      const created = await createTopic(ADMIN, c, createInput)
      expect(created.replayed).toBe(false)
      expect(created.outcome.data.brokerNames).toHaveLength(1)
      const brokerName = created.outcome.data.brokerNames[0]!
      expect(await config()).toMatchObject({ readQueueNums: 2, writeQueueNums: 2, messageType: 'NORMAL' })
      expect((await config())?.brokers).toEqual([expect.objectContaining({ brokerName, perm: 6 })])
      const createRow = await expectSucceeded(createInput.idempotencyKey, ADMIN, {
        action: 'topic.create',
        targetType: 'topic',
        targetId: topic,
      })
      expect(JSON.parse(createRow.requestJson)).toMatchObject({ topic, readQueueNums: 2, perm: 6 })
      // A second run would be CONFLICT (it exists): the repeat is a replay instead.
      const again = await createTopic(ADMIN, c, createInput)
      expect(again).toMatchObject({ replayed: true, outcome: created.outcome })
      await expectReplayRow(createInput.idempotencyKey)

      // A consumer with lag, for the impact preview.
      const group = unique('ops_admin_reader')
      await broker().createOrUpdateConsumerGroup({ group })
      await eventually(
        () => broker().getTopicRoute(topic),
        (r) => r !== undefined,
      )
      for (let i = 0; i < 3; i++) await broker().sendMessage({ topic, body: `m${i}` })
      expect(await t.harness.consume!({ topic, group })).toBe(3)
      for (let i = 0; i < 2; i++) await broker().sendMessage({ topic, body: `lag ${i}` })

      const updateKey = newKey('ops-topic-update')
      const updated = await updateTopic(ADMIN, c, {
        idempotencyKey: updateKey,
        topic,
        readQueueNums: 4,
        writeQueueNums: 4,
        perm: 'R',
        messageType: 'FIFO',
      })
      expect(updated.outcome.data.brokerNames).toEqual([brokerName])
      expect(await config()).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, messageType: 'FIFO' })
      expect((await config())?.brokers[0]).toMatchObject({ perm: 4, order: true })
      await expectSucceeded(updateKey, ADMIN, {
        action: 'topic.update',
        targetType: 'topic',
        targetId: topic,
      })

      const impact = await topicDeleteImpact(c, { topic })
      expect(impact).toMatchObject({
        topic,
        exists: true,
        brokerNames: [brokerName],
        messageCount: 5,
        totalLag: 2,
        partial: false,
      })
      expect(impact.consumers).toEqual([expect.objectContaining({ group, lag: 2 })])

      const deleteInput = { idempotencyKey: newKey('ops-topic-delete'), topic, confirm: topic }
      const deleted = await deleteTopic(ADMIN, c, deleteInput)
      expect(deleted.outcome.data.brokerNames).toEqual([brokerName])
      expect(await config()).toBeUndefined()
      expect(
        await eventually(
          () => broker().getTopicRoute(topic),
          (r) => r === undefined,
        ),
      ).toBeUndefined()
      await expectSucceeded(deleteInput.idempotencyKey, ADMIN, {
        action: 'topic.delete',
        targetType: 'topic',
        targetId: topic,
      })
      // A second run would be NOT_FOUND: the repeat replays the first outcome.
      expect(await deleteTopic(ADMIN, c, deleteInput)).toMatchObject({
        replayed: true,
        outcome: deleted.outcome,
      })
      await expectReplayRow(deleteInput.idempotencyKey)
      expect((await topicDeleteImpact(c, { topic })).exists).toBe(false)
    })

    it('group admin: create with retry policy, broadcast and orderly; update; delete with an impact preview', async () => {
      const c = await ctx()
      const group = unique('ops_admin_group')
      const config = async () => (await broker().getConsumerGroup(group)).data.config

      const createInput = {
        idempotencyKey: newKey('ops-group-create'),
        group,
        retryMaxTimes: 3,
        retryQueueNums: 1,
        consumeEnable: true,
        consumeBroadcastEnable: true,
        consumeMessageOrderly: true,
      }
      const created = await createGroup(ADMIN, c, createInput)
      expect(created.replayed).toBe(false)
      expect(created.outcome.data.brokerNames).toHaveLength(1)
      const brokerName = created.outcome.data.brokerNames[0]!
      expect(await config()).toMatchObject({
        retryMaxTimes: 3,
        retryQueueNums: 1,
        consumeEnable: true,
        consumeBroadcastEnable: true,
        consumeMessageOrderly: true,
        brokerNames: [brokerName],
      })
      await expectSucceeded(createInput.idempotencyKey, ADMIN, {
        action: 'group.create',
        targetType: 'group',
        targetId: group,
      })
      expect(await createGroup(ADMIN, c, createInput)).toMatchObject({
        replayed: true,
        outcome: created.outcome,
      })
      await expectReplayRow(createInput.idempotencyKey)

      const updateKey = newKey('ops-group-update')
      await updateGroup(ADMIN, c, {
        idempotencyKey: updateKey,
        group,
        retryMaxTimes: 7,
        retryQueueNums: 2,
        consumeEnable: false,
        consumeBroadcastEnable: false,
        consumeMessageOrderly: false,
      })
      expect(await config()).toMatchObject({
        retryMaxTimes: 7,
        retryQueueNums: 2,
        consumeEnable: false,
        consumeBroadcastEnable: false,
        consumeMessageOrderly: false,
      })
      await expectSucceeded(updateKey, ADMIN, {
        action: 'group.update',
        targetType: 'group',
        targetId: group,
      })

      const impact = await groupDeleteImpact(c, { group })
      expect(impact).toMatchObject({
        group,
        exists: true,
        system: false,
        brokerNames: [brokerName],
        online: false,
        memberClientIds: [],
        retryTopic: { topic: `%RETRY%${group}` },
        dlqTopic: { topic: `%DLQ%${group}`, exists: false },
        partial: false,
      })

      const deleteInput = { idempotencyKey: newKey('ops-group-delete'), group, confirm: group }
      const deleted = await deleteGroup(ADMIN, c, deleteInput)
      expect(deleted.outcome.data.brokerNames).toEqual([brokerName])
      expect(await config()).toBeUndefined()
      const row = await expectSucceeded(deleteInput.idempotencyKey, ADMIN, {
        action: 'group.delete',
        targetType: 'group',
        targetId: group,
      })
      expect(JSON.parse(row.requestJson)).toEqual({
        group,
        removeOffsets: false,
        deleteRetryAndDlqTopics: false,
      })
      expect(await deleteGroup(ADMIN, c, deleteInput)).toMatchObject({
        replayed: true,
        outcome: deleted.outcome,
      })
      await expectReplayRow(deleteInput.idempotencyKey)
    })

    it('sends a test message (tag, keys, properties, delay level 1) found by key; a repeated key sends once', async () => {
      const { topic } = await seedTopicAndGroup('ops_send', 2)
      const key = `${topic}-key`
      const input = {
        idempotencyKey: newKey('ops-send'),
        topic,
        body: 'order 42 shipped',
        tag: 'TagA',
        keys: [key, `${key}-2`],
        properties: [
          { name: 'source', value: 'console' },
          { name: 'trace', value: 'abc=1' },
        ],
        delayLevel: 1,
      }
      const c = await ctx()
      const sent = await sendTestMessage(OPERATOR, c, input)
      expect(sent.replayed).toBe(false)
      expect(sent.outcome).toMatchObject({ status: 'SEND_OK', topic })
      const again = await sendTestMessage(OPERATOR, c, input)
      expect(again).toMatchObject({ replayed: true, outcome: sent.outcome })
      // Held for its delay level in SCHEDULE_TOPIC_XXXX: one copy there, so the repeat sent nothing.
      const scheduled = await eventually(
        () => byKey(SCHEDULE_TOPIC, key),
        (rows) => rows.length > 0,
      )
      expect(scheduled).toHaveLength(1)

      const [found, ...more] = await eventually(
        () => byKey(topic, key),
        (rows) => rows.length > 0,
      )
      expect(more).toEqual([])
      expect(found).toMatchObject({
        topic,
        tags: 'TagA',
        keys: [key, `${key}-2`],
        uniqKey: sent.outcome.uniqKey,
        properties: { source: 'console', trace: 'abc=1' },
      })
      expect(bodyOf(found!)).toBe('order 42 shipped')
      // Delay level 1 is 1 s.
      expect(found!.storeTimestampMs - found!.bornTimestampMs).toBeGreaterThanOrEqual(900)
      expect(await messageCount(topic)).toBe(1)

      const row = await expectSucceeded(input.idempotencyKey, OPERATOR, {
        action: 'message.send',
        targetType: 'topic',
        targetId: topic,
      })
      expect(JSON.parse(row.requestJson)).toMatchObject({
        topic,
        tag: 'TagA',
        delayLevel: 1,
        keys: input.keys,
      })
      expect(row.requestJson).not.toContain('order 42 shipped')
      await expectReplayRow(input.idempotencyKey)
    })

    // -----------------------------------------------------------------------------------------------------------
    // Refusals: what each operation above needs, seeded, then refused; the broker is checked unchanged.

    async function seedForRefusals(prefix: string) {
      const { topic, group, dlqMsgIds } = await seedDeadLetters(t.harness, 1, { prefix })
      expect(await t.harness.consume!({ topic, group })).toBe(1)
      const half = await sendHalfMessage(remoting, await masterAddr(topic), {
        topic,
        producerGroup: `${group}_producer`,
        keys: [`${topic}-half`],
        body: 'half',
      })
      const state = async () => ({
        topicConfig: (await broker().getTopicConfig(topic)).data,
        groupConfig: (await broker().getConsumerGroup(group)).data.config,
        messages: await messageCount(topic),
        retryMessages: await messageCount(`%RETRY%${group}`),
        dlqMessages: await messageCount(`%DLQ%${group}`),
        offsets: await committedOffsets(group, topic),
      })
      /** Neither a refused commit nor a refused rollback reached the broker: the half message still commits. */
      const expectHalfPending = async () => {
        const messages = await messageCount(topic)
        const ended = await endTransactions(OPERATOR, await ctx(), {
          msgIds: [half.offsetMsgId],
          action: 'COMMIT',
          idempotencyKey: newKey('ops-still-pending'),
        })
        expect(ended.outcome).toMatchObject({ done: 1, failed: 0 })
        expect(await messageCount(topic)).toBe(messages + 1)
      }
      return { topic, group, dlqMsgId: dlqMsgIds[0]!, half, before: await state(), state, expectHalfPending }
    }

    /** Every operation of the cases above, as `actor` on `c`; each must be refused. Returns key → action. */
    async function attemptAll(
      actor: Actor,
      c: ConsoleContext,
      seeded: Awaited<ReturnType<typeof seedForRefusals>>,
    ): Promise<Map<string, string>> {
      const { topic, group, half } = seeded
      const keys = new Map<string, string>()
      const attempt = async (action: string, run: (idempotencyKey: string) => Promise<unknown>) => {
        const idempotencyKey = newKey(`ops-refused-${action.replace('.', '-')}`)
        keys.set(idempotencyKey, action)
        const err = await rejection(run(idempotencyKey))
        expect(err, action).toMatchObject({ name: 'AppError', code: 'FORBIDDEN' })
      }
      const newTopic = `${topic}_new`
      const newGroup = `${group}_new`
      await attempt('offset.reset', (k) =>
        applyOffsetReset(actor, c, { group, topic, target: { kind: 'EARLIEST' }, idempotencyKey: k }),
      )
      await attempt('transaction.commit', (k) =>
        endTransactions(actor, c, { msgIds: [half.offsetMsgId], action: 'COMMIT', idempotencyKey: k }),
      )
      await attempt('transaction.rollback', (k) =>
        endTransactions(actor, c, { msgIds: [half.offsetMsgId], action: 'ROLLBACK', idempotencyKey: k }),
      )
      const topicSettings = {
        readQueueNums: 8,
        writeQueueNums: 8,
        perm: 'R' as const,
        messageType: 'FIFO' as const,
      }
      await attempt('topic.create', (k) =>
        createTopic(actor, c, { idempotencyKey: k, topic: newTopic, ...topicSettings }),
      )
      await attempt('topic.update', (k) =>
        updateTopic(actor, c, { idempotencyKey: k, topic, ...topicSettings }),
      )
      await attempt('topic.delete', (k) =>
        deleteTopic(actor, c, { idempotencyKey: k, topic, confirm: topic }),
      )
      const groupSettings = {
        retryMaxTimes: 1,
        retryQueueNums: 1,
        consumeEnable: false,
        consumeBroadcastEnable: true,
        consumeMessageOrderly: true,
      }
      await attempt('group.create', (k) =>
        createGroup(actor, c, { idempotencyKey: k, group: newGroup, ...groupSettings }),
      )
      await attempt('group.update', (k) =>
        updateGroup(actor, c, { idempotencyKey: k, group, ...groupSettings }),
      )
      await attempt('group.delete', (k) =>
        deleteGroup(actor, c, {
          idempotencyKey: k,
          group,
          confirm: group,
          removeOffsets: true,
          deleteRetryAndDlqTopics: true,
        }),
      )
      await attempt('message.send', (k) =>
        sendTestMessage(actor, c, { idempotencyKey: k, topic, body: 'refused', delayLevel: 1 }),
      )
      expect((await broker().getTopicConfig(newTopic)).data).toBeUndefined()
      expect((await broker().getConsumerGroup(newGroup)).data.config).toBeUndefined()
      return keys
    }

    it('refuses a viewer every operation (FORBIDDEN, audited FAILED) before any gateway call; the broker is unchanged', async () => {
      const seeded = await seedForRefusals('ops_viewer')
      const c = await ctx()
      const { gateway, counter } = countingGateway(c.gateway)
      const keys = await attemptAll(VIEWER, { ...c, gateway }, seeded)
      expect(Object.fromEntries(counter.calls)).toEqual({})
      for (const [key, action] of keys) await expectRefused(key, VIEWER, t.cluster, action)
      expect(await seeded.state()).toEqual(seeded.before)
      await seeded.expectHalfPending()
    })

    it('refuses a viewer a DLQ resend (FORBIDDEN, audited FAILED); nothing is sent', async () => {
      const seeded = await seedForRefusals('ops_viewer_dlq')
      const idempotencyKey = newKey('ops-refused-dlq')
      const err = await rejection(
        startDlqResend(VIEWER, {
          cluster: t.cluster,
          group: seeded.group,
          selection: { msgIds: [seeded.dlqMsgId] },
          target: 'ORIGIN_TOPIC',
          idempotencyKey,
        }),
      )
      expect(err).toMatchObject({ name: 'AppError', code: 'FORBIDDEN' })
      expect(await seeded.state()).toEqual(seeded.before)
      await expectRefused(idempotencyKey, VIEWER, t.cluster, 'dlq.resend')
    })

    it('a read-only connection refuses every operation before anything reaches the broker', async () => {
      const seeded = await seedForRefusals('ops_readonly')
      const readOnly = await consoleContext(t.readOnlyCluster)
      const { gateway, counter } = countingGateway(readOnly.gateway)
      const keys = await attemptAll(ADMIN, { ...readOnly, gateway }, seeded)
      expect(Object.fromEntries(counter.calls)).toEqual({})

      const dlqKey = newKey('ops-readonly-dlq')
      const err = await rejection(
        startDlqResend(OPERATOR, {
          cluster: t.readOnlyCluster,
          group: seeded.group,
          selection: { msgIds: [seeded.dlqMsgId] },
          target: 'ORIGIN_TOPIC',
          idempotencyKey: dlqKey,
        }),
      )
      expect(err).toMatchObject({ name: 'AppError', code: 'FORBIDDEN' })
      keys.set(dlqKey, 'dlq.resend')

      for (const [key, action] of keys) {
        await expectRefused(key, action === 'dlq.resend' ? OPERATOR : ADMIN, t.readOnlyCluster, action)
        expect((await auditRows(key))[0]!.errorMessage).toMatch(/read-only/)
      }
      expect(await seeded.state()).toEqual(seeded.before)
      await seeded.expectHalfPending()
    })
  })
}
