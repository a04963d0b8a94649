// The order service (producer group order-service): creates orders at a steady rate and walks each through
// created → paid → shipped → completed on the Orders topic, all events of one order to one queue (partial order),
// key = order id. Payment goes through the payment service's transaction; some new orders also get a delayed
// payment reminder. One send loop, one tick at a time, so the events of an order leave in lifecycle order.
import 'server-only'
import {
  decodeRecord,
  findProperty,
  Producer,
  type EmbeddedCluster,
  type TimerHandle,
} from '@/broker-engine/index'
import { throttledErrorLog, type DemoContext } from './demo-context'
import {
  CATALOG,
  formatOrderId,
  ORDER_STEPS,
  parseOrderId,
  selectQueueByOrderId,
  sequenceFloorAt,
  utcDay,
  type OrderEventBody,
  type OrderLine,
  type OrderTag,
} from './order-events'
import type { NotificationService } from './notification-service'
import type { PaymentService } from './payment-service'
import { ORDER_PRODUCER_GROUP, ORDERS_TOPIC } from './topology'

/** Orders in progress at most; no new ones are created while this many are open. */
const ACTIVE_ORDERS_MAX = 1000
/** Events sent for existing orders per tick at most, so one tick stays short. */
const ADVANCES_PER_TICK_MAX = 32
/** An order waiting this long for its payment's check-back is given up (its half message decides alone). */
const AWAITING_PAYMENT_MAX_MS = 10 * 60_000
/** Share of new orders that get a delayed payment reminder. */
const REMINDER_SHARE = 0.25
/** Newest messages read per Orders queue at start to continue the day's order ids. */
const SEQUENCE_SCAN_PER_QUEUE = 64
const CUSTOMERS = 500

interface ActiveOrder {
  readonly orderId: string
  readonly customerId: string
  readonly lines: readonly OrderLine[]
  readonly totalCents: number
  readonly createdAtMs: number
  /** The event to send next. */
  next: OrderTag
  /** The payment's outcome is known (next is then paid or cancelled without capturing again). */
  paymentSettled: boolean
  /** When the next event is due; undefined while the payment waits for a check-back. */
  dueAtMs: number | undefined
}

export interface OrderServiceOptions {
  readonly ratePerSec: number
  /** Stop creating orders after this many (tests); the open ones still finish. */
  readonly ordersMax?: number
  readonly payments: PaymentService
  readonly notifications: NotificationService
}

export interface OrderServiceStats {
  readonly ordersCreated: number
  readonly eventsSent: number
  readonly sendFailures: number
  readonly activeOrders: number
  readonly lastOrderId: string | undefined
}

export class OrderService {
  private readonly producer: Producer
  private readonly tickMs: number
  private readonly active = new Map<string, ActiveOrder>()
  private readonly logSendError: (err: unknown) => void
  private readonly logReminderError: (err: unknown) => void
  private timer: TimerHandle | undefined
  private inFlight: Promise<void> | undefined
  private stopped = false
  private day = ''
  private nextSequence = 0
  private ordersCreated = 0
  private eventsSent = 0
  private sendFailures = 0
  private lastOrderId: string | undefined

  constructor(
    private readonly ctx: DemoContext,
    private readonly options: OrderServiceOptions,
  ) {
    if (!(options.ratePerSec > 0)) throw new Error('ratePerSec must be above 0')
    this.producer = new Producer(ctx.cluster, { group: ORDER_PRODUCER_GROUP, clock: ctx.clock })
    this.tickMs = 1000 / options.ratePerSec
    this.logSendError = throttledErrorLog(ctx, 'sending an order event')
    this.logReminderError = throttledErrorLog(ctx, 'scheduling a payment reminder')
  }

  /** Continues the day's order ids after the newest one in the store, then starts the send loop. */
  start(): void {
    const now = this.ctx.clock.nowMs()
    this.day = utcDay(now)
    const newest = newestSequenceOf(this.ctx.cluster, this.day)
    this.nextSequence = Math.max(sequenceFloorAt(now), newest === undefined ? 0 : newest + 1)
    this.schedule(0)
  }

  /** Stops the send loop and waits for the tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true
    this.timer?.cancel()
    this.timer = undefined
    await this.inFlight
  }

  get stats(): OrderServiceStats {
    return {
      ordersCreated: this.ordersCreated,
      eventsSent: this.eventsSent,
      sendFailures: this.sendFailures,
      activeOrders: this.active.size,
      lastOrderId: this.lastOrderId,
    }
  }

  /** The payment service's check-back decided an order's payment: paid or cancelled goes out next tick. */
  onPaymentSettled(orderId: string, committed: boolean): void {
    const order = this.active.get(orderId)
    if (!order || order.paymentSettled || order.next !== 'paid') return
    order.paymentSettled = true
    order.next = committed ? 'paid' : 'cancelled'
    order.dueAtMs = this.ctx.clock.nowMs()
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    this.timer = this.ctx.clock.setTimer(delayMs, () => {
      this.timer = undefined
      const startedMs = this.ctx.clock.nowMs()
      this.inFlight = this.tick()
        .catch((err: unknown) => this.logSendError(err))
        .finally(() => {
          this.inFlight = undefined
          this.schedule(Math.max(0, this.tickMs - (this.ctx.clock.nowMs() - startedMs)))
        })
    })
  }

