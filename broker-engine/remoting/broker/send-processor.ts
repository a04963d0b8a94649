// SEND_MESSAGE (10, long header names), SEND_MESSAGE_V2 (310, short names a..n) and SEND_BATCH_MESSAGE (320),
// PROTOCOL.md 2.3: the header read into a BrokerController send (born host = the TCP peer), a client's own resend
// to %RETRY%group redirected to %DLQ%group once its retries are used up, and the SendMessageResponseHeader answer.
// This is the hot path: the response extFields are built directly and each message costs one promise.

import type { BrokerController, SendMessageRequest } from '../../broker/broker-controller'
import { editProperties } from '../../broker/message-rewrite'
import type { TopicConfig } from '../../broker/topic-config-manager'
import { dlqTopicOf, RETRY_GROUP_TOPIC_PREFIX } from '../../broker/topic-validator'
import {
  PROPERTY_DELAY_TIME_LEVEL,
  SYSFLAG_MULTI_TAGS,
  SYSFLAG_TRANSACTION_PREPARED_TYPE,
  SYSFLAG_TRANSACTION_TYPE_MASK,
} from '../../store/message-constants'
import { appendProperty, findProperty } from '../../store/message-properties'
import { REQUEST_CODE, RESPONSE_CODE } from '../remoting-codes'
import type { RemotingCommand } from '../remoting-command'
import type { RemotingConnection, RequestHandler } from '../remoting-connection'
import { peerHostOf } from './peer-host'
import { clientFields, RequestError } from '../request-fields'
import { errorResponse, guardedSync } from '../request-guard'
import { sendBatch } from './send-batch'
import { checkTopic, sendResponse } from './send-response'

const { optionalBoolean, optionalInt32, optionalLong, optionalString, requiredInt32, requiredNonEmpty } =
  clientFields

/** SendMessageRequestHeader field names: V1 spells them out, V2 (codes 310 and 320) uses one letter each. */
interface SendFieldNames {
  readonly producerGroup: string
  readonly topic: string
  readonly defaultTopic: string
  readonly defaultTopicQueueNums: string
  readonly queueId: string
  readonly sysFlag: string
  readonly bornTimestamp: string
  readonly flag: string
  readonly properties: string
  readonly reconsumeTimes: string
  readonly maxReconsumeTimes: string
  readonly batch: string
}

const V1_NAMES: SendFieldNames = {
  producerGroup: 'producerGroup',
  topic: 'topic',
  defaultTopic: 'defaultTopic',
  defaultTopicQueueNums: 'defaultTopicQueueNums',
  queueId: 'queueId',
  sysFlag: 'sysFlag',
  bornTimestamp: 'bornTimestamp',
  flag: 'flag',
  properties: 'properties',
  reconsumeTimes: 'reconsumeTimes',
  maxReconsumeTimes: 'maxReconsumeTimes',
  batch: 'batch',
}

const V2_NAMES: SendFieldNames = {
  producerGroup: 'a',
  topic: 'b',
  defaultTopic: 'c',
  defaultTopicQueueNums: 'd',
  queueId: 'e',
  sysFlag: 'f',
  bornTimestamp: 'g',
  flag: 'h',
  properties: 'i',
  reconsumeTimes: 'j',
  maxReconsumeTimes: 'l',
  batch: 'm',
}

/** The V1 name of each V2 letter, for remarks a person can read. */
const V2_LABELS: ReadonlyMap<string, string> = new Map(
  Object.entries(V2_NAMES).map(([v1, v2]: [string, string]) => [v2, v1]),
)

/** Clients at or above V3_4_9 may lower the group's retryMaxTimes with the header's maxReconsumeTimes. */
export const VERSION_V3_4_9 = 121
const PROPERTY_CLUSTER = 'CLUSTER'

/** A send as read from its header; sendOne adjusts queue, sysFlag and properties in place (one object each). */
export interface SendRequest extends SendMessageRequest {
  queueId: number
  sysFlag: number
  propertiesString: string
  readonly maxReconsumeTimes: number | undefined
  readonly batch: boolean
}

export function createSendProcessor(broker: BrokerController): RequestHandler {
  const clusterName = broker.config.brokerClusterName
  // A send's promise never rejects with a refusal (BrokerController.sendMessage resolves each one as a value),
  // so only thrown header errors need answering: no catch handler per message.
  return guardedSync((request, connection) => {
    const send = readSendRequest(request, connection)
    const config = broker.topics.get(send.topic)
    const refusal = checkTopic(request, send.topic, config)
    if (refusal) return refusal
    // The answer names the queue the send was addressed to (or the one picked for it), as RocketMQ's queueIdInt
    // does, even when the record is parked elsewhere (a delay level, a half message, a DLQ redirect).
    if (send.queueId < 0 && config) send.queueId = Math.floor(Math.random() * config.writeQueueNums)
    if (request.code === REQUEST_CODE.SEND_BATCH_MESSAGE || send.batch)
      return sendBatch(broker, request, send)
    return sendOne(broker, request, send, config, clusterName)
  })
}

function labelOf(names: SendFieldNames, name: string): string | undefined {
  return names === V2_NAMES ? V2_LABELS.get(name) : undefined
}

