'use client'
// The console's table: TanStack Table for columns and cells, while the server does the filtering, sorting and
// paging (manual modes). The filter box, sort headers and pager write `q`, `sort`, `dir`, `page` and `pageSize`
// into the URL with history.replaceState (Next keeps useSearchParams in sync, no server round trip), so the
// owning component's live query (keyed by the URL) fetches the new page and every table state can be shared.
// Keyboard: `/` focuses the filter box, ↑/↓ or j/k move between rows, Enter opens the row.
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { ListPage } from '@/lib/console/list-query'

/** Page sizes offered; the server accepts up to PAGE_SIZE_MAX (lib/console/list-query.ts). */
const PAGE_SIZES = [20, 50, 100, 200] as const
const FILTER_DEBOUNCE_MS = 250

/** The page of rows, as the server cut it (lib/console/list-query.ts pageOf). */
export type DataTablePage<T> = ListPage<T>

export interface DataTableProps<T> extends DataTablePage<T> {
  /**
   * Column ids are the server's sort keys: a column with `enableSorting: true` sorts by `sort=<column id>`.
   * Columns are not sortable unless they say so.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's own ColumnDef<T, any> idiom
  readonly columns: readonly ColumnDef<T, any>[]
  readonly getRowId: (row: T) => string
  /** Where Enter or a click on the row goes (encode path segments with encodeURIComponent). */
  readonly rowHref?: (row: T) => string
  readonly testId: string
  /** Shown as the filter box's placeholder; `false` hides the box. */
  readonly filterPlaceholder?: string | false
  /** Extra controls beside the filter box (type filters, buttons). */
  readonly toolbar?: ReactNode
  /** Shown in place of rows when there are none. */
  readonly empty?: ReactNode
  /** A fetch for new params is in flight (rows shown are the previous page). */
  readonly loading?: boolean
  /**
   * `false` hides the page-size menu and Prev/Next, keeping the row count: for results that come in one piece
   * (a lookup by id or key), where paging would do nothing.
   */
  readonly pager?: boolean
}

/** The paging fields of a server list page, for spreading into DataTable (the page's other fields stay out). */
export function pageProps<T>(page: DataTablePage<T>): DataTablePage<T> {
  const { rows, total, pageSize, pageCount, sort, dir } = page
  return { rows, total, page: page.page, pageSize, pageCount, sort, dir }
}

