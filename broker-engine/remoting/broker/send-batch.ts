// SEND_BATCH_MESSAGE (320): the batch body (PROTOCOL.md 3.6) cut into its messages, each stored as its own record
// with its own flag and properties, all in one queue with consecutive queue offsets (the appends are issued in
// one turn, so nothing interleaves). Batches may not hold delayed, transactional or %RETRY% messages.

import type { BrokerController } from '../../broker/broker-controller'
import { RETRY_GROUP_TOPIC_PREFIX } from '../../broker/topic-validator'
import { PROPERTY_DELAY_TIME_LEVEL, SYSFLAG_TRANSACTION_TYPE_MASK } from '../../store/message-constants'
import { findProperty } from '../../store/message-properties'
import { PROPERTY_TRANSACTION_PREPARED } from '../../broker/transaction-service'
import { RESPONSE_CODE } from '../remoting-codes'
import type { RemotingCommand } from '../remoting-command'
import { errorResponse } from '../request-guard'
import type { SendRequest } from './send-processor'
import { batchResponse } from './send-response'

/** Messages in one batch (the BrokerController's limit for sendBatch). */
export const BATCH_MESSAGES_MAX = 1024
/** totalSize, magic, bodyCRC, flag, bodyLength, then the body, then propertiesLength (int16). */
const INNER_FIXED_BYTES = 4 + 4 + 4 + 4 + 4 + 2

export interface BatchMessage {
  readonly body: Buffer
  readonly flag: number
  readonly propertiesString: string
}

/** The messages of a batch body, or the reason it is malformed. Bodies are views into `body`. */
export function decodeBatchBody(body: Buffer, messagesMax = BATCH_MESSAGES_MAX): BatchMessage[] | string {
  const out: BatchMessage[] = []
  for (let pos = 0; pos < body.length;) {
    if (out.length >= messagesMax) return `a batch holds at most ${messagesMax} messages`
    if (body.length - pos < INNER_FIXED_BYTES) return `message ${out.length} of the batch is truncated`
    const totalSize = body.readInt32BE(pos)
    if (totalSize < INNER_FIXED_BYTES || totalSize > body.length - pos)
      return `message ${out.length} of the batch has an impossible size ${totalSize}`
    const flag = body.readInt32BE(pos + 12)
    const bodyLength = body.readInt32BE(pos + 16)
    const bodyStart = pos + 20
    if (bodyLength < 0 || bodyStart + bodyLength + 2 > pos + totalSize)
      return `message ${out.length} of the batch has a body length ${bodyLength} past its end`
    const propertiesStart = bodyStart + bodyLength + 2
    const propertiesLength = body.readInt16BE(bodyStart + bodyLength)
    if (propertiesLength < 0 || propertiesStart + propertiesLength !== pos + totalSize)
      return `message ${out.length} of the batch has a properties length that does not end it`
    out.push({
      body: body.subarray(bodyStart, bodyStart + bodyLength),
      flag,
      propertiesString: body.toString('utf8', propertiesStart, propertiesStart + propertiesLength),
    })
    pos += totalSize
  }
  return out.length > 0 ? out : 'the batch holds no messages'
}

/** A batch whose topic the caller checked (send-processor.ts), and whose queue it picked when one was asked for. */
export function sendBatch(
  broker: BrokerController,
  request: RemotingCommand,
  send: SendRequest,
): RemotingCommand | Promise<RemotingCommand> {
  const illegal = (reason: string): RemotingCommand =>
    errorResponse(request, RESPONSE_CODE.MESSAGE_ILLEGAL, reason)
  if (send.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX))
    return illegal('a batch may not be sent to a %RETRY% topic')
  const messages = decodeBatchBody(send.body as Buffer)
  if (typeof messages === 'string') return illegal(messages)
  const maxMessageSize = broker.store.config.maxMessageSize
  for (const m of messages) {
    const props = m.propertiesString
    if (findProperty(props, PROPERTY_DELAY_TIME_LEVEL) !== undefined)
      return illegal('a batch may not hold delayed messages')
    if (findProperty(props, PROPERTY_TRANSACTION_PREPARED) === 'true')
      return illegal('a batch may not hold transactional messages')
    // Checked up front so that a batch is stored whole or not at all for this reason.
    if (m.body.length === 0 || m.body.length > maxMessageSize)
      return illegal(`a message body in the batch is empty or larger than maxMessageSize ${maxMessageSize}`)
  }
  // The caller picked a queue of an existing topic; one the batch creates is written to its first queue.
  const queueId = Math.max(0, send.queueId)
  // BrokerController.sendBatch takes one flag for the whole batch; the encoding carries one per message, so the
  // messages go through sendMessage one by one (same turn, same queue: consecutive offsets).
  const puts = messages.map((m) =>
    broker.sendMessage({
      ...send,
      queueId,
      sysFlag: send.sysFlag & ~SYSFLAG_TRANSACTION_TYPE_MASK,
      body: m.body,
      flag: m.flag,
      propertiesString: m.propertiesString,
    }),
  )
  return Promise.all(puts).then((results) => batchResponse(request, results, queueId))
}
