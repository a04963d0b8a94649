'use server'
// Server actions of the DLQ browse page: start a resend job (one audited, idempotent 'dlq.resend' mutation) and
// cancel one ('dlq.resend.cancel'). The lib services parse the input with zod and check the role and the
// read-only flag (runMutation); these only add the cluster from the page and turn errors into ActionResults.
import { actionFailure, type ActionResult } from '@/app/action-result'
import { requireActor } from '@/lib/auth/session'
import { cancelDlqResend } from '@/lib/dlq/cancel-dlq-resend'
import type { CancelDlqResendInput, StartDlqResendInput } from '@/lib/dlq/dlq-schemas'
import type { DlqResendJobView, DlqResendStarted } from '@/lib/dlq/resend-types'
import { startDlqResend } from '@/lib/dlq/start-dlq-resend'

/** Plain objects only: anything else is left for the service's zod schema to refuse, field by field. */
function fieldsOf(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input } : {}
}

/** Starts resending `input.selection` of `input.group`'s DLQ; a repeated idempotency key answers with the same job. */
export async function startDlqResendAction(
  cluster: string,
  input: unknown,
): Promise<ActionResult<DlqResendStarted>> {
  try {
    // Any logged-in user gets this far; startDlqResend refuses a role below operator, runMutation a read-only cluster.
    const actor = await requireActor('viewer')
    const request = { ...fieldsOf(input), cluster: String(cluster) } as StartDlqResendInput
    return { ok: true, data: await startDlqResend(actor, request) }
  } catch (err) {
    return actionFailure(err, 'startDlqResendAction')
  }
}

/** Cancels a running resend job and answers with its final view once it has stopped. */
export async function cancelDlqResendAction(
  cluster: string,
  input: unknown,
): Promise<ActionResult<DlqResendJobView>> {
  try {
    const actor = await requireActor('viewer')
    const request = { ...fieldsOf(input), cluster: String(cluster) } as CancelDlqResendInput
    return { ok: true, data: await cancelDlqResend(actor, request) }
  } catch (err) {
    return actionFailure(err, 'cancelDlqResendAction')
  }
}
