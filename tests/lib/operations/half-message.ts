// A half message sent over remoting the way a Java TransactionMQProducer sends one (SEND_MESSAGE_V2 with sysFlag
// TRANSACTION_PREPARED and the TRAN_MSG / PGROUP properties) by a producer that never answers the broker's
// checks, so it stays pending until the console commits or rolls it back. Works on any broker reached over the wire.
import { randomBytes } from 'node:crypto'
import {
  createRequest,
  formatProperties,
  REQUEST_CODE,
  RESPONSE_CODE,
  SYSFLAG_TRANSACTION_PREPARED_TYPE,
  type RemotingClient,
} from '@/broker-engine/index'

const TIMEOUT_MS = 5_000
/**
 * RocketMQ's MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS: no check round looks at the half message
 * before then. Each check round re-appends a half message, which gives it a new offset id; an hour keeps the id
 * the send returned valid for the whole test.
 */
const CHECK_IMMUNITY_SECONDS = '3600'

export interface HalfMessageInput {
  readonly topic: string
  readonly producerGroup: string
  readonly keys: readonly string[]
  readonly body: string
  readonly queueId?: number
}

export interface SentHalfMessage {
  /** Offset id of the half message (in RMQ_SYS_TRANS_HALF_TOPIC): what commit and rollback take. */
  readonly offsetMsgId: string
  /** The producer's message id (UNIQ_KEY), which the committed message keeps. */
  readonly uniqKey: string
}

/** Sends one half message to `brokerAddr`'s queue `queueId` (0) of `topic`; throws unless the broker stored it. */
export async function sendHalfMessage(
  remoting: RemotingClient,
  brokerAddr: string,
  input: HalfMessageInput,
): Promise<SentHalfMessage> {
  const uniqKey = randomBytes(16).toString('hex').toUpperCase()
  const properties = formatProperties([
    ['KEYS', input.keys.join(' ')],
    ['TRAN_MSG', 'true'],
    ['PGROUP', input.producerGroup],
    ['UNIQ_KEY', uniqKey],
    ['CHECK_IMMUNITY_TIME_IN_SECONDS', CHECK_IMMUNITY_SECONDS],
    ['WAIT', 'true'],
  ])
  const response = await remoting.invoke(
    brokerAddr,
    createRequest(REQUEST_CODE.SEND_MESSAGE_V2, {
      extFields: {
        a: input.producerGroup,
        b: input.topic,
        c: 'TBW102',
        d: '4',
        e: String(input.queueId ?? 0),
        f: String(SYSFLAG_TRANSACTION_PREPARED_TYPE),
        g: String(Date.now()),
        h: '0',
        i: properties,
        j: '0',
        k: 'false',
        m: 'false',
      },
      body: Buffer.from(input.body),
    }),
    TIMEOUT_MS,
  )
  const offsetMsgId = response.extFields?.msgId
  if (response.code !== RESPONSE_CODE.SUCCESS || !offsetMsgId)
    throw new Error(`half message to ${input.topic} answered ${response.code}: ${response.remark ?? ''}`)
  return { offsetMsgId, uniqKey }
}
