// The allocation strategy interface of clustering-mode rebalance (RocketMQ's AllocateMessageQueueStrategy) and
// the argument checks every strategy shares (AbstractAllocateMessageQueueStrategy.check, made strict).

import { EngineError } from '../../common/engine-error'
import { CLIENT_IDS_MAX, validateClientId } from './client-id'
import { isArray, isWellFormedText } from './input-checks'
import {
  compareMessageQueues,
  MESSAGE_QUEUES_MAX,
  messageQueueKey,
  validateMessageQueue,
  type MessageQueue,
} from './message-queue'

/**
 * Splits a topic's queues among the consumers of a group. Each member calls allocate with the same mqAll and
 * cidAll (both sorted: see sortMessageQueues and sortClientIds) and its own id, and gets its share; because
 * every member computes the same split, each queue goes to exactly one member without any coordination.
 */
export interface AllocateStrategy {
  /** RocketMQ's name for the strategy (getName()), such as `AVG`; consoles show it. */
  readonly name: string
  /** The queues of mqAll that currentClientId consumes; the returned array is new, its queues are mqAll's. */
  allocate(
    consumerGroup: string,
    currentClientId: string,
    mqAll: readonly MessageQueue[],
    cidAll: readonly string[],
  ): MessageQueue[]
}

/** RocketMQ's Validators bound group names to 255 chars. */
export const CONSUMER_GROUP_LENGTH_MAX = 255

/**
 * Validates allocate's arguments and returns currentClientId's index in cidAll, or -1 when it is not there.
 *
 * Throws ARGUMENT_INVALID for misuse: an empty or oversized list, a malformed queue or id, or a list that is not
 * strictly ascending (unsorted or with duplicates), since members given differently ordered lists would compute
 * overlapping splits and consume some queues twice and others never.
 *
 * An absent current client is not misuse: the broker's consumer list can be read before this client's first
 * heartbeat reached it (or after its connection expired). The other members then split every queue among
 * themselves, so this client must take none until the next rebalance; RocketMQ returns an empty list too.
 */
export function checkAllocateArgs(
  strategyName: string,
  consumerGroup: string,
  currentClientId: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
): number {
  if (
    typeof consumerGroup !== 'string' ||
    consumerGroup.length === 0 ||
    consumerGroup.length > CONSUMER_GROUP_LENGTH_MAX ||
    !isWellFormedText(consumerGroup)
  ) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${strategyName}: consumerGroup must be 1-${CONSUMER_GROUP_LENGTH_MAX} chars of well-formed text`,
      { consumerGroup },
    )
  }
  validateClientId(currentClientId, `${strategyName}: currentClientId`)

  if (!isArray(mqAll) || mqAll.length === 0 || mqAll.length > MESSAGE_QUEUES_MAX) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${strategyName}: mqAll must be an array of 1-${MESSAGE_QUEUES_MAX} queues`,
      { consumerGroup, mqAllSize: isArray(mqAll) ? mqAll.length : undefined },
    )
  }
  for (let i = 0; i < mqAll.length; i++) {
    const mq = mqAll[i]
    validateMessageQueue(mq, `${strategyName}: mqAll[${i}]`)
    if (i > 0 && compareMessageQueues(mqAll[i - 1]!, mq) >= 0) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `${strategyName}: mqAll must be sorted without duplicates (use sortMessageQueues); ` +
          `mqAll[${i}] ${messageQueueKey(mq)} does not follow ${messageQueueKey(mqAll[i - 1]!)}`,
        { consumerGroup },
      )
    }
  }

  if (!isArray(cidAll) || cidAll.length === 0 || cidAll.length > CLIENT_IDS_MAX) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${strategyName}: cidAll must be an array of 1-${CLIENT_IDS_MAX} client ids`,
      { consumerGroup, cidAllSize: isArray(cidAll) ? cidAll.length : undefined },
    )
  }
  let currentIndex = -1
  for (let i = 0; i < cidAll.length; i++) {
    const cid = cidAll[i]
    validateClientId(cid, `${strategyName}: cidAll[${i}]`)
    if (i > 0 && !(cidAll[i - 1]! < cid)) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `${strategyName}: cidAll must be sorted without duplicates (use sortClientIds); ` +
          `cidAll[${i}] ${cid} does not follow ${cidAll[i - 1]}`,
        { consumerGroup },
      )
    }
    if (cid === currentClientId) currentIndex = i
  }
  return currentIndex
}
