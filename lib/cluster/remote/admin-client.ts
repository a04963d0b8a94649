// The remoting calls the remote gateway makes, one function per request code (PROTOCOL.md 2.1, 7.3): each sends
// the ext fields mqadmin sends, reads the body with the lenient fastjson reader, and turns the response codes
// that mean an expected outcome (no such topic, group offline, ...) into values. Any other code throws.
import 'server-only'
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  parseJavaProperties,
  parseMessageQueueKey,
  REQUEST_CODE,
  RESPONSE_CODE,
  SUBSCRIPTION_GROUP_DEFAULTS,
  toFastjson,
  TOOLS_CONSUMER_GROUP,
  type DecodedMessage,
  type RemotingCommand,
  type SubscriptionGroupConfig,
} from '@/broker-engine/index'
import type { ConsumerQueueHolding, QueueConsumeProgress } from '@/lib/cluster/gateway'
import { ObjectReader, type BodySource } from './body-reader'
import { decodeRemoteRecords } from './record-decoder'
import { badResponse, responseError } from './remote-error'
import type { CallOptions, RemoteTransport } from './remote-transport'

/** Pull sysFlag SUBSCRIPTION only: no commit, no suspend (PROTOCOL.md 2.4). */
const PULL_SYSFLAG_SUBSCRIPTION = 4
/** The broker serves at most 32 messages per pull from memory. */
export const PULL_BATCH_MAX = 32

const S = String

function ok(addr: string, code: number, response: RemotingCommand): RemotingCommand {
  if (response.code !== RESPONSE_CODE.SUCCESS) throw responseError(addr, code, response.code, response.remark)
  return response
}

function extNumber(addr: string, code: number, response: RemotingCommand, name: string): number {
  const raw = response.extFields?.[name]
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw)
  if (!Number.isFinite(value)) throw badResponse(addr, code, `header field ${name}`)
  return value
}

function reader(addr: string, code: number, response: RemotingCommand): ObjectReader {
  return ObjectReader.of({ addr, requestCode: code }, response.body)
}

/** A MessageQueue map key, or BAD_RESPONSE. */
function queueKey(map: ObjectReader, field: string, key: string) {
  return parseMessageQueueKey(key) ?? map.badKey(field, key)
}

// ---------------------------------------------------------------------------------------------------------------
// NameServer

export interface WireBrokerData {
  readonly brokerName: string
  readonly cluster: string
  /** brokerId (as text) → address. */
  readonly brokerAddrs: Readonly<Record<string, string>>
}

export interface WireClusterInfo {
  /** The NameServer that answered. */
  readonly namesrvAddr: string
  readonly brokers: readonly WireBrokerData[]
  readonly clusters: readonly { readonly clusterName: string; readonly brokerNames: readonly string[] }[]
}

function readBrokerData(entry: ObjectReader): WireBrokerData {
  return {
    brokerName: entry.string('brokerName'),
    cluster: entry.optionalString('cluster') ?? '',
    brokerAddrs: Object.fromEntries(entry.stringEntries('brokerAddrs')),
  }
}

function readClusterInfo(namesrvAddr: string, response: RemotingCommand): WireClusterInfo {
  const code = REQUEST_CODE.GET_BROKER_CLUSTER_INFO
  const body = reader(namesrvAddr, code, ok(namesrvAddr, code, response))
  return {
    namesrvAddr,
    brokers: body.objectEntries('brokerAddrTable').map(([, entry]) => readBrokerData(entry)),
    clusters: Object.keys(body.optionalObject('clusterAddrTable').value).map((clusterName) => ({
      clusterName,
      brokerNames: body.object('clusterAddrTable').stringArray(clusterName),
    })),
  }
}

/** GET_BROKER_CLUSTER_INFO (106) from the first NameServer that answers. */
export async function getBrokerClusterInfo(t: RemoteTransport): Promise<WireClusterInfo> {
  const { addr, response } = await t.invokeNameServer(REQUEST_CODE.GET_BROKER_CLUSTER_INFO)
  return readClusterInfo(addr, response)
}

/** GET_BROKER_CLUSTER_INFO (106) from one given NameServer (reachability checks). */
export async function getBrokerClusterInfoAt(
  t: RemoteTransport,
  namesrvAddr: string,
): Promise<WireClusterInfo> {
  return readClusterInfo(namesrvAddr, await t.invoke(namesrvAddr, REQUEST_CODE.GET_BROKER_CLUSTER_INFO))
}

export interface WireTopicRoute {
  readonly brokers: readonly WireBrokerData[]
  readonly queues: readonly {
    readonly brokerName: string
    readonly readQueueNums: number
    readonly writeQueueNums: number
    readonly perm: number
    readonly topicSysFlag: number
  }[]
  readonly orderTopicConf: string | undefined
}