/** Writes `changes` into the URL's search params (undefined deletes) without a server round trip. */
export function useReplaceSearchParams(): (changes: Readonly<Record<string, string | undefined>>) => void {
  const pathname = usePathname()
  const searchParams = useSearchParams()
  return useCallback(
    (changes) => {
      const next = new URLSearchParams(searchParams.toString())
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === '') next.delete(key)
        else next.set(key, value)
      }
      const text = next.toString()
      window.history.replaceState(null, '', text === '' ? pathname : `${pathname}?${text}`)
    },
    [pathname, searchParams],
  )
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, total, page, pageSize, pageCount, sort, dir, rowHref, testId } = props
  const pager = props.pager ?? true
  const router = useRouter()
  const searchParams = useSearchParams()
  const replaceSearchParams = useReplaceSearchParams()
  const filterRef = useRef<HTMLInputElement>(null)
  const bodyRef = useRef<HTMLTableSectionElement>(null)
  const urlQuery = searchParams.get('q') ?? ''
  const [filter, setFilter] = useState(urlQuery)

  // Debounced: one request per pause in typing, and page 1 of the new result.
  useEffect(() => {
    if (filter === urlQuery) return
    const timer = setTimeout(() => replaceSearchParams({ q: filter, page: undefined }), FILTER_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [filter, urlQuery, replaceSearchParams])

  // `/` focuses the filter box unless the user is typing somewhere.
  useEffect(() => {
    if (props.filterPlaceholder === false) return
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.metaKey || event.ctrlKey || event.altKey) return
      const target = event.target as HTMLElement | null
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)))
        return
      event.preventDefault()
      filterRef.current?.focus()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [props.filterPlaceholder])

  const sorting: SortingState = sort ? [{ id: sort, desc: dir === 'desc' }] : []
  // TanStack Table returns fresh functions each render, so the React Compiler skips this component; that is fine
  // for a table of at most one page of rows.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<T>({
    data: rows as T[],
    columns: props.columns as ColumnDef<T, unknown>[],
    getRowId: (row) => props.getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount,
    defaultColumn: { enableSorting: false },
    state: { sorting, pagination: { pageIndex: page - 1, pageSize } },
  })

  const toggleSort = (columnId: string) => {
    // asc → desc → asc: a sortable column always has an order once chosen.
    const nextDir = sort === columnId && dir === 'asc' ? 'desc' : 'asc'
    replaceSearchParams({ sort: columnId, dir: nextDir, page: undefined })
  }
  const goToPage = (next: number) => replaceSearchParams({ page: next <= 1 ? undefined : String(next) })

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: T) => {
    const current = event.currentTarget
    if (event.key === 'ArrowDown' || event.key === 'j') {
      event.preventDefault()
      ;(current.nextElementSibling as HTMLElement | null)?.focus()
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      event.preventDefault()
      ;(current.previousElementSibling as HTMLElement | null)?.focus()
    } else if (event.key === 'Enter' && rowHref && event.target === current) {
      event.preventDefault()
      router.push(rowHref(row))
    }
  }

  const firstRow = total === 0 ? 0 : (page - 1) * pageSize + 1
  const lastRow = pager ? Math.min(total, page * pageSize) : total

  return (
    <div data-testid={testId} className="space-y-2">
      {(props.filterPlaceholder !== false || props.toolbar) && (
        <div className="flex flex-wrap items-center gap-2">
          {props.filterPlaceholder !== false && (
            <input
              ref={filterRef}
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              placeholder={`${props.filterPlaceholder ?? 'Filter'}  ( / )`}
              aria-label={props.filterPlaceholder || 'Filter'}
              className="control-input w-72"
              data-testid={`${testId}-filter`}
            />
          )}
          {props.toolbar}
          {props.loading && <span className="text-xs text-slate-500 dark:text-slate-400">loading…</span>}
        </div>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full border-collapse text-sm">
          <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-800/60 dark:text-slate-400">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortable = header.column.getCanSort()
                  const active = sort === header.column.id
                  const content = header.isPlaceholder
                    ? null
                    : flexRender(header.column.columnDef.header, header.getContext())
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        active ? (dir === 'asc' ? 'ascending' : 'descending') : sortable ? 'none' : undefined
                      }
                      className="px-3 py-2 font-medium whitespace-nowrap"
                    >
                      {sortable ? (
                        <button
                          type="button"
                          onClick={() => toggleSort(header.column.id)}
                          className="inline-flex items-center gap-1 rounded uppercase hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:hover:text-slate-100"
                        >
                          {content}
                          <span aria-hidden className={active ? '' : 'opacity-30'}>
                            {active && dir === 'desc' ? '▼' : '▲'}
                          </span>
                        </button>
                      ) : (
                        content
                      )}
                    </th>
                  )
                })}
              </tr>
            ))}
          </thead>
          <tbody ref={bodyRef}>
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                tabIndex={0}
                data-row-id={row.id}
                onKeyDown={(event) => onRowKeyDown(event, row.original)}
                onClick={(event) => {
                  // Clicks on links and buttons inside the row keep their own meaning.
                  if (!rowHref || (event.target as HTMLElement).closest('a,button,input,select,label')) return
                  router.push(rowHref(row.original))
                }}
                className={`border-t border-slate-100 focus-visible:bg-sky-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500 dark:border-slate-800 dark:focus-visible:bg-sky-950 ${
                  rowHref ? 'cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/50' : ''
                }`}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-1.5 align-top">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && (
          <div className="px-3 py-8 text-center text-sm text-slate-500 dark:text-slate-400">
            {props.empty ?? (urlQuery ? `Nothing matches “${urlQuery}”.` : 'Nothing to show.')}
          </div>
        )}
      </div>
      <nav
        aria-label="Pages"
        className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400"
      >
        <span data-testid={`${testId}-count`}>
          {firstRow}–{lastRow} of {total.toLocaleString('en-US')}
        </span>
        {pager && (
          <span className="flex items-center gap-2">
            <label className="flex items-center gap-1">
              Rows
              <select
                value={pageSize}
                onChange={(event) => replaceSearchParams({ pageSize: event.target.value, page: undefined })}
                className="control-input py-0.5"
              >
                {[...new Set([...PAGE_SIZES, pageSize])]
                  .sort((a, b) => a - b)
                  .map((size) => (
                    <option key={size} value={size}>
                      {size}
                    </option>
                  ))}
              </select>
            </label>
            <button
              type="button"
              className="control-button"
              disabled={page <= 1}
              onClick={() => goToPage(page - 1)}
            >
              ← Prev
            </button>
            <span>
              Page {page} of {pageCount}
            </span>
            <button
              type="button"
              className="control-button"
              disabled={page >= pageCount}
              onClick={() => goToPage(page + 1)}
            >
              Next →
            </button>
          </span>
        )}
      </nav>
    </div>
  )
}
