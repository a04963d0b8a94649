// RocketMQ's CONFIG strategy (AllocateMessageQueueByConfig): the consumer takes a fixed list of queues set in
// its own configuration, whatever the other members do.

import { EngineError } from '../../common/engine-error'
import { checkAllocateArgs, type AllocateStrategy } from './allocate-strategy'
import { isArray } from './input-checks'
import { MESSAGE_QUEUES_MAX, messageQueueKey, validateMessageQueue, type MessageQueue } from './message-queue'

/**
 * Always allocates `messageQueueList` (copied here, so later changes to the caller's array do not leak in).
 * As in RocketMQ the list is returned as configured: not filtered by mqAll, and also when the current client is
 * missing from cidAll, since nothing about the split depends on the other members. The arguments are still
 * validated like every strategy's, because passing malformed ones is a bug whichever strategy is configured.
 */
export function allocateByConfig(messageQueueList: readonly MessageQueue[]): AllocateStrategy {
  if (!isArray(messageQueueList) || messageQueueList.length > MESSAGE_QUEUES_MAX) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `CONFIG: messageQueueList must be an array of at most ${MESSAGE_QUEUES_MAX} queues`,
    )
  }
  const seenKeys = new Set<string>()
  const configured: MessageQueue[] = messageQueueList.map((mq, i) => {
    validateMessageQueue(mq, `CONFIG: messageQueueList[${i}]`)
    const key = messageQueueKey(mq)
    if (seenKeys.has(key)) throw new EngineError('ARGUMENT_INVALID', `CONFIG: duplicate queue ${key}`)
    seenKeys.add(key)
    return Object.freeze({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId })
  })

  return Object.freeze({
    name: 'CONFIG',
    allocate(
      consumerGroup: string,
      currentClientId: string,
      mqAll: readonly MessageQueue[],
      cidAll: readonly string[],
    ): MessageQueue[] {
      checkAllocateArgs('CONFIG', consumerGroup, currentClientId, mqAll, cidAll)
      return configured.slice()
    },
  })
}
