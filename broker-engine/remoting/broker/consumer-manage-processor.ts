// What consumers ask a broker besides pulls (RocketMQ's ConsumerManageProcessor and friends, PROTOCOL.md 2.5 and
// 5.6): consumer offsets (14, 15), queue offsets and times (29-32), the group's live members (38), orderly queue
// locks (41, 42), giving a failed message back (36) and the filter check (46).

import type { BrokerController } from '../../broker/broker-controller'
import type { SendBackResult } from '../../broker/consumer-send-back'
import { isWritable } from '../../broker/topic-config-manager'
import { toFastjson } from '../fastjson-writer'
import { REQUEST_CODE, RESPONSE_CODE } from '../remoting-codes'
import { createResponse, type RemotingCommand } from '../remoting-command'
import type { RequestHandler } from '../remoting-connection'
import { parseCheckClientExpressionType, parseLockBatchBody } from './request-bodies'
import { clientFields } from '../request-fields'
import { errorResponse, guarded } from '../request-guard'
import { VERSION_V3_4_9 } from './send-processor'

const { optionalBoolean, optionalInt32, optionalString, requiredInt32, requiredLong, requiredNonEmpty } =
  clientFields

export function consumerManageProcessors(broker: BrokerController): [number, RequestHandler][] {
  const store = broker.store
  const offsetAnswer = (request: RemotingCommand, offset: number): RemotingCommand =>
    createResponse(request, RESPONSE_CODE.SUCCESS, { extFields: { offset: String(offset) } })
  const queueOf = (request: RemotingCommand): { topic: string; queueId: number } => ({
    topic: requiredNonEmpty(request, 'topic'),
    queueId: requiredInt32(request, 'queueId'),
  })

  const handlers: [number, RequestHandler][] = [
    [
      REQUEST_CODE.QUERY_CONSUMER_OFFSET,
      (request) => {
        const group = requiredNonEmpty(request, 'consumerGroup')
        const { topic, queueId } = queueOf(request)
        const stored = broker.offsets.queryOffset(group, topic, queueId)
        if (stored >= 0) return offsetAnswer(request, stored)
        // A new group reads from 0 while the queue still starts there (README quirk 19); 4.x clients never send
        // setZeroIfNotFound, which then counts as true.
        const offset =
          optionalBoolean(request, 'setZeroIfNotFound') === false
            ? -1
            : broker.queryConsumerOffset(group, topic, queueId)
        if (offset >= 0) return offsetAnswer(request, offset)
        return createResponse(request, RESPONSE_CODE.QUERY_NOT_FOUND, {
          remark: `no offset stored for group ${group} on ${topic} queue ${queueId}; the consumer boots first`,
          extFields: {},
        })
      },
    ],
    [
      REQUEST_CODE.UPDATE_CONSUMER_OFFSET,
      (request) => {
        const group = requiredNonEmpty(request, 'consumerGroup')
        const { topic, queueId } = queueOf(request)
        const stored = broker.commitOffset(group, topic, queueId, requiredLong(request, 'commitOffset'))
        // RocketMQ 5 answers a commit it ignores (an offset reset awaits the queue's next pull) with this remark.
        return createResponse(request, RESPONSE_CODE.SUCCESS, {
          extFields: {},
          ...(stored ? {} : { remark: 'Offset has been previously reset' }),
        })
      },
    ],
    [
      REQUEST_CODE.SEARCH_OFFSET_BY_TIMESTAMP,
      (request) => {
        const { topic, queueId } = queueOf(request)
        const timestampMs = requiredLong(request, 'timestamp')
        if (optionalString(request, 'boundaryType')?.toLowerCase() !== 'upper')
          return offsetAnswer(request, store.getOffsetInQueueByTime(topic, queueId, timestampMs))
        // Upper boundary: the last message stored at or before the time.
        const after = store.getOffsetInQueueByTime(topic, queueId, timestampMs + 1)
        return offsetAnswer(request, Math.max(store.getMinOffsetInQueue(topic, queueId), after - 1))
      },
    ],
    [
      REQUEST_CODE.GET_MAX_OFFSET,
      (request) => {
        const { topic, queueId } = queueOf(request)
        return offsetAnswer(request, store.getMaxOffsetInQueue(topic, queueId))
      },
    ],
    [
      REQUEST_CODE.GET_MIN_OFFSET,
      (request) => {
        const { topic, queueId } = queueOf(request)
        return offsetAnswer(request, store.getMinOffsetInQueue(topic, queueId))
      },
    ],
    [
      REQUEST_CODE.GET_EARLIEST_MSG_STORETIME,
      (request) => {
        const { topic, queueId } = queueOf(request)
        const timestamp = store.getMessageStoreTimestamp(
          topic,
          queueId,
          store.getMinOffsetInQueue(topic, queueId),
        )
        return createResponse(request, RESPONSE_CODE.SUCCESS, { extFields: { timestamp: String(timestamp) } })
      },
    ],
    [
      REQUEST_CODE.GET_CONSUMER_LIST_BY_GROUP,
      (request) => {
        const group = requiredNonEmpty(request, 'consumerGroup')
        const consumerIdList = broker.clients.consumerIds(group)
        if (consumerIdList.length === 0)
          return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, `no consumer for this group, ${group}`)
        return createResponse(request, RESPONSE_CODE.SUCCESS, {
          extFields: {},
          body: Buffer.from(toFastjson({ consumerIdList })),
        })
      },
    ],
    [
      REQUEST_CODE.LOCK_BATCH_MQ,
      (request) => {
        const body = parseLockBatchBody(request.body, 'LOCK_BATCH_MQ')
        if (typeof body === 'string') return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, body)
        const locked = broker.lockBatch(body.consumerGroup, body.mqSet, body.clientId)
        const lockOKMQSet = locked.map((q) => ({
          brokerName: q.brokerName,
          queueId: q.queueId,
          topic: q.topic,
        }))
        return createResponse(request, RESPONSE_CODE.SUCCESS, {
          body: Buffer.from(toFastjson({ lockOKMQSet })),
        })
      },
    ],
    [
      REQUEST_CODE.UNLOCK_BATCH_MQ,
      (request) => {
        const body = parseLockBatchBody(request.body, 'UNLOCK_BATCH_MQ')
        if (typeof body === 'string') return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, body)
        broker.unlockBatch(body.consumerGroup, body.mqSet, body.clientId)
        return createResponse(request, RESPONSE_CODE.SUCCESS)
      },
    ],
    [
      REQUEST_CODE.CONSUMER_SEND_MSG_BACK,
      (request) => {
        const group = requiredNonEmpty(request, 'group')
        const commitLogOffset = requiredLong(request, 'offset')
        const delayLevel = optionalInt32(request, 'delayLevel') ?? 0
        const maxReconsumeTimes = optionalInt32(request, 'maxReconsumeTimes')
        if (!isWritable(broker.config.brokerPermission))
          return errorResponse(
            request,
            RESPONSE_CODE.NO_PERMISSION,
            `broker ${broker.config.brokerName} is not writable: send the message back to another broker`,
          )
        return broker
          .consumerSendMsgBack({
            group,
            commitLogOffset,
            delayLevel,
            originMsgId: optionalString(request, 'originMsgId'),
            maxReconsumeTimes: request.version >= VERSION_V3_4_9 ? maxReconsumeTimes : undefined,
          })
          .then((result) => sendBackResponse(request, result))
      },
    ],
    [
      REQUEST_CODE.CHECK_CLIENT_CONFIG,
      (request) => {
        const expressionType = parseCheckClientExpressionType(request.body)
        if (expressionType.toUpperCase() === 'TAG') return createResponse(request, RESPONSE_CODE.SUCCESS)
        return errorResponse(
          request,
          RESPONSE_CODE.SYSTEM_ERROR,
          `The broker does not support consumer to filter message by ${expressionType}`,
        )
      },
    ],
  ]
  return handlers.map(([code, handler]) => [code, guarded(handler)])
}

function sendBackResponse(request: RemotingCommand, result: SendBackResult): RemotingCommand {
  switch (result.status) {
    case 'RETRY':
    case 'DLQ':
    case 'DROPPED':
      return createResponse(request, RESPONSE_CODE.SUCCESS)
    case 'SUBSCRIPTION_GROUP_NOT_EXIST':
      return errorResponse(request, RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST, result.reason)
    case 'MESSAGE_NOT_FOUND':
    case 'PUT_FAILED':
      return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, result.reason)
  }
}
