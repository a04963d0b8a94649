'use client'
// The Topics list: type chips (type= in the URL, several at once), the server-paged DataTable, TPS from metric
// history, and live refresh from /api/c/<cluster>/topics keyed by the page's URL.
import type { ColumnDef } from '@tanstack/react-table'
import Link from 'next/link'
import { Badge } from '@/app/_components/badge'
import { topicPath } from '@/app/_components/console-path'
import { DataTable, pageProps, useReplaceSearchParams } from '@/app/_components/data-table'
import { LINK_CLASS } from '@/app/_components/detail-parts'
import { formatRate } from '@/app/_components/format'
import { ListUnavailable } from '@/app/_components/list-unavailable'
import { PartialBanner } from '@/app/_components/partial-banner'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useLiveList, type ListViewSeed } from '@/app/_lib/use-live-view'
import type { TopicListPage, TopicRow, TopicType } from '@/lib/console/topics'
import { formatPerm, TOPIC_TYPE_LABEL, TOPIC_TYPE_ORDER, TOPIC_TYPE_TONE } from './_components/topic-format'

export type TopicsViewProps = ListViewSeed<TopicListPage>

function columnsFor(cluster: string): ColumnDef<TopicRow>[] {
  return [
    {
      id: 'name',
      header: 'Topic',
      enableSorting: true,
      cell: ({ row }) => (
        <Link href={topicPath(cluster, row.original.topic)} className={LINK_CLASS}>
          {row.original.topic}
        </Link>
      ),
    },
    {
      id: 'type',
      header: 'Type',
      enableSorting: true,
      cell: ({ row }) => (
        <Badge tone={TOPIC_TYPE_TONE[row.original.type]} title={`message.type: ${row.original.messageType}`}>
          {TOPIC_TYPE_LABEL[row.original.type]}
        </Badge>
      ),
    },
    {
      id: 'queues',
      header: 'Queues (r/w)',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="tabular-nums">
          {row.original.readQueueNums}/{row.original.writeQueueNums}
        </span>
      ),
    },
    {
      id: 'brokers',
      header: 'Brokers',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="font-mono text-xs">{row.original.brokerNames.join(', ') || '–'}</span>
      ),
    },
    {
      id: 'perm',
      header: 'Perm',
      cell: ({ row }) => <span className="font-mono text-xs">{formatPerm(row.original.perm)}</span>,
    },
    {
      id: 'tps',
      header: 'Put TPS',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="tabular-nums">
          {row.original.tps === undefined ? '–' : formatRate(row.original.tps)}
        </span>
      ),
    },
  ]
}

function TypeChips({ page }: { page: TopicListPage }) {
  const replace = useReplaceSearchParams()
  const selected = new Set(page.types)
  const setTypes = (types: readonly TopicType[]) =>
    replace({ type: types.length === 0 ? undefined : types.join(','), page: undefined })
  const toggle = (type: TopicType) =>
    setTypes(TOPIC_TYPE_ORDER.filter((t) => (t === type ? !selected.has(t) : selected.has(t))))
  const chip = (active: boolean) =>
    `rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
      active
        ? 'bg-sky-600 text-white ring-sky-600 dark:bg-sky-500 dark:ring-sky-500'
        : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-700 dark:hover:bg-slate-800'
    }`
  return (
    <div
      role="group"
      aria-label="Topic types"
      className="flex flex-wrap items-center gap-1.5"
      data-testid="topic-types"
    >
      <button
        type="button"
        aria-pressed={selected.size === 0}
        className={chip(selected.size === 0)}
        onClick={() => setTypes([])}
      >
        All
      </button>
      {TOPIC_TYPE_ORDER.map((type) => (
        <button
          key={type}
          type="button"
          aria-pressed={selected.has(type)}
          className={chip(selected.has(type))}
          onClick={() => toggle(type)}
          data-testid={`topic-type-${type}`}
        >
          {TOPIC_TYPE_LABEL[type]} <span className="tabular-nums opacity-70">{page.typeCounts[type]}</span>
        </button>
      ))}
    </div>
  )
}

export function TopicsView({ cluster, initial, initialError }: TopicsViewProps) {
  const { query, page, error, hydrated, filtered } = useLiveList(initial, initialError)
  if (!page) return <ListUnavailable what="topics" error={error} />
  return (
    <div className="space-y-3" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <TypeChips page={page} />
        <span className="flex items-center gap-3 text-xs text-slate-500 dark:text-slate-400">
          {page.tpsAtMs === undefined && (
            <span title="No metrics sample in the last minute">TPS: no history yet</span>
          )}
          <UpdatedAgo atMs={page.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
        </span>
      </div>
      <PartialBanner failures={page.failures} />
      <DataTable
        columns={columnsFor(cluster)}
        {...pageProps(page)}
        getRowId={(row) => row.topic}
        rowHref={(row) => topicPath(cluster, row.topic)}
        testId="topics-table"
        filterPlaceholder="Search topics"
        loading={query.isPlaceholderData}
        empty={filtered ? 'No topic matches these filters.' : 'This cluster has no topics.'}
      />
    </div>
  )
}
