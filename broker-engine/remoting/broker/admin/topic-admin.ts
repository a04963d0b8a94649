// Topic admin calls: create/update (17), create/update a list (18), the whole table (21), one config (351),
// delete (215), queue offsets (202), who consumes a topic (300) and the system topic list (305).

import { topicStats } from '../../../broker/broker-stats'
import { topicConfigJson, type TopicConfigInput } from '../../../broker/topic-config-manager'
import {
  RETRY_GROUP_TOPIC_PREFIX,
  TOPIC_VALIDATOR_SYSTEM_TOPICS,
  validateTopicName,
} from '../../../broker/topic-validator'
import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import { customFields } from '../../request-fields'
import {
  assertMaster,
  failure,
  invalid,
  messageQueueJson,
  REMARK_NOT_SET,
  success,
  type AdminContext,
  type AdminRoute,
} from './admin-context'
import { fastjsonMap, javaDouble } from '../../fastjson-writer'
import { isFastjsonObject, type FastjsonObject, type FastjsonValue } from '../../fastjson'
import { parseConfigListBody, readEntry } from './config-list-body'

const { optionalBoolean, optionalInt32, optionalNonBlank, requiredInt32, requiredString, topicField } =
  customFields

const MESSAGE_TYPE_ATTRIBUTE = 'message.type'

export const TOPIC_ADMIN_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.UPDATE_AND_CREATE_TOPIC, updateAndCreateTopic],
  [REQUEST_CODE.UPDATE_AND_CREATE_TOPIC_LIST, updateAndCreateTopicList],
  [REQUEST_CODE.GET_ALL_TOPIC_CONFIG, getAllTopicConfig],
  [REQUEST_CODE.GET_TOPIC_CONFIG, getTopicConfig],
  [REQUEST_CODE.DELETE_TOPIC_IN_BROKER, deleteTopicInBroker],
  [REQUEST_CODE.GET_TOPIC_STATS_INFO, getTopicStatsInfo],
  [REQUEST_CODE.QUERY_TOPIC_CONSUME_BY_WHO, queryTopicConsumeByWho],
  [REQUEST_CODE.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, getSystemTopicList],
]

/** A topic name an admin may create or delete: valid and not one of the broker's system topics. */
function adminTopicField(ctx: AdminContext, request: RemotingCommand): string {
  const topic = topicField(request)
  if (ctx.broker.topics.isSystemTopic(topic))
    throw invalid(`The topic[${topic}] is conflict with system topic.`)
  return topic
}

/**
 * UPDATE_AND_CREATE_TOPIC: every header field replaces the topic's config; `attributes` alters the current ones
 * (`+key=value` adds or changes, `-key` removes). The change is persisted and registered with the NameServers by
 * upsertTopic. A real broker answers SUCCESS with the default remark, kept here (capture 020).
 */
function updateAndCreateTopic(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  assertMaster(ctx)
  const topic = adminTopicField(ctx, request)
  const topicFilterType = optionalNonBlank(request, 'topicFilterType') ?? 'SINGLE_TAG'
  if (topicFilterType !== 'SINGLE_TAG' && topicFilterType !== 'MULTI_TAG')
    throw invalid(`topicFilterType must be SINGLE_TAG or MULTI_TAG; got ${JSON.stringify(topicFilterType)}`)
  const existing = ctx.broker.topics.get(topic)
  const modification = optionalNonBlank(request, 'attributes')
  const attributes = alterAttributes(existing?.attributes ?? {}, modification, existing === undefined)
  ctx.broker.upsertTopic({
    topicName: topic,
    readQueueNums: requiredInt32(request, 'readQueueNums'),
    writeQueueNums: requiredInt32(request, 'writeQueueNums'),
    perm: requiredInt32(request, 'perm'),
    topicFilterType,
    topicSysFlag: optionalInt32(request, 'topicSysFlag') ?? 0,
    order: optionalBoolean(request, 'order') === true,
    attributes,
  })
  return success(request, { remark: REMARK_NOT_SET })
}

/**
 * What a TopicConfig body leaves out has the Java class's default (TopicConfig's field initialisers), not the
 * topic's current value: the body is a whole object, as it is to a RocketMQ 5 broker.
 */
