// The JSON request bodies clients send a broker (PROTOCOL.md 2.10): HeartbeatData, Lock/UnlockBatchRequestBody and
// CheckClientRequestBody, read with the lenient fastjson parser and checked field by field. Each parser returns
// the typed body or the reason it is unusable.

import type { ConsumeType, MessageModel } from '../../broker/client-registry'
import type { LockedQueue } from '../../broker/queue-lock-manager'
import { isFastjsonObject, parseFastjson, type FastjsonObject, type FastjsonValue } from '../fastjson'

export const HEARTBEAT_GROUPS_MAX = 256
export const HEARTBEAT_SUBSCRIPTIONS_MAX = 1024
export const LOCK_BATCH_QUEUES_MAX = 4096

export interface HeartbeatSubscription {
  readonly topic: string
  readonly subString: string
  readonly expressionType: string
}

export interface HeartbeatConsumerData {
  readonly groupName: string
  readonly consumeType: ConsumeType
  readonly messageModel: MessageModel
  readonly consumeFromWhere: string
  readonly subscriptions: readonly HeartbeatSubscription[]
}

export interface HeartbeatData {
  readonly clientId: string
  readonly consumers: readonly HeartbeatConsumerData[]
  readonly producerGroups: readonly string[]
  /** 5.x heartbeat v2: non-zero with `withoutSub` means "the same subscriptions as last time". */
  readonly heartbeatFingerprint: number
  readonly withoutSub: boolean
}

export interface LockBatchBody {
  readonly clientId: string
  readonly consumerGroup: string
  readonly mqSet: readonly LockedQueue[]
}

function parseBody(body: Buffer | undefined, what: string): FastjsonObject | string {
  if (!body || body.length === 0) return `${what} needs a JSON body`
  let value: FastjsonValue
  try {
    value = parseFastjson(body.toString('utf8'))
  } catch (err) {
    return `${what} body is not JSON: ${err instanceof Error ? err.message : String(err)}`
  }
  return isFastjsonObject(value) ? value : `${what} body is not a JSON object`
}

function nonEmptyString(value: FastjsonValue | undefined): value is string {
  return typeof value === 'string' && value.length > 0
}

function arrayOf(value: FastjsonValue | undefined): FastjsonValue[] | undefined {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : undefined
}

export function parseHeartbeatData(body: Buffer | undefined): HeartbeatData | string {
  const json = parseBody(body, 'HEART_BEAT')
  if (typeof json === 'string') return json
  if (!nonEmptyString(json.clientID)) return 'HeartbeatData has no clientID'
  const consumerSet = arrayOf(json.consumerDataSet)
  const producerSet = arrayOf(json.producerDataSet)
  if (!consumerSet || !producerSet) return 'HeartbeatData consumerDataSet and producerDataSet must be arrays'
  if (consumerSet.length > HEARTBEAT_GROUPS_MAX || producerSet.length > HEARTBEAT_GROUPS_MAX)
    return `HeartbeatData lists more than ${HEARTBEAT_GROUPS_MAX} groups`
  const producerGroups: string[] = []
  for (const p of producerSet) {
    if (!isFastjsonObject(p) || !nonEmptyString(p.groupName)) return 'a producerData has no groupName'
    producerGroups.push(p.groupName)
  }
  const consumers: HeartbeatConsumerData[] = []
  for (const c of consumerSet) {
    const consumer = parseConsumerData(c)
    if (typeof consumer === 'string') return consumer
    consumers.push(consumer)
  }
  const fingerprint = json.heartbeatFingerprint
  return {
    clientId: json.clientID,
    consumers,
    producerGroups,
    heartbeatFingerprint: typeof fingerprint === 'number' && Number.isFinite(fingerprint) ? fingerprint : 0,
    withoutSub: json.withoutSub === true,
  }
}

function parseConsumerData(c: FastjsonValue): HeartbeatConsumerData | string {
  if (!isFastjsonObject(c) || !nonEmptyString(c.groupName)) return 'a consumerData has no groupName'
  const group = c.groupName
  const subscriptionSet = arrayOf(c.subscriptionDataSet)
  if (!subscriptionSet) return `consumerData ${group}: subscriptionDataSet must be an array`
  if (subscriptionSet.length > HEARTBEAT_SUBSCRIPTIONS_MAX)
    return `consumerData ${group} has more than ${HEARTBEAT_SUBSCRIPTIONS_MAX} subscriptions`
  const subscriptions: HeartbeatSubscription[] = []
  for (const s of subscriptionSet) {
    if (!isFastjsonObject(s) || !nonEmptyString(s.topic))
      return `consumerData ${group}: a subscription has no topic`
    subscriptions.push({
      topic: s.topic,
      subString: typeof s.subString === 'string' ? s.subString : '*',
      expressionType: nonEmptyString(s.expressionType) ? s.expressionType : 'TAG',
    })
  }
  return {
    groupName: group,
    // A POP consumer (5.x) is a push consumer as far as membership and rebalancing go.
    consumeType: c.consumeType === 'CONSUME_ACTIVELY' ? 'CONSUME_ACTIVELY' : 'CONSUME_PASSIVELY',
    messageModel: c.messageModel === 'BROADCASTING' ? 'BROADCASTING' : 'CLUSTERING',
    consumeFromWhere: nonEmptyString(c.consumeFromWhere) ? c.consumeFromWhere : 'CONSUME_FROM_LAST_OFFSET',
    subscriptions,
  }
}

export function parseLockBatchBody(body: Buffer | undefined, what: string): LockBatchBody | string {
  const json = parseBody(body, what)
  if (typeof json === 'string') return json
  if (!nonEmptyString(json.clientId)) return `${what} body has no clientId`
  if (!nonEmptyString(json.consumerGroup)) return `${what} body has no consumerGroup`
  const set = arrayOf(json.mqSet)
  if (!set) return `${what} mqSet must be an array`
  if (set.length > LOCK_BATCH_QUEUES_MAX)
    return `${what} mqSet holds more than ${LOCK_BATCH_QUEUES_MAX} queues`
  const mqSet: LockedQueue[] = []
  for (const q of set) {
    if (
      !isFastjsonObject(q) ||
      !nonEmptyString(q.topic) ||
      typeof q.brokerName !== 'string' ||
      typeof q.queueId !== 'number' ||
      !Number.isInteger(q.queueId) ||
      q.queueId < 0
    )
      return `${what} mqSet holds something that is not a MessageQueue {topic, brokerName, queueId}`
    mqSet.push({ topic: q.topic, brokerName: q.brokerName, queueId: q.queueId })
  }
  return { clientId: json.clientId, consumerGroup: json.consumerGroup, mqSet }
}

/** CHECK_CLIENT_CONFIG's subscription expression type ("TAG" when the body names none). */
export function parseCheckClientExpressionType(body: Buffer | undefined): string {
  const json = parseBody(body, 'CHECK_CLIENT_CONFIG')
  if (typeof json === 'string') return 'TAG'
  const subscription = json.subscriptionData
  if (!isFastjsonObject(subscription) || !nonEmptyString(subscription.expressionType)) return 'TAG'
  return subscription.expressionType
}
