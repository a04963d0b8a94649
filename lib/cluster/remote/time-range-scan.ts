// Messages of a topic stored in [beginMs, endMs], page by page, in store-time order across all its queues.
// The first page finds each queue's offset range (GET_TOPIC_STATS_INFO per broker, SEARCH_OFFSET_BY_TIMESTAMP
// per queue where the stats do not already answer it); every page then merges the queues (a k-way merge on the
// head message of each queue, each queue read 32 messages at a time) until the page is full or the scan budget
// is spent. The cursor holds each unfinished queue's next offset, so the next page continues exactly there.
import 'server-only'
import zlib from 'node:zlib'
import type { BrokerFailure, PartialResult, TimeRangeQuery } from '@/lib/cluster/gateway'
import { getTopicStatsInfo, searchOffsetByTimestamp } from './admin-client'
import { fanOut, orphanFailures, partial, readNodesOfRoute, requireSome, type BrokerTarget } from './fan-out'
import { compareReadByStoreTime, matchesFilter, readMessage, type ReadMessage } from './message-view'
import { QueueReader } from './queue-reader'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError, RemoteClusterError } from './remote-error'

const CURSOR_VERSION = 1

/** A TimeRangeQuery with its scan budget resolved; bodies are trimmed by the caller. */
export type ScanRequest = Omit<TimeRangeQuery, 'scanMax' | 'bodyBytesMax'> & { readonly scanMax: number }

export interface ScanPage {
  readonly messages: readonly ReadMessage[]
  readonly nextCursor: string | undefined
  readonly scanned: number
  readonly scannedTotal: number
  readonly totalInRange: number
}

/** A queue's remaining range: [next, end). */
interface QueueRange {
  readonly brokerName: string
  readonly queueId: number
  readonly next: number
  readonly end: number
}

interface CursorState {
  readonly v: number
  readonly topic: string
  readonly b: number
  readonly e: number
  /** [brokerName, queueId, next, end] of every unfinished queue. */
  readonly q: readonly (readonly [string, number, number, number])[]
  /** Messages scanned by earlier pages. */
  readonly s: number
  /** Messages in the range (fixed on the first page). */
  readonly t: number
}

/** Compact and URL-safe: deflated JSON in base64url. */
export function encodeCursor(state: CursorState): string {
  return zlib.deflateRawSync(Buffer.from(JSON.stringify(state), 'utf8')).toString('base64url')
}

function badCursor(reason: string): RemoteClusterError {
  return new RemoteClusterError('INVALID_REQUEST', `the page cursor is not valid for this query (${reason})`)
}

export function decodeCursor(
  text: string,
  request: Pick<ScanRequest, 'topic' | 'beginMs' | 'endMs'>,
): CursorState {
  let state: unknown
  try {
    state = JSON.parse(
      zlib.inflateRawSync(Buffer.from(text, 'base64url'), { maxOutputLength: 1 << 20 }).toString('utf8'),
    )
  } catch {
    throw badCursor('unreadable')
  }
  const s = state as Partial<CursorState>
  const isInt = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
  if (
    typeof s !== 'object' ||
    s === null ||
    s.v !== CURSOR_VERSION ||
    !Array.isArray(s.q) ||
    !isInt(s.s) ||
    !isInt(s.t) ||
    !s.q.every(
      (e) =>
        Array.isArray(e) &&
        e.length === 4 &&
        typeof e[0] === 'string' &&
        isInt(e[1]) &&
        isInt(e[2]) &&
        isInt(e[3]),
    )
  )
    throw badCursor('malformed')
  if (s.topic !== request.topic || s.b !== request.beginMs || s.e !== request.endMs)
    throw badCursor('it belongs to another topic or time range')
  return s as CursorState
}

/** The first page's per-queue ranges and the message count they hold. */
async function planRanges(
  ctx: RemoteContext,
  request: ScanRequest,
): Promise<{ ranges: QueueRange[]; totalInRange: number; failures: BrokerFailure[] }> {
  const route = await ctx.routes.route(request.topic)
  if (!route) return { ranges: [], totalInRange: 0, failures: [] }
  const nodes = readNodesOfRoute(route)
  const stats = requireSome(
    await fanOut(nodes, (n) => getTopicStatsInfo(ctx.transport, n.addr, request.topic)),
  )
  const failures: BrokerFailure[] = [...stats.failures, ...orphanFailures(route)]
  interface Pending {
    readonly target: BrokerTarget
    readonly queueId: number
    readonly min: number
    readonly max: number
    readonly lastMs: number
  }
  const pending: Pending[] = []
  for (const { target, value } of stats.results) {
    for (const q of value ?? []) {
      if (q.maxOffset <= q.minOffset) continue
      // lastUpdateTimestamp is the newest message's store time: a queue that stopped before the range is skipped.
      if (q.lastUpdateTimestampMs > 0 && q.lastUpdateTimestampMs < request.beginMs) continue
      pending.push({
        target,
        queueId: q.queueId,
        min: q.minOffset,
        max: q.maxOffset,
        lastMs: q.lastUpdateTimestampMs,
      })
    }
  }
  const searched = await fanOut(
    pending.map((p) => ({ ...p.target, pending: p })),
    async ({ pending: p }): Promise<QueueRange> => {
      // The broker answers the offset whose store time is *closest* to the timestamp (4.x), which may lie on
      // either side: searching beginMs − 1 can only land at or before the first message of the range, and the
      // end bound is one past the answer for endMs + 1. Messages outside the range are skipped by store time.
      const from =
        request.beginMs <= 0
          ? p.min
          : await searchOffsetByTimestamp(
              ctx.transport,
              p.target.addr,
              request.topic,
              p.queueId,
              request.beginMs - 1,
            )
      const end =
        p.lastMs > 0 && request.endMs >= p.lastMs
          ? p.max
          : (await searchOffsetByTimestamp(
              ctx.transport,
              p.target.addr,
              request.topic,
              p.queueId,
              request.endMs + 1,
            )) + 1
      const next = Math.min(Math.max(from, p.min), p.max)
      return {
        brokerName: p.target.brokerName,
        queueId: p.queueId,
        next,
        end: Math.min(Math.max(end, next), p.max),
      }
    },
  )
  for (const f of searched.failures) if (!failures.some((g) => g.broker === f.broker)) failures.push(f)
  const ranges = searched.results.map((r) => r.value).filter((r) => r.end > r.next)
  return { ranges, totalInRange: ranges.reduce((sum, r) => sum + (r.end - r.next), 0), failures }
}

