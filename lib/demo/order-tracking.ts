// The orderly consumer of Orders (group order-tracking): keeps each open order's last step and counts events that
// arrive out of lifecycle order. Partial order promises zero; the console's demo proves it live.
import 'server-only'
import type { ConsumedMessage, ConsumeOrderlyStatus, PushConsumer } from '@/broker-engine/index'
import { BoundedMap } from './bounded-map'
import { startDemoConsumer, type DemoContext } from './demo-context'
import { stepIndexOf } from './order-events'
import { ORDER_TRACKING_GROUP, ORDERS_TOPIC } from './topology'

/** Open orders remembered; older ones are forgotten (their later events are then accepted unchecked). */
const OPEN_ORDERS_MAX = 10_000

export interface OrderTrackingStats {
  readonly consumed: number
  /** Events whose step went backwards or skipped one: 0 when partial order holds. */
  readonly orderViolations: number
  readonly lastViolation: string | undefined
}

export class OrderTracking {
  private readonly lastStep = new BoundedMap<string, number>(OPEN_ORDERS_MAX)
  private consumer: PushConsumer | undefined
  private consumed = 0
  private violations = 0
  private lastViolation: string | undefined

  constructor(private readonly ctx: DemoContext) {}

  async start(): Promise<void> {
    this.consumer = await startDemoConsumer(this.ctx, ORDER_TRACKING_GROUP, ORDERS_TOPIC, '*', {
      orderly: true,
      onMessage: (msg) => this.onMessage(msg),
    })
  }

  stop(): Promise<void> {
    return this.consumer?.shutdown() ?? Promise.resolve()
  }

  get stats(): OrderTrackingStats {
    return { consumed: this.consumed, orderViolations: this.violations, lastViolation: this.lastViolation }
  }

  private onMessage(msg: ConsumedMessage): ConsumeOrderlyStatus {
    this.consumed++
    const orderId = msg.keys
    const step = msg.tags === undefined ? undefined : stepIndexOf(msg.tags)
    // Not an order event (someone sent a test message to Orders): nothing to check.
    if (!orderId || step === undefined) return 'SUCCESS'
    const last = this.lastStep.get(orderId)
    // A repeat of the last step is a redelivery, not a violation; an order first seen mid-way (the consumer
    // started after its earlier events, or forgot it) is accepted as it comes.
    const inOrder = last === undefined ? true : step === last || step === last + 1
    if (!inOrder) {
      this.violations++
      this.lastViolation = `${orderId}: ${msg.tags ?? ''} after step ${last ?? '-'} (queue ${msg.queueId}, offset ${msg.queueOffset})`
      this.ctx.log(`order violation: ${this.lastViolation}`)
    }
    if (msg.tags === 'completed' || msg.tags === 'cancelled') this.lastStep.delete(orderId)
    else this.lastStep.set(orderId, Math.max(step, last ?? step))
    return 'SUCCESS'
  }
}
