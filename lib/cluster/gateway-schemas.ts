// zod schemas for every ClusterGateway input: both gateways parse with them at their edge, and server actions
// reuse them for field errors. Names and limits follow RocketMQ's validators (TopicValidator, Validators).
import 'server-only'
import { z } from 'zod'
import {
  isValidPerm,
  TOPIC_QUEUE_NUMS_MAX,
  validateGroupName,
  validateTopicName,
} from '@/broker-engine/index'

/** RocketMQ's default maxMessageSize. */
export const MESSAGE_BODY_BYTES_MAX = 4 * 1024 * 1024
/** Default cut of message bodies in list views; detail views ask for more. */
export const BODY_BYTES_DEFAULT = 64 * 1024
export const PAGE_SIZE_MAX = 500
export const SCAN_MAX_DEFAULT = 2_000
export const SCAN_MAX_LIMIT = 100_000
export const DLQ_RESEND_BATCH_MAX = 1_000
/** Delay levels of messageDelayLevel "1s 5s 10s 30s 1m ... 2h". */
export const DELAY_LEVEL_MAX = 18
export const RETRY_MAX_TIMES_LIMIT = 64
/** A properties string must fit a signed 16-bit length. */
const PROPERTY_TEXT_MAX = 16_000

/** Property names RocketMQ reserves (MessageConst.STRING_HASH_SET); a user property may not use them. */
export const RESERVED_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'KEYS',
  'TAGS',
  'WAIT',
  'DELAY',
  'RETRY_TOPIC',
  'REAL_TOPIC',
  'REAL_QID',
  'TRAN_MSG',
  'PGROUP',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'BUYER_ID',
  'ORIGIN_MESSAGE_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'RECONSUME_TIME',
  'MSG_REGION',
  'TRACE_ON',
  'UNIQ_KEY',
  'MAX_RECONSUME_TIMES',
  'CONSUME_START_TIME',
  'TRAN_PREPARED_QUEUE_OFFSET',
  'TRANSACTION_CHECK_TIMES',
  'CHECK_IMMUNITY_TIME_IN_SECONDS',
  'INSTANCE_ID',
  'CORRELATION_ID',
  'REPLY_TO_CLIENT',
  'TTL',
  'ARRIVE_TIME',
  'PUSH_REPLY_TIME',
  'CLUSTER',
  'MSG_TYPE',
  'INNER_MULTI_QUEUE_OFFSET',
  'INNER_MULTI_DISPATCH',
  'DLQ_ORIGIN_TOPIC',
  'DLQ_ORIGIN_MESSAGE_ID',
  '__transactionId__',
  '__SHARDINGKEY',
  'TIMER_DELIVER_MS',
  'TIMER_DELAY_SEC',
  'TIMER_DELAY_MS',
])

// \u0001 and \u0002 separate names and values in the properties string; NUL would cut it in C clients.
const PROPERTY_UNSAFE = /[\u0000\u0001\u0002]/

export const topicName = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const reason = validateTopicName(value)
    if (reason) ctx.addIssue({ code: 'custom', message: reason })
  })

export const groupName = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const reason = validateGroupName(value)
    if (reason) ctx.addIssue({ code: 'custom', message: reason })
  })

/** A client id as RocketMQ clients build it ("ip@instance", "ip@pid#nanotime", ...). */
export const clientIdSchema = z
  .string()
  .trim()
  .min(1, 'a client id is needed')
  .max(255, 'at most 255 characters')
  .regex(/^[^\s]+$/, 'no spaces')

export const brokerName = z
  .string()
  .trim()
  .min(1, 'broker name is empty')
  .max(255)
  .regex(/^[a-zA-Z0-9_.:%|-]+$/, 'broker name contains illegal characters')

/** An offset message id (32 or 56 hex) or a UNIQ_KEY (32/56 hex; 34 for gRPC-era ids). */
export const messageId = z
  .string()
  .trim()
  .regex(/^[0-9A-Fa-f]{16,64}$/, 'a message id is 16 to 64 hexadecimal characters')

const epochMs = z.number().int().min(0).max(8_640_000_000_000_000)
const bodyBytesMax = z.number().int().min(0).max(MESSAGE_BODY_BYTES_MAX)
const cursor = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, 'cursor is not one this server issued')
const propertyText = (label: string) =>
  z
    .string()
    .max(PROPERTY_TEXT_MAX, `${label} is too long`)
    .refine((value) => !PROPERTY_UNSAFE.test(value), `${label} contains a control character`)

export const messageFilterSchema = z.object({
  tag: propertyText('tag').optional(),
  key: propertyText('key').optional(),
  property: z
    .object({ name: propertyText('property name').min(1), value: propertyText('property value').optional() })
    .optional(),
  bodyContains: z.string().min(1).max(1024).optional(),
})

export const brokerRefSchema = z.union([
  z.object({ brokerName, brokerId: z.number().int().min(0).max(1024).optional() }),
  z.object({
    addr: z
      .string()
      .trim()
      .regex(/^[^\s:]+:\d{1,5}$/, 'an address is host:port'),
  }),
])

export const topicConfigInputSchema = z
  .object({
    topic: topicName,
    readQueueNums: z.number().int().min(1).max(TOPIC_QUEUE_NUMS_MAX),
    writeQueueNums: z.number().int().min(1).max(TOPIC_QUEUE_NUMS_MAX),
    perm: z
      .number()
      .int()
      .refine(isValidPerm, 'perm must be a PermName combination (2 write, 4 read, 6 both)'),
    order: z.boolean().optional(),
    messageType: z.enum(['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED']).optional(),
    clusterName: z.string().trim().min(1).max(255).optional(),
    brokerNames: z.array(brokerName).min(1).max(256).optional(),
  })
  .refine((v) => !(v.clusterName && v.brokerNames), 'give a cluster or brokers, not both')

