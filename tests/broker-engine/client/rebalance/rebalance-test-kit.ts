// Shared helpers for the rebalance tests: queue and client id builders, a seeded random source, and a helper
// that runs a strategy for every member of a group the way each member's own rebalance would.

export { seededRandom } from '../../../helpers/seeded-random'
import type { AllocateStrategy } from '../../../../broker-engine/client/rebalance/allocate-strategy'
import { messageQueueKey, type MessageQueue } from '../../../../broker-engine/client/rebalance/message-queue'

/** `perBroker` queues on each broker, in sorted order when `brokerNames` are sorted. */
export function queues(topic: string, brokerNames: readonly string[], perBroker: number): MessageQueue[] {
  return brokerNames.flatMap((brokerName) =>
    Array.from({ length: perBroker }, (_, queueId) => ({ topic, brokerName, queueId })),
  )
}

/** `count` client ids in the Java client's `ip@instanceName` shape, zero-padded so they sort in index order. */
export function clientIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.0.0.1@cid-${String(i).padStart(5, '0')}`)
}

/** `brokerName/queueId` per queue: short, readable expectations for a single topic. */
export function names(mqs: readonly MessageQueue[]): string[] {
  return mqs.map((mq) => `${mq.brokerName}/${mq.queueId}`)
}

/** Each member's allocation, computed as that member computes it (same lists, its own id). */
export function allocateAll(
  strategy: AllocateStrategy,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
  consumerGroup = 'GID_TEST',
): Map<string, MessageQueue[]> {
  return new Map(cidAll.map((cid) => [cid, strategy.allocate(consumerGroup, cid, mqAll, cidAll)]))
}

/** Which member owns each queue, by messageQueueKey; fails when a queue has two owners. */
export function ownerByQueue(allocation: Map<string, MessageQueue[]>): Map<string, string> {
  const owners = new Map<string, string>()
  for (const [cid, mqs] of allocation) {
    for (const mq of mqs) {
      const key = messageQueueKey(mq)
      const previous = owners.get(key)
      if (previous !== undefined) throw new Error(`${key} allocated to both ${previous} and ${cid}`)
      owners.set(key, cid)
    }
  }
  return owners
}

/** The seed for random cases: REBALANCE_SEED replays a printed one. */
export function testSeed(): number {
  return Number(process.env.REBALANCE_SEED ?? Math.floor(Math.random() * 2 ** 31))
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}
