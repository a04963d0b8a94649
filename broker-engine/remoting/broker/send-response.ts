// The answers to sends (SendMessageResponseHeader, PROTOCOL.md 2.3): engine outcomes mapped to response codes,
// extFields built directly (msgId = offset message id, queueId, queueOffset, MSG_REGION, TRACE_ON), plus the
// topic checks single and batch sends share.

import type { SendErrorCode, SendMessageResult } from '../../broker/broker-controller'
import type { TopicConfig } from '../../broker/topic-config-manager'
import { isNotAllowedSendTopic, validateTopicName } from '../../broker/topic-validator'
import { TRANS_HALF_TOPIC } from '../../broker/transaction-service'
import { RESPONSE_CODE } from '../remoting-codes'
import { createResponse, type RemotingCommand } from '../remoting-command'
import { errorResponse } from '../request-guard'

/** The broker's region and trace switch, always echoed in send responses (the Java client reads both). */
const MSG_REGION = 'DefaultRegion'
const TRACE_ON = 'true'

/** undefined when the topic may be sent to; else the error response. */
export function checkTopic(
  request: RemotingCommand,
  topic: string,
  config: TopicConfig | undefined,
): RemotingCommand | undefined {
  if (isNotAllowedSendTopic(topic))
    return errorResponse(request, RESPONSE_CODE.NO_PERMISSION, `sending to topic ${topic} is forbidden`)
  if (!config) {
    const reason = validateTopicName(topic)
    if (reason) return errorResponse(request, RESPONSE_CODE.INVALID_PARAMETER, reason)
  }
  return undefined
}

export const SEND_ERROR_CODES: Readonly<Record<SendErrorCode, number>> = {
  TOPIC_NOT_EXIST: RESPONSE_CODE.TOPIC_NOT_EXIST,
  NO_PERMISSION: RESPONSE_CODE.NO_PERMISSION,
  MESSAGE_ILLEGAL: RESPONSE_CODE.MESSAGE_ILLEGAL,
  SERVICE_NOT_AVAILABLE: RESPONSE_CODE.SERVICE_NOT_AVAILABLE,
  SYSTEM_ERROR: RESPONSE_CODE.SYSTEM_ERROR,
}

/** Error answers carry the region and trace switch too: Java adds them before it tries the put. */
export const SEND_ERROR_EXT_FIELDS = Object.freeze({ MSG_REGION, TRACE_ON })

export function sendResponse(
  request: RemotingCommand,
  result: SendMessageResult,
  queueId: number,
): RemotingCommand {
  if (result.status === 'ERROR')
    return createResponse(request, SEND_ERROR_CODES[result.code], {
      remark: result.reason,
      extFields: SEND_ERROR_EXT_FIELDS,
    })
  const extFields: Record<string, string> = {
    msgId: result.offsetMsgId,
    queueId: String(queueId >= 0 ? queueId : result.queueId),
    queueOffset: String(result.queueOffset),
    MSG_REGION,
    TRACE_ON,
  }
  // A half message's transactionId is its UNIQ_KEY; the producer quotes it in END_TRANSACTION.
  if (result.topic === TRANS_HALF_TOPIC) extFields.transactionId = result.msgId
  return createResponse(
    request,
    result.status === 'SEND_OK' ? RESPONSE_CODE.SUCCESS : RESPONSE_CODE.FLUSH_DISK_TIMEOUT,
    { extFields },
  )
}

/** The SendMessageResponseHeader of a batch: comma-joined offset message ids, the first queue offset. */
export function batchResponse(
  request: RemotingCommand,
  results: readonly SendMessageResult[],
  queueId: number,
): RemotingCommand {
  let msgId = ''
  let degraded = false
  for (const result of results) {
    if (result.status === 'ERROR') return sendResponse(request, result, queueId)
    if (result.status !== 'SEND_OK') degraded = true
    msgId = msgId.length === 0 ? result.offsetMsgId : `${msgId},${result.offsetMsgId}`
  }
  const first = results[0]
  if (!first || first.status === 'ERROR')
    return errorResponse(request, RESPONSE_CODE.MESSAGE_ILLEGAL, 'the batch holds no messages')
  return createResponse(request, degraded ? RESPONSE_CODE.FLUSH_DISK_TIMEOUT : RESPONSE_CODE.SUCCESS, {
    extFields: {
      msgId,
      queueId: String(queueId >= 0 ? queueId : first.queueId),
      queueOffset: String(first.queueOffset),
      MSG_REGION,
      TRACE_ON,
    },
  })
}
