// Consumption progress: one group (GET_CONSUME_STATS 208), every group (GET_BROKER_CONSUME_STATS 317) and the
// time span between what is stored and what is consumed (QUERY_CONSUME_TIME_SPAN 303).

import type { BrokerController } from '../../../broker/broker-controller'
import { validateTopicName } from '../../../broker/topic-validator'
import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import { customFields } from '../../request-fields'
import {
  failure,
  invalid,
  messageQueueJson,
  success,
  type AdminContext,
  type AdminRoute,
} from './admin-context'
import { consumeStatsJson, subscribedTopics } from './admin-json'

const { groupField, optionalBoolean, optionalNonBlank, topicField } = customFields

/** GetConsumeStatsRequestHeader's topicList separator. */
const TOPIC_LIST_SEPARATOR = ';'

export const CONSUME_ADMIN_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.GET_CONSUME_STATS, getConsumeStats],
  [REQUEST_CODE.GET_BROKER_CONSUME_STATS, getBrokerConsumeStats],
  [REQUEST_CODE.QUERY_CONSUME_TIME_SPAN, queryConsumeTimeSpan],
]

/**
 * Topics whose stats a group's request covers (PROTOCOL.md 2.7): the named ones, else every topic the group has
 * offsets on or subscribes to. While the group has live consumers, topics they do not subscribe to are left out,
 * as RocketMQ does; an explicit topicList skips that check.
 */
function topicsForStats(broker: BrokerController, group: string, topic: string | undefined): string[] {
  const subscribed = subscribedTopics(broker, group)
  const candidates = topic === undefined ? [...broker.offsets.topicsOfGroup(group), ...subscribed] : [topic]
  return [...new Set(candidates)]
    .filter((t) => broker.topics.has(t) && (subscribed.size === 0 || subscribed.has(t)))
    .sort()
}

function getConsumeStats(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const group = groupField(request, 'consumerGroup')
  const { broker } = ctx
  const listed = (optionalNonBlank(request, 'topicList') ?? '')
    .split(TOPIC_LIST_SEPARATOR)
    .map((t) => t.trim())
    .filter((t) => t !== '')
  const topic = optionalNonBlank(request, 'topic')
  for (const t of topic === undefined ? listed : [...listed, topic]) {
    const reason = validateTopicName(t)
    if (reason) throw invalid(reason)
  }
  const topics =
    listed.length > 0
      ? [...new Set(listed)].filter((t) => broker.topics.has(t)).sort()
      : topicsForStats(broker, group, topic)
  return success(request, { body: consumeStatsJson(broker, ctx.sampler, group, topics).json })
}

/**
 * GET_BROKER_CONSUME_STATS (ConsumeStatsList): for every subscription group, one ConsumeStats per topic it has
 * offsets on (only ordered topics when isOrder), and the total lag over all of them.
 */
function getBrokerConsumeStats(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const isOrder = optionalBoolean(request, 'isOrder') === true
  const { broker } = ctx
  const consumeStatsList: Record<string, unknown>[] = []
  let totalDiff = 0
  for (const { groupName } of broker.groups.list()) {
    const subscribed = subscribedTopics(broker, groupName)
    const perTopic = []
    for (const topic of broker.offsets.topicsOfGroup(groupName)) {
      const config = broker.topics.get(topic)
      if (!config || (isOrder && !config.order)) continue
      if (subscribed.size > 0 && !subscribed.has(topic)) continue
      const { json, lag } = consumeStatsJson(broker, ctx.sampler, groupName, [topic])
      perTopic.push(json)
      totalDiff += lag
    }
    consumeStatsList.push({ [groupName]: perTopic })
  }
  return success(request, { body: { brokerAddr: broker.addr, consumeStatsList, totalDiff } })
}

/**
 * QUERY_CONSUME_TIME_SPAN: per queue the store times of the first and last message, of the last consumed one,
 * and how long the next unconsumed message has waited (0 when the group is caught up).
 */
function queryConsumeTimeSpan(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topic = topicField(request)
  const group = groupField(request, 'group')
  const { broker, clock } = ctx
  const config = broker.topics.get(topic)
  if (!config) return failure(request, RESPONSE_CODE.TOPIC_NOT_EXIST, `topic[${topic}] not exist`)
  const { store } = broker
  const consumeTimeSpanSet = []
  for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
    const min = store.getMinOffsetInQueue(topic, queueId)
    const max = store.getMaxOffsetInQueue(topic, queueId)
    const minTimeStamp = max > min ? store.getMessageStoreTimestamp(topic, queueId, min) : -1
    const maxTimeStamp = max > min ? store.getMessageStoreTimestamp(topic, queueId, max - 1) : -1
    const consumed = broker.offsets.queryOffset(group, topic, queueId)
    const consumeTimeStamp =
      consumed > 0 ? store.getMessageStoreTimestamp(topic, queueId, consumed - 1) : minTimeStamp
    const next = Math.max(consumed, min)
    const nextTime = next < max ? store.getMessageStoreTimestamp(topic, queueId, next) : -1
    consumeTimeSpanSet.push({
      consumeTimeStamp,
      consumeTimeStampStr: formatTimestamp(consumeTimeStamp),
      delayTime: nextTime >= 0 ? Math.max(0, clock.nowMs() - nextTime) : 0,
      maxTimeStamp,
      maxTimeStampStr: formatTimestamp(maxTimeStamp),
      messageQueue: messageQueueJson(topic, broker.config.brokerName, queueId),
      minTimeStamp,
      minTimeStampStr: formatTimestamp(minTimeStamp),
    })
  }
  return success(request, { body: { consumeTimeSpanSet } })
}

/** UtilAll.YYYY_MM_DD_HH_MM_SS_SSS ("yyyy-MM-dd#HH:mm:ss:SSS") in local time, as QueueTimeSpan's *Str getters. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, width = 2) => String(n).padStart(width, '0')
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}` +
    `#${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}:${p(d.getMilliseconds(), 3)}`
  )
}
