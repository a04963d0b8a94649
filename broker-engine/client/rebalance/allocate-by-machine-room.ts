// RocketMQ's MACHINE_ROOM strategy (AllocateMessageQueueByMachineRoom): only queues on brokers named
// `<idc>@<name>` in one of the consumer's machine rooms (IDCs) are shared out, in even blocks with the remainder
// dealt one each to the first consumers.

import { EngineError } from '../../common/engine-error'
import { checkAllocateArgs, type AllocateStrategy } from './allocate-strategy'
import { isWellFormedText } from './input-checks'
import type { MessageQueue } from './message-queue'

export const CONSUME_IDCS_MAX = 1_024
export const IDC_NAME_LENGTH_MAX = 255

/**
 * The machine room of a broker name as RocketMQ reads it: Java's `brokerName.split("@")` must give exactly two
 * parts, and that split drops trailing empty parts (`"idc@name@"` counts as two parts, `"idc@"` as one).
 */
export function machineRoomOf(brokerName: string): string | undefined {
  const parts = brokerName.split('@')
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts.length === 2 ? parts[0] : undefined
}

/** Consumes queues of brokers in `consumeIdcs` (RocketMQ's consumeridcs), at least one IDC. */
export function allocateByMachineRoom(consumeIdcs: Iterable<string>): AllocateStrategy {
  const idcs = new Set<string>()
  for (const idc of consumeIdcs) {
    if (typeof idc !== 'string' || idc.length > IDC_NAME_LENGTH_MAX || !isWellFormedText(idc)) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `MACHINE_ROOM: each IDC must be at most ${IDC_NAME_LENGTH_MAX} chars of well-formed text`,
        { idc },
      )
    }
    idcs.add(idc)
    if (idcs.size > CONSUME_IDCS_MAX) {
      throw new EngineError('ARGUMENT_INVALID', `MACHINE_ROOM: at most ${CONSUME_IDCS_MAX} IDCs`)
    }
  }
  if (idcs.size === 0) {
    throw new EngineError('ARGUMENT_INVALID', 'MACHINE_ROOM: consumeIdcs must name at least one IDC')
  }

  return Object.freeze({
    name: 'MACHINE_ROOM',
    allocate(
      consumerGroup: string,
      currentClientId: string,
      mqAll: readonly MessageQueue[],
      cidAll: readonly string[],
    ): MessageQueue[] {
      const index = checkAllocateArgs('MACHINE_ROOM', consumerGroup, currentClientId, mqAll, cidAll)
      if (index < 0) return []
      const roomQueues = mqAll.filter((mq) => {
        const idc = machineRoomOf(mq.brokerName)
        return idc !== undefined && idcs.has(idc)
      })
      const clientCount = cidAll.length
      const blockSize = Math.floor(roomQueues.length / clientCount)
      const remainder = roomQueues.length % clientCount
      const result = roomQueues.slice(blockSize * index, blockSize * index + blockSize)
      // The remainder sits after all the blocks; consumer i < remainder takes its i-th queue.
      if (index < remainder) result.push(roomQueues[blockSize * clientCount + index]!)
      return result
    },
  })
}
