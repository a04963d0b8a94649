// lib/console/offset-reset.ts against a real engine (standalone broker on free ports, reached over remoting
// through a registered cluster connection) and a real SQLite file: preview numbers for time / earliest / latest /
// explicit targets, apply through runMutation (offsets move, SUCCEEDED audit row, a repeated key applies once),
// refusals for viewers, read-only clusters and explicit offsets on an online group.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import type { Actor } from '@/lib/auth/session'
import { addClusterConnection, removeClusterConnection } from '@/lib/cluster/registry'
import { consoleContext, type ConsoleContext } from '@/lib/console/console-context'
import { applyOffsetReset, previewOffsetReset } from '@/lib/console/offset-reset'
import { createPrismaClient, type Db } from '@/lib/db'
import type { GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'
import { migrateFreshDatabase } from '../../helpers/migrate'

const OPERATOR: Actor = { userId: 1, username: 'olga', role: 'operator' }
const VIEWER: Actor = { userId: 2, username: 'vic', role: 'viewer' }
const TOPIC = 'reset-orders'
const GROUP = 'reset-billing'

let dir: string
let client: Db
let broker: StandaloneBroker
let harness: GatewayHarness
let ctx: ConsoleContext
let readOnly: ConsoleContext
/** Store time between the early and the late messages. */
let splitMs: number
/** Per queue: how many early messages it holds (the TIMESTAMP reset's new offset). */
const earlyPerQueue = new Map<number, number>()

async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setTimeout(resolve, ms + 1 - Date.now()))
}

async function committedOffsets(): Promise<number[]> {
  const stats = await ctx.gateway.getConsumeStats(GROUP, TOPIC)
  return stats.data.queues
    .slice()
    .sort((a, b) => a.queueId - b.queueId)
    .map((q) => q.consumerOffset)
}

async function auditRows(idempotencyKey: string) {
  return client.auditLog.findMany({ where: { idempotencyKey }, orderBy: { id: 'asc' } })
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-offset-reset-'))
  process.env.DATABASE_URL = migrateFreshDatabase(dir)
  client = createPrismaClient(process.env.DATABASE_URL)
  broker = await startStandaloneBroker({
    config: { storePathRootDir: path.join(dir, 'store'), listenPort: 0, brokerName: 'broker-a' },
    namesrvPort: 0,
    log: () => undefined,
  })
  await addClusterConnection({ id: 'reset-rw', name: 'rw', namesrvAddrs: broker.namesrvAddr! })
  await addClusterConnection({
    id: 'reset-ro',
    name: 'ro',
    namesrvAddrs: broker.namesrvAddr!,
    readOnly: true,
  })
  ctx = await consoleContext('reset-rw')
  readOnly = await consoleContext('reset-ro')
  harness = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr!], routeTtlMs: 0 })

  await ctx.gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await ctx.gateway.createOrUpdateConsumerGroup({ group: GROUP })
  let lastStoredMs = 0
  for (let i = 0; i < 3; i++) {
    const sent = await ctx.gateway.sendMessage({ topic: TOPIC, body: `early ${i}` })
    earlyPerQueue.set(sent.queueId, (earlyPerQueue.get(sent.queueId) ?? 0) + 1)
    const [view] = (await ctx.gateway.viewMessage({ msgId: sent.msgId, topic: TOPIC })).data
    lastStoredMs = Math.max(lastStoredMs, view!.storeTimestampMs)
  }
  // Distinct store times: the split names the first late message's time exactly.
  await clockPast(lastStoredMs)
  splitMs = Date.now()
  for (let i = 0; i < 3; i++) await ctx.gateway.sendMessage({ topic: TOPIC, body: `late ${i}` })
  expect(await harness.consume!({ topic: TOPIC, group: GROUP })).toBe(6)
})

