// The Messages pages' services: URL search params → a validated message query (zod, with field errors named
// after the URL params so the form shows them next to its fields), run through a ClusterGateway, and a message's
// detail and full body. Every query state lives in the URL; these functions are what the page and its API share.
import 'server-only'
import { z } from 'zod'
import type {
  BrokerFailure,
  ClusterGateway,
  GroupDelivery,
  MessageFilter,
  MessageView,
  PartialResult,
} from '@/lib/cluster/gateway'
import { MESSAGE_BODY_BYTES_MAX, SCAN_MAX_DEFAULT, messageId, topicName } from '@/lib/cluster/gateway-schemas'
import { AppError, toAppError } from '@/lib/errors'
import { firstParams, type SearchParamsInput } from './list-query'
import {
  boundedInt,
  cursorParam,
  filterParamsShape,
  filterText,
  instant,
  optionalText,
  setFilterParams,
} from './url-param-schemas'

export const MESSAGE_QUERY_MODES = ['id', 'key', 'time'] as const
export type MessageQueryMode = (typeof MESSAGE_QUERY_MODES)[number]

/** Rows of a time-range page: enough to find a message, not so many that the page drags. */
export const TIME_PAGE_SIZE_DEFAULT = 20
export const TIME_PAGE_SIZE_MAX = 100
/** The scan budget one request may spend; larger asks are capped, so one click cannot read a whole topic. */
export const TIME_SCAN_MAX_DEFAULT = SCAN_MAX_DEFAULT
export const TIME_SCAN_MAX_CAP = 20_000
/** A time-range query without `begin` looks back this far from `end`. */
export const TIME_RANGE_DEFAULT_MS = 60 * 60 * 1000
/** Result lists carry a short body prefix (a preview column); the detail view reads more. */
export const LIST_BODY_BYTES = 96
/** What the detail view reads of a body unless the URL asks for more (up to MESSAGE_BODY_BYTES_MAX). */
export const DETAIL_BODY_BYTES_DEFAULT = 64 * 1024
/** Per broker, what a key query returns at most (RocketMQ's own cap is 64; we ask for more). */
export const KEY_QUERY_MAX_NUM = 256

export type { SearchParamsInput }

export type MessageQuery =
  | { readonly mode: 'id'; readonly msgId: string; readonly topic: string | undefined }
  | {
      readonly mode: 'key'
      readonly topic: string
      readonly key: string
      readonly beginMs: number | undefined
      readonly endMs: number | undefined
      readonly tag: string | undefined
    }
  | {
      readonly mode: 'time'
      readonly topic: string
      readonly beginMs: number
      readonly endMs: number
      readonly filter: MessageFilter
      readonly cursor: string | undefined
      readonly pageSize: number
      readonly scanMax: number
    }

/** A parsed query, or nothing asked yet (an empty form is not an error), or field errors keyed by URL param. */
export type ParsedMessageQuery =
  | { readonly status: 'ready'; readonly query: MessageQuery }
  | { readonly status: 'idle'; readonly mode: MessageQueryMode }
  | {
      readonly status: 'invalid'
      readonly mode: MessageQueryMode
      readonly message: string
      readonly fieldErrors: Readonly<Record<string, readonly string[]>>
    }

export interface MessageSearchResult {
  readonly query: MessageQuery
  readonly messages: readonly MessageView[]
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
  /** Time-range mode only: the page's continuation and scan progress. */
  readonly page:
    | {
        readonly nextCursor: string | undefined
        readonly scanned: number
        readonly scannedTotal: number
        readonly totalInRange: number
      }
    | undefined
  /** When the gateway answered (epoch ms). */
  readonly fetchedAtMs: number
}

export interface MessageDetailResult {
  readonly message: MessageView
  readonly deliveries: readonly GroupDelivery[]
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
  /** The body limit this view was read with. */
  readonly bodyBytesMax: number
  readonly fetchedAtMs: number
}

const baseSchema = z.object({
  topic: optionalText(topicName),
  msgId: optionalText(messageId),
  key: filterText('key'),
  tag: filterText('tag'),
  begin: instant,
  end: instant,
  ...filterParamsShape,
  cursor: cursorParam,
  pageSize: boundedInt(TIME_PAGE_SIZE_DEFAULT, TIME_PAGE_SIZE_MAX),
  scanMax: boundedInt(TIME_SCAN_MAX_DEFAULT, TIME_SCAN_MAX_CAP),
})

