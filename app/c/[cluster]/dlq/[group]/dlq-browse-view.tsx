'use client'
// One group's DLQ: the time range and filters (in the URL), a cursor page of dead messages with checkboxes
// (select all on the page), "Resend selected" / "Resend everything in this range" through the confirm dialog,
// exports, and the progress panel of the resend job named by `?job=`. The page is read from the JSON route keyed
// by the URL (the server's first paint seeds it); the first page refreshes itself, later pages on demand.
import { BodyCell } from '@/app/c/[cluster]/messages/_lib/body-cell'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ColumnDef } from '@tanstack/react-table'
import Link from 'next/link'
import { usePathname, useSearchParams } from 'next/navigation'
import { CursorPageLinks, pushSearch } from '@/app/_components/cursor-page-links'
import { useMemo, useState } from 'react'
import { Badge } from '@/app/_components/badge'
import { groupPath, topicPath } from '@/app/_components/console-path'
import { DataTable } from '@/app/_components/data-table'
import { DetailHeader } from '@/app/_components/detail-header'
import { formatInteger } from '@/app/_components/format'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Time, useTimeZone } from '@/app/_components/time-zone'
import { fetchJson } from '@/app/_lib/fetch-json'
import { useHydrated } from '@/app/_lib/use-hydrated'
import { useAdminForm } from '@/app/c/[cluster]/_admin/admin-form'
import type { DlqBrowseMessage } from '@/lib/console/dlq'
import type { DlqBrowseResponse, DlqBrowseResult } from '@/lib/console/dlq'
import type { DlqResendStarted } from '@/lib/dlq/resend-types'
import { dlqListPath, dlqMessagesApiUrl, dlqTopicName, messageDetailPath } from '../_lib/dlq-urls'
import { DlqFilterForm } from './dlq-filter-form'
import { ExportButtons } from './export-buttons'
import { JobProgress, StoredOutcome } from './job-progress'
import { ResendDialog, type ResendScope } from './resend-dialog'

const FIRST_PAGE_REFRESH_MS = 10_000
const PAGE_SIZES = [20, 50, 100, 200] as const
const JOB_ID = /^dlq-[a-z0-9]+-[a-z0-9]+$/

export interface DlqBrowseViewProps {
  readonly cluster: string
  readonly group: string
  /** The server render's answer for `url` (the JSON route URL of the page's search params). */
  readonly initial: { readonly url: string; readonly data: DlqBrowseResponse | undefined }
  readonly initialError: string | undefined
  readonly rights: { readonly canResend: boolean; readonly reason: string | undefined }
}