const TOPIC_CONFIG_JAVA_DEFAULTS = {
  readQueueNums: 16,
  writeQueueNums: 16,
  perm: 6,
  topicFilterType: 'SINGLE_TAG',
  topicSysFlag: 0,
  order: false,
} as const

/**
 * UPDATE_AND_CREATE_TOPIC_LIST (RocketMQ 5): `{"topicConfigList":[TopicConfig…]}`, each entry read like one
 * UPDATE_AND_CREATE_TOPIC (system topics refused, attributes altering the current ones). The list is all or
 * nothing: any bad entry refuses the request naming it; otherwise the changes are written in one persist and
 * registered with the NameServers once (BrokerController.upsertTopics). An unchanged entry is skipped, where
 * RocketMQ 5 answers SUCCESS without applying any of the list once it meets one. SUCCESS carries the default
 * remark, as 17's does.
 */
function updateAndCreateTopicList(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  assertMaster(ctx)
  const entries = parseConfigListBody(request, 'topicConfigList', 'TopicConfig')
  const inputs = entries.map((entry, index) =>
    readEntry('topic', index, entry.topicName, () => topicInputOf(ctx, entry)),
  )
  ctx.broker.upsertTopics(inputs)
  return success(request, { remark: REMARK_NOT_SET })
}

/** One TopicConfig of a list body as the engine's input; values are checked by the topic table. */
function topicInputOf(ctx: AdminContext, entry: FastjsonObject): TopicConfigInput {
  const topicName = entry.topicName
  if (typeof topicName !== 'string') throw invalid('topicName must be a string')
  if (ctx.broker.topics.isSystemTopic(topicName))
    throw invalid(`The topic[${topicName}] is conflict with system topic.`)
  const input: Record<string, unknown> = { topicName }
  for (const [field, fallback] of Object.entries(TOPIC_CONFIG_JAVA_DEFAULTS)) {
    const value = entry[field] ?? fallback
    if (typeof value !== typeof fallback)
      throw invalid(`${field} must be ${typeof fallback === 'number' ? 'a number' : `a ${typeof fallback}`}`)
    input[field] = value
  }
  const existing = ctx.broker.topics.get(topicName)
  input.attributes = alterAttributeMap(existing?.attributes ?? {}, entry.attributes, existing === undefined)
  return input as unknown as TopicConfigInput
}

/**
 * A TopicConfig body's attributes alter the current ones as in RocketMQ 5 (AttributeUtil): `"+key":"value"`
 * adds or changes, `"-key"` removes (not while creating). A plain key sets, as older tools send it.
 */
function alterAttributeMap(
  current: Readonly<Record<string, string>>,
  change: FastjsonValue | undefined,
  creating: boolean,
): Record<string, string> {
  const next: Record<string, string> = { ...current }
  if (change === undefined || change === null) return next
  if (!isFastjsonObject(change)) throw invalid('attributes must be an object of strings')
  for (const [rawKey, value] of Object.entries(change)) {
    if (rawKey.startsWith('-')) {
      if (creating) throw invalid(`only add attribute is supported while creating topic; got ${rawKey}`)
      delete next[rawKey.slice(1)]
      continue
    }
    const key = rawKey.startsWith('+') ? rawKey.slice(1) : rawKey
    if (typeof value !== 'string') throw invalid(`attribute ${key} must be a string`)
    if (key === MESSAGE_TYPE_ATTRIBUTE && value === 'MIXED')
      throw invalid('MIXED message type is not supported.')
    next[key] = value
  }
  return next
}

/** Applies RocketMQ's attribute modification text (`+a=1,+b=2,-c`, AttributeParser) to the current attributes. */
function alterAttributes(
  current: Readonly<Record<string, string>>,
  modification: string | undefined,
  creating: boolean,
): Record<string, string> {
  const next: Record<string, string> = { ...current }
  if (modification === undefined) return next
  for (const item of modification.split(',')) {
    const text = item.trim()
    if (text === '') continue
    const sign = text[0]
    const eq = text.indexOf('=')
    if (sign === '+' && eq > 1) {
      const key = text.slice(1, eq)
      const value = text.slice(eq + 1)
      if (key === MESSAGE_TYPE_ATTRIBUTE && value === 'MIXED')
        throw invalid('MIXED message type is not supported.')
      next[key] = value
    } else if (sign === '-' && eq < 0 && text.length > 1) {
      if (creating) throw invalid(`only add attribute is supported while creating topic; got ${text}`)
      delete next[text.slice(1)]
    } else {
      throw invalid(`attribute format is wrong: ${JSON.stringify(text)} (expected +key=value or -key)`)
    }
  }
  return next
}

