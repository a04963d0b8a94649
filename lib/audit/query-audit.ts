// Reads of the audit log for the Audit page, its API and its exports: filters from the URL (user, action, target,
// status, cluster, time range), paged and sorted in the database (the log grows without bound), newest first.
import 'server-only'
import { z } from 'zod'
import { db as defaultDb, OperationResult, type AuditLog, type Db } from '@/lib/db'
import { toAppError } from '@/lib/errors'
import { toCsv } from '@/lib/console/csv'
import {
  firstParams,
  listParamsSchema,
  type ListPage,
  type SearchParamsInput,
} from '@/lib/console/list-query'

export const AUDIT_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'] as const
export type AuditStatus = (typeof AUDIT_STATUSES)[number]
/** An export holds at most this many rows (newest first); narrow the filter for older ones. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000

/** An instant in the URL: epoch ms, or ISO 8601 with an offset (what the page writes, in the chosen zone). */
const instantSchema = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const ms = /^\d{1,16}$/.test(text)
      ? Number(text)
      : /(Z|[+-]\d{2}:?\d{2})$/i.test(text)
        ? Date.parse(text)
        : Number.NaN
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'an epoch ms or an ISO 8601 time with an offset' })
      return z.NEVER
    }
    return ms
  })

const text = z.string().trim().max(200)

export const auditFilterSchema = z.object({
  /** The actor's username, exactly. */
  user: text.optional(),
  /** Action prefix: "dlq" matches dlq.resend and dlq.export. */
  action: text.optional(),
  /** Substring of the target id (topic, group, cluster, ...). */
  target: text.optional(),
  status: z.enum(AUDIT_STATUSES).optional(),
  cluster: text.optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
})

export type AuditFilter = z.infer<typeof auditFilterSchema>

const SORTS = ['at', 'actor', 'action', 'target', 'status', 'duration'] as const
type AuditSort = (typeof SORTS)[number]

/** One audit row as the page and the exports show it (JSON kept as text: it is shown, not interpreted). */
export interface AuditRow {
  readonly id: number
  readonly atMs: number
  readonly actor: string
  readonly action: string
  readonly targetType: string
  readonly targetId: string | null
  readonly cluster: string | null
  readonly status: AuditStatus
  readonly replayed: boolean
  readonly requestJson: string
  readonly resultJson: string | null
  readonly errorCode: string | null
  readonly errorMessage: string | null
  readonly durationMs: number | null
  readonly idempotencyKey: string | null
}

export interface AuditPage {
  readonly page: ListPage<AuditRow>
  readonly filter: AuditFilter
  readonly fetchedAtMs: number
}

/** Empty params are "no filter" (the page's form sends every field). */
function nonEmpty(params: SearchParamsInput): Record<string, string> {
  return Object.fromEntries(Object.entries(firstParams(params)).filter(([, v]) => v.trim() !== ''))
}

export function parseAuditFilter(params: SearchParamsInput): AuditFilter {
  return auditFilterSchema.parse(nonEmpty(params))
}

function whereOf(filter: AuditFilter) {
  return {
    ...(filter.user ? { actor: filter.user } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.target ? { targetId: { contains: filter.target } } : {}),
    ...(filter.status ? { result: OperationResult[filter.status] } : {}),
    ...(filter.cluster ? { cluster: filter.cluster } : {}),
    ...(filter.from !== undefined || filter.to !== undefined
      ? {
          at: {
            ...(filter.from !== undefined ? { gte: new Date(filter.from) } : {}),
            ...(filter.to !== undefined ? { lte: new Date(filter.to) } : {}),
          },
        }
      : {}),
  }
}

function orderOf(sort: AuditSort, dir: 'asc' | 'desc') {
  const column = {
    at: { at: dir },
    actor: { actor: dir },
    action: { action: dir },
    target: { targetId: dir },
    status: { result: dir },
    duration: { durationMs: dir },
  } as const
  // id breaks ties (and orders rows written in the same millisecond) in the same direction.
  return [column[sort], { id: dir }]
}

function rowOf(row: AuditLog): AuditRow {
  return {
    id: row.id,
    atMs: row.at.getTime(),
    actor: row.actor,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    cluster: row.cluster,
    status: row.result,
    replayed: row.replayed,
    requestJson: row.requestJson,
    resultJson: row.resultJson,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    durationMs: row.durationMs,
    idempotencyKey: row.idempotencyKey,
  }
}

/** A page of audit rows matching the filter in `params` (plus q/page/pageSize/sort/dir); newest first by default. */
export async function listAuditPage(params: SearchParamsInput, client: Db = defaultDb()): Promise<AuditPage> {
  const plain = nonEmpty(params)
  const filter = auditFilterSchema.parse(plain)
  const list = listParamsSchema.parse(plain)
  const sort: AuditSort = (SORTS as readonly string[]).includes(list.sort ?? '')
    ? (list.sort as AuditSort)
    : 'at'
  const dir = list.sort === undefined ? 'desc' : list.dir
  const where = whereOf(filter)
  try {
    const [total, rows] = await Promise.all([
      client.auditLog.count({ where }),
      client.auditLog.findMany({
        where,
        orderBy: orderOf(sort, dir),
        skip: (list.page - 1) * list.pageSize,
        take: list.pageSize,
      }),
    ])
    return {
      page: {
        rows: rows.map(rowOf),
        total,
        page: list.page,
        pageSize: list.pageSize,
        pageCount: Math.max(1, Math.ceil(total / list.pageSize)),
        sort: list.sort === undefined ? undefined : sort,
        dir,
      },
      filter,
      fetchedAtMs: Date.now(),
    }
  } catch (err) {
    throw toAppError(err)
  }
}

/** Every row matching the filter, newest first, up to AUDIT_EXPORT_MAX_ROWS. */
export async function exportAuditRows(filter: AuditFilter, client: Db = defaultDb()): Promise<AuditRow[]> {
  try {
    const rows = await client.auditLog.findMany({
      where: whereOf(filter),
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: AUDIT_EXPORT_MAX_ROWS,
    })
    return rows.map(rowOf)
  } catch (err) {
    throw toAppError(err)
  }
}

const CSV_HEADER = [
  'id',
  'at',
  'actor',
  'action',
  'target_type',
  'target_id',
  'cluster',
  'status',
  'replayed',
  'duration_ms',
  'error_code',
  'error_message',
  'idempotency_key',
  'request_json',
  'result_json',
] as const

/** The rows as CSV (times in ISO 8601 UTC: a spreadsheet has no notion of the console's chosen zone). */
export function auditRowsToCsv(rows: readonly AuditRow[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map((r) => [
      r.id,
      new Date(r.atMs).toISOString(),
      r.actor,
      r.action,
      r.targetType,
      r.targetId,
      r.cluster,
      r.status,
      r.replayed,
      r.durationMs,
      r.errorCode,
      r.errorMessage,
      r.idempotencyKey,
      r.requestJson,
      r.resultJson,
    ]),
  )
}

/** The rows as a JSON document (request/result parsed back into objects, so the file is plain JSON). */
export function auditRowsToJson(rows: readonly AuditRow[]): string {
  const parse = (json: string | null): unknown => {
    if (json === null) return null
    try {
      return JSON.parse(json)
    } catch {
      return json
    }
  }
  return JSON.stringify(
    rows.map((r) => ({
      ...r,
      at: new Date(r.atMs).toISOString(),
      request: parse(r.requestJson),
      result: parse(r.resultJson),
      requestJson: undefined,
      resultJson: undefined,
    })),
    null,
    2,
  )
}