/** GET_ROUTEINFO_BY_TOPIC (105); undefined for TOPIC_NOT_EXIST. */
export async function getRouteInfoByTopic(
  t: RemoteTransport,
  topic: string,
): Promise<WireTopicRoute | undefined> {
  const code = REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC
  const { addr, response } = await t.invokeNameServer(code, {
    extFields: { topic, acceptStandardJsonOnly: 'true' },
  })
  if (response.code === RESPONSE_CODE.TOPIC_NOT_EXIST) return undefined
  const body = reader(addr, code, ok(addr, code, response))
  return {
    brokers: body.objects('brokerDatas').map(readBrokerData),
    queues: body.objects('queueDatas').map((q) => ({
      brokerName: q.string('brokerName'),
      readQueueNums: q.number('readQueueNums'),
      writeQueueNums: q.number('writeQueueNums'),
      perm: q.number('perm'),
      topicSysFlag: q.number('topicSysFlag', 0),
    })),
    orderTopicConf: body.optionalString('orderTopicConf'),
  }
}

/** GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206). */
export async function getAllTopicListFromNameServer(t: RemoteTransport): Promise<string[]> {
  const code = REQUEST_CODE.GET_ALL_TOPIC_LIST_FROM_NAMESERVER
  const { addr, response } = await t.invokeNameServer(code)
  return reader(addr, code, ok(addr, code, response)).stringArray('topicList')
}

/** DELETE_TOPIC_IN_NAMESRV (216) on one NameServer; without a cluster the topic goes from every cluster. */
export async function deleteTopicInNameServer(
  t: RemoteTransport,
  namesrvAddr: string,
  topic: string,
  clusterName?: string,
): Promise<void> {
  const code = REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV
  const extFields: Record<string, string> = { topic }
  if (clusterName !== undefined) extFields.clusterName = clusterName
  ok(namesrvAddr, code, await t.invoke(namesrvAddr, code, { extFields }))
}

// ---------------------------------------------------------------------------------------------------------------
// Broker: runtime and config

/** GET_BROKER_RUNTIME_INFO (28): the KVTable, every value a string. */
export async function getBrokerRuntimeInfo(
  t: RemoteTransport,
  addr: string,
): Promise<Record<string, string>> {
  const code = REQUEST_CODE.GET_BROKER_RUNTIME_INFO
  return Object.fromEntries(
    reader(addr, code, ok(addr, code, await t.invoke(addr, code))).stringEntries('table'),
  )
}

/** GET_BROKER_CONFIG (26): java.util.Properties text of every broker and store key. */
export async function getBrokerConfig(t: RemoteTransport, addr: string): Promise<Record<string, string>> {
  const code = REQUEST_CODE.GET_BROKER_CONFIG
  const response = ok(addr, code, await t.invoke(addr, code))
  return Object.fromEntries(parseJavaProperties(response.body?.toString('utf8') ?? ''))
}

// ---------------------------------------------------------------------------------------------------------------
// Broker: topics

export interface WireTopicConfig {
  readonly topicName: string
  readonly readQueueNums: number
  readonly writeQueueNums: number
  readonly perm: number
  readonly topicFilterType: string
  readonly topicSysFlag: number
  readonly order: boolean
  readonly attributes: Readonly<Record<string, string>>
}

function readTopicConfig(entry: ObjectReader, fallbackName: string): WireTopicConfig {
  return {
    topicName: entry.optionalString('topicName') ?? fallbackName,
    readQueueNums: entry.number('readQueueNums'),
    writeQueueNums: entry.number('writeQueueNums'),
    perm: entry.number('perm'),
    topicFilterType: entry.optionalString('topicFilterType') ?? 'SINGLE_TAG',
    topicSysFlag: entry.number('topicSysFlag', 0),
    order: entry.boolean('order', false),
    attributes: Object.fromEntries(entry.stringEntries('attributes')),
  }
}

/** GET_ALL_TOPIC_CONFIG (21): the broker's whole topic table (no paging fields: 5.x then sends everything). */
export async function getAllTopicConfig(
  t: RemoteTransport,
  addr: string,
  options?: CallOptions,
): Promise<WireTopicConfig[]> {
  const code = REQUEST_CODE.GET_ALL_TOPIC_CONFIG
  const body = reader(addr, code, ok(addr, code, await t.invoke(addr, code, {}, options)))
  return body.objectEntries('topicConfigTable').map(([name, entry]) => readTopicConfig(entry, name))
}

/** GET_TOPIC_CONFIG (351); undefined for TOPIC_NOT_EXIST. Brokers before 5.x answer UNSUPPORTED (thrown). */
export async function getTopicConfig(
  t: RemoteTransport,
  addr: string,
  topic: string,
): Promise<WireTopicConfig | undefined> {
  const code = REQUEST_CODE.GET_TOPIC_CONFIG
  const response = await t.invoke(addr, code, { extFields: { topic } })
  if (response.code === RESPONSE_CODE.TOPIC_NOT_EXIST) return undefined
  const body = reader(addr, code, ok(addr, code, response))
  // 5.x wraps it as TopicConfigAndQueueMapping: the TopicConfig fields plus mappingDetail.
  return readTopicConfig(body, topic)
}

