// lib/console/transactions.ts against a real engine (the embedded gateway over a standalone broker on free ports,
// half messages from a TransactionProducer that answers UNKNOW and is never checked back during the test) and a
// real SQLite file: the half-message page, commit (visible exactly once, also under a repeated key) and
// rollback (discarded) through runMutation with audit rows, refusals, and a remote cluster saying why it cannot.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneBroker, TransactionProducer, type StandaloneBroker } from '@/broker-engine/index'
import type { Actor } from '@/lib/auth/session'
import { EmbeddedGateway } from '@/lib/cluster/embedded-gateway'
import { addClusterConnection, removeClusterConnection } from '@/lib/cluster/registry'
import { consoleContext, type ConsoleContext } from '@/lib/console/console-context'
import { emptyMetricReads } from '@/lib/console/metric-reads'
import { parseListParams } from '@/lib/console/list-query'
import { endTransactions, listTransactionPage } from '@/lib/console/transactions'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'

const OPERATOR: Actor = { userId: 1, username: 'olga', role: 'operator' }
const VIEWER: Actor = { userId: 2, username: 'vic', role: 'viewer' }
const TOPIC = 'tx-payments'

let dir: string
let client: Db
let engine: StandaloneBroker
let gateway: EmbeddedGateway
let producer: TransactionProducer
let ctx: ConsoleContext
let readOnly: ConsoleContext
/** Offset ids of the half messages, by their first key. */
const halfIds = new Map<string, string>()

async function pendingIds(): Promise<string[]> {
  const page = await listTransactionPage(ctx, parseListParams({ pageSize: '500' }))
  if (!page.supported) throw new Error(page.reason)
  return page.page.rows.map((r) => r.msgId)
}

const messageCount = async () => (await gateway.getTopicStats(TOPIC)).data!.messageCount

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-transactions-'))
  process.env.DATABASE_URL = migrateFreshDatabase(dir)
  client = createPrismaClient(process.env.DATABASE_URL)
  engine = await startStandaloneBroker({
    config: { storePathRootDir: path.join(dir, 'store'), listenPort: 0 },
    namesrvPort: 0,
    log: () => undefined,
  })
  // Registered connections give runMutation its read-only flags; the gateway is the embedded one (it lists).
  await addClusterConnection({ id: 'tx-rw', name: 'rw', namesrvAddrs: engine.namesrvAddr! })
  await addClusterConnection({ id: 'tx-ro', name: 'ro', namesrvAddrs: engine.namesrvAddr!, readOnly: true })
  gateway = new EmbeddedGateway(engine, { callTimeoutMs: 5_000, routeTtlMs: 0 })
  ctx = { cluster: 'tx-rw', gateway, metrics: emptyMetricReads }
  readOnly = { cluster: 'tx-ro', gateway, metrics: emptyMetricReads }

  await gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  producer = new TransactionProducer(engine.cluster, {
    group: 'tx-console-producer',
    clientId: 'tx-console-client',
    checkLocalTransaction: () => 'UNKNOW',
    // No check-back during the test: the half messages stay pending until the console ends them.
    checkImmunityTimeSeconds: 3_600,
  })
  producer.start()
  for (const key of ['order-1', 'order-2', 'order-3']) {
    await producer.sendMessageInTransaction(
      { topic: TOPIC, body: Buffer.from(key), keys: [key, `tx-${key}`] },
      () => 'UNKNOW',
    )
  }
  const page = await listTransactionPage(ctx, parseListParams({}))
  if (!page.supported) throw new Error(page.reason)
  for (const row of page.page.rows) halfIds.set(row.keys[0]!, row.msgId)
})

