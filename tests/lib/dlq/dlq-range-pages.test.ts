// lib/dlq/dlq-range-pages.ts: the DLQ range walk shared by "resend everything in the range" and the range export —
// every page in cursor order, and a partial page (a broker did not answer) stops the walk with a clear error
// instead of letting the caller act on part of the range.
import { describe, expect, it } from 'vitest'
import type {
  ClusterGateway,
  DlqBrowseQuery,
  DlqMessage,
  DlqPage,
  PartialResult,
} from '@/lib/cluster/gateway'
import { dlqRangePages } from '@/lib/dlq/dlq-range-pages'
import { resolveSelection } from '@/lib/dlq/resolve-selection'

const message = (msgId: string) => ({ msgId }) as DlqMessage

/** A gateway whose browseDlq serves `pages` in order (cursor = page index), recording each query. */
function pagedGateway(pages: PartialResult<readonly DlqMessage[]>[]) {
  const queries: DlqBrowseQuery[] = []
  const gateway = {
    browseDlq(query: DlqBrowseQuery): Promise<PartialResult<DlqPage>> {
      queries.push(query)
      const i = query.cursor === undefined ? 0 : Number(query.cursor)
      const page = pages[i]!
      return Promise.resolve({
        ...page,
        data: {
          messages: page.data,
          nextCursor: i + 1 < pages.length ? String(i + 1) : undefined,
          scanned: page.data.length,
          scannedTotal: 0,
          totalInRange: 0,
        },
      })
    },
  } as unknown as ClusterGateway
  return { gateway, queries }
}

const whole = (ids: string[]) => ({ data: ids.map(message), partial: false, failures: [] })

describe('dlqRangePages', () => {
  it('yields every page of the range in cursor order, with the range, filter and body limit on each query', async () => {
    const { gateway, queries } = pagedGateway([whole(['A', 'B']), whole(['C'])])
    const range = { beginMs: 10, endMs: 20, filter: { tag: 'Bill' } }
    const seen: string[][] = []
    for await (const messages of dlqRangePages(gateway, 'g', range, { bodyBytesMax: 0 }))
      seen.push(messages.map((m) => m.msgId))
    expect(seen).toEqual([['A', 'B'], ['C']])
    expect(queries.map((q) => q.cursor)).toEqual([undefined, '1'])
    expect(queries[1]).toMatchObject({
      group: 'g',
      beginMs: 10,
      endMs: 20,
      filter: { tag: 'Bill' },
      bodyBytesMax: 0,
    })
  })

  it('stops at a partial page with SERVICE_UNAVAILABLE naming the broker and what it means', async () => {
    const { gateway } = pagedGateway([
      whole(['A']),
      { data: [message('B')], partial: true, failures: [{ broker: 'broker-b', reason: 'timed out' }] },
    ])
    const seen: string[] = []
    const walk = async () => {
      for await (const messages of dlqRangePages(
        gateway,
        'g',
        {},
        { bodyBytesMax: 0, consequence: 'nothing was resent' },
      ))
        seen.push(...messages.map((m) => m.msgId))
    }
    await expect(walk()).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the DLQ could not be read completely (broker-b: timed out); nothing was resent',
    })
    expect(seen).toEqual(['A'])
  })

  it('fails a range resend before it reports any id from a partial page', async () => {
    const { gateway } = pagedGateway([
      { data: [message('a')], partial: true, failures: [{ broker: 'broker-a', reason: 'down' }] },
    ])
    const reported: string[] = []
    await expect(
      resolveSelection(
        gateway,
        'g',
        { beginMs: 0, endMs: 1 },
        (ids) => reported.push(...ids),
        () => false,
      ),
    ).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
    expect(reported).toEqual([])
  })
})