export const consumerGroupInputSchema = z
  .object({
    group: groupName,
    consumeEnable: z.boolean().optional(),
    consumeBroadcastEnable: z.boolean().optional(),
    consumeMessageOrderly: z.boolean().optional(),
    retryMaxTimes: z.number().int().min(-1).max(RETRY_MAX_TIMES_LIMIT).optional(),
    retryQueueNums: z.number().int().min(0).max(64).optional(),
    clusterName: z.string().trim().min(1).max(255).optional(),
    brokerNames: z.array(brokerName).min(1).max(256).optional(),
  })
  .refine((v) => !(v.clusterName && v.brokerNames), 'give a cluster or brokers, not both')

export const messageIdQuerySchema = z.object({
  msgId: messageId,
  topic: topicName.optional(),
  bodyBytesMax: bodyBytesMax.optional(),
})

export const keyQuerySchema = z
  .object({
    topic: topicName,
    key: propertyText('key').trim().min(1, 'key is empty').max(1024),
    beginMs: epochMs.optional(),
    endMs: epochMs.optional(),
    tag: propertyText('tag').optional(),
    maxNum: z.number().int().min(1).max(1024).optional(),
    bodyBytesMax: bodyBytesMax.optional(),
  })
  .refine((v) => v.beginMs === undefined || v.endMs === undefined || v.beginMs <= v.endMs, {
    message: 'the range ends before it begins',
    path: ['endMs'],
  })

export const timeRangeQuerySchema = z
  .object({
    topic: topicName,
    beginMs: epochMs,
    endMs: epochMs,
    pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX),
    cursor: cursor.optional(),
    filter: messageFilterSchema.optional(),
    scanMax: z.number().int().min(1).max(SCAN_MAX_LIMIT).optional(),
    bodyBytesMax: bodyBytesMax.optional(),
  })
  .refine((v) => v.beginMs <= v.endMs, { message: 'the range ends before it begins', path: ['endMs'] })

export const dlqBrowseQuerySchema = z.object({
  group: groupName,
  beginMs: epochMs.optional(),
  endMs: epochMs.optional(),
  pageSize: z.number().int().min(1).max(PAGE_SIZE_MAX),
  cursor: cursor.optional(),
  filter: messageFilterSchema.optional(),
  bodyBytesMax: bodyBytesMax.optional(),
})

export const dlqResendRequestSchema = z
  .object({
    group: groupName,
    msgIds: z.array(messageId).min(1).max(DLQ_RESEND_BATCH_MAX),
    target: z.enum(['ORIGIN_TOPIC', 'RETRY_TOPIC']),
    uniqKeys: z.array(messageId).max(DLQ_RESEND_BATCH_MAX).optional(),
  })
  .refine((r) => r.uniqKeys === undefined || r.uniqKeys.length === r.msgIds.length, {
    message: 'one UNIQ_KEY per message id',
    path: ['uniqKeys'],
  })

const explicitOffset = z.object({
  brokerName,
  queueId: z.number().int().min(0).max(65_535),
  queueOffset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
})

export const offsetResetRequestSchema = z.object({
  group: groupName,
  topic: topicName,
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('TIMESTAMP'), timestampMs: epochMs }),
    z.object({ kind: z.literal('EARLIEST') }),
    z.object({ kind: z.literal('LATEST') }),
    z.object({ kind: z.literal('EXPLICIT'), offsets: z.array(explicitOffset).min(1).max(4096) }),
  ]),
})

export const sendMessageInputSchema = z
  .object({
    topic: topicName,
    body: z.string(),
    bodyEncoding: z.enum(['utf8', 'base64']).optional(),
    tag: propertyText('tag')
      .trim()
      .max(255)
      .refine((v) => !v.includes('||'), 'a tag may not contain "||"')
      .optional(),
    keys: z
      .array(propertyText('key').trim().min(1).max(255).regex(/^\S+$/, 'a key may not contain spaces'))
      .max(32)
      .optional(),
    properties: z
      .record(propertyText('property name').min(1).max(255), propertyText('property value'))
      .refine(
        (props) => Object.keys(props).every((name) => !RESERVED_PROPERTY_NAMES.has(name)),
        'a property uses a name RocketMQ reserves',
      )
      .optional(),
    delayLevel: z.number().int().min(1).max(DELAY_LEVEL_MAX).optional(),
    producerGroup: groupName.optional(),
  })
  .refine(
    (v) =>
      (v.bodyEncoding === 'base64'
        ? Buffer.from(v.body, 'base64').length
        : Buffer.byteLength(v.body, 'utf8')) <= MESSAGE_BODY_BYTES_MAX,
    { message: `the body is larger than ${MESSAGE_BODY_BYTES_MAX} bytes`, path: ['body'] },
  )
  .refine((v) => v.bodyEncoding !== 'base64' || /^[A-Za-z0-9+/]*={0,2}$/.test(v.body), {
    message: 'the body is not base64',
    path: ['body'],
  })

export const endTransactionRequestSchema = z.object({
  msgId: messageId,
  action: z.enum(['COMMIT', 'ROLLBACK']),
})

export const topicConsumersOptionsSchema = z.object({
  groupsMax: z.number().int().min(1).max(1000).optional(),
})
