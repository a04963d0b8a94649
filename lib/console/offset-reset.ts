// Resetting a consumer group's offsets on one topic from the console: the form's input schemas, the preview (per
// queue current → new offset, skipped / replayed) and the apply, which runs as an audited, idempotent mutation.
import 'server-only'
import { z } from 'zod'
import type { Actor } from '@/lib/auth/session'
import type {
  OffsetResetOutcome,
  OffsetResetPreview,
  OffsetResetRequest,
  PartialResult,
} from '@/lib/cluster/gateway'
import { groupName, offsetResetRequestSchema, topicName } from '@/lib/cluster/gateway-schemas'
import { IDEMPOTENCY_KEY_PATTERN, runMutation, type MutationResult } from '@/lib/mutations/run-mutation'
import type { ConsoleContext } from './console-context'
import { invalidateSnapshots } from './snapshot-cache'

/** What the preview form sends: the gateway's request (group, topic, target). */
export const offsetResetPreviewInputSchema = offsetResetRequestSchema

/** What "Apply" sends: the previewed request plus the key generated when the dialog opened. */
export const offsetResetApplyInputSchema = z.object({
  group: groupName,
  topic: topicName,
  target: offsetResetRequestSchema.shape.target,
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_PATTERN, '8–128 letters, digits, - or _'),
})

export type OffsetResetApplyInput = z.input<typeof offsetResetApplyInputSchema>

/** Old and new offset per queue and what a reset would skip or replay; changes nothing. */
export async function previewOffsetReset(
  ctx: ConsoleContext,
  input: unknown,
): Promise<PartialResult<OffsetResetPreview>> {
  const request: OffsetResetRequest = offsetResetPreviewInputSchema.parse(input)
  return ctx.gateway.previewOffsetReset(request)
}

/**
 * Applies a reset through runMutation ('offset.reset', operator): refused for viewers and read-only clusters,
 * audited, and applied at most once per idempotency key. A REFUSED outcome (explicit offsets on an online group)
 * is a value, recorded as such.
 */
export async function applyOffsetReset(
  actor: Actor,
  ctx: ConsoleContext,
  input: unknown,
): Promise<MutationResult<PartialResult<OffsetResetOutcome>>> {
  const { idempotencyKey, ...request } = offsetResetApplyInputSchema.parse(input)
  const result = await runMutation(actor, {
    action: 'offset.reset',
    minRole: 'operator',
    cluster: ctx.cluster,
    targetType: 'consumerGroup',
    targetId: request.group,
    idempotencyKey,
    // The group is in targetId too; it is here so a reused key for another group is a CONFLICT, not a replay.
    request: { group: request.group, topic: request.topic, target: request.target },
    run: () => ctx.gateway.resetOffset(request),
    summarize: (outcome) =>
      outcome.data.status === 'APPLIED'
        ? {
            status: 'APPLIED',
            method: outcome.data.method,
            queues: outcome.data.queues.length,
            skipped: outcome.data.queues.reduce((sum, q) => sum + q.skipped, 0),
            replayed: outcome.data.queues.reduce((sum, q) => sum + q.replayed, 0),
            failures: outcome.failures.length,
          }
        : { status: 'REFUSED', reason: outcome.data.reason },
  })
  // The group's pages read cached snapshots: show the new offsets on the next poll.
  if (!result.replayed) invalidateSnapshots(ctx.cluster)
  return result
}