export interface TopicConfigRequest {
  readonly topic: string
  readonly readQueueNums: number
  readonly writeQueueNums: number
  readonly perm: number
  readonly order: boolean
  /** e.g. "+message.type=FIFO" (5.x); omitted when undefined. */
  readonly attributes?: string
}

/** UPDATE_AND_CREATE_TOPIC (17), with the fields mqadmin updateTopic sends. */
export async function updateAndCreateTopic(
  t: RemoteTransport,
  addr: string,
  cfg: TopicConfigRequest,
): Promise<void> {
  const code = REQUEST_CODE.UPDATE_AND_CREATE_TOPIC
  const extFields: Record<string, string> = {
    topic: cfg.topic,
    // Every Java client names the auto-create key topic as defaultTopic.
    defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
    readQueueNums: S(cfg.readQueueNums),
    writeQueueNums: S(cfg.writeQueueNums),
    perm: S(cfg.perm),
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: '0',
    order: S(cfg.order),
  }
  if (cfg.attributes !== undefined) extFields.attributes = cfg.attributes
  ok(addr, code, await t.invoke(addr, code, { extFields }))
}

/** DELETE_TOPIC_IN_BROKER (215). */
export async function deleteTopicInBroker(t: RemoteTransport, addr: string, topic: string): Promise<void> {
  const code = REQUEST_CODE.DELETE_TOPIC_IN_BROKER
  ok(addr, code, await t.invoke(addr, code, { extFields: { topic } }))
}

export interface WireQueueOffsets {
  readonly brokerName: string
  readonly queueId: number
  readonly minOffset: number
  readonly maxOffset: number
  readonly lastUpdateTimestampMs: number
}

/** GET_TOPIC_STATS_INFO (202): per queue min/max offset; undefined for TOPIC_NOT_EXIST. */
export async function getTopicStatsInfo(
  t: RemoteTransport,
  addr: string,
  topic: string,
): Promise<WireQueueOffsets[] | undefined> {
  const code = REQUEST_CODE.GET_TOPIC_STATS_INFO
  const response = await t.invoke(addr, code, { extFields: { topic } })
  if (response.code === RESPONSE_CODE.TOPIC_NOT_EXIST) return undefined
  const body = reader(addr, code, ok(addr, code, response))
  return body.objectEntries('offsetTable').map(([key, entry]) => {
    const mq = queueKey(body, 'offsetTable', key)
    return {
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      minOffset: entry.number('minOffset'),
      maxOffset: entry.number('maxOffset'),
      lastUpdateTimestampMs: entry.number('lastUpdateTimestamp', 0),
    }
  })
}

