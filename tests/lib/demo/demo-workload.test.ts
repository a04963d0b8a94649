// The demo workload against a real embedded cluster on a temp dir, with short delay levels and transaction
// checks so the retry → DLQ path, the delayed reminder and the check-backs all happen within seconds.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  EmbeddedCluster,
  findProperty,
  Producer,
  systemClock,
  type Clock,
  type TimerHandle,
} from '@/broker-engine/index'
import { demoEnabled, demoRatePerSec, startDemoWorkload, type DemoWorkload } from '@/lib/demo/demo-workload'
import { ledgerRejects } from '@/lib/demo/ledger-sync'
import { REMINDER_DELAY_LEVEL } from '@/lib/demo/notification-service'
import {
  orderQueueIndex,
  parseOrderId,
  selectQueueByOrderId,
  stepIndexOf,
  utcDay,
} from '@/lib/demo/order-events'
import {
  INVENTORY_GROUP,
  LEDGER_SYNC_GROUP,
  ORDER_TRACKING_GROUP,
  ORDERS_QUEUE_NUMS,
  ORDERS_TOPIC,
  PAYMENTS_TOPIC,
  POINTS_GROUP,
} from '@/lib/demo/topology'
import { db, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'
import { seededRandom } from '../../helpers/seeded-random'

/** Every level 1 s except the reminder's, so "no earlier than its delay" is checked against a distinct value. */
const REMINDER_DELAY_MS = 2000
const DELAY_LEVELS = Array.from({ length: 18 }, (_, i) =>
  i + 1 === REMINDER_DELAY_LEVEL ? '2s' : '1s',
).join(' ')
const WAIT_MS = 20_000

let dir: string
const clusters: EmbeddedCluster[] = []
const workloads: DemoWorkload[] = []
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => void unhandled.push(reason)

const g = globalThis as { __mqdeckPrisma?: Db }
const previousUrl = process.env.DATABASE_URL

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-demo-'))
  process.on('unhandledRejection', onUnhandled)
  // The points service dedupes through runOnce on the console's database (db()): a fresh migrated file.
  process.env.DATABASE_URL = migrateFreshDatabase(dir)
  g.__mqdeckPrisma = undefined
})

afterEach(async () => {
  for (const w of workloads.splice(0)) await w.stop()
  for (const c of clusters.splice(0)) await c.shutdown()
})

