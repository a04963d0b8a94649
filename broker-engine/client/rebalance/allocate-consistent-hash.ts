// RocketMQ's CONSISTENT_HASH strategy (AllocateMessageQueueConsistentHash): consumers sit on an MD5 hash ring
// with virtual nodes and each queue goes to the consumer after its hash, so a member joining or leaving moves
// only the queues next to its own points instead of reshuffling the whole split.

import { EngineError } from '../../common/engine-error'
import { checkAllocateArgs, type AllocateStrategy } from './allocate-strategy'
import { ConsistentHashRing } from './consistent-hash-ring'
import { messageQueueJavaString, type MessageQueue } from './message-queue'

/** RocketMQ's default virtual nodes per consumer. */
export const VIRTUAL_NODE_COUNT_DEFAULT = 10
export const VIRTUAL_NODE_COUNT_MAX = 1_000
/** Bounds the MD5s one ring costs (consumers × virtual nodes): 10,000 consumers at the default, ~0.2 s. */
export const RING_VIRTUAL_NODES_MAX = 100_000

/**
 * The consistent hash strategy. `virtualNodeCount` must be 1 to VIRTUAL_NODE_COUNT_MAX: Java also accepts 0,
 * which leaves the ring empty and every queue unconsumed, never what a caller means.
 *
 * Queues are hashed by their Java toString() text and consumers by `<clientId>-<replica>`, with the ring built
 * in cidAll order, so a group may mix these consumers with Java ones. The strategy keeps the ring of the last
 * cidAll it saw, because a rebalance calls it once per subscribed topic with the same consumers.
 */
export function allocateConsistentHash(
  virtualNodeCount: number = VIRTUAL_NODE_COUNT_DEFAULT,
): AllocateStrategy {
  if (
    !Number.isInteger(virtualNodeCount) ||
    virtualNodeCount < 1 ||
    virtualNodeCount > VIRTUAL_NODE_COUNT_MAX
  ) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `CONSISTENT_HASH: virtualNodeCount must be an integer from 1 to ${VIRTUAL_NODE_COUNT_MAX}`,
      { virtualNodeCount },
    )
  }
  let cachedCidAll: readonly string[] = []
  let cachedRing: ConsistentHashRing | undefined

  function ringFor(cidAll: readonly string[]): ConsistentHashRing {
    if (
      cachedRing === undefined ||
      cachedCidAll.length !== cidAll.length ||
      cachedCidAll.some((cid, i) => cid !== cidAll[i])
    ) {
      cachedRing = new ConsistentHashRing(cidAll, virtualNodeCount)
      cachedCidAll = cidAll.slice() // a copy: the caller may reuse its array
    }
    return cachedRing
  }

  return Object.freeze({
    name: 'CONSISTENT_HASH',
    allocate(
      consumerGroup: string,
      currentClientId: string,
      mqAll: readonly MessageQueue[],
      cidAll: readonly string[],
    ): MessageQueue[] {
      const index = checkAllocateArgs('CONSISTENT_HASH', consumerGroup, currentClientId, mqAll, cidAll)
      if (cidAll.length * virtualNodeCount > RING_VIRTUAL_NODES_MAX) {
        throw new EngineError(
          'ARGUMENT_INVALID',
          `CONSISTENT_HASH: ${cidAll.length} consumers × ${virtualNodeCount} virtual nodes exceeds ` +
            `${RING_VIRTUAL_NODES_MAX} ring points`,
          { consumerGroup },
        )
      }
      if (index < 0) return []
      const ring = ringFor(cidAll)
      return mqAll.filter((mq) => ring.routeNode(messageQueueJavaString(mq)) === currentClientId)
    },
  })
}