afterAll(async () => {
  producer?.shutdown()
  await gateway?.close()
  await removeClusterConnection('tx-rw').catch(() => undefined)
  await removeClusterConnection('tx-ro').catch(() => undefined)
  await engine?.close()
  await client?.$disconnect()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('listTransactionPage', () => {
  it('lists the half messages with producer group, keys, age and next check; filters by key', async () => {
    const page = await listTransactionPage(ctx, parseListParams({}))
    expect(page.supported).toBe(true)
    if (!page.supported) return
    expect(page.page.total).toBe(3)
    expect([...halfIds.keys()].sort()).toEqual(['order-1', 'order-2', 'order-3'])
    for (const row of page.page.rows) {
      expect(row).toMatchObject({ topic: TOPIC, producerGroup: 'tx-console-producer', checkTimes: 0 })
      expect(row.ageMs).toBeGreaterThanOrEqual(0)
      expect(row.nextCheckMs).toBeGreaterThan(Date.now())
    }
    const filtered = await listTransactionPage(ctx, parseListParams({ q: 'tx-order-2' }))
    expect(filtered.supported && filtered.page.rows.map((r) => r.keys)).toEqual([['order-2', 'tx-order-2']])
  })

  it('a remote cluster says why it cannot list half messages', async () => {
    const remote = await consoleContext('tx-rw')
    const page = await listTransactionPage({ ...remote, cluster: 'tx-remote-view' }, parseListParams({}))
    expect(page).toMatchObject({ supported: false })
    if (!page.supported) expect(page.reason).toMatch(/half messages/)
  })
})

describe('endTransactions', () => {
  it('refuses a viewer and a read-only cluster; the message stays pending', async () => {
    const msgIds = [halfIds.get('order-1')!]
    await expect(
      endTransactions(VIEWER, ctx, { msgIds, action: 'COMMIT', idempotencyKey: 'tx-viewer-00001' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      endTransactions(OPERATOR, readOnly, { msgIds, action: 'COMMIT', idempotencyKey: 'tx-readonly-0001' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await pendingIds()).toContain(msgIds[0])
    expect(await messageCount()).toBe(0)
    const refused = await client.auditLog.findMany({
      where: { idempotencyKey: { in: ['tx-viewer-00001', 'tx-readonly-0001'] } },
    })
    expect(refused.map((r) => [r.action, r.result, r.errorCode])).toEqual([
      ['transaction.commit', 'FAILED', 'FORBIDDEN'],
      ['transaction.commit', 'FAILED', 'FORBIDDEN'],
    ])
  })

  it('commits a half message: visible exactly once, also when the same key comes again', async () => {
    const msgId = halfIds.get('order-1')!
    const input = { msgIds: [msgId], action: 'COMMIT', idempotencyKey: 'tx-commit-000001' }
    const first = await endTransactions(OPERATOR, ctx, input)
    expect(first).toMatchObject({
      replayed: false,
      outcome: { action: 'COMMIT', done: 1, failed: 0, results: [{ msgId, status: 'DONE' }] },
    })
    expect(await messageCount()).toBe(1)
    expect(await pendingIds()).not.toContain(msgId)

    const again = await endTransactions(OPERATOR, ctx, input)
    expect(again.replayed).toBe(true)
    expect(again.outcome).toEqual(first.outcome)
    expect(await messageCount()).toBe(1)

    // A new intent on the same (now ended) message fails for that message and commits nothing more.
    const late = await endTransactions(OPERATOR, ctx, { ...input, idempotencyKey: 'tx-commit-000002' })
    expect(late.outcome).toMatchObject({ done: 0, failed: 1 })
    expect(late.outcome.results[0]!.status).not.toBe('DONE')
    expect(await messageCount()).toBe(1)

    const [row] = await client.auditLog.findMany({
      where: { idempotencyKey: 'tx-commit-000001', replayed: false },
    })
    expect(row).toMatchObject({
      id: first.auditId,
      actor: 'olga',
      action: 'transaction.commit',
      targetType: 'halfMessage',
      targetId: msgId,
      cluster: 'tx-rw',
      result: 'SUCCEEDED',
    })
    expect(JSON.parse(row!.requestJson)).toEqual({ action: 'COMMIT', msgIds: [msgId] })
    expect(JSON.parse(row!.resultJson!)).toMatchObject({ done: 1, failed: 0 })
  })

  it('rolls back a selection in one mutation: discarded, never delivered', async () => {
    const msgIds = [halfIds.get('order-2')!, halfIds.get('order-3')!]
    const result = await endTransactions(OPERATOR, ctx, {
      msgIds,
      action: 'ROLLBACK',
      idempotencyKey: 'tx-rollback-0001',
    })
    expect(result.outcome).toMatchObject({ action: 'ROLLBACK', done: 2, failed: 0 })
    expect(result.outcome.results.map((r) => r.msgId)).toEqual(msgIds)
    expect(await pendingIds()).toEqual([])
    expect(await messageCount()).toBe(1)
    const rows = await client.auditLog.findMany({ where: { action: 'transaction.rollback' } })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ result: 'SUCCEEDED', targetId: '2 half messages' })
  })

  it('validates the selection', async () => {
    await expect(
      endTransactions(OPERATOR, ctx, { msgIds: [], action: 'COMMIT', idempotencyKey: 'tx-empty-00001' }),
    ).rejects.toMatchObject({ name: 'ZodError' })
    const id = halfIds.get('order-1')!
    await expect(
      endTransactions(OPERATOR, ctx, {
        msgIds: [id, id],
        action: 'COMMIT',
        idempotencyKey: 'tx-dupe-000001',
      }),
    ).rejects.toMatchObject({ name: 'ZodError' })
  })
})