interface ScanQueue {
  readonly range: QueueRange
  readonly reader: QueueReader | undefined
  fetch: number
  buffer: ReadMessage[]
  exhausted: boolean
  failed: boolean
}

/** One page of the scan; see the module comment. */
export async function scanTimeRange(
  ctx: RemoteContext,
  request: ScanRequest,
): Promise<PartialResult<ScanPage>> {
  let ranges: QueueRange[]
  let scannedBefore = 0
  let totalInRange: number
  const failures: BrokerFailure[] = []
  if (request.cursor) {
    const state = decodeCursor(request.cursor, request)
    ranges = state.q.map(([brokerName, queueId, next, end]) => ({ brokerName, queueId, next, end }))
    scannedBefore = state.s
    totalInRange = state.t
  } else {
    const plan = await planRanges(ctx, request)
    ranges = plan.ranges
    totalInRange = plan.totalInRange
    failures.push(...plan.failures)
  }

  const route = ranges.length > 0 ? await ctx.routes.route(request.topic) : undefined
  const nodes = route ? readNodesOfRoute(route) : []
  const queues: ScanQueue[] = ranges.map((range) => {
    const target = nodes.find((n) => n.brokerName === range.brokerName)
    if (!target && !failures.some((f) => f.broker === range.brokerName))
      failures.push({ broker: range.brokerName, reason: 'the broker is no longer in the topic route' })
    return {
      range,
      reader: target && new QueueReader(ctx, target, request.topic, range.queueId),
      fetch: range.next,
      buffer: [],
      exhausted: false,
      failed: target === undefined,
    }
  })

  const fill = async (q: ScanQueue): Promise<void> => {
    try {
      const read = await q.reader!.read(q.fetch, q.range.end)
      q.buffer = read.records.map((r) => readMessage(r, q.range.brokerName))
      q.fetch = read.next
      if (q.buffer.length === 0 && read.exhausted) q.exhausted = true
    } catch (err) {
      if (!isRemoteClusterError(err)) throw err
      q.failed = true
      const label = `${q.range.brokerName} (queue ${q.range.queueId})`
      failures.push({ broker: label, reason: err.message })
    }
  }

  const out: ReadMessage[] = []
  let scanned = 0
  while (out.length < request.pageSize && scanned < request.scanMax) {
    const empty = queues.filter((q) => !q.exhausted && !q.failed && q.buffer.length === 0)
    if (empty.length > 0) {
      const before = empty.map((q) => q.fetch)
      await Promise.all(empty.map(fill))
      // A read that neither returned messages nor moved forward ends its queue (no endless loop on a stuck broker).
      empty.forEach((q, i) => {
        if (q.buffer.length === 0 && !q.failed && q.fetch <= before[i]!) q.exhausted = true
      })
      continue
    }
    let best: ScanQueue | undefined
    for (const q of queues) {
      const head = q.buffer[0]
      if (head && (!best || compareReadByStoreTime(head, best.buffer[0]!) < 0)) best = q
    }
    if (!best) break
    const message = best.buffer.shift()!
    scanned++
    const storeMs = message.record.storeTimestampMs
    if (storeMs > request.endMs) {
      // Store times only grow along a queue: the rest of it is past the range.
      best.buffer = []
      best.exhausted = true
      continue
    }
    if (storeMs < request.beginMs) continue
    if (matchesFilter(message, request.filter)) out.push(message)
  }

  const remaining = queues
    .filter((q) => !q.exhausted)
    .map((q) => {
      const next = q.buffer[0]?.record.queueOffset ?? q.fetch
      return [q.range.brokerName, q.range.queueId, next, q.range.end] as const
    })
    .filter(([, , next, end]) => next < end)
  const nextCursor =
    remaining.length > 0
      ? encodeCursor({
          v: CURSOR_VERSION,
          topic: request.topic,
          b: request.beginMs,
          e: request.endMs,
          q: remaining,
          s: scannedBefore + scanned,
          t: totalInRange,
        })
      : undefined
  return partial(
    { messages: out, nextCursor, scanned, scannedTotal: scannedBefore + scanned, totalInRange },
    failures,
  )
}