afterAll(async () => {
  await g.__mqdeckPrisma?.$disconnect()
  g.__mqdeckPrisma = undefined
  if (previousUrl === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = previousUrl
  process.off('unhandledRejection', onUnhandled)
  rmSync(dir, { recursive: true, force: true })
})

async function startCluster(storeDir: string): Promise<EmbeddedCluster> {
  const cluster = await EmbeddedCluster.start({
    log: () => undefined,
    brokers: [
      {
        storePathRootDir: storeDir,
        brokerName: 'broker-a',
        mappedFileSizeCommitLog: 4 * 1024 * 1024,
        mappedFileSizeConsumeQueue: 1000 * 20,
        maxMessageSize: 64 * 1024,
        warmMappedFileEnable: false,
        messageDelayLevel: DELAY_LEVELS,
        transactionTimeOut: 300,
        transactionCheckInterval: 200,
      },
    ],
  })
  clusters.push(cluster)
  return cluster
}

/** Polls `condition` (engine state or counters) until it holds; fails naming `what` after WAIT_MS. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The system clock, counting timers that are set and have neither fired nor been cancelled. */
function countingClock(): Clock & { readonly pending: Set<object> } {
  const pending = new Set<object>()
  return {
    pending,
    nowMs: () => systemClock.nowMs(),
    setTimer(delayMs: number, fn: () => void): TimerHandle {
      const token = {}
      pending.add(token)
      const handle = systemClock.setTimer(delayMs, () => {
        pending.delete(token)
        fn()
      })
      return {
        cancel() {
          pending.delete(token)
          handle.cancel()
        },
      }
    },
  }
}

describe('demo workload', () => {
  it('runs the shop: partial order, fan-out, delayed reminders, DLQ, check-backs; stop leaves no timers', async () => {
    const cluster = await startCluster(path.join(dir, 'shop'))
    const broker = cluster.brokers[0]!
    const clock = countingClock()
    const logs: string[] = []
    const workload = await startDemoWorkload({
      cluster,
      ratePerSec: 40,
      ordersMax: 60,
      random: seededRandom(20261128),
      clock,
      log: (m) => logs.push(m),
    })
    workloads.push(workload)
    const s = () => workload.stats()

    let pendingSeen = 0
    await waitFor('every order finished and every order event consumed by all three groups', () => {
      pendingSeen = Math.max(pendingSeen, broker.listPendingTransactions().length)
      const { orders, orderTracking, points, inventory } = s()
      return (
        orders.ordersCreated === 60 &&
        orders.activeOrders === 0 &&
        orderTracking.consumed === orders.eventsSent &&
        points.consumed === orders.eventsSent &&
        inventory.consumed === orders.eventsSent
      )
    })
    await waitFor(
      'a dead-lettered payment in %DLQ%ledger-sync',
      () => broker.listDlq(LEDGER_SYNC_GROUP).length > 0,
    )
    await waitFor('a payment reminder delivered', () => s().notifications.delivered > 0)
    await waitFor('no half message left', () => broker.listPendingTransactions().length === 0)

    const stats = s()
    expect(stats.orders.sendFailures).toBe(0)
    // Orders: keyed by order id, every event of an order in its queue, in lifecycle order.
    const orderId = stats.orders.lastOrderId!
    expect(orderId).toMatch(/^ORD-\d{8}-\d{6}$/)
    const events = broker.store
      .queryMessage(ORDERS_TOPIC, orderId, 32, 0, Number.MAX_SAFE_INTEGER)
      .sort((a, b) => a.queueOffset - b.queueOffset)
    expect(events.length).toBeGreaterThanOrEqual(2)
    expect(new Set(events.map((e) => e.queueId))).toEqual(
      new Set([orderQueueIndex(orderId, ORDERS_QUEUE_NUMS)]),
    )
    const steps = events.map((e) => stepIndexOf(findProperty(e.propertiesString, 'TAGS') ?? '')!)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
    expect(JSON.parse(events[0]!.body.toString())).toMatchObject({
      orderId,
      event: 'created',
      currency: 'EUR',
    })
    expect(stats.orderTracking.orderViolations).toBe(0)
    expect(logs.filter((l) => l.includes('violation'))).toEqual([])
    // Points: one award per completed order.
    expect(stats.points.ordersAwarded).toBe(stats.inventory.shipments)
    expect(stats.points.ordersAwarded).toBeGreaterThan(0)
    // ... recorded once per order in the idempotency log (runOnce's unique key).
    expect(await db().idempotencyKey.count({ where: { action: 'once:points', status: 'SUCCEEDED' } })).toBe(
      stats.points.ordersAwarded,
    )

    // The delayed reminder came no earlier than its level's delay.
    expect(stats.notifications.shortestDelayMs).toBeGreaterThanOrEqual(REMINDER_DELAY_MS)

    // The flaky consumer's DLQ holds only payments the ledger rejects, each after its retries.
    const dead = broker.listDlq(LEDGER_SYNC_GROUP)
    for (const d of dead) {
      const paymentId = (findProperty(d.message.propertiesString, 'KEYS') ?? '').split(' ')[0]!
      expect(paymentId).toMatch(/^PAY-/)
      expect(ledgerRejects(paymentId)).toBe(true)
      expect(d.originTopic).toBe(PAYMENTS_TOPIC)
    }

    // Transactions: half messages waited, some were decided by a check-back, none is left.
    expect(pendingSeen).toBeGreaterThan(0)
    expect(stats.payments.unknown).toBeGreaterThan(0)
    expect(stats.payments.committedByCheck + stats.payments.rolledBackByCheck).toBeGreaterThan(0)

    await workload.stop()
    expect(clock.pending.size).toBe(0)
    // Fan-out: each Orders group committed the same (complete) offsets.
    for (const group of [ORDER_TRACKING_GROUP, POINTS_GROUP, INVENTORY_GROUP]) {
      for (let queueId = 0; queueId < ORDERS_QUEUE_NUMS; queueId++) {
        expect(broker.queryConsumerOffset(group, ORDERS_TOPIC, queueId)).toBe(
          broker.store.getMaxOffsetInQueue(ORDERS_TOPIC, queueId),
        )
      }
    }
    expect(unhandled).toEqual([])
  })

  it('starts once per cluster, and after a restart on the same store continues the order ids', async () => {
    const storeDir = path.join(dir, 'restart')
    let cluster = await startCluster(storeDir)
    const [a, b] = await Promise.all([
      startDemoWorkload({ cluster, ratePerSec: 40, ordersMax: 20, log: () => undefined }),
      startDemoWorkload({ cluster, ratePerSec: 40, ordersMax: 20, log: () => undefined }),
    ])
    expect(a).toBe(b)
    workloads.push(a)
    await waitFor('20 orders created', () => a.stats().orders.ordersCreated === 20)
    const lastBefore = a.stats().orders.lastOrderId!
    await a.stop()
    await a.stop()
    workloads.splice(0)
    await cluster.shutdown()
    clusters.splice(0)

    // The second run's clock is 5 s behind, as if fewer tenths of a second had passed than orders were made:
    // the ids must come from the store, not from the time alone.
    const behind: Clock = {
      nowMs: () => Date.now() - 5000,
      setTimer: (delayMs, fn) => systemClock.setTimer(delayMs, fn),
    }
    cluster = await startCluster(storeDir)
    const again = await startDemoWorkload({
      cluster,
      ratePerSec: 40,
      ordersMax: 1,
      clock: behind,
      log: () => undefined,
    })
    expect(again).not.toBe(a)
    workloads.push(again)
    await waitFor('the first order of the second run', () => again.stats().orders.ordersCreated === 1)
    const firstAfter = again.stats().orders.lastOrderId!
    const before = parseOrderId(lastBefore)!
    const after = parseOrderId(firstAfter)!
    if (after.day === before.day) expect(after.sequence).toBe(before.sequence + 1)
    else expect(after.day).toBe(utcDay(behind.nowMs()))
    expect(unhandled).toEqual([])
  })
})

describe('order tracking', () => {
  it('counts an order whose events arrive out of lifecycle order', async () => {
    const cluster = await startCluster(path.join(dir, 'violation'))
    const workload = await startDemoWorkload({ cluster, ratePerSec: 1, ordersMax: 0, log: () => undefined })
    workloads.push(workload)
    const producer = new Producer(cluster, { group: 'out-of-order-test' })
    const send = (tags: string) =>
      producer.send(
        { topic: ORDERS_TOPIC, tags, keys: 'ORD-20261128-999999', body: '{}' },
        selectQueueByOrderId,
        'ORD-20261128-999999',
      )
    // created → shipped skips paid; then created again goes backwards.
    await send('created')
    await send('shipped')
    await send('created')
    await waitFor('three events tracked', () => workload.stats().orderTracking.consumed === 3)
    expect(workload.stats().orderTracking.orderViolations).toBe(2)
  })
})

describe('demo settings', () => {
  it('MQDECK_DEMO=0 (or false, off, no) turns it off; anything else keeps it on', () => {
    expect(demoEnabled({})).toBe(true)
    expect(demoEnabled({ MQDECK_DEMO: '1' })).toBe(true)
    for (const off of ['0', 'false', 'OFF', ' no ']) expect(demoEnabled({ MQDECK_DEMO: off })).toBe(false)
  })

  it('MQDECK_DEMO_RATE sets orders a second; bad values are refused naming the variable', () => {
    expect(demoRatePerSec({})).toBe(2)
    expect(demoRatePerSec({ MQDECK_DEMO_RATE: '0.5' })).toBe(0.5)
    for (const bad of ['0', '-1', 'fast', '1000']) {
      expect(() => demoRatePerSec({ MQDECK_DEMO_RATE: bad })).toThrow(/MQDECK_DEMO_RATE/)
    }
  })
})