type BaseParams = z.infer<typeof baseSchema>

function modeOf(raw: Record<string, string>): MessageQueryMode {
  const mode = raw.mode
  return mode === 'key' || mode === 'time' ? mode : 'id'
}

/** "name" or "name=value" (the first "=" splits; a value may contain more). */
export function parsePropertyFilter(text: string): { name: string; value?: string } {
  const at = text.indexOf('=')
  return at < 0 ? { name: text.trim() } : { name: text.slice(0, at).trim(), value: text.slice(at + 1) }
}

function filterOf(p: BaseParams): MessageFilter {
  return {
    ...(p.fTag !== undefined ? { tag: p.fTag } : {}),
    ...(p.fKey !== undefined ? { key: p.fKey } : {}),
    ...(p.fProp !== undefined ? { property: parsePropertyFilter(p.fProp) } : {}),
    ...(p.fBody !== undefined ? { bodyContains: p.fBody } : {}),
  }
}

function invalid(mode: MessageQueryMode, fieldErrors: Record<string, string[]>): ParsedMessageQuery {
  const [field, messages] = Object.entries(fieldErrors)[0] ?? ['_form', ['invalid query']]
  return { status: 'invalid', mode, message: `${field}: ${messages[0] ?? 'invalid'}`, fieldErrors }
}

/**
 * Reads the Messages page's URL: `mode=id|key|time`, `topic`, `msgId`, `key`, `begin`, `end`, `tag`, filters
 * `fKey`, `fTag`, `fProp`, `fBody`, `cursor`, `pageSize`, `scanMax`. Params another mode uses are ignored, so
 * switching tabs keeps what was typed. `nowMs` fills a time range's missing end.
 */
export function parseMessageQuery(params: SearchParamsInput, nowMs: number = Date.now()): ParsedMessageQuery {
  const raw = firstParams(params)
  const mode = modeOf(raw)
  // Each field on its own: a bad param another mode uses (a half-typed id on the key tab) must not block this one.
  const fieldErrors: Record<string, string[]> = {}
  const values: Record<string, unknown> = {}
  for (const [field, schema] of Object.entries(baseSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(raw[field])
    if (parsed.success) values[field] = parsed.data
    else fieldErrors[field] = parsed.error.issues.map((issue) => issue.message)
  }
  // Only the fields this mode reads decide whether the query is valid.
  const used: Record<MessageQueryMode, readonly string[]> = {
    id: ['msgId', 'topic'],
    key: ['topic', 'key', 'begin', 'end', 'tag'],
    time: ['topic', 'begin', 'end', 'fKey', 'fTag', 'fProp', 'fBody', 'cursor', 'pageSize', 'scanMax'],
  }
  const relevant: Record<string, string[]> = {}
  for (const field of used[mode]) if (fieldErrors[field]) relevant[field] = fieldErrors[field]
  const has = (field: string) => (raw[field] ?? '').trim() !== ''
  const required: Record<MessageQueryMode, readonly string[]> = {
    id: ['msgId'],
    key: ['topic', 'key'],
    time: ['topic'],
  }
  if (required[mode].every((field) => !has(field)) && Object.keys(relevant).length === 0)
    return { status: 'idle', mode }
  for (const field of required[mode])
    if (!has(field))
      (relevant[field] ??= []).push(`${field === 'msgId' ? 'a message id' : `a ${field}`} is required`)
  if (Object.keys(relevant).length > 0) return invalid(mode, relevant)
  const p = values as BaseParams
  switch (mode) {
    case 'id':
      return { status: 'ready', query: { mode, msgId: p.msgId!.toUpperCase(), topic: p.topic } }
    case 'key': {
      if (p.begin !== undefined && p.end !== undefined && p.begin > p.end)
        return invalid(mode, { end: ['the range ends before it begins'] })
      return {
        status: 'ready',
        query: { mode, topic: p.topic!, key: p.key!, beginMs: p.begin, endMs: p.end, tag: p.tag },
      }
    }
    case 'time': {
      const endMs = p.end ?? nowMs
      const beginMs = p.begin ?? Math.max(0, endMs - TIME_RANGE_DEFAULT_MS)
      if (beginMs > endMs) return invalid(mode, { end: ['the range ends before it begins'] })
      return {
        status: 'ready',
        query: {
          mode,
          topic: p.topic!,
          beginMs,
          endMs,
          filter: filterOf(p),
          cursor: p.cursor,
          pageSize: p.pageSize,
          scanMax: p.scanMax,
        },
      }
    }
  }
}

/** parseMessageQuery for callers that want a query or an AppError (route handlers). */
export function requireMessageQuery(params: SearchParamsInput, nowMs?: number): MessageQuery | undefined {
  const parsed = parseMessageQuery(params, nowMs)
  if (parsed.status === 'invalid')
    throw new AppError('VALIDATION_FAILED', parsed.message, { fieldErrors: parsed.fieldErrors })
  return parsed.status === 'ready' ? parsed.query : undefined
}

/** The URL search params that reproduce `query` (absolute instants, as epoch ms), e.g. for "next page" links. */
export function messageQueryParams(query: MessageQuery): URLSearchParams {
  const out = new URLSearchParams({ mode: query.mode })
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') out.set(name, String(value))
  }
  set('topic', query.topic)
  switch (query.mode) {
    case 'id':
      set('msgId', query.msgId)
      break
    case 'key':
      set('key', query.key)
      set('begin', query.beginMs)
      set('end', query.endMs)
      set('tag', query.tag)
      break
    case 'time':
      set('begin', query.beginMs)
      set('end', query.endMs)
      setFilterParams(set, query.filter)
      if (query.pageSize !== TIME_PAGE_SIZE_DEFAULT) set('pageSize', query.pageSize)
      if (query.scanMax !== TIME_SCAN_MAX_DEFAULT) set('scanMax', query.scanMax)
      set('cursor', query.cursor)
      break
  }
  return out
}

