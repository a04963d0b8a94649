// The DLQ pages' reads: the groups that have a %DLQ% topic with their dead-message counts (filtered, sorted and
// paged over one cached listDlqs), and one page of a group's DLQ from the browse page's URL (time range, filters,
// cursor, page size; zod-validated, field errors named after the URL params), each message with whether a resend
// job already resent it. Resending lives in lib/dlq/.
import 'server-only'
import { z } from 'zod'
import type { BrokerFailure, DlqMessage, DlqSummary, MessageFilter } from '@/lib/cluster/gateway'
import { groupName } from '@/lib/cluster/gateway-schemas'
import { readDlqResentStates, type DlqResentState } from '@/lib/dlq/resent-state'
import { toAppError } from '@/lib/errors'
import type { ConsoleContext } from './console-context'
import {
  firstParams,
  pageOf,
  type ListPage,
  type ListParams,
  type SearchParamsInput,
  type SortKey,
} from './list-query'
import { LIST_BODY_BYTES, parsePropertyFilter } from './messages'
import { cachedSnapshot } from './snapshot-cache'
import { boundedInt, cursorParam, filterParamsShape, instant, setFilterParams } from './url-param-schemas'

/** listDlqs costs one topic list plus one stats call per DLQ topic: shared by every viewer for a few seconds. */
export const DLQ_GROUPS_TTL_MS = 5_000
export const DLQ_PAGE_SIZE_DEFAULT = 50
/** The page is also what "select all on this page" selects; a resend of more goes by time range. */
export const DLQ_PAGE_SIZE_MAX = 200

export type DlqGroupRow = DlqSummary

export interface DlqGroupListPage {
  readonly page: ListPage<DlqGroupRow>
  /** Groups with a DLQ topic, and the dead messages they hold, over the whole cluster (not only this page). */
  readonly groupCount: number
  readonly messageCount: number
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
  readonly fetchedAtMs: number
}

const GROUP_SORTERS: Readonly<Record<string, SortKey<DlqGroupRow>>> = {
  group: (row) => row.group,
  messages: (row) => row.messageCount,
  lastUpdate: (row) => row.lastUpdateTimestampMs,
}

async function dlqSnapshot(ctx: ConsoleContext) {
  return cachedSnapshot(ctx.cluster, 'dlqs', DLQ_GROUPS_TTL_MS, () => ctx.gateway.listDlqs())
}

/** A page of the groups with a DLQ; fullest first unless the URL sorts otherwise. */
export async function listDlqGroups(ctx: ConsoleContext, params: ListParams): Promise<DlqGroupListPage> {
  const snapshot = await dlqSnapshot(ctx)
  const rows = snapshot.value.data
  const sorted = params.sort ? params : { ...params, sort: 'messages', dir: 'desc' as const }
  return {
    page: pageOf(rows, sorted, (row) => `${row.group}\n${row.topic}`, GROUP_SORTERS),
    groupCount: rows.length,
    messageCount: rows.reduce((sum, row) => sum + row.messageCount, 0),
    partial: snapshot.value.partial,
    failures: snapshot.value.failures,
    fetchedAtMs: snapshot.fetchedAtMs,
  }
}

/** What the browse page asked for, with absolute instants (undefined: that end of the range is open). */
export interface DlqBrowseParams {
  readonly group: string
  readonly beginMs: number | undefined
  readonly endMs: number | undefined
  readonly filter: MessageFilter
  readonly cursor: string | undefined
  readonly pageSize: number
}

/** A dead message with what resend jobs recorded of it (undefined: never resent from this console). */
export interface DlqBrowseMessage extends DlqMessage {
  readonly resent: DlqResentState | undefined
}

export interface DlqBrowseResult {
  readonly query: DlqBrowseParams
  readonly messages: readonly DlqBrowseMessage[]
  /** undefined when the range is exhausted. */
  readonly nextCursor: string | undefined
  readonly scanned: number
  readonly scannedTotal: number
  readonly totalInRange: number
  /** The group's DLQ as the cached listing counts it; undefined when the group has no DLQ topic (yet). */
  readonly summary: DlqSummary | undefined
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
  readonly fetchedAtMs: number
}

/** The browse page's answer for a URL: field errors for the form, or a page of dead messages. */
export type DlqBrowseResponse =
  | {
      readonly status: 'invalid'
      readonly message: string
      readonly fieldErrors: Readonly<Record<string, readonly string[]>>
    }
  | { readonly status: 'ok'; readonly result: DlqBrowseResult }

/** The browse URL's params: `group`, `begin`, `end`, `fTag`, `fKey`, `fProp` (name or name=value), `fBody`, `cursor`, `pageSize`. */
const browseParamsSchema = z.object({
  group: groupName,
  begin: instant,
  end: instant,
  ...filterParamsShape,
  cursor: cursorParam,
  pageSize: boundedInt(DLQ_PAGE_SIZE_DEFAULT, DLQ_PAGE_SIZE_MAX),
})

