// The embedded default's demo workload: the order, payment, notification, points, inventory, order-tracking and
// ledger-sync services of the founding notes running against the in-process cluster, so every console page has
// live data on a fresh start. One per cluster per process (globalThis guard: Next loads this module several times).
import 'server-only'
import { systemClock, type Clock, type EmbeddedCluster } from '@/broker-engine/index'
import { startProducerHeartbeat, type DemoContext } from './demo-context'
import { InventoryService, type InventoryStats } from './inventory-service'
import { LedgerSync, type LedgerSyncStats } from './ledger-sync'
import { NotificationService, type NotificationStats } from './notification-service'
import { OrderService, type OrderServiceStats } from './order-service'
import { OrderTracking, type OrderTrackingStats } from './order-tracking'
import { PaymentService, type PaymentStats } from './payment-service'
import { PointsService, type PointsStats } from './points-service'
import {
  ensureDemoTopology,
  NOTIFICATION_PRODUCER_GROUP,
  ORDER_PRODUCER_GROUP,
  PAYMENT_PRODUCER_GROUP,
} from './topology'

/** Orders a second when MQDECK_DEMO_RATE is not set. */
export const DEMO_RATE_PER_SEC_DEFAULT = 2
export const DEMO_RATE_PER_SEC_MAX = 100

type Env = Readonly<Record<string, string | undefined>>

/** The demo runs unless MQDECK_DEMO is 0, false, off or no. */
export function demoEnabled(env: Env = process.env): boolean {
  const value = env.MQDECK_DEMO?.trim().toLowerCase()
  return !(value === '0' || value === 'false' || value === 'off' || value === 'no')
}

/** MQDECK_DEMO_RATE (orders a second, above 0 up to 100), or 2. */
export function demoRatePerSec(env: Env = process.env): number {
  const text = env.MQDECK_DEMO_RATE?.trim()
  if (!text) return DEMO_RATE_PER_SEC_DEFAULT
  const rate = Number(text)
  if (!Number.isFinite(rate) || rate <= 0 || rate > DEMO_RATE_PER_SEC_MAX)
    throw new Error(
      `MQDECK_DEMO_RATE must be a number of orders a second above 0 and at most ${DEMO_RATE_PER_SEC_MAX}; ` +
        `got ${JSON.stringify(text)}`,
    )
  return rate
}

export interface DemoWorkloadOptions {
  readonly cluster: EmbeddedCluster
  /** Orders a second; default MQDECK_DEMO_RATE or 2. */
  readonly ratePerSec?: number
  readonly random?: () => number
  readonly log?: (message: string) => void
  readonly clock?: Clock
  /** Stop creating orders after this many (tests); the services keep running until stop(). */
  readonly ordersMax?: number
}

export interface DemoStats {
  readonly orders: OrderServiceStats
  readonly payments: PaymentStats
  readonly notifications: NotificationStats
  readonly orderTracking: OrderTrackingStats
  readonly points: PointsStats
  readonly inventory: InventoryStats
  readonly ledgerSync: LedgerSyncStats
}

export interface DemoWorkload {
  /** Live counters of every service (what the tests and a status line read). */
  stats(): DemoStats
  /** Stops the producers, waits for their sends in flight, then stops the consumers. Idempotent. */
  stop(): Promise<void>
}

const g = globalThis as unknown as { __mqdeckDemo?: Map<EmbeddedCluster, Promise<DemoWorkload>> }

function running(): Map<EmbeddedCluster, Promise<DemoWorkload>> {
  return (g.__mqdeckDemo ??= new Map<EmbeddedCluster, Promise<DemoWorkload>>())
}

/**
 * Starts the demo workload on `cluster`, or returns the one already running there. Creates the demo's topics
 * and groups when missing, starts the consumers before the producers (new groups start at the newest offset),
 * and continues the day's order ids after a restart. A failed start is forgotten so a later call can retry.
 */
export function startDemoWorkload(options: DemoWorkloadOptions): Promise<DemoWorkload> {
  const table = running()
  const existing = table.get(options.cluster)
  if (existing) return existing
  const starting: Promise<DemoWorkload> = begin(options, () => {
    if (table.get(options.cluster) === starting) table.delete(options.cluster)
  }).catch((err: unknown) => {
    table.delete(options.cluster)
    throw err
  })
  table.set(options.cluster, starting)
  return starting
}

/** Stops every demo workload of this process (before the engine closes, so no send meets a closed store). */
export async function stopDemoWorkloads(): Promise<void> {
  const table = running()
  const all = [...table.values()]
  await Promise.all(
    all.map((p) =>
      p.then(
        (w) => w.stop(),
        () => undefined,
      ),
    ),
  )
}

async function begin(options: DemoWorkloadOptions, onStopped: () => void): Promise<DemoWorkload> {
  const ctx: DemoContext = {
    cluster: options.cluster,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    log: options.log ?? ((m) => console.warn(`[mqdeck demo] ${m}`)),
  }
  const ratePerSec = options.ratePerSec ?? demoRatePerSec()
  ensureDemoTopology(ctx.cluster)

  const orderTracking = new OrderTracking(ctx)
  const points = new PointsService(ctx)
  const inventory = new InventoryService(ctx)
  const ledgerSync = new LedgerSync(ctx)
  const notifications = new NotificationService(ctx)
  const consumers = [orderTracking, points, inventory, ledgerSync, notifications]
  // The payment service reports check-back decisions to the order service, which is built after it (the
  // check listener runs only once both exist and the producer has started).
  const payments: PaymentService = new PaymentService(ctx, {
    onSettled: (orderId, committed) => orderService.onPaymentSettled(orderId, committed),
  })
  const orderService = new OrderService(ctx, {
    ratePerSec,
    ordersMax: options.ordersMax,
    payments,
    notifications,
  })

  let heartbeat: { stop(): void } | undefined
  try {
    for (const consumer of consumers) await consumer.start()
    payments.start()
    heartbeat = startProducerHeartbeat(ctx, [
      ORDER_PRODUCER_GROUP,
      PAYMENT_PRODUCER_GROUP,
      NOTIFICATION_PRODUCER_GROUP,
    ])
    orderService.start()
  } catch (err) {
    heartbeat?.stop()
    payments.stop()
    for (const consumer of consumers) await consumer.stop()
    throw err
  }
  const producerHeartbeat = heartbeat
  ctx.log(
    `started: ${ratePerSec} orders/s on topics Orders, Payments, Notifications (MQDECK_DEMO=0 turns it off)`,
  )

  let stopping: Promise<void> | undefined
  const workload: DemoWorkload = {
    stats: () => ({
      orders: orderService.stats,
      payments: payments.stats,
      notifications: notifications.stats,
      orderTracking: orderTracking.stats,
      points: points.stats,
      inventory: inventory.stats,
      ledgerSync: ledgerSync.stats,
    }),
    stop: () =>
      (stopping ??= (async () => {
        await orderService.stop()
        payments.stop()
        producerHeartbeat.stop()
        for (const consumer of consumers) await consumer.stop()
        onStopped()
      })()),
  }
  return workload
}
