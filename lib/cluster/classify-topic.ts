// Which kind a topic is (normal, a group's %RETRY% or %DLQ% topic, or RocketMQ's own) and which message type
// its configs declare. Shared by both gateways so the console's type filter means the same on each.
import 'server-only'
import { isDlqTopic, isRetryTopic, isSystemTopic, replyTopicOf } from '@/broker-engine/index'
import type { TopicBrokerConfig, TopicKind, TopicMessageType } from '@/lib/cluster/gateway'

/** Names a broker also registers as topics (its cluster name and broker name, 4.x and 5.x alike). */
export interface TopicNamespace {
  readonly clusterNames: readonly string[]
  readonly brokerNames: readonly string[]
}

export function topicKindOf(topic: string, namespace: TopicNamespace): TopicKind {
  if (isRetryTopic(topic)) return 'RETRY'
  if (isDlqTopic(topic)) return 'DLQ'
  if (
    isSystemTopic(topic) ||
    namespace.clusterNames.includes(topic) ||
    namespace.brokerNames.includes(topic) ||
    namespace.clusterNames.some((cluster) => replyTopicOf(cluster) === topic)
  )
    return 'SYSTEM'
  return 'NORMAL'
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set(['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'])

/** The `message.type` attribute (5.x, stored with or without its "+"), else FIFO for ordered topics. */
export function messageTypeOf(configs: readonly TopicBrokerConfig[]): TopicMessageType {
  for (const config of configs) {
    const declared = config.attributes['message.type'] ?? config.attributes['+message.type']
    if (declared !== undefined && MESSAGE_TYPES.has(declared)) return declared as TopicMessageType
  }
  return configs.some((config) => config.order) ? 'FIFO' : 'UNSPECIFIED'
}
