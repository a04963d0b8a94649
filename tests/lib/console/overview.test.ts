// The Overview service against a real engine through a RemoteGateway: brokers, NameServers, lag, DLQ and
// transactions in one bounded, cached set of gateway calls; history (TPS series, top topics, growing lag) from a
// real SQLite metrics table; warnings; and a failing part reported without failing the page.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import { getOverview, liveWarnings, OVERVIEW_TTL_MS, type BrokerRow } from '@/lib/console/overview'
import { metricsHistory } from '@/lib/console/overview-history'
import { writeSamples } from '@/lib/metrics/sample-cluster'
import { migrateFreshDatabase } from '../../helpers/migrate'
import { startConsoleFixture, type ConsoleFixture } from './console-fixture'

let f: ConsoleFixture
let dir: string
let db: Db

const TOPIC = 'O5-orders'
const GROUP = 'O5-billing'
const DEAD_GROUP = 'O5-flaky'

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mqdeck-overview-'))
  db = createPrismaClient(migrateFreshDatabase(dir))
  f = await startConsoleFixture()
  const g = f.gateway
  await g.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await g.createOrUpdateConsumerGroup({ group: GROUP })
  await g.createOrUpdateConsumerGroup({ group: DEAD_GROUP })
  const first = await g.sendMessage({ topic: TOPIC, body: 'a' })
  await f.harness.consume!({ topic: TOPIC, group: GROUP })
  await f.harness.consume!({ topic: TOPIC, group: DEAD_GROUP })
  await f.harness.deadLetter!({ group: DEAD_GROUP, topic: TOPIC, msgId: first.msgId })
  // Three messages GROUP has not consumed: its lag.
  for (let i = 0; i < 3; i++) await g.sendMessage({ topic: TOPIC, body: `b${i}` })
})

afterAll(async () => {
  await f?.close()
  await db?.$disconnect()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('getOverview, live figures', () => {
  it('shows brokers, NameServers, lag, DLQ and why transactions cannot be listed', async () => {
    const ctx = f.context()
    const overview = await getOverview(ctx, metricsHistory(db))
    expect(overview.errors).toEqual([])
    expect(overview.partial).toBe(false)
    expect(overview.brokers).toHaveLength(1)
    const broker = overview.brokers[0]!
    expect(broker).toMatchObject({ brokerName: 'broker-a', brokerId: 0, role: 'MASTER', answered: true })
    expect(broker.addr).toBe(f.broker.brokerAddr)
    expect(broker.version).toMatch(/^V\d/)
    expect(broker.flushDiskType).toMatch(/_FLUSH$/)
    expect(broker.diskRatio).toBeGreaterThanOrEqual(0)
    expect(broker.diskRatio).toBeLessThanOrEqual(1)
    expect(overview.nameServers).toEqual([
      expect.objectContaining({ addr: f.broker.namesrvAddr, reachable: true }),
    ])
    expect(overview.topLagGroups.find((g) => g.group === GROUP)).toMatchObject({ lag: 3, topics: [TOPIC] })
    expect(overview.totals.totalLag).toBeGreaterThanOrEqual(6)
    expect(overview.dlq).toEqual({ count: 1, groups: 1 })
    // Over remoting nothing lists half messages: the page says why instead of showing 0.
    expect(overview.pendingTransactions).toMatchObject({ supported: false })
    expect(overview.pendingTransactions?.supported === false && overview.pendingTransactions.reason).toMatch(
      /\w/,
    )
    expect(overview.warnings).toEqual([])
    expect(overview.fetchedAtMs).toBeLessThanOrEqual(Date.now())
  })

  it('makes one call of each cluster-wide read and reuses them within the TTL', async () => {
    const ctx = f.context()
    f.counter.reset()
    await Promise.all([getOverview(ctx, metricsHistory(db)), getOverview(ctx, metricsHistory(db))])
    await getOverview(ctx, metricsHistory(db))
    for (const method of [
      'getClusterInfo',
      'listNameServers',
      'listConsumerGroups',
      'listDlqs',
      'listPendingTransactions',
    ])
      expect(f.counter.count(method), method).toBe(1)
    // Nothing per topic or per group.
    expect(f.counter.count('getTopicStats')).toBe(0)
    expect(f.counter.count('getConsumeStats')).toBe(0)
    expect(OVERVIEW_TTL_MS).toBeGreaterThan(0)
  })

  it('reports a failing part and still shows the rest', async () => {
    const failing = new Proxy(f.gateway, {
      get(target, property, receiver) {
        if (property === 'listDlqs') return () => Promise.reject(new Error('broker exploded'))
        return Reflect.get(target, property, receiver) as unknown
      },
    })
    const overview = await getOverview({ ...f.context(), gateway: failing }, metricsHistory(db))
    expect(overview.dlq).toBeUndefined()
    expect(overview.errors).toEqual([{ section: 'dlqs', message: expect.any(String) as string }])
    expect(overview.errors[0]!.message).not.toMatch(/at .*\.ts:\d+/)
    expect(overview.brokers).toHaveLength(1)
    expect(overview.topLagGroups.length).toBeGreaterThan(0)
  })

  it('reports unreadable history as a section error', async () => {
    const broken = {
      series: () => Promise.reject(new Error('database is locked')),
      topNames: () => Promise.resolve([]),
      changes: () => Promise.resolve([]),
    }
    const overview = await getOverview(f.context(), broken)
    expect(overview.errors.map((e) => e.section)).toEqual(['history'])
    expect(overview.history.putTps).toEqual([])
    expect(overview.brokers).toHaveLength(1)
  })
})

describe('getOverview, history', () => {
  it('charts cluster TPS, ranks topics by TPS and warns about growing lag and DLQ', async () => {
    const ctx = f.context()
    const nowMs = Date.now()
    const at = (minutesAgo: number) => nowMs - minutesAgo * 60_000
    // Nine raw passes over the last 9 minutes: put TPS rising, GROUP's lag and DEAD_GROUP's DLQ growing.
    for (let i = 0; i < 9; i++) {
      await writeSamples(db, ctx.cluster, at(9 - i), [
        { scope: 'CLUSTER', name: ctx.cluster, metric: 'PUT_TPS', value: 10 + i },
        { scope: 'CLUSTER', name: ctx.cluster, metric: 'GET_TPS', value: 5 },
        { scope: 'CLUSTER', name: ctx.cluster, metric: 'PASSES', value: 1 },
        { scope: 'CLUSTER', name: ctx.cluster, metric: 'GROUPS', value: 2 },
        { scope: 'TOPIC', name: TOPIC, metric: 'PUT_TPS', value: 8 },
        { scope: 'TOPIC', name: 'O5-quiet', metric: 'PUT_TPS', value: 1 },
        { scope: 'GROUP', name: GROUP, metric: 'LAG', value: 100 * (i + 1) },
        { scope: 'GROUP', name: DEAD_GROUP, metric: 'DLQ_MESSAGES', value: i + 1 },
      ])
    }
    const overview = await getOverview(
      ctx,
      metricsHistory(db, () => nowMs),
      () => nowMs,
    )
    expect(overview.history.putTps.map((p) => p.v)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18])
    expect(overview.history.getTps).toHaveLength(9)
    expect(overview.history.toMs - overview.history.fromMs).toBe(60 * 60_000)
    expect(overview.topTopics.map((t) => t.topic)).toEqual([TOPIC, 'O5-quiet'])
    expect(overview.topTopics[0]!.putTps).toBeCloseTo(8)
    expect(overview.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'LAG_GROWING', subject: GROUP }),
        expect.objectContaining({ kind: 'DLQ_GROWING', subject: DEAD_GROUP }),
      ]),
    )
  })
})