/** An id or key query's answer: a plain list of messages, no cursor page. */
function listResult(
  query: MessageQuery,
  found: PartialResult<readonly MessageView[]>,
  fetchedAtMs: number,
): MessageSearchResult {
  return {
    query,
    messages: found.data,
    partial: found.partial,
    failures: found.failures,
    page: undefined,
    fetchedAtMs,
  }
}

/** Runs a parsed query. A message that is not there is an empty result, never an error. */
export async function searchMessages(
  gateway: ClusterGateway,
  query: MessageQuery,
  nowMs: () => number = Date.now,
): Promise<MessageSearchResult> {
  try {
    switch (query.mode) {
      case 'id': {
        const found = await gateway.viewMessage({
          msgId: query.msgId,
          ...(query.topic !== undefined ? { topic: query.topic } : {}),
          bodyBytesMax: LIST_BODY_BYTES,
        })
        return listResult(query, found, nowMs())
      }
      case 'key': {
        const found = await gateway.queryMessagesByKey({
          topic: query.topic,
          key: query.key,
          ...(query.beginMs !== undefined ? { beginMs: query.beginMs } : {}),
          ...(query.endMs !== undefined ? { endMs: query.endMs } : {}),
          ...(query.tag !== undefined ? { tag: query.tag } : {}),
          maxNum: KEY_QUERY_MAX_NUM,
          bodyBytesMax: LIST_BODY_BYTES,
        })
        return listResult(query, found, nowMs())
      }
      case 'time': {
        const found = await gateway.queryMessagesByTime({
          topic: query.topic,
          beginMs: query.beginMs,
          endMs: query.endMs,
          pageSize: query.pageSize,
          scanMax: query.scanMax,
          ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
          ...(Object.keys(query.filter).length > 0 ? { filter: query.filter } : {}),
          bodyBytesMax: LIST_BODY_BYTES,
        })
        const { messages, nextCursor, scanned, scannedTotal, totalInRange } = found.data
        return {
          query,
          messages,
          partial: found.partial,
          failures: found.failures,
          page: { nextCursor, scanned, scannedTotal, totalInRange },
          fetchedAtMs: nowMs(),
        }
      }
    }
  } catch (err) {
    throw withCursorField(toAppError(err), query)
  }
}

/** A cursor the gateway refuses (another topic or range, tampered) is shown next to the cursor, not as a crash. */
function withCursorField(err: AppError, query: MessageQuery): AppError {
  if (
    err.code !== 'VALIDATION_FAILED' ||
    query.mode !== 'time' ||
    query.cursor === undefined ||
    err.fieldErrors
  )
    return err
  if (!/cursor/i.test(err.message)) return err
  return new AppError('VALIDATION_FAILED', err.message, {
    fieldErrors: { cursor: [err.message] },
    cause: err,
  })
}

