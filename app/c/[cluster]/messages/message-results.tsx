'use client'
// The Messages page's result table: one row per message (ids, tags, keys, store time, where it is stored, body
// size and a short preview); a row opens the message's detail.
import { BodyCell } from '@/app/c/[cluster]/messages/_lib/body-cell'
import type { ColumnDef } from '@tanstack/react-table'
import type { MessageView } from '@/lib/cluster/gateway'
import type { MessageSearchResult } from '@/lib/console/messages'
import { DataTable } from '@/app/_components/data-table'
import { Time } from '@/app/_components/time-zone'

export function messageDetailHref(cluster: string, msgId: string, topic: string): string {
  return `/c/${encodeURIComponent(cluster)}/messages/${encodeURIComponent(msgId)}?topic=${encodeURIComponent(topic)}`
}

function columns(cluster: string): ColumnDef<MessageView>[] {
  return [
    {
      id: 'msgId',
      header: 'Message ID',
      cell: ({ row }) => (
        <a
          href={messageDetailHref(cluster, row.original.msgId, row.original.topic)}
          className="text-link font-mono text-xs"
          data-testid="message-link"
        >
          {row.original.msgId}
        </a>
      ),
    },
    {
      id: 'uniqKey',
      header: 'UNIQ_KEY',
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.uniqKey ?? '–'}</span>,
    },
    { id: 'tags', header: 'Tag', cell: ({ row }) => row.original.tags ?? '–' },
    {
      id: 'keys',
      header: 'Keys',
      cell: ({ row }) => (
        <span className="font-mono text-xs whitespace-nowrap">{row.original.keys.join(' ') || '–'}</span>
      ),
    },
    { id: 'storeTime', header: 'Store time', cell: ({ row }) => <Time ms={row.original.storeTimestampMs} /> },
    {
      id: 'where',
      header: 'Broker / queue / offset',
      cell: ({ row }) => (
        <span className="font-mono text-xs whitespace-nowrap">
          {row.original.brokerName} / {row.original.queueId} / {row.original.queueOffset}
        </span>
      ),
    },
    {
      id: 'body',
      header: 'Body',
      cell: ({ row }) => <BodyCell message={row.original} />,
    },
  ]
}

export function MessageResults({
  cluster,
  result,
  loading,
}: {
  cluster: string
  result: MessageSearchResult
  loading: boolean
}) {
  const rows = result.messages
  return (
    <DataTable<MessageView>
      columns={columns(cluster)}
      rows={rows}
      total={rows.length}
      page={1}
      // Only the time-range scan pages (its "Rows" choice is the scan's page size; the cursor links page on);
      // lookups by id or key answer in one go, so their tables show no pager.
      pageSize={result.query.mode === 'time' ? result.query.pageSize : 20}
      pageCount={1}
      pager={result.query.mode === 'time'}
      sort={undefined}
      dir="asc"
      getRowId={(m) => `${m.brokerName}:${m.msgId}`}
      rowHref={(m) => messageDetailHref(cluster, m.msgId, m.topic)}
      testId="message-results"
      filterPlaceholder={false}
      loading={loading}
      empty={result.query.mode === 'time' ? 'No message on this page matches.' : 'Not found.'}
    />
  )
}
