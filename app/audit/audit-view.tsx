'use client'
// The Audit page's body: the filter form (user, action, target, status, cluster, time range read in the chosen
// zone) written into the URL, the server-paged table kept fresh by a live query, one row's detail (request and
// result JSON, error, duration, idempotency key) and download links for the filtered rows as JSON or CSV.
import type { ColumnDef } from '@tanstack/react-table'
import { useState, type FormEvent } from 'react'
import { Badge, type BadgeTone } from '@/app/_components/badge'
import { DataTable, pageProps, useReplaceSearchParams } from '@/app/_components/data-table'
import { KeyValues, Section } from '@/app/_components/detail-parts'
import { Time, useTimeZone } from '@/app/_components/time-zone'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useLiveQuery, useSearchString } from '@/app/_lib/use-live-query'
import { msToUrlInstant, msToWallClock, wallClockToMs } from '@/app/c/[cluster]/messages/_lib/zoned-input'
import type { AuditPage, AuditRow, AuditStatus } from '@/lib/audit/query-audit'

const API = '/api/audit'
const STATUSES: readonly AuditStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']
const STATUS_TONE: Readonly<Record<AuditStatus, BadgeTone>> = {
  PENDING: 'info',
  SUCCEEDED: 'success',
  FAILED: 'danger',
  UNKNOWN: 'warning',
}
const FILTER_FIELDS = ['user', 'action', 'target', 'status', 'cluster', 'from', 'to'] as const

function StatusBadge({ row }: { row: AuditRow }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={STATUS_TONE[row.status]}>{row.status}</Badge>
      {row.replayed && (
        <Badge
          tone="neutral"
          title="a repeated idempotency key: the stored outcome was returned, nothing ran"
        >
          replayed
        </Badge>
      )}
    </span>
  )
}

function columns(onShow: (row: AuditRow) => void, shownId: number | undefined): ColumnDef<AuditRow>[] {
  return [
    {
      id: 'at',
      header: 'Time',
      enableSorting: true,
      cell: ({ row }) => <Time ms={row.original.atMs} />,
    },
    { id: 'actor', header: 'User', enableSorting: true, cell: ({ row }) => row.original.actor },
    {
      id: 'action',
      header: 'Action',
      enableSorting: true,
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.action}</span>,
    },
    {
      id: 'target',
      header: 'Target',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="font-mono text-xs">
          <span className="text-slate-500">{row.original.targetType}</span> {row.original.targetId ?? ''}
        </span>
      ),
    },
    {
      id: 'cluster',
      header: 'Cluster',
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.cluster ?? '–'}</span>,
    },
    {
      id: 'status',
      header: 'Result',
      enableSorting: true,
      cell: ({ row }) => <StatusBadge row={row.original} />,
    },
    {
      id: 'duration',
      header: 'Duration',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="tabular-nums">
          {row.original.durationMs === null ? '–' : `${row.original.durationMs} ms`}
        </span>
      ),
    },
    {
      id: 'detail',
      header: '',
      cell: ({ row }) => (
        <button
          type="button"
          className="control-button"
          aria-expanded={shownId === row.original.id}
          onClick={() => onShow(row.original)}
        >
          {shownId === row.original.id ? 'Shown' : 'Details'}
        </button>
      ),
    },
  ]
}

function prettyJson(json: string | null): string {
  if (json === null) return '–'
  try {
    return JSON.stringify(JSON.parse(json), null, 2)
  } catch {
    return json
  }
}

function AuditDetail({ row, onClose }: { row: AuditRow; onClose: () => void }) {
  const pre =
    'max-h-80 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:border-slate-800 dark:bg-slate-950'
  return (
    <Section
      title={`Audit row ${row.id}`}
      hint={
        <button type="button" className="control-button" onClick={onClose}>
          Close
        </button>
      }
      testId="audit-detail"
    >
      <KeyValues
        items={[
          ['Time', <Time key="t" ms={row.atMs} />],
          ['User', row.actor],
          ['Action', row.action],
          ['Target', `${row.targetType} ${row.targetId ?? ''}`],
          ['Cluster', row.cluster ?? '–'],
          ['Result', <StatusBadge key="s" row={row} />],
          ['Duration', row.durationMs === null ? '–' : `${row.durationMs} ms`],
          ['Error', row.errorCode ? `${row.errorCode}: ${row.errorMessage ?? ''}` : '–'],
          ['Idempotency key', row.idempotencyKey ?? '–'],
        ]}
      />
      <div className="grid gap-3 md:grid-cols-2">
        <div>
          <h3 className="mb-1 text-xs font-medium text-slate-500">Request</h3>
          <pre className={pre} data-testid="audit-detail-request">
            {prettyJson(row.requestJson)}
          </pre>
        </div>
        <div>
          <h3 className="mb-1 text-xs font-medium text-slate-500">Result</h3>
          <pre className={pre} data-testid="audit-detail-result">
            {prettyJson(row.resultJson)}
          </pre>
        </div>
      </div>
    </Section>
  )
}

type FilterValues = Record<(typeof FILTER_FIELDS)[number], string>