afterAll(async () => {
  await harness?.close()
  await removeClusterConnection('reset-rw').catch(() => undefined)
  await removeClusterConnection('reset-ro').catch(() => undefined)
  await broker?.close()
  await client?.$disconnect()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('previewOffsetReset', () => {
  it('EARLIEST: every queue back to its min offset, everything replayed, nothing changed', async () => {
    const preview = await previewOffsetReset(ctx, {
      group: GROUP,
      topic: TOPIC,
      target: { kind: 'EARLIEST' },
    })
    expect(preview.partial).toBe(false)
    expect(preview.data).toMatchObject({ group: GROUP, topic: TOPIC, consumerOnline: false })
    expect(preview.data.replayedTotal).toBe(6)
    expect(preview.data.skippedTotal).toBe(0)
    expect(preview.data.queues).toHaveLength(2)
    for (const q of preview.data.queues)
      expect(q).toMatchObject({
        brokerName: 'broker-a',
        currentOffset: q.maxOffset,
        newOffset: 0,
        minOffset: 0,
        replayed: q.maxOffset,
        skipped: 0,
        clamped: false,
      })
    expect(await committedOffsets()).toEqual(preview.data.queues.map((q) => q.maxOffset))
  })

  it('TIMESTAMP: each queue to the first message stored at or after the time', async () => {
    const preview = await previewOffsetReset(ctx, {
      group: GROUP,
      topic: TOPIC,
      target: { kind: 'TIMESTAMP', timestampMs: splitMs },
    })
    for (const q of preview.data.queues)
      expect(q).toMatchObject({ newOffset: earlyPerQueue.get(q.queueId) ?? 0, skipped: 0 })
    expect(preview.data.replayedTotal).toBe(3)
  })

  it('LATEST and EXPLICIT (clamped beyond the end); unknown queues and bad input are refused', async () => {
    const latest = await previewOffsetReset(ctx, { group: GROUP, topic: TOPIC, target: { kind: 'LATEST' } })
    expect(latest.data).toMatchObject({ skippedTotal: 0, replayedTotal: 0 })

    const explicit = await previewOffsetReset(ctx, {
      group: GROUP,
      topic: TOPIC,
      target: {
        kind: 'EXPLICIT',
        offsets: [
          { brokerName: 'broker-a', queueId: 0, queueOffset: 1 },
          { brokerName: 'broker-a', queueId: 1, queueOffset: 99 },
        ],
      },
    })
    const [q0, q1] = explicit.data.queues
    expect(q0).toMatchObject({ queueId: 0, newOffset: 1, replayed: q0!.maxOffset - 1, clamped: false })
    expect(q1).toMatchObject({ queueId: 1, newOffset: q1!.maxOffset, replayed: 0, skipped: 0, clamped: true })
    expect(explicit.data.replayedTotal).toBe(q0!.maxOffset - 1)

    await expect(
      previewOffsetReset(ctx, {
        group: GROUP,
        topic: TOPIC,
        target: { kind: 'EXPLICIT', offsets: [{ brokerName: 'broker-a', queueId: 7, queueOffset: 0 }] },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    await expect(
      previewOffsetReset(ctx, { group: GROUP, topic: TOPIC, target: { kind: 'SOMETIME' } }),
    ).rejects.toMatchObject({ name: 'ZodError' })
  })
})

describe('applyOffsetReset', () => {
  it('moves the committed offsets, writes a SUCCEEDED audit row, and applies a repeated key once', async () => {
    const key = 'reset-earliest-0001'
    const input = { group: GROUP, topic: TOPIC, target: { kind: 'EARLIEST' }, idempotencyKey: key }
    const first = await applyOffsetReset(OPERATOR, ctx, input)
    expect(first.replayed).toBe(false)
    expect(first.outcome.data.status).toBe('APPLIED')
    if (first.outcome.data.status === 'APPLIED')
      expect(first.outcome.data.queues.map((q) => q.newOffset)).toEqual([0, 0])
    expect(await committedOffsets()).toEqual([0, 0])

    const [row] = await auditRows(key)
    expect(row).toMatchObject({
      id: first.auditId,
      actor: 'olga',
      action: 'offset.reset',
      targetType: 'consumerGroup',
      targetId: GROUP,
      cluster: 'reset-rw',
      result: 'SUCCEEDED',
    })
    expect(JSON.parse(row!.requestJson)).toMatchObject({ topic: TOPIC, target: { kind: 'EARLIEST' } })

    // The group catches up; the same intent again must not rewind it a second time.
    expect(await harness.consume!({ topic: TOPIC, group: GROUP })).toBe(6)
    const again = await applyOffsetReset(OPERATOR, ctx, input)
    expect(again.replayed).toBe(true)
    expect(again.outcome).toEqual(first.outcome)
    const stats = await ctx.gateway.getConsumeStats(GROUP, TOPIC)
    expect(stats.data.lag).toBe(0)
    const applied = (await auditRows(key)).filter((r) => r.result === 'SUCCEEDED' && !r.replayed)
    expect(applied).toHaveLength(1)
  })

  it('applies a time target: the late messages are consumed again', async () => {
    const applied = await applyOffsetReset(OPERATOR, ctx, {
      group: GROUP,
      topic: TOPIC,
      target: { kind: 'TIMESTAMP', timestampMs: splitMs },
      idempotencyKey: 'reset-time-000001',
    })
    expect(applied.outcome.data.status).toBe('APPLIED')
    const stats = await ctx.gateway.getConsumeStats(GROUP, TOPIC)
    expect(stats.data.lag).toBe(3)
    for (const q of stats.data.queues) expect(q.consumerOffset).toBe(earlyPerQueue.get(q.queueId) ?? 0)
    expect(await harness.consume!({ topic: TOPIC, group: GROUP })).toBe(3)
  })

  it('refuses a viewer and a read-only cluster before anything runs', async () => {
    const before = await committedOffsets()
    const input = { group: GROUP, topic: TOPIC, target: { kind: 'EARLIEST' } }
    await expect(
      applyOffsetReset(VIEWER, ctx, { ...input, idempotencyKey: 'reset-viewer-0001' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      applyOffsetReset(OPERATOR, readOnly, { ...input, idempotencyKey: 'reset-readonly-01' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await committedOffsets()).toEqual(before)
    // Refusals are audited (who tried what), as FAILED rows.
    for (const key of ['reset-viewer-0001', 'reset-readonly-01'])
      expect((await auditRows(key)).map((r) => [r.result, r.errorCode])).toEqual([['FAILED', 'FORBIDDEN']])
  })

  it('returns REFUSED for explicit offsets while a consumer of the group is online', async () => {
    const member = await harness.online!({ group: GROUP, topic: TOPIC, producerGroup: 'reset-pg' })
    try {
      const before = await committedOffsets()
      const result = await applyOffsetReset(OPERATOR, ctx, {
        group: GROUP,
        topic: TOPIC,
        target: { kind: 'EXPLICIT', offsets: [{ brokerName: 'broker-a', queueId: 0, queueOffset: 0 }] },
        idempotencyKey: 'reset-online-explicit',
      })
      expect(result.outcome.data.status).toBe('REFUSED')
      if (result.outcome.data.status === 'REFUSED') expect(result.outcome.data.reason).toMatch(/offline/)
      expect(await committedOffsets()).toEqual(before)
    } finally {
      await member.close()
    }
  })
})
