// How the broker rewrites messages on their way into and out of system topics: a delayed message is parked in
// SCHEDULE_TOPIC_XXXX (queue = level - 1) with its real topic and queue saved in REAL_TOPIC / REAL_QID, and
// rebuilt for its real topic when it falls due (RocketMQ's HookUtils / ScheduleMessageService.messageTimeUp).

import type { DecodedMessage } from '../store/message-codec'
import {
  PROPERTY_DELAY_TIME_LEVEL,
  PROPERTY_REAL_QUEUE_ID,
  PROPERTY_REAL_TOPIC,
  SCHEDULE_TOPIC,
  SYSFLAG_TRANSACTION_COMMIT_TYPE,
  SYSFLAG_TRANSACTION_NOT_TYPE,
  SYSFLAG_TRANSACTION_TYPE_MASK,
} from '../store/message-constants'
import { findProperty, formatProperties, parseProperties } from '../store/message-properties'
import type { MessageToStore } from '../store/store-types'

const TIMER_PROPERTIES = ['TIMER_DELIVER_MS', 'TIMER_DELAY_SEC', 'TIMER_DELAY_MS'] as const

/** Returns the properties string with `changes` applied (undefined removes a property). */
export function editProperties(
  properties: string,
  changes: Readonly<Record<string, string | undefined>>,
): string {
  const map = parseProperties(properties)
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) map.delete(name)
    else map.set(name, value)
  }
  return formatProperties(map)
}

/** The DELAY level of a message, or 0 when it has none (or it is not a positive integer). */
export function delayLevelOf(properties: string): number {
  const text = findProperty(properties, PROPERTY_DELAY_TIME_LEVEL)
  if (text === undefined) return 0
  const level = Number(text)
  return Number.isInteger(level) && level > 0 ? level : 0
}

/**
 * A message with a delay level goes to SCHEDULE_TOPIC_XXXX instead of its topic. Only ordinary and committed
 * transactional messages are delayed (half and rolled-back records are not). Levels above the table clamp to
 * the last level. Returns the message unchanged when it has no delay.
 */
export function parkDelayedMessage(msg: MessageToStore, levelCount: number): MessageToStore {
  const properties = msg.propertiesString ?? ''
  const level = delayLevelOf(properties)
  if (level === 0 || msg.topic === SCHEDULE_TOPIC) return msg
  const txType = (msg.sysFlag ?? 0) & SYSFLAG_TRANSACTION_TYPE_MASK
  if (txType !== SYSFLAG_TRANSACTION_NOT_TYPE && txType !== SYSFLAG_TRANSACTION_COMMIT_TYPE) return msg
  const clamped = Math.min(level, levelCount)
  return {
    ...msg,
    topic: SCHEDULE_TOPIC,
    queueId: clamped - 1,
    propertiesString: editProperties(properties, {
      [PROPERTY_DELAY_TIME_LEVEL]: String(clamped),
      [PROPERTY_REAL_TOPIC]: msg.topic,
      [PROPERTY_REAL_QUEUE_ID]: String(msg.queueId),
    }),
  }
}

/**
 * Rebuilds a due message from its SCHEDULE_TOPIC_XXXX record for its real topic and queue: the delay (and
 * timer) properties are cleared; body, flag, born time and host, reconsume times and UNIQ_KEY are kept.
 * Undefined when the record lacks REAL_TOPIC / REAL_QID (it cannot be delivered; the caller skips it).
 */
export function restoreDelayedMessage(record: DecodedMessage): MessageToStore | undefined {
  const realTopic = findProperty(record.propertiesString, PROPERTY_REAL_TOPIC)
  const realQueueId = Number(findProperty(record.propertiesString, PROPERTY_REAL_QUEUE_ID))
  if (!realTopic || !Number.isInteger(realQueueId) || realQueueId < 0) return undefined
  const cleared: Record<string, undefined> = { [PROPERTY_DELAY_TIME_LEVEL]: undefined }
  for (const name of TIMER_PROPERTIES) cleared[name] = undefined
  return {
    topic: realTopic,
    queueId: realQueueId,
    body: record.body,
    flag: record.flag,
    sysFlag: record.sysFlag,
    bornTimestampMs: record.bornTimestampMs,
    bornHost: record.bornHost,
    reconsumeTimes: record.reconsumeTimes,
    preparedTransactionOffset: record.preparedTransactionOffset,
    propertiesString: editProperties(record.propertiesString, cleared),
  }
}