const detailParamsSchema = z.object({
  msgId: messageId,
  topic: optionalText(topicName),
  bodyBytesMax: optionalText(z.string().regex(/^\d{1,9}$/, 'a whole number of bytes')).transform((v) =>
    v === undefined ? DETAIL_BODY_BYTES_DEFAULT : Math.min(MESSAGE_BODY_BYTES_MAX, Number(v)),
  ),
})

export interface MessageDetailQuery {
  readonly msgId: string
  readonly topic: string | undefined
  readonly bodyBytesMax: number
}

/** The detail route's params: the id from the path, `topic` and `bodyBytesMax` from the search params. */
export function parseMessageDetailQuery(msgId: string, params: SearchParamsInput): MessageDetailQuery {
  const raw = firstParams(params)
  const parsed = detailParamsSchema.safeParse({ ...raw, msgId })
  if (!parsed.success) throw toAppError(parsed.error)
  return {
    msgId: parsed.data.msgId.toUpperCase(),
    topic: parsed.data.topic,
    bodyBytesMax: parsed.data.bodyBytesMax,
  }
}

/** A message with its delivery state per consumer group; undefined when no broker holds it. */
export async function getMessageDetailView(
  gateway: ClusterGateway,
  query: MessageDetailQuery,
  nowMs: () => number = Date.now,
): Promise<MessageDetailResult | undefined> {
  const found = await gateway.getMessageDetail({
    msgId: query.msgId,
    ...(query.topic !== undefined ? { topic: query.topic } : {}),
    bodyBytesMax: query.bodyBytesMax,
  })
  if (!found.data) {
    if (found.partial)
      // Not found while brokers were silent is not "not found": say who did not answer.
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The message was not found, but ${found.failures.map((f) => f.broker).join(', ')} did not answer.`,
      )
    return undefined
  }
  return {
    message: found.data.message,
    deliveries: found.data.deliveries,
    partial: found.partial,
    failures: found.failures,
    bodyBytesMax: query.bodyBytesMax,
    fetchedAtMs: nowMs(),
  }
}

export interface MessageBody {
  readonly body: Buffer
  readonly msgId: string
  readonly topic: string
  /** False when the body is compressed with a codec the server cannot decode: `body` is the stored bytes. */
  readonly decoded: boolean
}

/** The whole body of a message (for the download link); undefined when the message is not there. */
export async function getMessageBody(
  gateway: ClusterGateway,
  msgId: string,
  topic: string | undefined,
): Promise<MessageBody | undefined> {
  const { msgId: id, topic: t } = parseMessageDetailQuery(msgId, topic === undefined ? {} : { topic })
  const found = await gateway.viewMessage({
    msgId: id,
    ...(t !== undefined ? { topic: t } : {}),
    bodyBytesMax: MESSAGE_BODY_BYTES_MAX,
  })
  const message = found.data.find((m) => !m.topic.startsWith('%')) ?? found.data[0]
  if (!message) return undefined
  return {
    body: Buffer.from(message.bodyBase64, 'base64'),
    msgId: message.msgId,
    topic: message.topic,
    decoded: message.bodyDecoded,
  }
}

/** What the Messages page and its API answer for a URL: nothing asked yet, field errors, or a result. */
export type MessageSearchResponse =
  | { readonly status: 'idle'; readonly mode: MessageQueryMode }
  | {
      readonly status: 'invalid'
      readonly mode: MessageQueryMode
      readonly message: string
      readonly fieldErrors: Readonly<Record<string, readonly string[]>>
    }
  | { readonly status: 'ok'; readonly result: MessageSearchResult }

/**
 * Parses the URL and runs the query. Validation problems (the URL's, or a cursor the gateway refuses) come back
 * as `invalid` with field errors for the form; other failures throw. `gateway` is only opened for a real query.
 */
export async function runMessageSearch(
  params: SearchParamsInput,
  gateway: () => Promise<ClusterGateway>,
  nowMs: () => number = Date.now,
): Promise<MessageSearchResponse> {
  const parsed = parseMessageQuery(params, nowMs())
  if (parsed.status !== 'ready') return parsed
  try {
    return { status: 'ok', result: await searchMessages(await gateway(), parsed.query, nowMs) }
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code !== 'VALIDATION_FAILED') throw appError
    return {
      status: 'invalid',
      mode: parsed.query.mode,
      message: appError.message,
      fieldErrors: appError.fieldErrors ?? { _form: [appError.message] },
    }
  }
}
