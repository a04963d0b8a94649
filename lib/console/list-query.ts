// Server-side paging, sorting and text filtering of a list page's rows: the one place list pages turn URL
// search params into a page of rows, so thousands of topics or groups never travel to the browser at once.
import 'server-only'
import { z } from 'zod'

export const PAGE_SIZE_DEFAULT = 50
export const PAGE_SIZE_MAX = 500

/** The list params every list page and list API accepts (from URL search params, so everything is a string). */
export const listParamsSchema = z.object({
  /** Case-insensitive substring of the row's search text. */
  q: z.string().trim().max(200).default(''),
  /** 1-based. */
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  sort: z.string().trim().max(64).optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
})

export type ListParams = z.infer<typeof listParamsSchema>

export interface ListPage<T> {
  readonly rows: readonly T[]
  /** Rows matching the filter, over all pages. */
  readonly total: number
  readonly page: number
  readonly pageSize: number
  readonly pageCount: number
  readonly sort: string | undefined
  readonly dir: 'asc' | 'desc'
}

/** A sort key: the value rows are ordered by (numbers numerically, strings by locale-independent compare). */
export type SortKey<T> = (row: T) => number | string

/** Search params as Next hands them to pages, or a URLSearchParams in route handlers. */
export type SearchParamsInput = URLSearchParams | Readonly<Record<string, string | string[] | undefined>>

/**
 * Each param's first value as a plain record for a zod schema: a repeated param (`?page=2&page=3`) means its
 * first value, whether it came as a URLSearchParams or as Next's searchParams object.
 */
export function firstParams(params: SearchParamsInput): Record<string, string> {
  const plain: Record<string, string> = {}
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) plain[key] ??= value
  } else {
    for (const [key, value] of Object.entries(params)) {
      const first = Array.isArray(value) ? value[0] : value
      if (first !== undefined) plain[key] = first
    }
  }
  return plain
}

/** Parses URL search params (a URLSearchParams or Next's searchParams object) into ListParams. */
export function parseListParams(params: SearchParamsInput): ListParams {
  return listParamsSchema.parse(firstParams(params))
}

/**
 * Filters `rows` by `params.q` against `searchText(row)`, sorts by `sorters[params.sort]` (unknown sort names
 * keep the given order; ties keep it too) and cuts the requested page (a page past the end yields the last).
 */
export function pageOf<T>(
  rows: readonly T[],
  params: ListParams,
  searchText: (row: T) => string,
  sorters: Readonly<Record<string, SortKey<T>>>,
): ListPage<T> {
  const needle = params.q.toLowerCase()
  let matching =
    needle === '' ? rows.slice() : rows.filter((row) => searchText(row).toLowerCase().includes(needle))
  const sortKey = params.sort !== undefined ? sorters[params.sort] : undefined
  if (sortKey) {
    const sign = params.dir === 'desc' ? -1 : 1
    // Decorate once: sort keys may be computed (lag sums) and 5,000 rows × log n calls add up.
    const decorated = matching.map((row, index) => ({ row, index, key: sortKey(row) }))
    decorated.sort((a, b) => {
      const order =
        typeof a.key === 'number' && typeof b.key === 'number'
          ? a.key - b.key
          : String(a.key) < String(b.key)
            ? -1
            : String(a.key) > String(b.key)
              ? 1
              : 0
      return order !== 0 ? order * sign : a.index - b.index
    })
    matching = decorated.map((d) => d.row)
  }
  const total = matching.length
  const pageCount = Math.max(1, Math.ceil(total / params.pageSize))
  const page = Math.min(params.page, pageCount)
  const start = (page - 1) * params.pageSize
  return {
    rows: matching.slice(start, start + params.pageSize),
    total,
    page,
    pageSize: params.pageSize,
    pageCount,
    sort: sortKey ? params.sort : undefined,
    dir: params.dir,
  }
}
