// PULL_MESSAGE (11), PROTOCOL.md 2.4: the header (sysFlag bits COMMIT_OFFSET, SUSPEND, SUBSCRIPTION), the
// subscription from the request or from the consumer's heartbeat, long polling through BrokerController.pullMessage,
// and the PullMessageResponseHeader answer: codes 0/19/20/21 with the four offsets always present, the store status
// as remark, and the records back to back exactly as stored.

import type { BrokerController, PullResponse } from '../../broker/broker-controller'
import { parseSubscription } from '../../broker/subscription-filter'
import { EngineError } from '../../common/engine-error'
import { RESPONSE_CODE } from '../remoting-codes'
import { createResponse, type RemotingCommand } from '../remoting-command'
import type { RequestHandler } from '../remoting-connection'
import { clientFields } from '../request-fields'
import { errorResponse, guarded } from '../request-guard'

const { optionalInt32, optionalLong, optionalString, requiredInt32, requiredLong, requiredNonEmpty } =
  clientFields

/** PullSysFlag bits. */
export const PULL_FLAG_COMMIT_OFFSET = 0x1
export const PULL_FLAG_SUSPEND = 0x2
export const PULL_FLAG_SUBSCRIPTION = 0x4

/**
 * Longest a pull is held. Clients ask for 15 s (20 s for the lite pull consumer); the bound keeps a held pull
 * whose connection went away from lingering (holds cannot be cancelled, they end at their timeout).
 */
export const PULL_SUSPEND_TIMEOUT_MS_MAX = 60_000
const DEFAULT_MAX_MSG_NUMS = 32

/** A consumer group's subscription to a topic as its HEART_BEAT registered it. */
export interface RegisteredSubscription {
  readonly subString: string
  readonly expressionType: string
}

export type SubscriptionLookup = (group: string, topic: string) => RegisteredSubscription | undefined

const PULL_ERROR_CODES: Readonly<Record<Extract<PullResponse, { status: 'ERROR' }>['code'], number>> = {
  SUBSCRIPTION_GROUP_NOT_EXIST: RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST,
  NO_PERMISSION: RESPONSE_CODE.NO_PERMISSION,
  TOPIC_NOT_EXIST: RESPONSE_CODE.TOPIC_NOT_EXIST,
  // RocketMQ answers an out-of-range queue with SYSTEM_ERROR "queueId[n] is illegal".
  QUEUE_ID_INVALID: RESPONSE_CODE.SYSTEM_ERROR,
}

export function createPullProcessor(
  broker: BrokerController,
  subscriptionOf: SubscriptionLookup,
): RequestHandler {
  return guarded((request) => {
    const consumerGroup = requiredNonEmpty(request, 'consumerGroup')
    const topic = requiredNonEmpty(request, 'topic')
    const queueId = requiredInt32(request, 'queueId')
    const queueOffset = requiredLong(request, 'queueOffset')
    const maxMsgNums = optionalInt32(request, 'maxMsgNums') ?? DEFAULT_MAX_MSG_NUMS
    const sysFlag = optionalInt32(request, 'sysFlag') ?? 0
    const commitOffset = optionalLong(request, 'commitOffset')
    const suspendTimeoutMillis = optionalLong(request, 'suspendTimeoutMillis') ?? 0

    let subString: string
    let expressionType: string
    if ((sysFlag & PULL_FLAG_SUBSCRIPTION) !== 0) {
      subString = optionalString(request, 'subscription') ?? '*'
      expressionType = optionalString(request, 'expressionType') ?? 'TAG'
    } else {
      const registered = subscriptionOf(consumerGroup, topic)
      if (!registered)
        return errorResponse(
          request,
          RESPONSE_CODE.SUBSCRIPTION_NOT_EXIST,
          `the consumer's subscription does not exist: group ${consumerGroup} has no subscription to ${topic} (HEART_BEAT first)`,
        )
      subString = registered.subString
      expressionType = registered.expressionType
    }
    if (expressionType.toUpperCase() !== 'TAG')
      return errorResponse(
        request,
        RESPONSE_CODE.SUBSCRIPTION_PARSE_FAILED,
        `this broker filters by TAG only; ${expressionType} subscriptions are not supported`,
      )
    try {
      parseSubscription(subString)
    } catch (err) {
      if (!(err instanceof EngineError)) throw err
      return errorResponse(request, RESPONSE_CODE.SUBSCRIPTION_PARSE_FAILED, err.message)
    }

    const suspend = (sysFlag & PULL_FLAG_SUSPEND) !== 0
    const commit = (sysFlag & PULL_FLAG_COMMIT_OFFSET) !== 0 && broker.config.brokerRole !== 'SLAVE'
    return broker
      .pullMessage({
        consumerGroup,
        topic,
        queueId,
        queueOffset,
        maxMsgNums: Math.max(1, maxMsgNums),
        subExpression: subString,
        suspendTimeoutMs: suspend
          ? Math.min(Math.max(0, suspendTimeoutMillis), PULL_SUSPEND_TIMEOUT_MS_MAX)
          : 0,
        commitOffset: commit ? commitOffset : undefined,
      })
      .then((result) => pullResponse(request, queueOffset, result))
  })
}

function pullResponse(request: RemotingCommand, queueOffset: number, result: PullResponse): RemotingCommand {
  if (result.status === 'ERROR') return errorResponse(request, PULL_ERROR_CODES[result.code], result.reason)
  const extFields = {
    suggestWhichBrokerId: '0',
    nextBeginOffset: String(result.nextBeginOffset),
    maxOffset: String(result.maxOffset),
    minOffset: String(result.minOffset),
  }
  switch (result.status) {
    case 'FOUND':
      return createResponse(request, RESPONSE_CODE.SUCCESS, {
        remark: 'FOUND',
        extFields,
        body: result.records,
      })
    case 'NO_NEW_MSG':
      return createResponse(request, RESPONSE_CODE.PULL_NOT_FOUND, {
        remark: result.maxOffset === 0 ? 'NO_MESSAGE_IN_QUEUE' : 'OFFSET_OVERFLOW_ONE',
        extFields,
      })
    case 'NO_MATCHED_MSG':
      return createResponse(request, RESPONSE_CODE.PULL_RETRY_IMMEDIATELY, {
        remark: 'NO_MATCHED_MESSAGE',
        extFields,
      })
    case 'OFFSET_ILLEGAL':
      return createResponse(request, RESPONSE_CODE.PULL_OFFSET_MOVED, {
        remark: offsetMovedStatus(queueOffset, result.minOffset, result.maxOffset),
        extFields,
      })
  }
}

/** The store's GetMessageStatus behind an OFFSET_ILLEGAL answer, recovered from the offsets it reported. */
function offsetMovedStatus(queueOffset: number, minOffset: number, maxOffset: number): string {
  if (maxOffset === 0) return 'NO_MESSAGE_IN_QUEUE'
  if (queueOffset < minOffset) return 'OFFSET_TOO_SMALL'
  if (queueOffset > maxOffset) return 'OFFSET_OVERFLOW_BADLY'
  // An offset inside the queue can only move because of a server-side reset.
  return 'OFFSET_RESET'
}
