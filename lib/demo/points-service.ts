// The points service (group points-service): subscribes to every order event and awards loyalty points once per
// completed order, one point per whole euro. Fan-out: inventory-service consumes the same events.
import 'server-only'
import type { ConsumedMessage, ConsumeConcurrentlyStatus, PushConsumer } from '@/broker-engine/index'
import { BoundedMap } from './bounded-map'
import { startDemoConsumer, type DemoContext } from './demo-context'
import { parseOrderEvent } from './order-events'
import { ORDERS_TOPIC, POINTS_GROUP } from './topology'

/** Orders remembered as awarded; a redelivery older than this many orders would award twice. */
const AWARDED_ORDERS_MAX = 10_000

export interface PointsStats {
  readonly consumed: number
  readonly ordersAwarded: number
  readonly pointsAwarded: number
  /** Redeliveries of a completed event that the dedupe turned away. */
  readonly duplicatesSkipped: number
}

export class PointsService {
  // Idempotency by business key (the order id). In memory for now; issue 6 brings the idempotency log's
  // "run this handler once per key" library, which replaces this map with a unique constraint in the database.
  private readonly awarded = new BoundedMap<string, number>(AWARDED_ORDERS_MAX)
  private consumer: PushConsumer | undefined
  private consumed = 0
  private ordersAwarded = 0
  private pointsAwarded = 0
  private duplicatesSkipped = 0

  constructor(private readonly ctx: DemoContext) {}

  async start(): Promise<void> {
    this.consumer = await startDemoConsumer(this.ctx, POINTS_GROUP, ORDERS_TOPIC, '*', {
      orderly: false,
      onMessage: (msg) => this.onMessage(msg),
    })
  }

  stop(): Promise<void> {
    return this.consumer?.shutdown() ?? Promise.resolve()
  }

  get stats(): PointsStats {
    return {
      consumed: this.consumed,
      ordersAwarded: this.ordersAwarded,
      pointsAwarded: this.pointsAwarded,
      duplicatesSkipped: this.duplicatesSkipped,
    }
  }

  private onMessage(msg: ConsumedMessage): ConsumeConcurrentlyStatus {
    this.consumed++
    if (msg.tags !== 'completed' || !msg.keys) return 'CONSUME_SUCCESS'
    if (this.awarded.has(msg.keys)) {
      this.duplicatesSkipped++
      return 'CONSUME_SUCCESS'
    }
    const body = parseOrderEvent(msg.body)
    const points = body ? Math.floor(body.totalCents / 100) : 0
    this.awarded.set(msg.keys, points)
    this.ordersAwarded++
    this.pointsAwarded += points
    return 'CONSUME_SUCCESS'
  }
}
