'use client'
// The DLQ list: one row per consumer group with a %DLQ% topic (dead messages, newest dead letter), the
// server-paged DataTable, live refresh from /api/c/<cluster>/dlq/groups keyed by the page's URL.
import type { ColumnDef } from '@tanstack/react-table'
import Link from 'next/link'
import { groupPath, topicPath } from '@/app/_components/console-path'
import { DataTable, pageProps } from '@/app/_components/data-table'
import { LINK_CLASS } from '@/app/_components/detail-parts'
import { formatInteger } from '@/app/_components/format'
import { ListUnavailable } from '@/app/_components/list-unavailable'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Time } from '@/app/_components/time-zone'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useHydrated } from '@/app/_lib/use-hydrated'
import { useLiveQuery, useSearchString } from '@/app/_lib/use-live-query'
import type { DlqGroupListPage, DlqGroupRow } from '@/lib/console/dlq'
import { dlqBrowsePath, dlqGroupsApiUrl } from './_lib/dlq-urls'

function columnsFor(cluster: string): ColumnDef<DlqGroupRow>[] {
  return [
    {
      id: 'group',
      header: 'Consumer group',
      enableSorting: true,
      cell: ({ row }) => (
        <Link
          href={dlqBrowsePath(cluster, row.original.group)}
          className={LINK_CLASS}
          data-testid="dlq-group-link"
          data-group={row.original.group}
        >
          {row.original.group}
        </Link>
      ),
    },
    {
      id: 'messages',
      header: 'Dead messages',
      enableSorting: true,
      cell: ({ row }) => (
        <span
          className={`tabular-nums ${row.original.messageCount > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}
          data-testid="dlq-group-count"
        >
          {formatInteger(row.original.messageCount)}
        </span>
      ),
    },
    {
      id: 'lastUpdate',
      header: 'Newest dead letter',
      enableSorting: true,
      cell: ({ row }) => <Time ms={row.original.lastUpdateTimestampMs} />,
    },
    {
      id: 'topic',
      header: 'DLQ topic',
      cell: ({ row }) => (
        <Link href={topicPath(cluster, row.original.topic)} className={`${LINK_CLASS} text-xs`}>
          {row.original.topic}
        </Link>
      ),
    },
    {
      id: 'links',
      header: '',
      cell: ({ row }) => (
        <Link href={groupPath(cluster, row.original.group)} className="text-link text-xs whitespace-nowrap">
          group details
        </Link>
      ),
    },
  ]
}

export function DlqGroupsView(props: {
  cluster: string
  initial: { url: string; data: DlqGroupListPage | undefined }
  initialError: string | undefined
}) {
  const { cluster } = props
  const search = useSearchString()
  const hydrated = useHydrated()
  const query = useLiveQuery<DlqGroupListPage>({
    url: dlqGroupsApiUrl(cluster, search),
    initial: props.initial.data ? { url: props.initial.url, data: props.initial.data } : undefined,
  })
  const data = query.data ?? props.initial.data
  if (!data)
    return <ListUnavailable what="dead-letter queues" error={query.error?.message ?? props.initialError} />
  return (
    <div className="space-y-3" data-testid="dlq-groups" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="dlq-groups-summary">
          {formatInteger(data.messageCount)} dead message{data.messageCount === 1 ? '' : 's'} in{' '}
          {formatInteger(data.groupCount)} group{data.groupCount === 1 ? '' : 's'}. A message lands in its
          group’s %DLQ% topic once its retries run out; open a group to inspect, export or resend them.
        </p>
        <UpdatedAgo atMs={data.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
      </div>
      <PartialBanner failures={data.failures} />
      <DataTable<DlqGroupRow>
        testId="dlq-groups-table"
        columns={columnsFor(cluster)}
        {...pageProps(data.page)}
        getRowId={(row) => row.group}
        rowHref={(row) => dlqBrowsePath(cluster, row.group)}
        filterPlaceholder="Filter groups"
        loading={query.isPlaceholderData}
        empty={
          search.includes('q=')
            ? 'No group with a DLQ matches.'
            : 'No consumer group has a dead-letter queue: no message has run out of retries.'
        }
      />
    </div>
  )
}
