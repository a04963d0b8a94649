// Sends one test message into the embedded store (topic, optional tag and keys, a UTF-8 body), audited.
import 'server-only'
import { z } from 'zod'
import { formatProperties } from '@/broker-engine/index'
import { getEmbeddedBroker } from '@/lib/engine/embedded-engine'
import { runAudited } from '@/lib/audit/run-audited'
import { toAppError } from '@/lib/errors'

/** RocketMQ's topic charset plus `%` for %RETRY%/%DLQ% topics; 127 characters keeps V1 records. */
export const TOPIC_NAME_PATTERN = /^[%|a-zA-Z0-9_-]{1,127}$/
/** RocketMQ's default maxMessageSize. */
export const TEST_MESSAGE_BODY_BYTES_MAX = 4 * 1024 * 1024
export const TAG_LENGTH_MAX = 255
export const KEYS_LENGTH_MAX = 1024
/** Test messages rotate over queues 0..3 of the topic. */
const TEST_MESSAGE_QUEUE_COUNT = 4

// Property separators (\u0001 name/value, \u0002 between pairs) and NUL would corrupt the properties string.
const PROPERTY_UNSAFE = /[\u0000\u0001\u0002]/

const optionalText = (label: string, lengthMax: number) =>
  z
    .string()
    .trim()
    .max(lengthMax, `${label} is at most ${lengthMax} characters`)
    .refine((value) => !PROPERTY_UNSAFE.test(value), `${label} contains a control character`)
    .optional()
    .transform((value) => (value === '' ? undefined : value))

export const sendTestMessageInput = z.object({
  topic: z
    .string()
    .trim()
    .regex(TOPIC_NAME_PATTERN, 'Topic: 1-127 characters from letters, digits, %, |, _ and -'),
  tag: optionalText('Tag', TAG_LENGTH_MAX).refine(
    (value) => value === undefined || !value.includes('||'),
    'Tag may not contain "||" (it separates tags in subscriptions)',
  ),
  keys: optionalText('Keys', KEYS_LENGTH_MAX),
  body: z
    .string()
    .min(1, 'Body may not be empty')
    .refine(
      (value) => Buffer.byteLength(value, 'utf8') <= TEST_MESSAGE_BODY_BYTES_MAX,
      `Body is at most ${TEST_MESSAGE_BODY_BYTES_MAX} bytes (4 MiB) in UTF-8`,
    ),
})

export type SendTestMessageInput = z.input<typeof sendTestMessageInput>

export interface SendTestMessageResult {
  readonly topic: string
  readonly queueId: number
  /** RocketMQ's SendStatus. */
  readonly status: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT'
  /** Byte position of the record in the CommitLog. */
  readonly commitLogOffset: number
  /** Entry index of the message in its ConsumeQueue. */
  readonly queueOffset: number
  /** RocketMQ's offset message id (store host + commitLogOffset, 32 hex characters). */
  readonly msgId: string
  /** The unique client id (UNIQ_KEY) the store kept or generated. */
  readonly uniqKey: string
  readonly storeTimestampMs: number
  readonly wroteBytes: number
}

/** RocketMQ's properties wire form, as the engine formats it: `TAGS\u0001<tag>\u0002KEYS\u0001<k1 k2>`. */
export function buildTestMessageProperties(tag: string | undefined, keys: string | undefined): string {
  const keyList = keys?.split(/\s+/).filter((key) => key !== '') ?? []
  return formatProperties([
    ['TAGS', tag],
    ['KEYS', keyList.length > 0 ? keyList.join(' ') : undefined],
  ])
}

const g = globalThis as unknown as { __mqdeckTestQueueCursor?: number }

function nextTestQueueId(): number {
  const cursor = g.__mqdeckTestQueueCursor ?? 0
  g.__mqdeckTestQueueCursor = (cursor + 1) % TEST_MESSAGE_QUEUE_COUNT
  return cursor
}

/** Validates `input`, appends it to the store and returns where it landed. Throws AppError. */
export async function sendTestMessage(input: SendTestMessageInput): Promise<SendTestMessageResult> {
  const { topic, tag, keys, body } = sendTestMessageInput.parse(input)
  const bodyBytes = Buffer.from(body, 'utf8')
  const queueId = nextTestQueueId()
  return runAudited(
    {
      actor: 'console',
      action: 'store.sendTestMessage',
      targetType: 'topic',
      targetId: topic,
      request: { topic, queueId, tag, keys, bodySizeBytes: bodyBytes.byteLength },
    },
    async () => {
      // Through the broker's send path, as a producer's message: a new topic is created from TBW102.
      const broker = await getEmbeddedBroker()
      const result = await broker.sendMessage({
        producerGroup: 'MQDECK_CONSOLE',
        topic,
        queueId,
        body: bodyBytes,
        propertiesString: buildTestMessageProperties(tag, keys),
        bornTimestampMs: Date.now(),
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: TEST_MESSAGE_QUEUE_COUNT,
      })
      if (result.status === 'ERROR') throw toAppError(result)
      return {
        topic,
        queueId: result.queueId,
        status: result.status,
        commitLogOffset: result.commitLogOffset,
        queueOffset: result.queueOffset,
        msgId: result.offsetMsgId,
        uniqKey: result.msgId,
        storeTimestampMs: result.storeTimestampMs,
        wroteBytes: result.wroteBytes,
      }
    },
  )
}
