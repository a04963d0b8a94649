// Sending a test message from the console (tag, keys, user properties, delay level, a UTF-8 or base64 body)
// through runMutation: operators and admins only, recorded with the body's size and SHA-256, never the body.
import 'server-only'
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { SendMessageInput, SendOutcome } from '@/lib/cluster/gateway'
import { RESERVED_PROPERTY_NAMES, sendMessageInputSchema, topicName } from '@/lib/cluster/gateway-schemas'
import type { Actor } from '@/lib/auth/session'
import { runMutation, type MutationResult } from '@/lib/mutations/run-mutation'
import type { ConsoleContext } from './console-context'
import { idempotencyKeySchema, parseInput } from './admin-input'
import { invalidateSnapshots } from './snapshot-cache'

/** Rows of the properties editor. */
export const PROPERTY_ROWS_MAX = 64

const propertyRow = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'a property needs a name')
    .max(255, 'at most 255 characters')
    .refine((name) => !RESERVED_PROPERTY_NAMES.has(name), 'RocketMQ reserves this name'),
  value: z.string().max(16_000, 'the value is too long'),
})

/**
 * The dialog's input: properties as rows (so a field error can point at row 2's name), keys as a list. The rest
 * is checked again by the gateway's sendMessageInputSchema, whose paths match these field names.
 */
export const sendTestMessageInputSchema = z
  .object({
    idempotencyKey: idempotencyKeySchema,
    topic: topicName,
    body: z.string(),
    bodyEncoding: z.enum(['utf8', 'base64']).default('utf8'),
    tag: z
      .string()
      .trim()
      .optional()
      .transform((t) => (t ? t : undefined)),
    keys: z
      .array(z.string())
      .max(32, 'at most 32 keys')
      .default([])
      .transform((keys) => keys.map((k) => k.trim()).filter((k) => k !== '')),
    properties: z
      .array(propertyRow)
      .max(PROPERTY_ROWS_MAX, `at most ${PROPERTY_ROWS_MAX} properties`)
      .default([]),
    delayLevel: z.number().int().min(1).max(18).optional(),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>()
    v.properties.forEach((row, index) => {
      if (seen.has(row.name))
        ctx.addIssue({
          code: 'custom',
          path: ['properties', index, 'name'],
          message: 'a property is named twice',
        })
      seen.add(row.name)
    })
  })

export type SendTestMessageInput = z.input<typeof sendTestMessageInputSchema>
export type SendTestMessageResult = MutationResult<SendOutcome>

/** The message the gateway sends, validated by its own schema (body size, base64, tag, key charset). */
function messageOf(v: z.output<typeof sendTestMessageInputSchema>): SendMessageInput {
  return parseInput(sendMessageInputSchema, {
    topic: v.topic,
    body: v.body,
    bodyEncoding: v.bodyEncoding,
    ...(v.tag ? { tag: v.tag } : {}),
    ...(v.keys.length > 0 ? { keys: v.keys } : {}),
    ...(v.properties.length > 0
      ? { properties: Object.fromEntries(v.properties.map((p) => [p.name, p.value])) }
      : {}),
    ...(v.delayLevel !== undefined ? { delayLevel: v.delayLevel } : {}),
  })
}

function bodyBytesOf(message: SendMessageInput): Buffer {
  return Buffer.from(message.body, message.bodyEncoding === 'base64' ? 'base64' : 'utf8')
}

/** Sends one message to `topic` (AppError NOT_FOUND when the topic does not exist). Operator or admin. */
export async function sendTestMessage(
  actor: Actor,
  ctx: ConsoleContext,
  input: unknown,
): Promise<SendTestMessageResult> {
  const v = parseInput(sendTestMessageInputSchema, input)
  const message = messageOf(v)
  const body = bodyBytesOf(message)
  const result = await runMutation(actor, {
    action: 'message.send',
    minRole: 'operator',
    cluster: ctx.cluster,
    targetType: 'topic',
    targetId: message.topic,
    idempotencyKey: v.idempotencyKey,
    // The body's size and digest identify it (and make a changed body under the same key a different request)
    // without copying message contents into the audit log. Property values stay out too: names only.
    request: {
      topic: message.topic,
      tag: message.tag ?? null,
      keys: message.keys ?? [],
      propertyNames: Object.keys(message.properties ?? {}),
      propertiesSha256: createHash('sha256')
        .update(JSON.stringify(message.properties ?? {}))
        .digest('hex'),
      delayLevel: message.delayLevel ?? null,
      bodyEncoding: message.bodyEncoding ?? 'utf8',
      bodyBytes: body.length,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    },
    run: () => ctx.gateway.sendMessage(message),
    summarize: (outcome) => ({
      status: outcome.status,
      msgId: outcome.msgId,
      uniqKey: outcome.uniqKey,
      brokerName: outcome.brokerName,
      queueId: outcome.queueId,
      queueOffset: outcome.queueOffset,
    }),
  })
  invalidateSnapshots(ctx.cluster)
  return result
}
