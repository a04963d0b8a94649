// What the console asks a broker (RocketMQ's GET_CONSUME_STATS, GET_TOPIC_STATS_INFO, GET_BROKER_RUNTIME_INFO and
// the dashboard's message track): computed on demand from the store and the offset tables.

import type { BrokerController } from './broker-controller'
import { dlqTopicOf, retryTopicOf } from './topic-validator'
import { findProperty } from '../store/message-properties'
import type { DecodedMessage } from '../store/message-codec'
import type { StoreRuntimeStats } from '../store/store-types'

export interface QueueConsumeStats {
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  /** The queue's max offset. */
  readonly brokerOffset: number
  /** The group's committed offset (0 when none). */
  readonly consumerOffset: number
  /** Where the group's last pull will continue. */
  readonly pullOffset: number
  readonly lag: number
  /** Store time of the last consumed message (0 when none). */
  readonly lastTimestampMs: number
}

export interface ConsumeStats {
  readonly group: string
  readonly queues: readonly QueueConsumeStats[]
  readonly lagTotal: number
}

export interface QueueTopicStats {
  readonly queueId: number
  readonly minOffset: number
  readonly maxOffset: number
  readonly lastUpdateTimestampMs: number
}

export type DeliveryState = 'CONSUMED' | 'NOT_CONSUMED_YET' | 'IN_RETRY' | 'IN_DLQ' | 'CONSUMED_BUT_FILTERED'

export interface MessageTrack {
  readonly group: string
  readonly state: DeliveryState
  /** Copies of the message in the group's %RETRY% topic. */
  readonly retryCopies: number
}

export interface BrokerRuntimeStats {
  readonly brokerName: string
  readonly brokerId: number
  readonly clusterName: string
  readonly addr: string
  readonly role: string
  readonly topicCount: number
  readonly groupCount: number
  readonly producerGroups: readonly string[]
  readonly consumerGroups: readonly string[]
  readonly store: StoreRuntimeStats
}

const FOREVER = Number.MAX_SAFE_INTEGER

/** Per-queue progress of a group on one topic or on every topic it has offsets for or subscribes to. */
export function consumeStats(broker: BrokerController, group: string, topic?: string): ConsumeStats {
  const topics = topic
    ? [topic]
    : [
        ...new Set([
          ...broker.offsets.topicsOfGroup(group),
          ...broker.clients.consumerConnections(group).flatMap((c) => c.subscriptions.map((s) => s.topic)),
        ]),
      ]
  const queues: QueueConsumeStats[] = []
  for (const t of topics.sort()) {
    const config = broker.topics.get(t)
    if (!config) continue
    for (let queueId = 0; queueId < config.readQueueNums; queueId++) {
      const brokerOffset = broker.store.getMaxOffsetInQueue(t, queueId)
      const consumerOffset = Math.max(0, broker.offsets.queryOffset(group, t, queueId))
      const pulled = broker.offsets.queryPullOffset(group, t, queueId)
      queues.push({
        topic: t,
        brokerName: broker.config.brokerName,
        queueId,
        brokerOffset,
        consumerOffset,
        pullOffset: Math.max(consumerOffset, pulled),
        lag: Math.max(0, brokerOffset - consumerOffset),
        lastTimestampMs:
          consumerOffset > 0
            ? Math.max(0, broker.store.getMessageStoreTimestamp(t, queueId, consumerOffset - 1))
            : 0,
      })
    }
  }
  return { group, queues, lagTotal: queues.reduce((sum, q) => sum + q.lag, 0) }
}

/** Min and max offset and last write time of every queue of a topic. */
export function topicStats(broker: BrokerController, topic: string): QueueTopicStats[] {
  const config = broker.topics.get(topic)
  if (!config) return []
  const out: QueueTopicStats[] = []
  for (let queueId = 0; queueId < Math.max(config.readQueueNums, config.writeQueueNums); queueId++) {
    const maxOffset = broker.store.getMaxOffsetInQueue(topic, queueId)
    out.push({
      queueId,
      minOffset: broker.store.getMinOffsetInQueue(topic, queueId),
      maxOffset,
      lastUpdateTimestampMs:
        maxOffset > 0 ? Math.max(0, broker.store.getMessageStoreTimestamp(topic, queueId, maxOffset - 1)) : 0,
    })
  }
  return out
}

/**
 * Where a message stands for each group that consumes its topic: consumed (the group's offset is past it),
 * not yet, waiting in the group's retry topic, or dead in its DLQ.
 */
export function trackMessage(broker: BrokerController, message: DecodedMessage): MessageTrack[] {
  const uniqKey = findProperty(message.propertiesString, 'UNIQ_KEY')
  const groups = new Set([
    ...broker.offsets.groupsOfTopic(message.topic),
    ...broker.clients
      .consumerGroups()
      .filter((g) =>
        broker.clients
          .consumerConnections(g)
          .some((c) => c.subscriptions.some((s) => s.topic === message.topic)),
      ),
  ])
  const out: MessageTrack[] = []
  for (const group of [...groups].sort()) {
    const copiesIn = (topic: string) =>
      uniqKey ? broker.store.queryMessage(topic, uniqKey, 64, 0, FOREVER).length : 0
    const retryCopies = copiesIn(retryTopicOf(group))
    let state: DeliveryState
    if (copiesIn(dlqTopicOf(group)) > 0) state = 'IN_DLQ'
    else if (retryCopies > 0) state = 'IN_RETRY'
    else
      state =
        broker.offsets.queryOffset(group, message.topic, message.queueId) > message.queueOffset
          ? 'CONSUMED'
          : 'NOT_CONSUMED_YET'
    out.push({ group, state, retryCopies })
  }
  return out
}

export function brokerRuntimeStats(broker: BrokerController): BrokerRuntimeStats {
  const c = broker.config
  return {
    brokerName: c.brokerName,
    brokerId: c.brokerId,
    clusterName: c.brokerClusterName,
    addr: broker.addr,
    role: c.brokerRole,
    topicCount: broker.topics.list().length,
    groupCount: broker.groups.list().length,
    producerGroups: broker.clients.producerGroups(),
    consumerGroups: broker.clients.consumerGroups(),
    store: broker.store.getRuntimeStats(),
  }
}
