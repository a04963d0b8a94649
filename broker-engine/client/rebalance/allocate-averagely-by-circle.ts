// RocketMQ's AVG_BY_CIRCLE (AllocateMessageQueueAveragelyByCircle): the sorted queues are dealt to the sorted
// consumers like cards, so consumer i takes queues i, i + n, i + 2n, ... and neighbouring queues spread out.

import { checkAllocateArgs, type AllocateStrategy } from './allocate-strategy'
import type { MessageQueue } from './message-queue'

export const allocateAveragelyByCircle: AllocateStrategy = Object.freeze({
  name: 'AVG_BY_CIRCLE',
  allocate(
    consumerGroup: string,
    currentClientId: string,
    mqAll: readonly MessageQueue[],
    cidAll: readonly string[],
  ): MessageQueue[] {
    const index = checkAllocateArgs('AVG_BY_CIRCLE', consumerGroup, currentClientId, mqAll, cidAll)
    if (index < 0) return []
    const result: MessageQueue[] = []
    for (let i = index; i < mqAll.length; i += cidAll.length) result.push(mqAll[i]!)
    return result
  },
})
