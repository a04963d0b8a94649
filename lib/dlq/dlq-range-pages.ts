// Reads a group's DLQ over a time range (and filter) page by page with browseDlq's cursor, for the operations that
// must see all of it — a resend of "everything in the range", an export — so a page that some broker could not
// serve stops them rather than letting them act on part of the range.
import 'server-only'
import type { ClusterGateway, DlqMessage, MessageFilter } from '@/lib/cluster/gateway'
import { PAGE_SIZE_MAX } from '@/lib/cluster/gateway-schemas'
import { AppError } from '@/lib/errors'

/** An open end reads from the DLQ's first message, or up to its last. */
export interface DlqRange {
  readonly beginMs?: number
  readonly endMs?: number
  readonly filter?: MessageFilter
}

/**
 * Yields each page's messages in store order. Throws SERVICE_UNAVAILABLE naming the brokers that did not answer
 * (with `consequence` appended, e.g. "nothing was resent") instead of yielding a partial page.
 */
export async function* dlqRangePages(
  gateway: ClusterGateway,
  group: string,
  range: DlqRange,
  options: { readonly bodyBytesMax: number; readonly consequence?: string },
): AsyncGenerator<readonly DlqMessage[]> {
  let cursor: string | undefined
  do {
    const page = await gateway.browseDlq({
      group,
      beginMs: range.beginMs,
      endMs: range.endMs,
      filter: range.filter,
      pageSize: PAGE_SIZE_MAX,
      cursor,
      bodyBytesMax: options.bodyBytesMax,
    })
    if (page.partial) {
      const brokers = page.failures.map((f) => `${f.broker}: ${f.reason}`).join('; ')
      const consequence = options.consequence ? `; ${options.consequence}` : ''
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `the DLQ could not be read completely (${brokers})${consequence}`,
      )
    }
    yield page.data.messages
    cursor = page.data.nextCursor
  } while (cursor !== undefined)
}
