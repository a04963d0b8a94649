'use server'
// Server actions of the group page's "Reset offsets" panel: preview (any logged-in user) and apply (operator,
// through runMutation: audited, idempotent, refused on read-only clusters). Each returns an ActionResult.
import { actionFailure, type ActionResult } from '@/app/action-result'
import { requireActor } from '@/lib/auth/session'
import type { OffsetResetOutcome, OffsetResetPreview, PartialResult } from '@/lib/cluster/gateway'
import { consoleContext } from '@/lib/console/console-context'
import { applyOffsetReset, previewOffsetReset } from '@/lib/console/offset-reset'
import type { MutationResult } from '@/lib/mutations/run-mutation'

export async function previewOffsetResetAction(
  cluster: string,
  input: unknown,
): Promise<ActionResult<PartialResult<OffsetResetPreview>>> {
  try {
    await requireActor('viewer')
    return { ok: true, data: await previewOffsetReset(await consoleContext(String(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'previewOffsetResetAction')
  }
}

export async function applyOffsetResetAction(
  cluster: string,
  input: unknown,
): Promise<ActionResult<MutationResult<PartialResult<OffsetResetOutcome>>>> {
  try {
    // Any logged-in user gets this far; runMutation refuses (and audits) a role below operator.
    const actor = await requireActor('viewer')
    return { ok: true, data: await applyOffsetReset(actor, await consoleContext(String(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'applyOffsetResetAction')
  }
}
