// The points service (group points-service): subscribes to every order event and awards loyalty points once per
// completed order, one point per whole euro. Fan-out: inventory-service consumes the same events.
import 'server-only'
import type { ConsumedMessage, ConsumeConcurrentlyStatus, PushConsumer } from '@/broker-engine/index'
import { runOnce } from '@/lib/idempotency/run-once'
import { startDemoConsumer, throttledErrorLog, type DemoContext } from './demo-context'
import { parseOrderEvent } from './order-events'
import { ORDERS_TOPIC, POINTS_GROUP } from './topology'

export interface PointsStats {
  readonly consumed: number
  readonly ordersAwarded: number
  readonly pointsAwarded: number
  /** Redeliveries of a completed event that the dedupe turned away. */
  readonly duplicatesSkipped: number
}

export class PointsService {
  // Idempotency by business key (the order id): runOnce's unique constraint in the console's database, so a
  // redelivery (or a restart that re-consumes from the last committed offset) never awards an order twice.
  private consumer: PushConsumer | undefined
  private consumed = 0
  private ordersAwarded = 0
  private pointsAwarded = 0
  private duplicatesSkipped = 0

  private readonly logAwardFailure: (err: unknown) => void

  constructor(private readonly ctx: DemoContext) {
    this.logAwardFailure = throttledErrorLog(ctx, 'awarding points')
  }

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

  private async onMessage(msg: ConsumedMessage): Promise<ConsumeConcurrentlyStatus> {
    this.consumed++
    if (msg.tags !== 'completed' || !msg.keys) return 'CONSUME_SUCCESS'
    const body = parseOrderEvent(msg.body)
    const points = body ? Math.floor(body.totalCents / 100) : 0
    try {
      const { ran } = await runOnce(
        'points',
        msg.keys,
        () => {
          this.ordersAwarded++
          this.pointsAwarded += points
          return Promise.resolve({ points })
        },
        { db: this.ctx.db },
      )
      if (!ran) this.duplicatesSkipped++
      return 'CONSUME_SUCCESS'
    } catch (err) {
      // The database did not answer: nothing was awarded, so let RocketMQ redeliver it later.
      this.logAwardFailure(err)
      return 'RECONSUME_LATER'
    }
  }
}
