// The demo's topics, consumer groups and producer groups, and the one call that creates the ones missing on every
// master broker. Existing topics and groups are left as they are, so an operator's changes survive a restart.
import 'server-only'
import type { EmbeddedCluster, SubscriptionGroupInput, TopicConfigInput } from '@/broker-engine/index'

export const ORDERS_TOPIC = 'Orders'
export const PAYMENTS_TOPIC = 'Payments'
export const NOTIFICATIONS_TOPIC = 'Notifications'

/** Partial order: each order's events go to one of these queues, chosen by the order id's hash. */
export const ORDERS_QUEUE_NUMS = 8

export const ORDER_PRODUCER_GROUP = 'order-service'
export const PAYMENT_PRODUCER_GROUP = 'payment-service'
export const NOTIFICATION_PRODUCER_GROUP = 'notification-producer'

/** Orderly consumer of Orders: keeps each order's timeline and counts events seen out of order. */
export const ORDER_TRACKING_GROUP = 'order-tracking'
export const POINTS_GROUP = 'points-service'
export const INVENTORY_GROUP = 'inventory-service'
/** The flaky consumer of Payments whose failures fill %DLQ%ledger-sync. */
export const LEDGER_SYNC_GROUP = 'ledger-sync'
export const NOTIFICATION_GROUP = 'notification-service'

/**
 * Retries of ledger-sync before a message goes to %DLQ%: with RocketMQ's delay levels a failed message is retried
 * after 10 s and 30 s, then dead-lettered, so the DLQ fills within a minute instead of 16 retries over 4 hours.
 */
export const LEDGER_SYNC_RETRY_MAX_TIMES = 2

const TOPICS: readonly TopicConfigInput[] = [
  {
    topicName: ORDERS_TOPIC,
    readQueueNums: ORDERS_QUEUE_NUMS,
    writeQueueNums: ORDERS_QUEUE_NUMS,
    attributes: { 'message.type': 'FIFO' },
  },
  {
    topicName: PAYMENTS_TOPIC,
    readQueueNums: 4,
    writeQueueNums: 4,
    attributes: { 'message.type': 'TRANSACTION' },
  },
  {
    topicName: NOTIFICATIONS_TOPIC,
    readQueueNums: 4,
    writeQueueNums: 4,
    attributes: { 'message.type': 'DELAY' },
  },
]

const GROUPS: readonly SubscriptionGroupInput[] = [
  { groupName: ORDER_TRACKING_GROUP, consumeMessageOrderly: true },
  { groupName: POINTS_GROUP },
  { groupName: INVENTORY_GROUP },
  { groupName: LEDGER_SYNC_GROUP, retryMaxTimes: LEDGER_SYNC_RETRY_MAX_TIMES },
  { groupName: NOTIFICATION_GROUP },
]

/** Creates the demo's topics and consumer groups where missing, on every master; returns the names created. */
export function ensureDemoTopology(cluster: EmbeddedCluster): string[] {
  const created: string[] = []
  for (const broker of cluster.brokers) {
    if (broker.config.brokerId !== 0) continue
    for (const topic of TOPICS) {
      if (broker.topics.get(topic.topicName)) continue
      broker.upsertTopic(topic)
      created.push(topic.topicName)
    }
    for (const group of GROUPS) {
      if (broker.groups.get(group.groupName)) continue
      broker.groups.upsert(group)
      created.push(group.groupName)
    }
  }
  return created
}