export function DlqBrowseView({ cluster, group, initial, initialError, rights }: DlqBrowseViewProps) {
  const pathname = usePathname()
  const searchParams = useSearchParams()
  const search = searchParams.toString()
  const { zone } = useTimeZone()
  const hydrated = useHydrated()
  const apiUrl = dlqMessagesApiUrl(cluster, group, search)
  const seeded = initial.url === apiUrl && initial.data !== undefined
  const hasCursor = searchParams.get('cursor') !== null
  const query = useQuery<DlqBrowseResponse>({
    queryKey: ['dlq-messages', apiUrl],
    queryFn: ({ signal }) => fetchJson<DlqBrowseResponse>(apiUrl, { signal }),
    initialData: seeded ? initial.data : undefined,
    initialDataUpdatedAt:
      seeded && initial.data?.status === 'ok' ? initial.data.result.fetchedAtMs : undefined,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    retry: false,
    // New dead letters show up on the first page; a later page is a scan position, refreshed on demand.
    refetchInterval: hasCursor ? false : FIRST_PAGE_REFRESH_MS,
  })
  const data = query.data
  const current = query.isPlaceholderData ? undefined : data
  const fieldErrors = current?.status === 'invalid' ? current.fieldErrors : {}
  const result = data?.status === 'ok' ? data.result : undefined
  const error = query.error?.message ?? (seeded || query.isFetched ? undefined : initialError)

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const form = useAdminForm()
  const [scope, setScope] = useState<ResendScope>()
  const [lastStart, setLastStart] = useState<DlqResendStarted>()
  const jobParam = searchParams.get('job')
  const jobId = jobParam !== null && JOB_ID.test(jobParam) ? jobParam : undefined

  const rows = useMemo(() => result?.messages ?? [], [result])
  const allOnPage = rows.length > 0 && rows.every((m) => selected.has(m.msgId))

  const toggle = (msgId: string) =>
    setSelected((prev) => {
      const next = new Set(prev)
      if (next.has(msgId)) next.delete(msgId)
      else next.add(msgId)
      return next
    })
  const toggleAll = () =>
    setSelected((prev) => {
      const next = new Set(prev)
      for (const m of rows) {
        if (allOnPage) next.delete(m.msgId)
        else next.add(m.msgId)
      }
      return next
    })

  const openResend = (next: ResendScope) => form.open(() => setScope(next))
  const onStarted = (started: DlqResendStarted) => {
    form.dialog.close()
    if (scope?.kind === 'selected') setSelected(new Set())
    setLastStart(started)
    const params = new URLSearchParams(searchParams.toString())
    params.set('job', started.jobId)
    pushSearch(pathname, params)
  }
  const closeJob = () => {
    const params = new URLSearchParams(searchParams.toString())
    params.delete('job')
    pushSearch(pathname, params)
  }

  const columns = columnsFor(cluster, group, {
    selected,
    toggle,
    allOnPage,
    toggleAll,
  })

  const summary = result?.summary
  return (
    <div className="space-y-4" data-hydrated={hydrated}>
      <DetailHeader
        crumb={{ href: dlqListPath(cluster), label: 'Dead-letter queues' }}
        title={group}
        live={{
          atMs: query.dataUpdatedAt || result?.fetchedAtMs || 0,
          fetching: query.isFetching,
          error: query.error?.message,
        }}
      >
        {summary ? (
          <span data-testid="dlq-group-total" data-count={summary.messageCount}>
            <Badge tone={summary.messageCount > 0 ? 'danger' : 'neutral'}>
              {formatInteger(summary.messageCount)} dead message{summary.messageCount === 1 ? '' : 's'}
            </Badge>
          </span>
        ) : (
          result && <Badge>no %DLQ% topic</Badge>
        )}
      </DetailHeader>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
        <span>
          Topic{' '}
          <Link href={topicPath(cluster, dlqTopicName(group))} className="text-link font-mono text-xs">
            {dlqTopicName(group)}
          </Link>
        </span>
        <Link href={groupPath(cluster, group)} className="text-link">
          Consumer group details
        </Link>
        {summary && summary.lastUpdateTimestampMs > 0 && (
          <span>
            newest dead letter <Time ms={summary.lastUpdateTimestampMs} />
          </span>
        )}
      </p>

      {jobId &&
        (lastStart?.jobId === jobId && lastStart.job === undefined && lastStart.outcome ? (
          <StoredOutcome outcome={lastStart.outcome} onClose={closeJob} />
        ) : (
          <JobProgress
            key={jobId}
            cluster={cluster}
            jobId={jobId}
            canCancel={rights.canResend}
            cancelBlockedReason={rights.reason}
            replayed={lastStart?.jobId === jobId && lastStart.replayed}
            initialJob={lastStart?.jobId === jobId ? lastStart.job : undefined}
            onClose={closeJob}
          />
        ))}

      <DlqFilterForm
        // A new URL (back button, a link) or zone resets the fields to what the URL says.
        key={`${search}|${zone}`}
        searchParams={searchParams}
        zone={zone}
        fieldErrors={fieldErrors}
        busy={query.isFetching}
        onSubmit={(params) => pushSearch(pathname, params)}
      />
      {current?.status === 'invalid' && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="dlq-invalid">
          {current.fieldErrors._form?.[0] ??
            current.fieldErrors.cursor?.[0] ??
            'Please fix the fields marked above.'}
        </p>
      )}
      {error && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300"
          data-testid="dlq-error"
        >
          {error}
        </p>
      )}

      <section aria-label="Dead messages" className="space-y-2" data-testid="dlq-messages">
        <div className="flex flex-wrap items-center gap-2" data-testid="dlq-actions">
          <span
            className="text-sm text-slate-700 dark:text-slate-300"
            data-testid="dlq-selected-count"
            data-count={selected.size}
          >
            {selected.size} selected
          </span>
          {selected.size > 0 && (
            <button type="button" className="control-button text-xs" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          )}
          <button
            type="button"
            className="control-button-primary"
            disabled={!rights.canResend || selected.size === 0}
            title={rights.reason}
            onClick={() => openResend({ kind: 'selected', msgIds: [...selected] })}
            data-testid="dlq-resend-selected"
          >
            Resend selected…
          </button>
          <button
            type="button"
            className="control-button"
            disabled={!rights.canResend || !result || result.totalInRange === 0}
            title={rights.reason}
            onClick={() => {
              if (!result) return
              const q = result.query
              openResend({
                kind: 'range',
                beginMs: q.beginMs ?? 0,
                endMs: q.endMs ?? Date.now(),
                openEnded: q.endMs === undefined,
                filter: q.filter,
                estimate: result.totalInRange,
              })
            }}
            data-testid="dlq-resend-range"
          >
            Resend everything in this range…
          </button>
          {!rights.canResend && rights.reason && (
            <span
              className="text-xs text-amber-800 dark:text-amber-300"
              data-testid="dlq-resend-disabled-reason"
            >
              Resending is disabled: {rights.reason}.
            </span>
          )}
        </div>
        {result && (
          <ExportButtons
            cluster={cluster}
            group={group}
            selectedIds={[...selected]}
            range={{
              ...(result.query.beginMs !== undefined ? { beginMs: result.query.beginMs } : {}),
              ...(result.query.endMs !== undefined ? { endMs: result.query.endMs } : {}),
              ...(Object.keys(result.query.filter).length > 0 ? { filter: result.query.filter } : {}),
            }}
          />
        )}
        {result && (
          <>
            <PartialBanner failures={result.failures} />
            <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="dlq-scan-progress">
              {rows.length} on this page · scanned {formatInteger(result.scannedTotal)} of{' '}
              {formatInteger(result.totalInRange)} in the range
              {rows.length === 0 && result.nextCursor ? ' · no match yet, the next page scans on' : ''}
            </p>
            <DataTable<DlqBrowseMessage>
              testId="dlq-messages-table"
              columns={columns}
              rows={rows}
              total={rows.length}
              page={1}
              pageSize={result.query.pageSize}
              pageCount={1}
              pager={false}
              sort={undefined}
              dir="asc"
              getRowId={(m) => m.msgId}
              rowHref={(m) => messageDetailPath(cluster, m.msgId, dlqTopicName(group))}
              filterPlaceholder={false}
              loading={query.isPlaceholderData}
              empty={
                result.summary || result.scannedTotal > 0
                  ? 'No dead message on this page matches.'
                  : 'This group has no dead messages.'
              }
            />
            {!query.isPlaceholderData && (
              <Pager pathname={pathname} searchParams={searchParams} result={result} />
            )}
          </>
        )}
      </section>

      <ResendDialog cluster={cluster} group={group} scope={scope} form={form} onStarted={onStarted} />
    </div>
  )
}

