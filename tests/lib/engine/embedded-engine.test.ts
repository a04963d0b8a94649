// The embedded engine singleton with the real store, plus the two store operations on top of it:
// idempotent start, live figures, an audited test message, and a shutdown that leaves later puts refused.
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
import { sendTestMessage } from '@/lib/store/send-test-message'
import { migrateFreshDatabase } from '../../helpers/migrate'

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

  it('sends test messages round-robin over queues 0..3, audited', async () => {
    const first = await sendTestMessage({ topic: 'EngineTopic', tag: 'TagA', keys: 'k1 k2', body: 'hello' })
    expect(first).toMatchObject({
      topic: 'EngineTopic',
      queueId: 0,
      status: 'SEND_OK',
      commitLogOffset: 0,
      queueOffset: 0,
    })
    expect(first.msgId).toMatch(/^[0-9A-F]{32}$/)
    const store = await getMessageStore()
    expect(first.msgId).toBe(store.offsetMsgIdOf(0))

    const second = await sendTestMessage({ topic: 'EngineTopic', body: 'again' })
    expect(second.queueId).toBe(1)
    expect(second.commitLogOffset).toBe(first.wroteBytes)

    const stats = await getStoreStats()
    expect(stats.putMessageCount).toBe(2)
    expect(stats.commitLogMaxOffset).toBe(first.wroteBytes + second.wroteBytes)

    const rows = await client.auditLog.findMany({ orderBy: { id: 'asc' } })
    expect(rows.map((r) => r.result)).toEqual(['SUCCEEDED', 'SUCCEEDED'])
    expect(JSON.parse(rows[0]?.requestJson ?? '{}')).toEqual({
      topic: 'EngineTopic',
      queueId: 0,
      tag: 'TagA',
      keys: 'k1 k2',
      bodySizeBytes: 5,
    })
  })

  it('rejects invalid input before touching the store or the audit log', async () => {
    await expect(sendTestMessage({ topic: 'bad topic', body: 'x' })).rejects.toMatchObject({
      name: 'ZodError',
    })
    expect(await client.auditLog.count()).toBe(2)
  })

  it('after shutdown, a send fails as SERVICE_UNAVAILABLE and is audited FAILED', async () => {
    await stopEmbeddedEngine()
    await stopEmbeddedEngine()
    await expect(sendTestMessage({ topic: 'EngineTopic', body: 'late' })).rejects.toMatchObject({
      name: 'AppError',
      code: 'SERVICE_UNAVAILABLE',
    })
    const last = await client.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })
    expect(last).toMatchObject({ result: 'FAILED', errorCode: 'SERVICE_UNAVAILABLE' })
    expect(last.durationMs).toBeGreaterThanOrEqual(0)
  })
})
