// A consumer gives a message back (RocketMQ's CONSUMER_SEND_MSG_BACK): it is re-put to %RETRY%<group> with a
// growing delay (level 3 + reconsume times), or, once the group's retries are used up (or the consumer asks),
// to %DLQ%<group>, keeping body, keys and properties and recording where it came from.

import { PROPERTY_DELAY_TIME_LEVEL, SYSFLAG_TRANSACTION_TYPE_MASK } from '../store/message-constants'
import { findProperty } from '../store/message-properties'
import type { MessageStore } from '../store/message-store'
import type { MessageToStore, PutMessageResult } from '../store/store-types'
import { editProperties } from './message-rewrite'
import { dlqTopicOf, retryTopicOf } from './topic-validator'

export const PROPERTY_RETRY_TOPIC = 'RETRY_TOPIC'
export const PROPERTY_ORIGIN_MESSAGE_ID = 'ORIGIN_MESSAGE_ID'
export const PROPERTY_DLQ_ORIGIN_TOPIC = 'DLQ_ORIGIN_TOPIC'
export const PROPERTY_DLQ_ORIGIN_MESSAGE_ID = 'DLQ_ORIGIN_MESSAGE_ID'
/** First retry delay level: level 3 (10 s), then one level further per reconsume. */
export const RETRY_BASE_DELAY_LEVEL = 3

export interface SendBackRequest {
  readonly group: string
  /** CommitLog offset of the message being given back. */
  readonly commitLogOffset: number
  /** 0: the broker picks 3 + reconsume times; < 0: straight to the DLQ; > 0: that level. */
  readonly delayLevel: number
  /** Offset message id of the first delivery, if the client tracked it. */
  readonly originMsgId?: string
  /** The client's limit (sent by clients of protocol version ≥ 121); else the group's retryMaxTimes. */
  readonly maxReconsumeTimes?: number
}

export type SendBackResult =
  | {
      readonly status: 'RETRY'
      readonly topic: string
      readonly delayLevel: number
      readonly put: PutMessageResult
    }
  | { readonly status: 'DLQ'; readonly topic: string; readonly put: PutMessageResult }
  | { readonly status: 'DROPPED'; readonly reason: string }
  | {
      readonly status: 'SUBSCRIPTION_GROUP_NOT_EXIST' | 'MESSAGE_NOT_FOUND' | 'PUT_FAILED'
      readonly reason: string
    }

export interface SendBackDeps {
  readonly store: MessageStore
  /** The group's retry policy, or undefined when the group does not exist (and cannot be created). */
  findGroup(group: string): { readonly retryQueueNums: number; readonly retryMaxTimes: number } | undefined
  /** Makes sure a retry or DLQ topic exists with this many queues. */
  ensureTopic(topic: string, queueNums: number): void
  /** The broker's put path (it parks delayed messages in SCHEDULE_TOPIC_XXXX). */
  put(msg: MessageToStore): Promise<PutMessageResult>
  random(): number
  levelCount: number
}

export async function consumerSendMsgBack(deps: SendBackDeps, req: SendBackRequest): Promise<SendBackResult> {
  const group = deps.findGroup(req.group)
  if (!group)
    return {
      status: 'SUBSCRIPTION_GROUP_NOT_EXIST',
      reason: `subscription group ${req.group} does not exist`,
    }
  if (group.retryQueueNums <= 0)
    return { status: 'DROPPED', reason: `group ${req.group} has retryQueueNums 0` }
  const original = deps.store.lookMessageByOffset(req.commitLogOffset)
  if (!original)
    return { status: 'MESSAGE_NOT_FOUND', reason: `no message at CommitLog offset ${req.commitLogOffset}` }

  const props = original.propertiesString
  const firstTopic = findProperty(props, PROPERTY_RETRY_TOPIC) ?? original.topic
  const originMsgId =
    findProperty(props, PROPERTY_ORIGIN_MESSAGE_ID) ??
    req.originMsgId ??
    deps.store.offsetMsgIdOf(original.commitLogOffset)
  const maxReconsumeTimes = req.maxReconsumeTimes ?? group.retryMaxTimes
  const toDlq = original.reconsumeTimes >= maxReconsumeTimes || req.delayLevel < 0
  const base: Omit<MessageToStore, 'topic' | 'queueId' | 'propertiesString'> = {
    body: original.body,
    flag: original.flag,
    sysFlag: original.sysFlag & ~SYSFLAG_TRANSACTION_TYPE_MASK,
    bornTimestampMs: original.bornTimestampMs,
    bornHost: original.bornHost,
    reconsumeTimes: original.reconsumeTimes + 1,
  }

  if (toDlq) {
    const topic = dlqTopicOf(req.group)
    deps.ensureTopic(topic, 1)
    const put = await deps.put({
      ...base,
      topic,
      queueId: 0,
      propertiesString: editProperties(props, {
        [PROPERTY_RETRY_TOPIC]: firstTopic,
        [PROPERTY_ORIGIN_MESSAGE_ID]: originMsgId,
        [PROPERTY_DLQ_ORIGIN_TOPIC]: firstTopic,
        [PROPERTY_DLQ_ORIGIN_MESSAGE_ID]: originMsgId,
        [PROPERTY_DELAY_TIME_LEVEL]: undefined,
      }),
    })
    return 'reason' in put
      ? { status: 'PUT_FAILED', reason: `${put.status}: ${put.reason}` }
      : { status: 'DLQ', topic, put }
  }

  const topic = retryTopicOf(req.group)
  deps.ensureTopic(topic, group.retryQueueNums)
  const delayLevel = Math.min(
    req.delayLevel > 0 ? req.delayLevel : RETRY_BASE_DELAY_LEVEL + original.reconsumeTimes,
    deps.levelCount,
  )
  const put = await deps.put({
    ...base,
    topic,
    queueId: Math.floor(deps.random() * group.retryQueueNums),
    propertiesString: editProperties(props, {
      [PROPERTY_RETRY_TOPIC]: firstTopic,
      [PROPERTY_ORIGIN_MESSAGE_ID]: originMsgId,
      [PROPERTY_DELAY_TIME_LEVEL]: String(delayLevel),
    }),
  })
  return 'reason' in put
    ? { status: 'PUT_FAILED', reason: `${put.status}: ${put.reason}` }
    : { status: 'RETRY', topic, delayLevel, put }
}
