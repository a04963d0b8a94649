// zod schemas of the DLQ page's mutations (start a resend, cancel one) and of the export query, shared by the
// server actions, the route handlers and the services that parse them again at their edge.
import 'server-only'
import { z } from 'zod'
import {
  DLQ_RESEND_BATCH_MAX,
  groupName,
  messageFilterSchema,
  messageId,
} from '@/lib/cluster/gateway-schemas'
import { IDEMPOTENCY_KEY_PATTERN } from '@/lib/mutations/run-mutation'
import { clusterIdSchema } from '@/lib/cluster/registry'
import { DLQ_RESEND_JOB_MAX } from './resolve-selection'

/** Resends per second when the request names no rate. */
export const DLQ_RATE_PER_SEC_DEFAULT = 500
/** The most a request may ask for: the broker also serves live traffic. */
export const DLQ_RATE_PER_SEC_MAX = 5_000

const epochMs = z.number().int().min(0).max(8_640_000_000_000_000)

/** One per user intent (the page makes one when the dialog opens), so a double submit repeats it. */
export const idempotencyKeySchema = z
  .string()
  .regex(IDEMPOTENCY_KEY_PATTERN, 'an idempotency key is 8 to 128 letters, digits, - or _')

export const dlqSelectionSchema = z.union([
  z.object({ msgIds: z.array(messageId).min(1, 'select at least one message').max(DLQ_RESEND_JOB_MAX) }),
  z
    .object({ beginMs: epochMs, endMs: epochMs, filter: messageFilterSchema.optional() })
    .refine((v) => v.beginMs <= v.endMs, { message: 'the range ends before it begins', path: ['endMs'] }),
])

export const startDlqResendSchema = z.object({
  cluster: clusterIdSchema,
  group: groupName,
  selection: dlqSelectionSchema,
  target: z.enum(['ORIGIN_TOPIC', 'RETRY_TOPIC']),
  idempotencyKey: idempotencyKeySchema,
  ratePerSec: z.number().int().min(1).max(DLQ_RATE_PER_SEC_MAX).optional(),
})

export type StartDlqResendInput = z.input<typeof startDlqResendSchema>

export const cancelDlqResendSchema = z.object({
  cluster: clusterIdSchema,
  jobId: z.string().regex(/^dlq-[a-z0-9]+-[a-z0-9]+$/, 'not a resend job id'),
  idempotencyKey: idempotencyKeySchema,
})

export type CancelDlqResendInput = z.input<typeof cancelDlqResendSchema>

/** Named messages an export reads at most (one VIEW_MESSAGE_BY_ID each). */
export const DLQ_EXPORT_IDS_MAX = DLQ_RESEND_BATCH_MAX
