// The properties of a message resent from a DLQ: the dead copy's own (body, keys, tags, user properties) minus
// the retry, delay, transaction and DLQ bookkeeping, with a fresh UNIQ_KEY and RESENT_FROM_DLQ_MSG_ID naming the
// dead copy (the same property the embedded engine writes, so both gateways' resends look alike).
import 'server-only'
import { formatProperties, parseProperties } from '@/broker-engine/index'

export const PROPERTY_RESENT_FROM_DLQ_MSG_ID = 'RESENT_FROM_DLQ_MSG_ID'

/** Bookkeeping a resend must not carry over (a DELAY would delay it, TRAN_MSG would make it a half message). */
const DROPPED_ON_RESEND = [
  'UNIQ_KEY',
  'RETRY_TOPIC',
  'DELAY',
  'REAL_TOPIC',
  'REAL_QID',
  'MAX_RECONSUME_TIMES',
  'RECONSUME_TIME',
  'TRAN_MSG',
  'PGROUP',
  '__transactionId__',
  'TRAN_PREPARED_QUEUE_OFFSET',
  'TRANSACTION_CHECK_TIMES',
  'CONSUME_START_TIME',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'CLUSTER',
  'DLQ_ORIGIN_TOPIC',
  'DLQ_ORIGIN_MESSAGE_ID',
  PROPERTY_RESENT_FROM_DLQ_MSG_ID,
]

export interface ResendProperties {
  readonly uniqKey: string
  /** Offset id of the DLQ copy. */
  readonly dlqMsgId: string
  /** For a resend into %RETRY%<group>: the original topic, so consumers restore it (RETRY_TOPIC). */
  readonly retryTopicOrigin?: string
}

export function editPropertiesForResend(properties: string, edit: ResendProperties): string {
  const kept = parseProperties(properties)
  for (const name of DROPPED_ON_RESEND) kept.delete(name)
  return formatProperties([
    ...kept,
    ['RETRY_TOPIC', edit.retryTopicOrigin],
    ['UNIQ_KEY', edit.uniqKey],
    [PROPERTY_RESENT_FROM_DLQ_MSG_ID, edit.dlqMsgId],
  ])
}
