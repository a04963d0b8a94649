// A message queue as rebalance sees it (topic, broker name, queue id): its validation, RocketMQ's sort order
// (MessageQueue.compareTo) and a string key for maps.

import { EngineError } from '../../common/engine-error'
import { QUEUE_ID_MAX, TOPIC_LENGTH_MAX, TOPIC_PATTERN } from '../../store/message-constants'
import { isArray, isWellFormedText } from './input-checks'

export interface MessageQueue {
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
}

/** Broker names are free text in RocketMQ (they may carry a machine room as `idc@name`); we bound them. */
export const BROKER_NAME_LENGTH_MAX = 255
/** The most queues one allocation takes: 256 brokers of 256 queues each. */
export const MESSAGE_QUEUES_MAX = 65_536

/** Throws ARGUMENT_INVALID unless `mq` is a well-formed message queue; `label` names it in the message. */
export function validateMessageQueue(mq: unknown, label: string): asserts mq is MessageQueue {
  if (typeof mq !== 'object' || mq === null) {
    throw new EngineError('ARGUMENT_INVALID', `${label} must be a { topic, brokerName, queueId } object`)
  }
  const { topic, brokerName, queueId } = mq as Record<string, unknown>
  if (
    typeof topic !== 'string' ||
    topic.length === 0 ||
    topic.length > TOPIC_LENGTH_MAX ||
    !TOPIC_PATTERN.test(topic)
  ) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${label}.topic must match ${TOPIC_PATTERN.source} and be 1-${TOPIC_LENGTH_MAX} chars`,
      { topic },
    )
  }
  if (
    typeof brokerName !== 'string' ||
    brokerName.length === 0 ||
    brokerName.length > BROKER_NAME_LENGTH_MAX ||
    !isWellFormedText(brokerName)
  ) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${label}.brokerName must be 1-${BROKER_NAME_LENGTH_MAX} chars of well-formed text`,
      { brokerName },
    )
  }
  if (typeof queueId !== 'number' || !Number.isInteger(queueId) || queueId < 0 || queueId > QUEUE_ID_MAX) {
    const message = `${label}.queueId must be an integer from 0 to ${QUEUE_ID_MAX}`
    throw new EngineError('ARGUMENT_INVALID', message, { queueId })
  }
}

/** Java's String.compareTo: UTF-16 code units, which is also what JavaScript's `<` compares. */
export function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** RocketMQ's MessageQueue order: topic, then broker name, then queue id. */
export function compareMessageQueues(a: MessageQueue, b: MessageQueue): number {
  return (
    compareJavaStrings(a.topic, b.topic) ||
    compareJavaStrings(a.brokerName, b.brokerName) ||
    a.queueId - b.queueId
  )
}

/**
 * A sorted copy of `queues`, in the order every allocation strategy expects mqAll in. Validates each queue and
 * rejects duplicates (RocketMQ collects them in a Set, so a duplicate here is a bug upstream).
 */
export function sortMessageQueues(queues: readonly MessageQueue[]): MessageQueue[] {
  if (!isArray(queues)) throw new EngineError('ARGUMENT_INVALID', 'queues must be an array')
  if (queues.length > MESSAGE_QUEUES_MAX) {
    throw new EngineError('ARGUMENT_INVALID', `at most ${MESSAGE_QUEUES_MAX} queues; got ${queues.length}`)
  }
  queues.forEach((mq, i) => validateMessageQueue(mq, `queues[${i}]`))
  const sorted = queues.slice().sort(compareMessageQueues)
  for (let i = 1; i < sorted.length; i++) {
    if (compareMessageQueues(sorted[i - 1]!, sorted[i]!) === 0) {
      throw new EngineError('ARGUMENT_INVALID', `duplicate queue ${messageQueueKey(sorted[i]!)}`)
    }
  }
  return sorted
}

/**
 * A key that identifies a queue, for maps and sets: `topic@brokerName@queueId`. Unambiguous although broker
 * names may contain `@`, because topics cannot and the queue id is always the last field.
 */
export function messageQueueKey(mq: MessageQueue): string {
  validateMessageQueue(mq, 'mq')
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`
}

/** Java's MessageQueue.toString(): the consistent hash strategy hashes exactly this text. */
export function messageQueueJavaString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`
}
