// Delayed messages: the notification producer schedules a "payment reminder" for some new orders at a delay level
// (RocketMQ's level 5, 1 minute by default), and the notification-service group consumes it when it is due,
// recording how long after sending it arrived.
import 'server-only'
import {
  Producer,
  type ConsumedMessage,
  type ConsumeConcurrentlyStatus,
  type PushConsumer,
} from '@/broker-engine/index'
import { startDemoConsumer, type DemoContext } from './demo-context'
import { NOTIFICATION_GROUP, NOTIFICATION_PRODUCER_GROUP, NOTIFICATIONS_TOPIC } from './topology'

/** Delay level of the payment reminder: 1m with RocketMQ's default messageDelayLevel. */
export const REMINDER_DELAY_LEVEL = 5
export const REMINDER_TAG = 'payment-reminder'

export interface ReminderBody {
  readonly type: typeof REMINDER_TAG
  readonly orderId: string
  readonly customerId: string
  readonly channel: 'email'
  /** When it was scheduled, ISO 8601 UTC. */
  readonly scheduledAt: string
}

export interface NotificationStats {
  readonly scheduled: number
  readonly delivered: number
  /** Shortest time from sending to delivery seen so far (ms); undefined before the first delivery. */
  readonly shortestDelayMs: number | undefined
}

export class NotificationService {
  private readonly producer: Producer
  private consumer: PushConsumer | undefined
  private scheduled = 0
  private delivered = 0
  private shortestDelayMs: number | undefined

  constructor(private readonly ctx: DemoContext) {
    this.producer = new Producer(ctx.cluster, { group: NOTIFICATION_PRODUCER_GROUP, clock: ctx.clock })
  }

  async start(): Promise<void> {
    this.consumer = await startDemoConsumer(this.ctx, NOTIFICATION_GROUP, NOTIFICATIONS_TOPIC, REMINDER_TAG, {
      orderly: false,
      onMessage: (msg) => this.onMessage(msg),
    })
  }

  stop(): Promise<void> {
    return this.consumer?.shutdown() ?? Promise.resolve()
  }

  get stats(): NotificationStats {
    return { scheduled: this.scheduled, delivered: this.delivered, shortestDelayMs: this.shortestDelayMs }
  }

  /** Schedules a payment reminder for an order (key = order id). */
  async scheduleReminder(orderId: string, customerId: string): Promise<void> {
    const body: ReminderBody = {
      type: REMINDER_TAG,
      orderId,
      customerId,
      channel: 'email',
      scheduledAt: new Date(this.ctx.clock.nowMs()).toISOString(),
    }
    await this.producer.send({
      topic: NOTIFICATIONS_TOPIC,
      tags: REMINDER_TAG,
      keys: orderId,
      delayLevel: REMINDER_DELAY_LEVEL,
      body: JSON.stringify(body),
    })
    this.scheduled++
  }

  private onMessage(msg: ConsumedMessage): ConsumeConcurrentlyStatus {
    this.delivered++
    const delayMs = this.ctx.clock.nowMs() - msg.bornTimestampMs
    if (this.shortestDelayMs === undefined || delayMs < this.shortestDelayMs) this.shortestDelayMs = delayMs
    return 'CONSUME_SUCCESS'
  }
}
