'use client'
// The Consumer groups list: state filter and system-group toggle in the URL, the server-paged DataTable, and
// live refresh from /api/c/<cluster>/groups keyed by the page's URL.
import type { ColumnDef } from '@tanstack/react-table'
import Link from 'next/link'
import { Badge } from '@/app/_components/badge'
import { groupPath } from '@/app/_components/console-path'
import { DataTable, pageProps, useReplaceSearchParams } from '@/app/_components/data-table'
import { LINK_CLASS } from '@/app/_components/detail-parts'
import { formatInteger, formatRate } from '@/app/_components/format'
import { ListUnavailable } from '@/app/_components/list-unavailable'
import { PartialBanner } from '@/app/_components/partial-banner'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useLiveList, type ListViewSeed } from '@/app/_lib/use-live-view'
import type { GroupListPage, GroupRow } from '@/lib/console/groups'

export type GroupsViewProps = ListViewSeed<GroupListPage>

function OnlineBadge({ row }: { row: GroupRow }) {
  if (row.membersError !== undefined)
    return (
      <Badge tone="warning" title={row.membersError}>
        unknown
      </Badge>
    )
  if (row.online === undefined) return <Badge>–</Badge>
  return row.online ? <Badge tone="success">online</Badge> : <Badge>offline</Badge>
}

function columnsFor(cluster: string): ColumnDef<GroupRow>[] {
  return [
    {
      id: 'name',
      header: 'Group',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-1.5">
          <Link href={groupPath(cluster, row.original.group)} className={LINK_CLASS}>
            {row.original.group}
          </Link>
          {row.original.system && <Badge>system</Badge>}
        </span>
      ),
    },
    {
      id: 'state',
      header: 'State',
      cell: ({ row }) => <OnlineBadge row={row.original} />,
    },
    {
      id: 'members',
      header: 'Members',
      cell: ({ row }) => <span className="tabular-nums">{row.original.members ?? '–'}</span>,
    },
    {
      id: 'mode',
      header: 'Mode',
      enableSorting: true,
      cell: ({ row }) => {
        const { orderly, messageModel, consumeBroadcastEnable } = row.original
        return (
          <span
            className="text-xs whitespace-nowrap"
            title={`consumeBroadcastEnable: ${String(consumeBroadcastEnable ?? '–')}`}
          >
            {messageModel === undefined ? '' : `${messageModel.toLowerCase()} · `}
            {orderly === undefined ? 'no config' : orderly ? 'orderly' : 'concurrent'}
          </span>
        )
      },
    },
    {
      id: 'lag',
      header: 'Lag',
      enableSorting: true,
      cell: ({ row }) => <span className="tabular-nums">{formatInteger(row.original.lag)}</span>,
    },
    {
      id: 'tps',
      header: 'Consume TPS',
      enableSorting: true,
      cell: ({ row }) => <span className="tabular-nums">{formatRate(row.original.consumeTps)}</span>,
    },
    {
      id: 'retryMax',
      header: 'Retry max',
      enableSorting: true,
      cell: ({ row }) => <span className="tabular-nums">{row.original.retryMaxTimes ?? '–'}</span>,
    },
    {
      id: 'topics',
      header: 'Topics',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="font-mono text-xs" title={row.original.topics.join('\n')}>
          {row.original.topics.length === 0
            ? '–'
            : row.original.topics.length <= 2
              ? row.original.topics.join(', ')
              : `${row.original.topics.slice(0, 2).join(', ')} +${row.original.topics.length - 2}`}
        </span>
      ),
    },
  ]
}

function Filters({ page }: { page: GroupListPage }) {
  const replace = useReplaceSearchParams()
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <label className="flex items-center gap-1.5">
        <span className="text-slate-600 dark:text-slate-400">State</span>
        <select
          className="control-input py-0.5"
          value={page.state ?? ''}
          onChange={(event) => replace({ state: event.target.value || undefined, page: undefined })}
          data-testid="groups-state"
        >
          <option value="">all</option>
          <option value="online">online</option>
          <option value="offline">offline</option>
        </select>
      </label>
      <label className="flex items-center gap-1.5">
        <input
          type="checkbox"
          checked={page.showSystem}
          onChange={(event) => replace({ system: event.target.checked ? '1' : undefined, page: undefined })}
          className="size-4 rounded focus-visible:ring-2 focus-visible:ring-sky-500"
          data-testid="groups-system"
        />
        <span className="text-slate-600 dark:text-slate-400">
          System groups{!page.showSystem && page.systemHidden > 0 ? ` (${page.systemHidden} hidden)` : ''}
        </span>
      </label>
    </div>
  )
}

export function GroupsView({ cluster, initial, initialError }: GroupsViewProps) {
  const { query, page, error, hydrated, filtered } = useLiveList(initial, initialError)
  if (!page) return <ListUnavailable what="consumer groups" error={error} />
  const scan = page.stateScan
  return (
    <div className="space-y-3" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Members and state are read for the rows on this page only (one call per broker per group).
        </p>
        <UpdatedAgo atMs={page.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
      </div>
      <PartialBanner failures={page.failures} />
      {scan && !scan.complete && (
        <p
          role="status"
          className="text-xs text-amber-800 dark:text-amber-300"
          data-testid="groups-state-scan"
        >
          Checked {formatInteger(scan.checked)} of {formatInteger(scan.candidates)} groups for their state;
          the next page looks further.
        </p>
      )}
      <DataTable
        columns={columnsFor(cluster)}
        {...pageProps(page)}
        getRowId={(row) => row.group}
        rowHref={(row) => groupPath(cluster, row.group)}
        testId="groups-table"
        filterPlaceholder="Search groups"
        toolbar={<Filters page={page} />}
        loading={query.isPlaceholderData}
        empty={filtered ? 'No group matches these filters.' : 'This cluster has no consumer groups.'}
      />
    </div>
  )
}