/** Field errors per URL param, or the parsed params. */
export function parseDlqBrowseParams(
  params: SearchParamsInput,
):
  | { readonly ok: true; readonly query: DlqBrowseParams }
  | { readonly ok: false; readonly message: string; readonly fieldErrors: Record<string, string[]> } {
  const raw = firstParams(params)
  const fieldErrors: Record<string, string[]> = {}
  const values: Record<string, unknown> = {}
  // Field by field, so every bad param is named at once.
  for (const [field, schema] of Object.entries(browseParamsSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(raw[field])
    if (parsed.success) values[field] = parsed.data
    else fieldErrors[field] = parsed.error.issues.map((issue) => issue.message)
  }
  const p = values as z.output<typeof browseParamsSchema>
  if (
    !fieldErrors.begin &&
    !fieldErrors.end &&
    p.begin !== undefined &&
    p.end !== undefined &&
    p.begin > p.end
  )
    fieldErrors.end = ['the range ends before it begins']
  const [first] = Object.entries(fieldErrors)
  if (first) return { ok: false, message: `${first[0]}: ${first[1][0] ?? 'invalid'}`, fieldErrors }
  return {
    ok: true,
    query: {
      group: p.group,
      beginMs: p.begin,
      endMs: p.end,
      filter: {
        ...(p.fTag !== undefined ? { tag: p.fTag } : {}),
        ...(p.fKey !== undefined ? { key: p.fKey } : {}),
        ...(p.fProp !== undefined ? { property: parsePropertyFilter(p.fProp) } : {}),
        ...(p.fBody !== undefined ? { bodyContains: p.fBody } : {}),
      },
      cursor: p.cursor,
      pageSize: p.pageSize,
    },
  }
}

/** The URL search params that reproduce `query` (instants as epoch ms), e.g. for "next page" links. */
export function dlqBrowseSearchParams(query: DlqBrowseParams): URLSearchParams {
  const out = new URLSearchParams()
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') out.set(name, String(value))
  }
  set('begin', query.beginMs)
  set('end', query.endMs)
  setFilterParams(set, query.filter)
  if (query.pageSize !== DLQ_PAGE_SIZE_DEFAULT) set('pageSize', query.pageSize)
  set('cursor', query.cursor)
  return out
}

/**
 * One page of a group's DLQ for the browse page's URL (`group` among the params). Bad params, and a cursor the
 * gateway refuses (another range, tampered), come back as `invalid` with field errors; other failures throw.
 * A group without a DLQ topic is an empty page, not an error.
 */
export async function browseDlqMessages(
  ctx: ConsoleContext,
  params: SearchParamsInput,
  nowMs: () => number = Date.now,
): Promise<DlqBrowseResponse> {
  const parsed = parseDlqBrowseParams(params)
  if (!parsed.ok) return { status: 'invalid', message: parsed.message, fieldErrors: parsed.fieldErrors }
  const { query } = parsed
  const [snapshot, read] = await Promise.all([
    // The count beside the page; a listing that fails must not hide the messages themselves.
    dlqSnapshot(ctx).catch(() => undefined),
    ctx.gateway
      .browseDlq({
        group: query.group,
        ...(query.beginMs !== undefined ? { beginMs: query.beginMs } : {}),
        ...(query.endMs !== undefined ? { endMs: query.endMs } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(Object.keys(query.filter).length > 0 ? { filter: query.filter } : {}),
        pageSize: query.pageSize,
        bodyBytesMax: LIST_BODY_BYTES,
      })
      .then(
        (page) => ({ ok: true as const, page }),
        (err: unknown) => {
          const error = toAppError(err)
          if (error.code !== 'VALIDATION_FAILED') throw error
          return { ok: false as const, error }
        },
      ),
  ])
  if (!read.ok) {
    const { error } = read
    const onCursor = query.cursor !== undefined && /cursor/i.test(error.message)
    return {
      status: 'invalid',
      message: error.message,
      fieldErrors: error.fieldErrors ?? (onCursor ? { cursor: [error.message] } : { _form: [error.message] }),
    }
  }
  const { page } = read
  const { messages, nextCursor, scanned, scannedTotal, totalInRange } = page.data
  const resent = await readDlqResentStates(
    ctx.cluster,
    query.group,
    messages.map((m) => m.msgId),
  )
  return {
    status: 'ok',
    result: {
      query,
      messages: messages.map((m) => ({ ...m, resent: resent.get(m.msgId) })),
      nextCursor,
      scanned,
      scannedTotal,
      totalInRange,
      summary: snapshot?.value.data.find((s) => s.group === query.group),
      partial: page.partial,
      failures: page.failures,
      fetchedAtMs: nowMs(),
    },
  }
}
