// What the demo's order events look like: the lifecycle tags, the JSON body, order ids such as
// ORD-20261128-000123, and the queue selector that keeps all events of one order in one queue (partial order).
import 'server-only'
import { javaStringHashCode, type QueueSelector } from '@/broker-engine/index'

/** Tags of the Orders topic, in lifecycle order; `cancelled` ends an order whose payment was declined. */
export const ORDER_STEPS = ['created', 'paid', 'shipped', 'completed'] as const
export type OrderStep = (typeof ORDER_STEPS)[number]
export type OrderTag = OrderStep | 'cancelled'

export interface OrderLine {
  readonly sku: string
  readonly quantity: number
  readonly unitPriceCents: number
}

export interface OrderEventBody {
  readonly orderId: string
  readonly event: OrderTag
  readonly customerId: string
  readonly lines: readonly OrderLine[]
  readonly totalCents: number
  readonly currency: 'EUR'
  /** When the event happened, ISO 8601 UTC. */
  readonly at: string
}

/** What the demo shop sells: SKU, unit price. */
export const CATALOG: readonly { readonly sku: string; readonly unitPriceCents: number }[] = [
  { sku: 'SKU-1001-MUG', unitPriceCents: 1299 },
  { sku: 'SKU-1002-TEE', unitPriceCents: 2499 },
  { sku: 'SKU-1003-HOODIE', unitPriceCents: 5999 },
  { sku: 'SKU-1004-STICKERS', unitPriceCents: 499 },
  { sku: 'SKU-1005-NOTEBOOK', unitPriceCents: 899 },
  { sku: 'SKU-1006-BOTTLE', unitPriceCents: 1999 },
]

/** Position of a tag in the lifecycle; cancelled counts as the step after created. */
export function stepIndexOf(tag: string): number | undefined {
  if (tag === 'cancelled') return 1
  const index = (ORDER_STEPS as readonly string[]).indexOf(tag)
  return index >= 0 ? index : undefined
}

/** Digits of an order id's sequence: tenths of a second of the UTC day fit in six. */
const ORDER_SEQUENCE_DIGITS = 6
const ORDER_ID_PATTERN = /^ORD-(\d{8})-(\d{6,})$/

/** `ORD-<yyyymmdd UTC>-<sequence>`. */
export function formatOrderId(atMs: number, sequence: number): string {
  return `ORD-${utcDay(atMs)}-${String(sequence).padStart(ORDER_SEQUENCE_DIGITS, '0')}`
}

export function parseOrderId(orderId: string): { day: string; sequence: number } | undefined {
  const match = ORDER_ID_PATTERN.exec(orderId)
  return match ? { day: match[1]!, sequence: Number(match[2]) } : undefined
}

/** The order id's payment: PAY- instead of ORD-. */
export function paymentIdOf(orderId: string): string {
  return orderId.replace(/^ORD-/, 'PAY-')
}

export function utcDay(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10).replaceAll('-', '')
}

/**
 * The first sequence of the day that time alone allows: tenths of a second since UTC midnight. Ids therefore
 * continue after a restart instead of starting at 1 (unique as long as fewer than 10 orders a second are made;
 * the order service also looks at the newest ids in the store).
 */
export function sequenceFloorAt(atMs: number): number {
  return Math.floor((atMs % 86_400_000) / 100)
}

/** Which of `queueCount` queues an order's events go to (RocketMQ's SelectMessageQueueByHash). */
export function orderQueueIndex(orderId: string, queueCount: number): number {
  return Math.abs(javaStringHashCode(orderId) % queueCount)
}

/** Selector for Producer.send: `arg` is the order id. */
export const selectQueueByOrderId: QueueSelector = (queues, _msg, arg) =>
  queues[orderQueueIndex(String(arg), queues.length)]!

/** The JSON body of an order event, or undefined when the message is something else. */
export function parseOrderEvent(body: Buffer): OrderEventBody | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<OrderEventBody> | null
    return value && typeof value.orderId === 'string' && typeof value.totalCents === 'number'
      ? (value as OrderEventBody)
      : undefined
  } catch {
    return undefined
  }
}
