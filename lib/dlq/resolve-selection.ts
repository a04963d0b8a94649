// Turns a resend selection into the DLQ message ids to resend: named ids as given (deduplicated), or a time range
// paged through browseDlq with its cursor, bounded so one job never holds more than DLQ_RESEND_JOB_MAX messages.
import 'server-only'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { AppError } from '@/lib/errors'
import { dlqRangePages } from './dlq-range-pages'
import type { DlqResendSelection } from './resend-types'

/** Messages one job resends at most; a bigger range must be narrowed (or split) first. */
export const DLQ_RESEND_JOB_MAX = 100_000

/** Offset message ids are hex; the gateway and the idempotency records use upper case. */
export function normalizeMsgIds(msgIds: readonly string[]): string[] {
  return [...new Set(msgIds.map((id) => id.trim().toUpperCase()))]
}

/**
 * Pages through the range, reporting each page's ids as it goes (so progress shows them) and stopping early when
 * `cancelled()` turns true. A range the brokers could not read completely, or one holding more than the bound,
 * fails the job before anything is sent: resending "everything in the range" must mean everything.
 */
export async function resolveSelection(
  gateway: ClusterGateway,
  group: string,
  selection: DlqResendSelection,
  onPage: (ids: readonly string[]) => void,
  cancelled: () => boolean,
): Promise<string[]> {
  if ('msgIds' in selection) {
    const ids = normalizeMsgIds(selection.msgIds)
    onPage(ids)
    return ids
  }
  const seen = new Set<string>()
  for await (const messages of dlqRangePages(gateway, group, selection, {
    bodyBytesMax: 0,
    consequence: 'nothing was resent',
  })) {
    if (cancelled()) break
    const fresh = messages.map((m) => m.msgId.toUpperCase()).filter((id) => !seen.has(id))
    for (const id of fresh) seen.add(id)
    if (seen.size > DLQ_RESEND_JOB_MAX)
      throw new AppError(
        'VALIDATION_FAILED',
        `the range holds more than ${DLQ_RESEND_JOB_MAX.toLocaleString('en-US')} dead messages; narrow it and resend in parts`,
      )
    onPage(fresh)
  }
  return [...seen]
}