function columnsFor(
  cluster: string,
  group: string,
  select: {
    selected: ReadonlySet<string>
    toggle: (msgId: string) => void
    allOnPage: boolean
    toggleAll: () => void
  },
): ColumnDef<DlqBrowseMessage>[] {
  return [
    {
      id: 'select',
      header: () => (
        <input
          type="checkbox"
          aria-label="Select every message on this page"
          checked={select.allOnPage}
          onChange={select.toggleAll}
          className="h-4 w-4 focus-visible:ring-2 focus-visible:ring-sky-500"
          data-testid="dlq-select-all"
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.msgId}`}
          checked={select.selected.has(row.original.msgId)}
          onChange={() => select.toggle(row.original.msgId)}
          className="h-4 w-4 focus-visible:ring-2 focus-visible:ring-sky-500"
          data-testid="dlq-select"
          data-msg-id={row.original.msgId}
        />
      ),
    },
    {
      id: 'msgId',
      header: 'Message ID',
      cell: ({ row }) => (
        <Link
          href={messageDetailPath(cluster, row.original.msgId, dlqTopicName(group))}
          className="text-link font-mono text-xs"
          data-testid="dlq-message-link"
        >
          {row.original.msgId}
        </Link>
      ),
    },
    {
      id: 'origin',
      header: 'Original topic / message',
      cell: ({ row }) => (
        <span className="flex flex-col">
          {row.original.originTopic ? (
            <Link href={topicPath(cluster, row.original.originTopic)} className="text-link font-mono text-xs">
              {row.original.originTopic}
            </Link>
          ) : (
            <span className="text-xs">–</span>
          )}
          {row.original.originMsgId && (
            <Link
              href={messageDetailPath(cluster, row.original.originMsgId, row.original.originTopic)}
              className="text-link font-mono text-xs text-slate-500"
              title="the message as first sent"
            >
              {row.original.originMsgId}
            </Link>
          )}
        </span>
      ),
    },
    { id: 'tags', header: 'Tag', cell: ({ row }) => row.original.tags ?? '–' },
    {
      id: 'keys',
      header: 'Keys',
      cell: ({ row }) => (
        <span className="font-mono text-xs whitespace-nowrap">{row.original.keys.join(' ') || '–'}</span>
      ),
    },
    {
      id: 'reconsumeTimes',
      header: 'Retries',
      cell: ({ row }) => <span className="tabular-nums">{row.original.reconsumeTimes}</span>,
    },
    { id: 'storeTime', header: 'Dead since', cell: ({ row }) => <Time ms={row.original.storeTimestampMs} /> },
    {
      id: 'resent',
      header: 'Resent',
      cell: ({ row }) => <ResentCell cluster={cluster} resent={row.original.resent} />,
    },
    {
      id: 'body',
      header: 'Body',
      cell: ({ row }) => <BodyCell message={row.original} />,
    },
  ]
}

function Pager({
  pathname,
  searchParams,
  result,
}: {
  pathname: string
  searchParams: ReturnType<typeof useSearchParams>
  result: DlqBrowseResult
}) {
  const first = new URLSearchParams(searchParams.toString())
  first.delete('cursor')
  const next = new URLSearchParams(searchParams.toString())
  if (result.nextCursor) next.set('cursor', result.nextCursor)
  const setPageSize = (size: string) => {
    const params = new URLSearchParams(searchParams.toString())
    params.delete('cursor')
    params.set('pageSize', size)
    pushSearch(pathname, params)
  }
  return (
    <nav aria-label="Scan pages" className="flex flex-wrap items-center justify-end gap-2 text-sm">
      <label className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
        Rows
        <select
          value={result.query.pageSize}
          onChange={(e) => setPageSize(e.target.value)}
          className="control-input py-0.5"
          data-testid="dlq-page-size"
        >
          {[...new Set([...PAGE_SIZES, result.query.pageSize])]
            .sort((a, b) => a - b)
            .map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
        </select>
      </label>
      <CursorPageLinks
        pathname={pathname}
        first={first}
        next={result.nextCursor ? next : undefined}
        onLaterPage={searchParams.get('cursor') !== null}
        testIdPrefix="dlq"
      />
    </nav>
  )
}

/** What resend jobs recorded of a dead message: when and as which new message, so nobody resends it twice. */
function ResentCell({ cluster, resent }: { cluster: string; resent: DlqBrowseMessage['resent'] }) {
  if (!resent) return <span className="text-slate-400">–</span>
  if (resent.state === 'IN_PROGRESS') return <span className="text-xs">being resent</span>
  if (resent.state === 'UNKNOWN')
    return (
      <span
        className="text-xs text-amber-700 dark:text-amber-400"
        title="the server stopped while resending it"
      >
        outcome unknown
      </span>
    )
  return (
    <span className="flex flex-col text-xs" data-testid="dlq-resent">
      <Time ms={resent.atMs} />
      <Link href={messageDetailPath(cluster, resent.newMsgId, resent.topic)} className="text-link font-mono">
        {resent.topic}
      </Link>
    </span>
  )
}