describe('liveWarnings', () => {
  const row = (over: Partial<BrokerRow>): BrokerRow => ({
    clusterName: 'c',
    brokerName: 'broker-a',
    brokerId: 0,
    role: 'MASTER',
    addr: '10.0.0.1:10911',
    answered: true,
    version: 'V5_3_0',
    bootTimestampMs: 1,
    heartbeatAgeMs: 1_000,
    flushDiskType: 'ASYNC_FLUSH',
    brokerRole: 'ASYNC_MASTER',
    diskRatio: 0.5,
    putTps: 0,
    getTps: 0,
    msgPutTotalTodayNow: 0,
    msgGetTotalTodayNow: 0,
    ...over,
  })

  it('flags silent brokers, late heartbeats, full disks and unreachable NameServers', () => {
    const warnings = liveWarnings(
      [
        row({}),
        row({ brokerName: 'broker-b', answered: false, heartbeatAgeMs: undefined }),
        row({ brokerName: 'broker-c', heartbeatAgeMs: 121_000 }),
        row({ brokerName: 'broker-d', diskRatio: 0.86 }),
        row({ brokerName: 'broker-d', brokerId: 1, role: 'SLAVE', diskRatio: 0.85 }),
      ],
      [
        { addr: '10.0.0.9:9876', reachable: false, latencyMs: undefined, error: 'connect ECONNREFUSED' },
        { addr: '10.0.0.8:9876', reachable: true, latencyMs: 2, error: undefined },
      ],
    )
    expect(warnings.map((w) => [w.kind, w.subject])).toEqual([
      ['BROKER_SILENT', 'broker-b'],
      ['BROKER_SILENT', 'broker-c'],
      ['DISK_HIGH', 'broker-d'],
      ['NAMESERVER_DOWN', '10.0.0.9:9876'],
    ])
    expect(warnings[1]!.message).toContain('121 s')
    expect(warnings[2]!.message).toContain('86.0%')
  })
})