/** QUERY_TOPIC_CONSUME_BY_WHO (300): groups online for the topic or holding offsets on it. */
export async function queryTopicConsumeByWho(
  t: RemoteTransport,
  addr: string,
  topic: string,
): Promise<string[]> {
  const code = REQUEST_CODE.QUERY_TOPIC_CONSUME_BY_WHO
  return reader(addr, code, ok(addr, code, await t.invoke(addr, code, { extFields: { topic } }))).stringArray(
    'groupList',
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Broker: subscription groups

/** The SubscriptionGroupConfig fields the console reads and writes. */
const WIRE_GROUP_FIELDS = [
  'consumeEnable',
  'consumeFromMinEnable',
  'consumeBroadcastEnable',
  'consumeMessageOrderly',
  'retryQueueNums',
  'retryMaxTimes',
  'brokerId',
  'whichBrokerWhenConsumeSlowly',
  'notifyConsumerIdsChangedEnable',
] as const

export type WireSubscriptionGroup = Pick<
  SubscriptionGroupConfig,
  'groupName' | (typeof WIRE_GROUP_FIELDS)[number]
>

/** RocketMQ's defaults of those fields (the engine's), for a body or a new group that leaves one out. */
export const WIRE_GROUP_DEFAULTS = Object.fromEntries(
  WIRE_GROUP_FIELDS.map((field) => [field, SUBSCRIPTION_GROUP_DEFAULTS[field]]),
) as Omit<WireSubscriptionGroup, 'groupName'>

function readSubscriptionGroup(entry: ObjectReader, fallbackName: string): WireSubscriptionGroup {
  const group: Record<string, unknown> = { groupName: entry.optionalString('groupName') ?? fallbackName }
  for (const field of WIRE_GROUP_FIELDS) {
    const fallback = WIRE_GROUP_DEFAULTS[field]
    group[field] =
      typeof fallback === 'boolean' ? entry.boolean(field, fallback) : entry.number(field, fallback)
  }
  return group as WireSubscriptionGroup
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): the broker's whole group table. */
export async function getAllSubscriptionGroupConfig(
  t: RemoteTransport,
  addr: string,
  options?: CallOptions,
): Promise<WireSubscriptionGroup[]> {
  const code = REQUEST_CODE.GET_ALL_SUBSCRIPTIONGROUP_CONFIG
  const body = reader(addr, code, ok(addr, code, await t.invoke(addr, code, {}, options)))
  return body
    .objectEntries('subscriptionGroupTable')
    .map(([name, entry]) => readSubscriptionGroup(entry, name))
}

/** GET_SUBSCRIPTIONGROUP_CONFIG (352); undefined for SUBSCRIPTION_GROUP_NOT_EXIST; UNSUPPORTED before 5.x. */
export async function getSubscriptionGroupConfig(
  t: RemoteTransport,
  addr: string,
  group: string,
): Promise<WireSubscriptionGroup | undefined> {
  const code = REQUEST_CODE.GET_SUBSCRIPTIONGROUP_CONFIG
  const response = await t.invoke(addr, code, { extFields: { group } })
  if (response.code === RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST) return undefined
  return readSubscriptionGroup(reader(addr, code, ok(addr, code, response)), group)
}

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): the SubscriptionGroupConfig as the body. */
export async function updateAndCreateSubscriptionGroup(
  t: RemoteTransport,
  addr: string,
  config: WireSubscriptionGroup,
): Promise<void> {
  const code = REQUEST_CODE.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP
  ok(addr, code, await t.invoke(addr, code, { body: Buffer.from(toFastjson(config), 'utf8') }))
}

/** DELETE_SUBSCRIPTIONGROUP (207); 4.x names the offset flag removeOffset, 5.x cleanOffset: both are sent. */
export async function deleteSubscriptionGroup(
  t: RemoteTransport,
  addr: string,
  group: string,
  removeOffsets: boolean,
): Promise<void> {
  const code = REQUEST_CODE.DELETE_SUBSCRIPTIONGROUP
  const flag = S(removeOffsets)
  ok(
    addr,
    code,
    await t.invoke(addr, code, { extFields: { groupName: group, removeOffset: flag, cleanOffset: flag } }),
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Broker: consume progress and connections

/** One queue of GET_CONSUME_STATS as the broker reports it: the gateway's progress without the derived lag. */
export type WireQueueProgress = Omit<QueueConsumeProgress, 'lag'>

export interface WireConsumeStats {
  readonly consumeTps: number
  readonly queues: readonly WireQueueProgress[]
}

function readConsumeStats(stats: ObjectReader): WireConsumeStats {
  return {
    consumeTps: stats.number('consumeTps', 0),
    queues: stats.objectEntries('offsetTable').map(([key, entry]) => {
      const mq = queueKey(stats, 'offsetTable', key)
      return {
        topic: mq.topic,
        brokerName: mq.brokerName,
        queueId: mq.queueId,
        brokerOffset: entry.number('brokerOffset'),
        consumerOffset: entry.number('consumerOffset'),
        pullOffset: entry.has('pullOffset') ? entry.number('pullOffset') : undefined,
        lastTimestampMs: entry.number('lastTimestamp', 0),
      }
    }),
  }
}

/** GET_CONSUME_STATS (208); undefined for SUBSCRIPTION_GROUP_NOT_EXIST. */
export async function getConsumeStats(
  t: RemoteTransport,
  addr: string,
  group: string,
  topic?: string,
): Promise<WireConsumeStats | undefined> {
  const code = REQUEST_CODE.GET_CONSUME_STATS
  const extFields: Record<string, string> = { consumerGroup: group }
  if (topic !== undefined) extFields.topic = topic
  const response = await t.invoke(addr, code, { extFields })
  if (response.code === RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST) return undefined
  return readConsumeStats(reader(addr, code, ok(addr, code, response)))
}

/**
 * GET_BROKER_CONSUME_STATS (317): every group on the broker with one ConsumeStats per topic it consumes (an
 * empty list for a group without offsets).
 */
export async function getBrokerConsumeStats(
  t: RemoteTransport,
  addr: string,
  options?: CallOptions,
): Promise<{ group: string; stats: WireConsumeStats[] }[]> {
  const code = REQUEST_CODE.GET_BROKER_CONSUME_STATS
  const body = reader(
    addr,
    code,
    ok(addr, code, await t.invoke(addr, code, { extFields: { isOrder: 'false' } }, options)),
  )
  // consumeStatsList is [{group: [ConsumeStats, ...]}, ...]: one single-key map per group.
  return body
    .objects('consumeStatsList')
    .flatMap((entry) =>
      Object.keys(entry.value).map((group) => ({ group, stats: entry.objects(group).map(readConsumeStats) })),
    )
}

export interface WireConnection {
  readonly clientId: string
  readonly clientAddr: string
  readonly language: string
  readonly version: number
}

export interface WireSubscription {
  readonly topic: string
  readonly subString: string
  readonly expressionType: string
  readonly tagsSet: readonly string[]
  readonly subVersion: number
}

export interface WireConsumerConnection {
  readonly connections: readonly WireConnection[]
  readonly consumeType: string | undefined
  readonly messageModel: string | undefined
  readonly consumeFromWhere: string | undefined
  readonly subscriptions: readonly WireSubscription[]
}

function readConnection(entry: ObjectReader): WireConnection {
  return {
    clientId: entry.string('clientId'),
    clientAddr: entry.optionalString('clientAddr') ?? '',
    language: entry.optionalString('language') ?? 'UNKNOWN',
    version: entry.number('version', 0),
  }
}

/** GET_CONSUMER_CONNECTION_LIST (203); undefined for CONSUMER_NOT_ONLINE. */
export async function getConsumerConnectionList(
  t: RemoteTransport,
  addr: string,
  group: string,
): Promise<WireConsumerConnection | undefined> {
  const code = REQUEST_CODE.GET_CONSUMER_CONNECTION_LIST
  const response = await t.invoke(addr, code, { extFields: { consumerGroup: group } })
  if (response.code === RESPONSE_CODE.CONSUMER_NOT_ONLINE) return undefined
  const body = reader(addr, code, ok(addr, code, response))
  return {
    connections: body.objects('connectionSet').map(readConnection),
    consumeType: body.optionalString('consumeType'),
    messageModel: body.optionalString('messageModel'),
    consumeFromWhere: body.optionalString('consumeFromWhere'),
    subscriptions: body.objectEntries('subscriptionTable').map(([topic, sub]) => ({
      topic: sub.optionalString('topic') ?? topic,
      subString: sub.optionalString('subString') ?? '*',
      expressionType: sub.optionalString('expressionType') ?? 'TAG',
      tagsSet: sub.stringArray('tagsSet'),
      subVersion: sub.number('subVersion', 0),
    })),
  }
}

/** A client's ConsumerRunningInfo: its properties and its mqTable (ProcessQueueInfo per queue). */
export interface WireConsumerRunningInfo {
  readonly properties: Readonly<Record<string, string>>
  readonly queues: readonly ConsumerQueueHolding[]
}

/**
 * GET_CONSUMER_RUNNING_INFO (307), relayed by the broker to the client's connection: what the client reports
 * about itself (a Java client's ConsumerRunningInfo; fastjson with MessageQueue objects as map keys). undefined
 * when the broker says the client is not connected there or the client did not answer (SYSTEM_ERROR).
 */
export async function getConsumerRunningInfo(
  t: RemoteTransport,
  addr: string,
  group: string,
  clientId: string,
): Promise<{ info: WireConsumerRunningInfo } | { refused: string }> {
  const code = REQUEST_CODE.GET_CONSUMER_RUNNING_INFO
  const response = await t.invoke(addr, code, {
    extFields: { consumerGroup: group, clientId, jstackEnable: 'false' },
  })
  if (response.code !== RESPONSE_CODE.SUCCESS)
    return { refused: response.remark?.trim() || `answered code ${response.code}` }
  const body = reader(addr, code, response)
  // java.util.Properties: mostly strings, but a client may put numbers or booleans; show them as text.
  const properties: Record<string, string> = {}
  for (const [key, value] of Object.entries(body.optionalObject('properties').value))
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      properties[key] = String(value)
  const queues = body.objectEntries('mqTable').map(([key, pq]) => {
    const mq = parseMessageQueueKey(key) ?? body.badKey('mqTable', key)
    return {
      topic: mq.topic,
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      commitOffset: pq.number('commitOffset', 0),
      cachedMsgCount: pq.number('cachedMsgCount', 0),
      cachedMsgSizeInMiB: pq.number('cachedMsgSizeInMiB', 0),
      locked: pq.boolean('locked', false),
      // RocketMQ's field is spelt "droped".
      dropped: pq.boolean('droped', false),
      lastPullTimestampMs: pq.number('lastPullTimestamp', 0),
      lastConsumeTimestampMs: pq.number('lastConsumeTimestamp', 0),
    }
  })
  return { info: { properties, queues } }
}

/** GET_PRODUCER_CONNECTION_LIST (204); 4.x answers SYSTEM_ERROR for a group it has never seen: empty. */
export async function getProducerConnectionList(
  t: RemoteTransport,
  addr: string,
  producerGroup: string,
): Promise<WireConnection[]> {
  const code = REQUEST_CODE.GET_PRODUCER_CONNECTION_LIST
  const response = await t.invoke(addr, code, { extFields: { producerGroup } })
  if (response.code === RESPONSE_CODE.SYSTEM_ERROR) return []
  return reader(addr, code, ok(addr, code, response))
    .objects('connectionSet')
    .map(readConnection)
}

/** GET_ALL_PRODUCER_INFO (328, 5.x): group → connections with their last heartbeat. */
export async function getAllProducerInfo(
  t: RemoteTransport,
  addr: string,
): Promise<
  { group: string; connections: (WireConnection & { lastUpdateTimestampMs: number | undefined })[] }[]
> {
  const code = REQUEST_CODE.GET_ALL_PRODUCER_INFO
  const body = reader(addr, code, ok(addr, code, await t.invoke(addr, code)))
  const data = body.optionalObject('data')
  return Object.keys(data.value).map((group) => ({
    group,
    connections: data.objects(group).map((c) => ({
      ...readConnection(c),
      // RocketMQ 5's ProducerInfo names the address remoteIP (the connection lists say clientAddr).
      clientAddr: c.optionalString('clientAddr') ?? c.optionalString('remoteIP') ?? '',
      lastUpdateTimestampMs: c.has('lastUpdateTimestamp') ? c.number('lastUpdateTimestamp') : undefined,
    })),
  }))
}

// ---------------------------------------------------------------------------------------------------------------
// Broker: offsets and messages

/** SEARCH_OFFSET_BY_TIMESTAMP (29): the queue offset whose store time is closest to `timestampMs`. */
export async function searchOffsetByTimestamp(
  t: RemoteTransport,
  addr: string,
  topic: string,
  queueId: number,
  timestampMs: number,
): Promise<number> {
  const code = REQUEST_CODE.SEARCH_OFFSET_BY_TIMESTAMP
  const response = ok(
    addr,
    code,
    await t.invoke(addr, code, { extFields: { topic, queueId: S(queueId), timestamp: S(timestampMs) } }),
  )
  return extNumber(addr, code, response, 'offset')
}

/** GET_MAX_OFFSET (30): the next queue offset to be written. */
export async function getMaxOffset(
  t: RemoteTransport,
  addr: string,
  topic: string,
  queueId: number,
): Promise<number> {
  const code = REQUEST_CODE.GET_MAX_OFFSET
  const response = ok(addr, code, await t.invoke(addr, code, { extFields: { topic, queueId: S(queueId) } }))
  return extNumber(addr, code, response, 'offset')
}

/** GET_MIN_OFFSET (31). */
export async function getMinOffset(
  t: RemoteTransport,
  addr: string,
  topic: string,
  queueId: number,
): Promise<number> {
  const code = REQUEST_CODE.GET_MIN_OFFSET
  const response = ok(addr, code, await t.invoke(addr, code, { extFields: { topic, queueId: S(queueId) } }))
  return extNumber(addr, code, response, 'offset')
}

/** UPDATE_CONSUMER_OFFSET (15), two-way (mqadmin's offline reset). */
export async function updateConsumerOffset(
  t: RemoteTransport,
  addr: string,
  group: string,
  topic: string,
  queueId: number,
  queueOffset: number,
): Promise<void> {
  const code = REQUEST_CODE.UPDATE_CONSUMER_OFFSET
  ok(
    addr,
    code,
    await t.invoke(addr, code, {
      extFields: { consumerGroup: group, topic, queueId: S(queueId), commitOffset: S(queueOffset) },
    }),
  )
}

export type WirePullResult =
  | {
      readonly status: 'FOUND'
      readonly records: readonly DecodedMessage[]
      readonly nextBeginOffset: number
      readonly minOffset: number
      readonly maxOffset: number
    }
  | {
      /** NO_NEW_MSG: at the end; RETRY: nothing matched in the scanned units; OFFSET_MOVED: go to nextBeginOffset. */
      readonly status: 'NO_NEW_MSG' | 'RETRY' | 'OFFSET_MOVED'
      readonly nextBeginOffset: number
      readonly minOffset: number
      readonly maxOffset: number
    }

/**
 * PULL_MESSAGE (11) as mqadmin printMsgByQueue sends it: group TOOLS_CONSUMER, subscription "*", sysFlag
 * SUBSCRIPTION only (no commit, no suspend, so the broker answers at once). NO_PERMISSION (a write-only %DLQ%
 * topic on 4.x) throws with kind NO_PERMISSION so the caller can read another way.
 */
export async function pullMessage(
  t: RemoteTransport,
  addr: string,
  topic: string,
  queueId: number,
  queueOffset: number,
  maxMsgNums: number,
): Promise<WirePullResult> {
  const code = REQUEST_CODE.PULL_MESSAGE
  const response = await t.invoke(addr, code, {
    extFields: {
      consumerGroup: TOOLS_CONSUMER_GROUP,
      topic,
      queueId: S(queueId),
      queueOffset: S(queueOffset),
      maxMsgNums: S(Math.min(maxMsgNums, PULL_BATCH_MAX)),
      sysFlag: S(PULL_SYSFLAG_SUBSCRIPTION),
      commitOffset: '0',
      suspendTimeoutMillis: '0',
      subscription: '*',
      subVersion: '0',
      expressionType: 'TAG',
    },
  })
  const offsets = () => ({
    nextBeginOffset: extNumber(addr, code, response, 'nextBeginOffset'),
    minOffset: extNumber(addr, code, response, 'minOffset'),
    maxOffset: extNumber(addr, code, response, 'maxOffset'),
  })
  switch (response.code) {
    case RESPONSE_CODE.SUCCESS:
      return {
        status: 'FOUND',
        records: decodeRemoteRecords({ addr, requestCode: code }, response.body),
        ...offsets(),
      }
    case RESPONSE_CODE.PULL_NOT_FOUND:
      return { status: 'NO_NEW_MSG', ...offsets() }
    case RESPONSE_CODE.PULL_RETRY_IMMEDIATELY:
      return { status: 'RETRY', ...offsets() }
    case RESPONSE_CODE.PULL_OFFSET_MOVED:
      return { status: 'OFFSET_MOVED', ...offsets() }
    default:
      throw responseError(addr, code, response.code, response.remark)
  }
}

export interface WireConsumeQueueEntry {
  readonly commitLogOffset: number
  readonly sizeBytes: number
}

/** QUERY_CONSUME_QUEUE (321): raw ConsumeQueue units from `index` (admin; needs no read permission). */
export async function queryConsumeQueue(
  t: RemoteTransport,
  addr: string,
  topic: string,
  queueId: number,
  index: number,
  count: number,
): Promise<WireConsumeQueueEntry[]> {
  const code = REQUEST_CODE.QUERY_CONSUME_QUEUE
  const response = ok(
    addr,
    code,
    await t.invoke(addr, code, {
      extFields: {
        topic,
        queueId: S(queueId),
        index: S(index),
        count: S(count),
        consumerGroup: TOOLS_CONSUMER_GROUP,
      },
    }),
  )
  if (!response.body || response.body.length === 0) return []
  return reader(addr, code, response)
    .objects('queueData')
    .map((unit) => ({ commitLogOffset: unit.number('physicOffset'), sizeBytes: unit.number('physicSize') }))
}

/** VIEW_MESSAGE_BY_ID (33): the record at a CommitLog offset; undefined when the broker has none there. */
export async function viewMessageById(
  t: RemoteTransport,
  addr: string,
  commitLogOffset: number,
): Promise<DecodedMessage | undefined> {
  const code = REQUEST_CODE.VIEW_MESSAGE_BY_ID
  const response = await t.invoke(addr, code, { extFields: { offset: S(commitLogOffset) } })
  if (response.code === RESPONSE_CODE.SYSTEM_ERROR || response.code === RESPONSE_CODE.NO_MESSAGE)
    return undefined
  const source: BodySource = { addr, requestCode: code }
  return decodeRemoteRecords(source, ok(addr, code, response).body)[0]
}

export interface QueryMessageRequest {
  readonly topic: string
  readonly key: string
  readonly maxNum: number
  readonly beginMs: number
  readonly endMs: number
  /** true: `key` is a UNIQ_KEY (the broker caps maxNum at defaultQueryMaxNum). */
  readonly uniqueKey: boolean
}

/** QUERY_MESSAGE (12): records whose index key matches (hash collisions included: callers re-check). */
export async function queryMessage(
  t: RemoteTransport,
  addr: string,
  query: QueryMessageRequest,
): Promise<DecodedMessage[]> {
  const code = REQUEST_CODE.QUERY_MESSAGE
  const response = await t.invoke(addr, code, {
    extFields: {
      topic: query.topic,
      key: query.key,
      maxNum: S(query.maxNum),
      beginTimestamp: S(query.beginMs),
      endTimestamp: S(query.endMs),
      _UNIQUE_KEY_QUERY: S(query.uniqueKey),
    },
  })
  if (response.code === RESPONSE_CODE.QUERY_NOT_FOUND) return []
  return decodeRemoteRecords({ addr, requestCode: code }, ok(addr, code, response).body)
}

// ---------------------------------------------------------------------------------------------------------------
// Broker: sending, resets, transactions

export interface SendRequest {
  readonly producerGroup: string
  readonly topic: string
  readonly queueId: number
  readonly body: Buffer
  readonly properties: string
  readonly sysFlag?: number
  readonly flag?: number
  readonly reconsumeTimes?: number
  readonly bornTimestampMs: number
}

export interface WireSendResult {
  readonly status: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'
  readonly msgId: string
  readonly queueId: number
  readonly queueOffset: number
}

const STORED_STATUS: ReadonlyMap<number, WireSendResult['status']> = new Map([
  [RESPONSE_CODE.SUCCESS, 'SEND_OK'],
  [RESPONSE_CODE.FLUSH_DISK_TIMEOUT, 'FLUSH_DISK_TIMEOUT'],
  [RESPONSE_CODE.FLUSH_SLAVE_TIMEOUT, 'FLUSH_SLAVE_TIMEOUT'],
  [RESPONSE_CODE.SLAVE_NOT_AVAILABLE, 'SLAVE_NOT_AVAILABLE'],
])

/** SEND_MESSAGE_V2 (310) with the short header names a..m. Codes 10-12 mean stored but degraded. */
export async function sendMessageV2(
  t: RemoteTransport,
  addr: string,
  send: SendRequest,
): Promise<WireSendResult> {
  const code = REQUEST_CODE.SEND_MESSAGE_V2
  const response = await t.invoke(addr, code, {
    extFields: {
      a: send.producerGroup,
      b: send.topic,
      c: AUTO_CREATE_TOPIC_KEY_TOPIC,
      d: '4',
      e: S(send.queueId),
      f: S(send.sysFlag ?? 0),
      g: S(send.bornTimestampMs),
      h: S(send.flag ?? 0),
      i: send.properties,
      j: S(send.reconsumeTimes ?? 0),
      k: 'false',
      m: 'false',
    },
    body: send.body,
  })
  const status = STORED_STATUS.get(response.code)
  if (!status) throw responseError(addr, code, response.code, response.remark)
  const msgId = response.extFields?.msgId
  if (!msgId) throw badResponse(addr, code, 'header field msgId')
  return {
    status,
    msgId,
    queueId: extNumber(addr, code, response, 'queueId'),
    queueOffset: extNumber(addr, code, response, 'queueOffset'),
  }
}

export type WireResetResult =
  | {
      readonly status: 'RESET'
      readonly offsets: readonly { brokerName: string; queueId: number; topic: string; offset: number }[]
    }
  | { readonly status: 'CONSUMER_NOT_ONLINE' }

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222): the broker resets the group's queues of `topic` to the offset found for
 * `timestampMs` (−1 = the max offset). A 4.x broker tells the online consumers and answers CONSUMER_NOT_ONLINE
 * when none is; a 5.x broker (useServerSideResetOffset) records the offsets whether the group is online or not.
 * With `queue`, 5.x brokers set that one queue to `queue.offset`; 4.x brokers ignore the queue fields, so the
 * call is sent with timestamp −1 and isForce false, which a 4.x broker answers without moving any offset (it
 * only moves offsets backwards unless forced): the caller sees from the answer whether the queue moved.
 */
export async function invokeBrokerToResetOffset(
  t: RemoteTransport,
  addr: string,
  topic: string,
  group: string,
  timestampMs: number,
  queue?: { readonly queueId: number; readonly offset: number },
): Promise<WireResetResult> {
  const code = REQUEST_CODE.INVOKE_BROKER_TO_RESET_OFFSET
  const response = await t.invoke(addr, code, {
    extFields: queue
      ? {
          topic,
          group,
          timestamp: '-1',
          isForce: 'false',
          queueId: S(queue.queueId),
          offset: S(queue.offset),
        }
      : { topic, group, timestamp: S(timestampMs), isForce: 'true' },
  })
  if (response.code === RESPONSE_CODE.CONSUMER_NOT_ONLINE) return { status: 'CONSUMER_NOT_ONLINE' }
  ok(addr, code, response)
  if (!response.body || response.body.length === 0) return { status: 'RESET', offsets: [] }
  const body = reader(addr, code, response)
  return {
    status: 'RESET',
    offsets: body
      .numberEntries('offsetTable')
      .map(([key, offset]) => ({ ...queueKey(body, 'offsetTable', key), offset })),
  }
}

export interface EndTransactionFields {
  readonly producerGroup: string
  readonly tranStateTableOffset: number
  readonly commitLogOffset: number
  readonly commit: boolean
  readonly msgId: string
  readonly transactionId: string
}

/** END_TRANSACTION (37), two-way and marked fromTransactionCheck (as a check-back answer is). */
export async function endTransaction(
  t: RemoteTransport,
  addr: string,
  fields: EndTransactionFields,
): Promise<void> {
  const code = REQUEST_CODE.END_TRANSACTION
  ok(
    addr,
    code,
    await t.invoke(addr, code, {
      extFields: {
        producerGroup: fields.producerGroup,
        tranStateTableOffset: S(fields.tranStateTableOffset),
        commitLogOffset: S(fields.commitLogOffset),
        commitOrRollback: fields.commit ? '8' : '12',
        fromTransactionCheck: 'true',
        msgId: fields.msgId,
        transactionId: fields.transactionId,
      },
    }),
  )
}