function readSendRequest(request: RemotingCommand, connection: RemotingConnection): SendRequest {
  const n = request.code === REQUEST_CODE.SEND_MESSAGE ? V1_NAMES : V2_NAMES
  if (!request.body || request.body.length === 0)
    throw new RequestError('the message body is missing', RESPONSE_CODE.MESSAGE_ILLEGAL)
  return {
    producerGroup: optionalString(request, n.producerGroup),
    topic: requiredNonEmpty(request, n.topic, labelOf(n, n.topic)),
    defaultTopic: optionalString(request, n.defaultTopic),
    defaultTopicQueueNums: optionalInt32(
      request,
      n.defaultTopicQueueNums,
      labelOf(n, n.defaultTopicQueueNums),
    ),
    queueId: requiredInt32(request, n.queueId, labelOf(n, n.queueId)),
    sysFlag: optionalInt32(request, n.sysFlag, labelOf(n, n.sysFlag)) ?? 0,
    bornTimestampMs: optionalLong(request, n.bornTimestamp, labelOf(n, n.bornTimestamp)),
    flag: optionalInt32(request, n.flag, labelOf(n, n.flag)) ?? 0,
    propertiesString: optionalString(request, n.properties) ?? '',
    reconsumeTimes: optionalInt32(request, n.reconsumeTimes, labelOf(n, n.reconsumeTimes)) ?? 0,
    maxReconsumeTimes: optionalInt32(request, n.maxReconsumeTimes, labelOf(n, n.maxReconsumeTimes)),
    batch: optionalBoolean(request, n.batch) ?? false,
    body: request.body,
    bornHost: peerHostOf(connection),
    remoteAddr: connection.remoteAddress,
  }
}

/** One message; `config` is the topic's (undefined for a topic the send may create from TBW102). */
function sendOne(
  broker: BrokerController,
  request: RemotingCommand,
  send: SendRequest,
  config: TopicConfig | undefined,
  clusterName: string,
): RemotingCommand | Promise<RemotingCommand> {
  const queueId = send.queueId
  // Clients only ever mark a half message; commit and rollback types are the broker's to set.
  if ((send.sysFlag & SYSFLAG_TRANSACTION_TYPE_MASK) !== SYSFLAG_TRANSACTION_PREPARED_TYPE) {
    send.sysFlag &= ~SYSFLAG_TRANSACTION_TYPE_MASK
    // RocketMQ's SendMessageProcessor stores no WAIT property ("no need to store WAIT=true", 9 bytes a message),
    // so records pulled or queried here look like a real broker's (captures 073, 120, 126; found by the capture
    // replay). A half message keeps its WAIT there too: the half topic's copy is written from the full map.
    send.propertiesString = withoutWaitProperty(send.propertiesString)
  }
  if (config?.topicFilterType === 'MULTI_TAG') send.sysFlag |= SYSFLAG_MULTI_TAGS
  if (findProperty(send.propertiesString, PROPERTY_CLUSTER) === undefined)
    send.propertiesString = appendProperty(send.propertiesString, PROPERTY_CLUSTER, clusterName)
  let stored: SendMessageRequest = send
  if (send.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
    const routed = routeRetrySend(broker, request, send)
    if ('opaque' in routed) return routed
    stored = routed
  }
  return broker.sendMessage(stored).then((result) => sendResponse(request, result, queueId))
}

const WAIT_PAIR = 'WAIT\u0001'

/** The properties string without its WAIT pair (and one separator next to it); unchanged when there is none. */
export function withoutWaitProperty(properties: string): string {
  let at = properties.startsWith(WAIT_PAIR) ? 0 : properties.indexOf('\u0002' + WAIT_PAIR)
  if (at < 0) return properties
  if (at > 0) at += 1
  const stop = properties.indexOf('\u0002', at)
  if (stop >= 0) return properties.slice(0, at) + properties.slice(stop + 1)
  return properties.slice(0, Math.max(0, at - 1))
}

/**
 * A client that could not send a message back resends it to %RETRY%group itself. Past the retry limit (the
 * group's retryMaxTimes, or the header's maxReconsumeTimes from clients of V3_4_9 and later), or while the group
 * holds orderly queue locks, it goes to %DLQ%group instead with DELAY=-1 (RocketMQ's handleRetryAndDLQ).
 */
function routeRetrySend(
  broker: BrokerController,
  request: RemotingCommand,
  send: SendRequest,
): SendMessageRequest | RemotingCommand {
  const group = send.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length)
  const groupConfig = broker.groups.findOrCreate(group)
  if (!groupConfig)
    return errorResponse(
      request,
      RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST,
      `subscription group ${group} does not exist`,
    )
  // The retry topic is the group's (retryQueueNums queues), not a copy of TBW102.
  if (!broker.topics.has(send.topic) && groupConfig.retryQueueNums > 0)
    broker.registerWithNameServers(true, [
      broker.topics.getOrCreateRetryTopic(group, groupConfig.retryQueueNums),
    ])
  const maxReconsumeTimes =
    request.version >= VERSION_V3_4_9 && send.maxReconsumeTimes !== undefined
      ? send.maxReconsumeTimes
      : groupConfig.retryMaxTimes
  if ((send.reconsumeTimes ?? 0) <= maxReconsumeTimes && !broker.locks.hasLocks(group)) return send
  const dlqTopic = dlqTopicOf(group)
  if (!broker.topics.has(dlqTopic))
    broker.registerWithNameServers(true, [broker.topics.getOrCreateDlqTopic(group)])
  return {
    ...send,
    topic: dlqTopic,
    queueId: 0,
    propertiesString: editProperties(send.propertiesString, { [PROPERTY_DELAY_TIME_LEVEL]: '-1' }),
  }
}
