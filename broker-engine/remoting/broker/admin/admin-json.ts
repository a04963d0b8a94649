// Bodies several admin calls share, shaped like RocketMQ's beans (PROTOCOL.md 2.10): SubscriptionData, Connection
// and ConsumeStats (with MessageQueue map keys written inline, as a real broker does).

import type { BrokerController } from '../../../broker/broker-controller'
import { consumeStats } from '../../../broker/broker-stats'
import type { ClientConnection, SubscriptionData } from '../../../broker/client-registry'
import { parseSubscription } from '../../../broker/subscription-filter'
import { messageQueueJson } from './admin-context'
import { fastjsonMap, javaDouble, type FastjsonMap, type JavaDouble } from '../../fastjson-writer'
import type { TrafficSampler } from './traffic-sampler'

/**
 * RocketMQ's SubscriptionData for a subscription the client registry holds. The engine filters by tag only, so
 * expressionType is TAG and the tag set and Java hash codes are rebuilt from subString. subVersion (the client's
 * own timestamp) is written only when the registry kept it; otherwise it is left out (Java reads 0).
 */
export function subscriptionDataJson(s: SubscriptionData): Record<string, unknown> {
  const extra = s as SubscriptionData & { readonly subVersion?: number; readonly expressionType?: string }
  let tags: string[] = []
  let codes: number[] = []
  let subString = s.subString
  try {
    const parsed = parseSubscription(s.subString)
    subString = parsed.subString
    tags = [...(parsed.tags ?? [])]
    codes = [...(parsed.tagsCodes ?? [])]
  } catch {
    // An expression too long to be a tag list: shown as sent, with no tags.
  }
  return {
    classFilterMode: false,
    codeSet: codes,
    expressionType: extra.expressionType ?? 'TAG',
    subString,
    subVersion: extra.subVersion,
    tagsSet: tags,
    topic: s.topic,
  }
}

/** RocketMQ's Connection: one client channel of a group. */
export function connectionJson(c: ClientConnection): Record<string, unknown> {
  return { clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version }
}

/** Topics the group's live consumers subscribe to; empty when no consumer of the group is online. */
export function subscribedTopics(broker: BrokerController, group: string): Set<string> {
  const topics = new Set<string>()
  for (const conn of broker.clients.consumerConnections(group))
    for (const s of conn.subscriptions) topics.add(s.topic)
  return topics
}

export interface ConsumeStatsJson {
  readonly consumeTps: JavaDouble | undefined
  readonly offsetTable: FastjsonMap
}

/**
 * ConsumeStats of a group over some topics (AdminBrokerProcessor.getConsumeStats): per readable queue the queue's
 * max offset, the group's committed and pull offsets and the store time of its last consumed message. consumeTps
 * is the group's pull rate over the last minute, 0.0 when none of the topics has been sampled yet.
 * `lag` is Σ(brokerOffset − consumerOffset), RocketMQ's computeTotalDiff.
 */
export function consumeStatsJson(
  broker: BrokerController,
  sampler: TrafficSampler,
  group: string,
  topics: readonly string[],
): { readonly json: ConsumeStatsJson; readonly lag: number } {
  const entries: [object, unknown][] = []
  let tps: number | undefined
  let lag = 0
  for (const topic of topics) {
    const stats = consumeStats(broker, group, topic)
    for (const q of stats.queues) {
      entries.push([
        messageQueueJson(q.topic, q.brokerName, q.queueId),
        {
          brokerOffset: q.brokerOffset,
          consumerOffset: q.consumerOffset,
          lastTimestamp: q.lastTimestampMs,
          pullOffset: q.pullOffset,
        },
      ])
      lag += q.brokerOffset - q.consumerOffset
    }
    const sampled = sampler.groupGetStats(topic, group)
    if (sampled) tps = (tps ?? 0) + sampled.minute.tps
  }
  return {
    // Always written, as the Java bean's primitive double is (0.0 before the first sample; capture 093).
    json: { consumeTps: javaDouble(tps ?? 0), offsetTable: fastjsonMap(entries) },
    lag,
  }
}