  private async tick(): Promise<void> {
    const now = this.ctx.clock.nowMs()
    const ordersMax = this.options.ordersMax ?? Infinity
    if (this.ordersCreated < ordersMax && this.active.size < ACTIVE_ORDERS_MAX) await this.createOrder(now)
    let advanced = 0
    for (const order of [...this.active.values()]) {
      if (this.stopped || advanced >= ADVANCES_PER_TICK_MAX) break
      if (order.dueAtMs === undefined) {
        if (now - order.createdAtMs > AWAITING_PAYMENT_MAX_MS) this.active.delete(order.orderId)
        continue
      }
      if (order.dueAtMs > now) continue
      advanced++
      await this.advance(order)
    }
  }

  private nextOrderId(now: number): string {
    const day = utcDay(now)
    if (day !== this.day) {
      this.day = day
      this.nextSequence = sequenceFloorAt(now)
    }
    return formatOrderId(now, this.nextSequence++)
  }

  private async createOrder(now: number): Promise<void> {
    const random = this.ctx.random
    const lines: OrderLine[] = []
    const lineCount = 1 + Math.floor(random() * 3)
    const first = Math.floor(random() * CATALOG.length)
    for (let i = 0; i < lineCount; i++) {
      const item = CATALOG[(first + i) % CATALOG.length]!
      lines.push({
        sku: item.sku,
        quantity: 1 + Math.floor(random() * 3),
        unitPriceCents: item.unitPriceCents,
      })
    }
    const order: ActiveOrder = {
      orderId: this.nextOrderId(now),
      customerId: `CUST-${String(1 + Math.floor(random() * CUSTOMERS)).padStart(4, '0')}`,
      lines,
      totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
      createdAtMs: now,
      next: 'created',
      paymentSettled: false,
      dueAtMs: now,
    }
    this.ordersCreated++
    this.lastOrderId = order.orderId
    if (!(await this.send(order, 'created'))) return
    this.active.set(order.orderId, order)
    order.next = 'paid'
    order.dueAtMs = now + this.stepDelayMs()
    if (random() < REMINDER_SHARE) {
      await this.options.notifications
        .scheduleReminder(order.orderId, order.customerId)
        .catch((err: unknown) => this.logReminderError(err))
    }
  }

  private async advance(order: ActiveOrder): Promise<void> {
    let tag = order.next
    if (tag === 'paid' && !order.paymentSettled) {
      let state
      try {
        state = await this.options.payments.capture(order.orderId, order.totalCents)
      } catch (err) {
        this.logSendError(err)
        this.sendFailures++
        order.dueAtMs = this.ctx.clock.nowMs() + this.stepDelayMs()
        return
      }
      if (state === 'UNKNOW') {
        order.dueAtMs = undefined
        return
      }
      order.paymentSettled = true
      tag = state === 'COMMIT_MESSAGE' ? 'paid' : 'cancelled'
      order.next = tag
    }
    if (!(await this.send(order, tag))) {
      order.dueAtMs = this.ctx.clock.nowMs() + this.stepDelayMs()
      return
    }
    if (tag === 'completed' || tag === 'cancelled') {
      this.active.delete(order.orderId)
      return
    }
    order.next = ORDER_STEPS[ORDER_STEPS.indexOf(tag) + 1]!
    order.dueAtMs = this.ctx.clock.nowMs() + this.stepDelayMs()
  }

  /** Sends one event of an order to its queue; false (logged) when the send failed. */
  private async send(order: ActiveOrder, tag: OrderTag): Promise<boolean> {
    const body: OrderEventBody = {
      orderId: order.orderId,
      event: tag,
      customerId: order.customerId,
      lines: order.lines,
      totalCents: order.totalCents,
      currency: 'EUR',
      at: new Date(this.ctx.clock.nowMs()).toISOString(),
    }
    try {
      await this.producer.send(
        { topic: ORDERS_TOPIC, tags: tag, keys: order.orderId, body: JSON.stringify(body) },
        selectQueueByOrderId,
        order.orderId,
      )
      this.eventsSent++
      return true
    } catch (err) {
      this.sendFailures++
      this.logSendError(err)
      return false
    }
  }

  /** 2 to 8 ticks between an order's steps: about 1–4 s at 2 orders a second, scaled with the rate. */
  private stepDelayMs(): number {
    return this.tickMs * (2 + this.ctx.random() * 6)
  }
}

/** The highest order sequence of `day` among the newest messages of each Orders queue, if any. */
function newestSequenceOf(cluster: EmbeddedCluster, day: string): number | undefined {
  let newest: number | undefined
  for (const broker of cluster.brokers) {
    if (broker.config.brokerId !== 0) continue
    const queueNums = broker.topics.get(ORDERS_TOPIC)?.writeQueueNums ?? 0
    for (let queueId = 0; queueId < queueNums; queueId++) {
      const max = broker.store.getMaxOffsetInQueue(ORDERS_TOPIC, queueId)
      const from = Math.max(
        broker.store.getMinOffsetInQueue(ORDERS_TOPIC, queueId),
        max - SEQUENCE_SCAN_PER_QUEUE,
      )
      if (from >= max) continue
      const got = broker.store.getMessage({
        topic: ORDERS_TOPIC,
        queueId,
        queueOffset: from,
        maxMsgNums: SEQUENCE_SCAN_PER_QUEUE,
      })
      for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos)) {
        const keys = findProperty(decodeRecord(got.records, pos).propertiesString, 'KEYS') ?? ''
        for (const key of keys.split(' ')) {
          const id = parseOrderId(key)
          if (id?.day === day && (newest === undefined || id.sequence > newest)) newest = id.sequence
        }
      }
    }
  }
  return newest
}
