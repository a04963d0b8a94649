// Reads of a DLQ resend job for the progress panel: its counts and status, a page of its per-message results, and
// (for tests, the bench and callers that want the end) a wait for it to finish.
import 'server-only'
import { z } from 'zod'
import { toAppError } from '@/lib/errors'
import { requireJob } from './resend-job'
import type { DlqResendItem, DlqResendJobView, DlqResendResultsPage } from './resend-types'

const RESULTS_PAGE_SIZE_MAX = 500

export function getDlqResendJob(cluster: string, jobId: string): DlqResendJobView {
  return requireJob(cluster, jobId).view()
}

const resultsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(RESULTS_PAGE_SIZE_MAX).default(50),
  status: z.enum(['SENT', 'FAILED', 'SKIPPED']).optional(),
})

/** Newest results first; `status` narrows to one outcome. Query values may be strings (URL search params). */
export function getDlqResendResults(
  cluster: string,
  jobId: string,
  query: { page?: unknown; pageSize?: unknown; status?: unknown } = {},
): DlqResendResultsPage {
  let parsed: { page: number; pageSize: number; status?: DlqResendItem['status'] }
  try {
    parsed = resultsQuerySchema.parse(query)
  } catch (err) {
    throw toAppError(err)
  }
  return requireJob(cluster, jobId).results(parsed.page, parsed.pageSize, parsed.status)
}

/** Resolves with the job's final view once it is no longer RUNNING. */
export async function waitForDlqResendJob(cluster: string, jobId: string): Promise<DlqResendJobView> {
  const job = requireJob(cluster, jobId)
  await job.settled()
  return job.view()
}