/**
 * GET_ALL_TOPIC_CONFIG: the whole table (TopicConfigAndMappingSerializeWrapper; no static topics, so the mapping
 * maps are empty). 5.x paging fields in the request are ignored and no totalTopicNum header is sent, which a 5.x
 * client reads as "this broker returned everything" (a 4.9.4 broker does the same).
 */
function getAllTopicConfig(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const wrapper = ctx.broker.topics.serializeWrapper()
  return success(request, {
    body: {
      ...wrapper,
      mappingDataVersion: {
        counter: 0,
        stateVersion: 0,
        timestamp: ctx.broker.store.getRuntimeStats().startedAtMs,
      },
      topicQueueMappingDetailMap: {},
      topicQueueMappingInfoMap: {},
    },
  })
}

/** GET_TOPIC_CONFIG: TopicConfigAndQueueMapping, which is the TopicConfig alone when there is no mapping. */
function getTopicConfig(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topic = requiredString(request, 'topic')
  const config = ctx.broker.topics.get(topic)
  if (!config)
    return failure(request, RESPONSE_CODE.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${topic}`)
  return success(request, { body: topicConfigJson(config) })
}

/**
 * DELETE_TOPIC_IN_BROKER: drops the topic's config and every group's offsets on it, and (as 5.x does) the POP
 * retry topics `%RETRY%<group>_<topic>` of groups that consumed it. SUCCESS also when the topic was not there.
 */
function deleteTopicInBroker(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  assertMaster(ctx)
  const raw = requiredString(request, 'topic')
  if (raw.trim() === '')
    return failure(request, RESPONSE_CODE.INVALID_PARAMETER, 'The specified topic is blank.')
  const topic = adminTopicField(ctx, request)
  const { broker } = ctx
  const popRetryTopics = broker.offsets
    .groupsOfTopic(topic)
    .map((group) => `${RETRY_GROUP_TOPIC_PREFIX}${group}_${topic}`)
    .filter((name) => validateTopicName(name) === undefined && broker.topics.has(name))
  for (const name of [topic, ...popRetryTopics]) broker.deleteTopic(name)
  return success(request)
}

/** GET_TOPIC_STATS_INFO: min/max offset and last store time of every queue, plus the sampled put TPS. */
function getTopicStatsInfo(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topic = requiredString(request, 'topic')
  const { broker } = ctx
  if (!broker.topics.get(topic))
    return failure(request, RESPONSE_CODE.TOPIC_NOT_EXIST, `topic[${topic}] not exist`)
  const brokerName = broker.config.brokerName
  const offsetTable = fastjsonMap(
    topicStats(broker, topic).map((q) => [
      messageQueueJson(topic, brokerName, q.queueId),
      { lastUpdateTimestamp: q.lastUpdateTimestampMs, maxOffset: q.maxOffset, minOffset: q.minOffset },
    ]),
  )
  const sampled = ctx.sampler.topicPutStats(topic)
  return success(request, {
    body: { offsetTable, topicPutTps: sampled ? javaDouble(sampled.minute.tps) : undefined },
  })
}

/** QUERY_TOPIC_CONSUME_BY_WHO: groups with a live consumer subscribed to the topic or with offsets on it. */
function queryTopicConsumeByWho(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topic = topicField(request)
  const { clients, offsets } = ctx.broker
  const groups = new Set(offsets.groupsOfTopic(topic))
  for (const group of clients.consumerGroups()) {
    if (clients.consumerConnections(group).some((c) => c.subscriptions.some((s) => s.topic === topic)))
      groups.add(group)
  }
  return success(request, { body: { groupList: [...groups].sort() } })
}

/**
 * GET_SYSTEM_TOPIC_LIST_FROM_BROKER: TopicValidator's system topic set, listed whether present or not, plus this
 * broker's own reserved topics.
 */
function getSystemTopicList(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topics = new Set(TOPIC_VALIDATOR_SYSTEM_TOPICS)
  for (const config of ctx.broker.topics.list())
    if (ctx.broker.topics.isSystemTopic(config.topicName)) topics.add(config.topicName)
  return success(request, { body: { topicList: [...topics].sort() } })
}
