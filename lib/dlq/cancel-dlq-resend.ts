// Cancels a running DLQ resend job as its own small audited mutation ('dlq.resend.cancel', operator role): no new
// message is started after it; sends already in flight finish and are counted, so the counts stay consistent.
import 'server-only'
import type { Actor } from '@/lib/auth/session'
import { toAppError } from '@/lib/errors'
import { runMutation } from '@/lib/mutations/run-mutation'
import { cancelDlqResendSchema, type CancelDlqResendInput } from './dlq-schemas'
import { requireJob } from './resend-job'
import type { DlqResendJobView } from './resend-types'

export const DLQ_RESEND_CANCEL_ACTION = 'dlq.resend.cancel'

/** Resolves once the job has stopped, with its final view; cancelling a finished job changes nothing. */
export async function cancelDlqResend(actor: Actor, input: CancelDlqResendInput): Promise<DlqResendJobView> {
  let parsed
  try {
    parsed = cancelDlqResendSchema.parse(input)
  } catch (err) {
    throw toAppError(err)
  }
  const { cluster, jobId, idempotencyKey } = parsed
  const job = requireJob(cluster, jobId)
  const result = await runMutation<DlqResendJobView>(actor, {
    action: DLQ_RESEND_CANCEL_ACTION,
    minRole: 'operator',
    cluster,
    targetType: 'dlq',
    targetId: job.init.group,
    idempotencyKey,
    request: { jobId },
    run: async () => {
      job.cancel()
      await job.settled()
      return job.view()
    },
    summarize: (view) => ({
      jobId: view.jobId,
      status: view.status,
      total: view.total,
      done: view.done,
      sent: view.sent,
      failed: view.failed,
      skipped: view.skipped,
    }),
  })
  return result.replayed ? job.view() : result.outcome
}
