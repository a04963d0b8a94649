// RocketMQ's default strategy, AVG (AllocateMessageQueueAveragely): each consumer takes one contiguous block of
// the sorted queues, and the first `queues % consumers` consumers take one queue more.

import { checkAllocateArgs, type AllocateStrategy } from './allocate-strategy'
import type { MessageQueue } from './message-queue'

export const allocateAveragely: AllocateStrategy = Object.freeze({
  name: 'AVG',
  allocate(
    consumerGroup: string,
    currentClientId: string,
    mqAll: readonly MessageQueue[],
    cidAll: readonly string[],
  ): MessageQueue[] {
    const index = checkAllocateArgs('AVG', consumerGroup, currentClientId, mqAll, cidAll)
    if (index < 0) return []
    const queueCount = mqAll.length
    const clientCount = cidAll.length
    const mod = queueCount % clientCount
    const takesExtra = mod > 0 && index < mod
    const baseSize = Math.floor(queueCount / clientCount)
    // With no more queues than consumers each of the first queueCount consumers takes one and the rest none:
    // their start lands at or past the end below.
    const averageSize = queueCount <= clientCount ? 1 : takesExtra ? baseSize + 1 : baseSize
    const startIndex = takesExtra ? index * averageSize : index * averageSize + mod
    const range = Math.min(averageSize, queueCount - startIndex)
    const result: MessageQueue[] = []
    for (let i = 0; i < range; i++) result.push(mqAll[startIndex + i]!)
    return result
  },
})
