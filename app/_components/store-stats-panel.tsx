'use client'
// The store's live figures, refreshed every 2 s from GET /api/store/stats.
import { useQuery } from '@tanstack/react-query'
import type { StoreRuntimeStats } from '@/lib/store/get-store-stats'
import { formatBytes, formatDuration, formatInteger, formatRate, formatTimestamp } from './format'

export const STORE_STATS_QUERY_KEY = ['store', 'stats'] as const
const REFRESH_INTERVAL_MS = 2000

type FieldKind = 'bytes' | 'offset' | 'count' | 'rate' | 'text' | 'flag' | 'time'

interface FieldSpec {
  readonly label: string
  readonly kind: FieldKind
  readonly hint?: string
}

/** One entry per StoreRuntimeStats field: a new field fails the typecheck until it is shown here. */
const FIELDS: Readonly<Record<keyof StoreRuntimeStats, FieldSpec>> = {
  commitLogMaxOffset: { label: 'CommitLog max offset', kind: 'offset', hint: 'bytes written' },
  commitLogFlushedOffset: { label: 'Flushed offset', kind: 'offset', hint: 'bytes durable' },
  dispatchedOffset: { label: 'Dispatched offset', kind: 'offset', hint: 'queues and index built up to' },
  commitLogMinOffset: { label: 'CommitLog min offset', kind: 'offset', hint: 'oldest byte kept' },
  putMessageCount: { label: 'Messages put', kind: 'count', hint: 'since start' },
  putMessageBytes: { label: 'Bytes put', kind: 'bytes', hint: 'since start' },
  putTps: { label: 'Put rate', kind: 'rate', hint: 'messages/s' },
  diskUsedBytes: { label: 'Disk used', kind: 'bytes' },
  commitLogSegmentCount: { label: 'CommitLog segments', kind: 'count' },
  consumeQueueCount: { label: 'ConsumeQueues', kind: 'count' },
  indexFileCount: { label: 'Index files', kind: 'count' },
  flushDiskType: { label: 'Flush mode', kind: 'text' },
  writable: { label: 'Writable', kind: 'flag' },
  recoveredAbnormally: { label: 'Crash recovery at start', kind: 'flag' },
  startedAtMs: { label: 'Started', kind: 'time' },
  storePathRootDir: { label: 'Store directory', kind: 'text' },
}

const VALUE_CLASS_OF: Readonly<Record<FieldKind, string>> = {
  bytes: 'text-xl',
  offset: 'text-xl',
  count: 'text-xl',
  rate: 'text-xl',
  flag: 'text-xl',
  time: 'text-sm',
  text: 'text-sm font-mono [overflow-wrap:anywhere]',
}

const FIELD_KEYS = Object.keys(FIELDS) as (keyof StoreRuntimeStats)[]

async function fetchStoreStats(): Promise<StoreRuntimeStats> {
  const response = await fetch('/api/store/stats', { cache: 'no-store' })
  const payload: unknown = await response.json()
  if (!response.ok) {
    const message = (payload as { error?: { message?: string } }).error?.message
    throw new Error(message ?? `HTTP ${response.status}`)
  }
  return payload as StoreRuntimeStats
}

function formatValue(kind: FieldKind, value: string | number | boolean, nowMs: number): string {
  switch (kind) {
    case 'bytes':
      return formatBytes(Number(value))
    case 'offset':
    case 'count':
      return formatInteger(Number(value))
    case 'rate':
      return formatRate(Number(value))
    case 'flag':
      return value ? 'yes' : 'no'
    case 'time':
      return `${formatTimestamp(Number(value))} (up ${formatDuration(nowMs - Number(value))})`
    case 'text':
      return String(value)
  }
}

function secondaryOf(kind: FieldKind, value: string | number | boolean): string | undefined {
  return kind === 'offset' ? formatBytes(Number(value)) : undefined
}

export function StoreStatsPanel() {
  const query = useQuery({
    queryKey: STORE_STATS_QUERY_KEY,
    queryFn: fetchStoreStats,
    refetchInterval: REFRESH_INTERVAL_MS,
  })
  const stats = query.data
  // Uptime is measured against when the figures were fetched, which keeps rendering pure.
  const nowMs = query.dataUpdatedAt

  return (
    <section
      aria-labelledby="store-stats-title"
      className="rounded-lg border border-slate-200 bg-white shadow-sm"
    >
      <header className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
        <h2 id="store-stats-title" className="text-base font-semibold">
          Message store
        </h2>
        <span className="text-xs text-slate-500" aria-live="polite">
          {query.isError
            ? 'refresh failed'
            : query.isFetching
              ? 'refreshing…'
              : stats
                ? `updated ${formatTimestamp(nowMs).slice(11)}`
                : 'loading…'}
        </span>
      </header>
      {query.isError && (
        <p
          role="alert"
          className="mx-5 mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          Could not read the store: {query.error.message}
        </p>
      )}
      {stats ? (
        <dl className="grid grid-cols-1 gap-px bg-slate-200 sm:grid-cols-2 lg:grid-cols-4">
          {FIELD_KEYS.map((key) => {
            const spec = FIELDS[key]
            const value = stats[key]
            const secondary = secondaryOf(spec.kind, value)
            return (
              <div key={key} className="bg-white px-5 py-4" data-stat={key} data-value={String(value)}>
                <dt className="text-xs font-medium text-slate-500">{spec.label}</dt>
                <dd
                  className={`mt-1 font-semibold tabular-nums ${VALUE_CLASS_OF[spec.kind]} ${
                    key === 'writable' && !value ? 'text-red-700' : 'text-slate-900'
                  }`}
                >
                  {formatValue(spec.kind, value, nowMs)}
                </dd>
                {(secondary ?? spec.hint) && (
                  <dd className="mt-0.5 text-xs tabular-nums text-slate-500">
                    {[secondary, spec.hint].filter(Boolean).join(' · ')}
                  </dd>
                )}
              </div>
            )
          })}
        </dl>
      ) : (
        !query.isError && <p className="px-5 py-6 text-sm text-slate-500">Loading the store’s figures…</p>
      )}
    </section>
  )
}
