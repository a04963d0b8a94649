// Dead-letter queue operations: browse %DLQ%<group> and resend a dead message to the topic it came from, as a
// new message that records which DLQ message it was made from (the original stays in the DLQ for audit).

import { EngineError } from '../common/engine-error'
import { decodeRecord, type DecodedMessage } from '../store/message-codec'
import { findProperty } from '../store/message-properties'
import type { MessageStore } from '../store/message-store'
import type { MessageToStore, PutMessageResult } from '../store/store-types'
import { PROPERTY_DLQ_ORIGIN_TOPIC, PROPERTY_RETRY_TOPIC } from './consumer-send-back'
import { dlqTopicOf } from './topic-validator'
import { editProperties } from './message-rewrite'

/** Property on a resent message: the offset message id of the DLQ copy it was made from. */
export const PROPERTY_RESENT_FROM_DLQ_MSG_ID = 'RESENT_FROM_DLQ_MSG_ID'
const DLQ_PAGE_MAX = 1000

export interface DlqMessage {
  readonly offsetMsgId: string
  readonly queueOffset: number
  readonly originTopic: string
  readonly message: DecodedMessage
}

/** A page of a group's DLQ (queue 0), oldest first. */
export function listDlqMessages(
  store: MessageStore,
  group: string,
  fromQueueOffset: number,
  limit: number,
): DlqMessage[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > DLQ_PAGE_MAX) {
    throw new EngineError('ARGUMENT_INVALID', `limit must be an integer from 1 to ${DLQ_PAGE_MAX}`)
  }
  const topic = dlqTopicOf(group)
  const out: DlqMessage[] = []
  let offset = Math.max(fromQueueOffset, store.getMinOffsetInQueue(topic, 0))
  while (out.length < limit) {
    const got = store.getMessage({
      topic,
      queueId: 0,
      queueOffset: offset,
      maxMsgNums: Math.min(32, limit - out.length),
    })
    if (got.status !== 'FOUND') break
    for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos)) {
      const message = decodeRecord(
        Buffer.from(got.records.subarray(pos, pos + got.records.readInt32BE(pos))),
        0,
      )
      out.push({
        offsetMsgId: store.offsetMsgIdOf(message.commitLogOffset),
        queueOffset: message.queueOffset,
        originTopic: originTopicOf(message),
        message,
      })
    }
    offset = got.nextBeginOffset
  }
  return out
}

export function originTopicOf(message: DecodedMessage): string {
  return (
    findProperty(message.propertiesString, PROPERTY_DLQ_ORIGIN_TOPIC) ??
    findProperty(message.propertiesString, PROPERTY_RETRY_TOPIC) ??
    message.topic
  )
}

/**
 * Builds the message that resends a DLQ copy to its original topic: same body, keys, tags and user properties,
 * reconsume count reset, retry bookkeeping dropped, a fresh UNIQ_KEY, and RESENT_FROM_DLQ_MSG_ID set.
 */
export function resendMessageOf(store: MessageStore, dead: DecodedMessage, queueId: number): MessageToStore {
  return {
    topic: originTopicOf(dead),
    queueId,
    body: dead.body,
    flag: dead.flag,
    propertiesString: editProperties(dead.propertiesString, {
      UNIQ_KEY: store.nextUniqKey(),
      [PROPERTY_RETRY_TOPIC]: undefined,
      DELAY: undefined,
      REAL_TOPIC: undefined,
      REAL_QID: undefined,
      MAX_RECONSUME_TIMES: undefined,
      RECONSUME_TIME: undefined,
      [PROPERTY_RESENT_FROM_DLQ_MSG_ID]: store.offsetMsgIdOf(dead.commitLogOffset),
    }),
  }
}

export type ResendResult =
  | { readonly status: 'RESENT'; readonly topic: string; readonly put: PutMessageResult }
  | { readonly status: 'NOT_FOUND' | 'NOT_A_DLQ_MESSAGE' | 'PUT_FAILED'; readonly reason: string }

/** Resends the DLQ message at `commitLogOffset` through `put` (the broker's put path). */
export async function resendDlqMessage(
  store: MessageStore,
  commitLogOffset: number,
  pickQueueId: (topic: string) => number | undefined,
  put: (msg: MessageToStore) => Promise<PutMessageResult>,
): Promise<ResendResult> {
  const dead = store.lookMessageByOffset(commitLogOffset)
  if (!dead) return { status: 'NOT_FOUND', reason: `no message at CommitLog offset ${commitLogOffset}` }
  if (!dead.topic.startsWith('%DLQ%'))
    return { status: 'NOT_A_DLQ_MESSAGE', reason: `the message is in ${dead.topic}, not a DLQ` }
  const topic = originTopicOf(dead)
  const queueId = pickQueueId(topic)
  if (queueId === undefined)
    return { status: 'PUT_FAILED', reason: `topic ${topic} does not exist or is not writable on this broker` }
  const result = await put(resendMessageOf(store, dead, queueId))
  return 'reason' in result
    ? { status: 'PUT_FAILED', reason: `${result.status}: ${result.reason}` }
    : { status: 'RESENT', topic, put: result }
}