function FilterForm({ search }: { search: string }) {
  const { zone } = useTimeZone()
  const replaceSearchParams = useReplaceSearchParams()
  const params = new URLSearchParams(search)
  const initial = (): FilterValues => {
    const values = Object.fromEntries(FILTER_FIELDS.map((f) => [f, params.get(f) ?? ''])) as FilterValues
    // The URL holds absolute instants; the inputs show them as wall-clock times in the chosen zone.
    for (const f of ['from', 'to'] as const) {
      const ms =
        values[f] === '' ? Number.NaN : /^\d+$/.test(values[f]) ? Number(values[f]) : Date.parse(values[f])
      values[f] = Number.isFinite(ms) ? msToWallClock(ms, zone) : ''
    }
    return values
  }
  const [values, setValues] = useState<FilterValues>(initial)
  const [error, setError] = useState<string | undefined>(undefined)

  const apply = (event: FormEvent) => {
    event.preventDefault()
    const changes: Record<string, string | undefined> = { page: undefined }
    for (const f of FILTER_FIELDS) changes[f] = values[f].trim() || undefined
    for (const f of ['from', 'to'] as const) {
      if (values[f] === '') continue
      const ms = wallClockToMs(values[f], zone)
      if (ms === undefined) {
        setError(`${f}: not a date and time`)
        return
      }
      changes[f] = msToUrlInstant(ms, zone)
    }
    setError(undefined)
    replaceSearchParams(changes)
  }
  const clear = () => {
    setValues(Object.fromEntries(FILTER_FIELDS.map((f) => [f, ''])) as FilterValues)
    replaceSearchParams(Object.fromEntries([...FILTER_FIELDS, 'page'].map((f) => [f, undefined])))
  }
  const input = (name: (typeof FILTER_FIELDS)[number], label: string, placeholder?: string) => (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
      {label}
      <input
        name={name}
        value={values[name]}
        placeholder={placeholder}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        className="control-input w-40"
        autoComplete="off"
      />
    </label>
  )
  const time = (name: 'from' | 'to', label: string) => (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
      <span>
        {label} <span className="font-normal text-slate-500">({zone})</span>
      </span>
      <input
        type="datetime-local"
        step={1}
        name={name}
        value={values[name]}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        className="control-input"
      />
    </label>
  )

  return (
    <form onSubmit={apply} className="panel flex flex-wrap items-end gap-3" data-testid="audit-filters">
      {input('user', 'User', 'exact username')}
      {input('action', 'Action', 'e.g. dlq or dlq.resend')}
      {input('target', 'Target', 'topic, group, cluster…')}
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        Result
        <select
          name="status"
          value={values.status}
          onChange={(e) => setValues((v) => ({ ...v, status: e.target.value }))}
          className="control-input"
        >
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {input('cluster', 'Cluster', 'cluster id')}
      {time('from', 'From')}
      {time('to', 'To')}
      <div className="flex gap-2">
        <button type="submit" className="control-button-primary">
          Apply
        </button>
        <button type="button" className="control-button" onClick={clear}>
          Clear
        </button>
      </div>
      {error && (
        <p role="alert" className="w-full text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  )
}

/** The export URL: the current filters (not the paging) plus the format. */
function exportHref(search: string, format: 'csv' | 'json'): string {
  const params = new URLSearchParams(search)
  const out = new URLSearchParams()
  for (const f of FILTER_FIELDS) {
    const v = params.get(f)
    if (v) out.set(f, v)
  }
  out.set('format', format)
  return `${API}/export?${out.toString()}`
}

export function AuditView(props: { initial: AuditPage; initialSearch: string }) {
  const search = useSearchString()
  const { zone } = useTimeZone()
  const query = useLiveQuery<AuditPage>({
    url: `${API}${search}`,
    initial: { url: `${API}${props.initialSearch}`, data: props.initial },
  })
  const data = query.data ?? props.initial
  const [shown, setShown] = useState<AuditRow | undefined>(undefined)

  return (
    <div className="space-y-4" data-testid="audit">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Audit log</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Every change the console made or refused: written before it acts, completed after. Rows left
            PENDING by a console that stopped become UNKNOWN at the next start.
          </p>
        </div>
        <UpdatedAgo atMs={data.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
      </div>
      {/* Keyed by the zone: the time inputs show the URL's instants in the zone chosen now. */}
      <FilterForm key={zone} search={search} />
      <DataTable
        testId="audit-table"
        columns={columns((row) => setShown((s) => (s?.id === row.id ? undefined : row)), shown?.id)}
        {...pageProps(data.page)}
        getRowId={(row) => String(row.id)}
        filterPlaceholder={false}
        loading={query.isPlaceholderData}
        empty="No audit row matches."
        toolbar={
          <div className="flex items-center gap-2 text-sm">
            <span className="text-slate-500">
              Export {data.page.total} row{data.page.total === 1 ? '' : 's'}:
            </span>
            <a
              className="control-button"
              href={exportHref(search, 'csv')}
              download
              data-testid="audit-export-csv"
            >
              CSV
            </a>
            <a
              className="control-button"
              href={exportHref(search, 'json')}
              download
              data-testid="audit-export-json"
            >
              JSON
            </a>
          </div>
        }
      />
      {shown && <AuditDetail row={shown} onClose={() => setShown(undefined)} />}
    </div>
  )
}
