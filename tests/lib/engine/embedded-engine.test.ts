// The embedded engine singleton with the real store: idempotent start, remoting, live figures, a test message
// sent as the console sends one (runMutation over the embedded gateway), and a shutdown that leaves sends refused.
// This file owns its store directory and database (each test file runs in its own process).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import {
  createRequest,
  parseFastjson,
  RemotingClient,
  REQUEST_CODE,
  RESPONSE_CODE,
} from '@/broker-engine/index'
import {
  getMessageStore,
  getRemotingAddresses,
  startEmbeddedEngine,
  stopEmbeddedEngine,
} from '@/lib/engine/embedded-engine'
import { getStoreStats } from '@/lib/store/get-store-stats'
import { EMBEDDED_CLUSTER_ID } from '@/lib/cluster/registry'
import { consoleContext } from '@/lib/console/console-context'
import { sendTestMessage } from '@/lib/console/send-message'
import type { Actor } from '@/lib/auth/session'
import { migrateFreshDatabase } from '../../helpers/migrate'

const OPERATOR: Actor = { userId: 1, username: 'olga', role: 'operator' }

describe('embedded engine', () => {
  let dir: string
  let storeDir: string
  let client: Db

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-engine-'))
    storeDir = path.join(dir, 'store')
    process.env.DATABASE_URL = migrateFreshDatabase(dir)
    process.env.MQDECK_STORE_DIR = storeDir
    process.env.MQDECK_NAMESRV_PORT = '0'
    process.env.MQDECK_BROKER_PORT = '0'
    client = createPrismaClient(process.env.DATABASE_URL)
  })

  afterAll(async () => {
    await stopEmbeddedEngine()
    await client?.$disconnect()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens one store per process however often it is started', async () => {
    const [a, b] = await Promise.all([startEmbeddedEngine(), startEmbeddedEngine()])
    expect(a).toBe(b)
    await expect(getMessageStore()).resolves.toBe(a.brokers[0]!.store)
  })

  it('serves RocketMQ remoting: a NameServer route for TBW102 on the embedded broker', async () => {
    const { namesrvAddr, brokerAddr } = await getRemotingAddresses()
    const remoting = new RemotingClient()
    try {
      const route = await remoting.invoke(
        namesrvAddr,
        createRequest(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, { extFields: { topic: 'TBW102' } }),
        3000,
      )
      expect(route.code).toBe(RESPONSE_CODE.SUCCESS)
      const body = parseFastjson(route.body!.toString()) as {
        brokerDatas: { brokerAddrs: Record<string, string> }[]
      }
      expect(body.brokerDatas[0]!.brokerAddrs['0']).toBe(brokerAddr)
    } finally {
      remoting.close()
    }
  })

  it('reports the live figures of the store under MQDECK_STORE_DIR', async () => {
    const stats = await getStoreStats()
    expect(stats.storePathRootDir).toBe(storeDir)
    expect(stats.writable).toBe(true)
    expect(stats.commitLogMaxOffset).toBe(0)
  })

  it('takes a test message sent the way the console sends one (runMutation over the embedded gateway)', async () => {
    const ctx = await consoleContext(EMBEDDED_CLUSTER_ID)
    await ctx.gateway.createOrUpdateTopic({
      topic: 'EngineTopic',
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
    })
    const sent = await sendTestMessage(OPERATOR, ctx, {
      idempotencyKey: 'engine-send-0001',
      topic: 'EngineTopic',
      tag: 'TagA',
      keys: ['k1', 'k2'],
      body: 'hello',
    })
    expect(sent.replayed).toBe(false)
    expect(sent.outcome).toMatchObject({ topic: 'EngineTopic', status: 'SEND_OK' })
    const store = await getMessageStore()
    const found = await ctx.gateway.viewMessage({ msgId: sent.outcome.msgId })
    expect(found.data[0]).toMatchObject({ topic: 'EngineTopic', tags: 'TagA', keys: ['k1', 'k2'] })
    expect(store.offsetMsgIdOf(found.data[0]!.commitLogOffset)).toBe(sent.outcome.msgId)
    const stats = await getStoreStats()
    expect(stats.putMessageCount).toBeGreaterThanOrEqual(1)

    const rows = await client.auditLog.findMany({ where: { action: 'message.send' }, orderBy: { id: 'asc' } })
    expect(rows.map((r) => [r.result, r.actor, r.targetId])).toEqual([['SUCCEEDED', 'olga', 'EngineTopic']])
  })

  it('rejects invalid input before touching the store or the audit log', async () => {
    const ctx = await consoleContext(EMBEDDED_CLUSTER_ID)
    const before = await client.auditLog.count()
    await expect(
      sendTestMessage(OPERATOR, ctx, { idempotencyKey: 'engine-send-0002', topic: 'bad topic', body: 'x' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(await client.auditLog.count()).toBe(before)
  })

  it('after shutdown, a send fails as SERVICE_UNAVAILABLE and is audited FAILED', async () => {
    const ctx = await consoleContext(EMBEDDED_CLUSTER_ID)
    await stopEmbeddedEngine()
    await stopEmbeddedEngine()
    await expect(
      sendTestMessage(OPERATOR, ctx, {
        idempotencyKey: 'engine-send-0003',
        topic: 'EngineTopic',
        body: 'late',
      }),
    ).rejects.toMatchObject({ name: 'AppError', code: 'SERVICE_UNAVAILABLE' })
    const last = await client.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })
    expect(last).toMatchObject({ action: 'message.send', result: 'FAILED', errorCode: 'SERVICE_UNAVAILABLE' })
    expect(last.durationMs).toBeGreaterThanOrEqual(0)
  })
})
