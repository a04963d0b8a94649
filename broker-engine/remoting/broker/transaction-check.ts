// CHECK_TRANSACTION_STATE (39, broker → producer, oneway), PROTOCOL.md 2.9 and 5.5: the header names the half
// message's newest copy (commitLogOffset, tranStateTableOffset, offsetMsgId) and its ids; the body is the message
// encoded as a stored record (3.5) with its real topic and queue restored.

import type { TransactionCheck } from '../../broker/transaction-service'
import { bodyCrc32, recordLength, writeRecord, type DecodedMessage } from '../../store/message-codec'
import { PROPERTY_REAL_QUEUE_ID, PROPERTY_UNIQ_KEY } from '../../store/message-constants'
import { findProperty } from '../../store/message-properties'
import { REQUEST_CODE } from '../remoting-codes'
import { createRequest, type RemotingCommand } from '../remoting-command'

export function checkTransactionStateRequest(
  check: TransactionCheck,
  offsetMsgId: string,
  brokerName: string,
): RemotingCommand {
  const message = check.message
  const realQueueId = Number(findProperty(message.propertiesString, PROPERTY_REAL_QUEUE_ID))
  const queueId = Number.isInteger(realQueueId) && realQueueId >= 0 ? realQueueId : message.queueId
  const uniqKey = findProperty(message.propertiesString, PROPERTY_UNIQ_KEY) ?? check.transactionId
  return createRequest(REQUEST_CODE.CHECK_TRANSACTION_STATE, {
    oneway: true,
    extFields: {
      topic: message.topic,
      tranStateTableOffset: String(check.tranStateTableOffset),
      commitLogOffset: String(check.commitLogOffset),
      msgId: uniqKey,
      transactionId: check.transactionId || uniqKey,
      offsetMsgId,
      bname: brokerName,
    },
    body: encodeMessage(message, queueId),
  })
}

/** A decoded message written back as one record (MessageDecoder.encode), with `queueId` in place of its own. */
export function encodeMessage(message: DecodedMessage, queueId: number): Buffer {
  const topicBytes = Buffer.byteLength(message.topic, 'utf8')
  const propertiesBytes = Buffer.byteLength(message.propertiesString, 'utf8')
  const size = recordLength(message.body.length, topicBytes, propertiesBytes, message.sysFlag)
  const out = Buffer.alloc(size)
  writeRecord(
    out,
    0,
    size,
    bodyCrc32(message.body),
    queueId,
    message.flag,
    message.queueOffset,
    message.commitLogOffset,
    message.sysFlag,
    message.bornTimestampMs,
    message.bornHost,
    message.storeTimestampMs,
    message.storeHost,
    message.reconsumeTimes,
    message.preparedTransactionOffset,
    message.body,
    message.topic,
    topicBytes,
    message.propertiesString,
    propertiesBytes,
  )
  return out
}
