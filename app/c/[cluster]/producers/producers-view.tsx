'use client'
// The Producers page's body: producer groups with their connections (client id, address, language, version, last
// heartbeat) in a server-paged DataTable, refreshed every few seconds; or why the cluster cannot list producers.
import type { ColumnDef } from '@tanstack/react-table'
import { DataTable, pageProps } from '@/app/_components/data-table'
import { EmptyState } from '@/app/_components/empty-state'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Time } from '@/app/_components/time-zone'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useLiveQuery, useSearchString } from '@/app/_lib/use-live-query'
import type { ProducerGroupRow, ProducersPage } from '@/lib/console/producers'

const COLUMNS: ColumnDef<ProducerGroupRow>[] = [
  {
    id: 'producerGroup',
    header: 'Producer group',
    enableSorting: true,
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.producerGroup}</span>,
  },
  {
    id: 'connections',
    header: 'Connections',
    enableSorting: true,
    cell: ({ row }) => <ConnectionList row={row.original} />,
  },
  {
    id: 'lastHeartbeat',
    header: 'Last heartbeat',
    enableSorting: true,
    cell: ({ row }) => <Time ms={row.original.lastHeartbeatMs} />,
  },
]

function ConnectionList({ row }: { row: ProducerGroupRow }) {
  if (row.connections.length === 0) return <span className="text-slate-500">none online</span>
  return (
    <table className="text-xs">
      <tbody>
        {row.connections.map((c) => (
          <tr key={`${c.clientId}-${c.clientAddr}`}>
            <td className="py-0.5 pr-3 font-mono">{c.clientId}</td>
            <td className="py-0.5 pr-3 font-mono">{c.clientAddr}</td>
            <td className="py-0.5 pr-3">{c.language}</td>
            <td className="py-0.5 pr-3 tabular-nums" title="Client MQVersion ordinal (401 = V4_9_4)">
              v{c.version}
            </td>
            <td className="py-0.5">
              <Time ms={c.lastUpdateTimestampMs} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function ProducersView(props: { cluster: string; initial: ProducersPage; initialSearch: string }) {
  const apiBase = `/api/c/${encodeURIComponent(props.cluster)}/producers`
  const search = useSearchString()
  const query = useLiveQuery<ProducersPage>({
    url: `${apiBase}${search}`,
    initial: { url: `${apiBase}${props.initialSearch}`, data: props.initial },
  })
  const data = query.data ?? props.initial

  return (
    <div className="space-y-4" data-testid="producers">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">Producers</h1>
        <UpdatedAgo atMs={data.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
      </div>
      {data.supported ? (
        <>
          <PartialBanner failures={data.failures} />
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {data.page.total} producer group{data.page.total === 1 ? '' : 's'} with {data.connectionsTotal}{' '}
            connection
            {data.connectionsTotal === 1 ? '' : 's'} online. Producer groups are known only while a producer
            is connected.
          </p>
          <DataTable
            testId="producers-table"
            columns={COLUMNS}
            {...pageProps(data.page)}
            getRowId={(row) => row.producerGroup}
            filterPlaceholder="Filter groups, clients, addresses"
            loading={query.isPlaceholderData}
            empty="No producer is connected."
          />
        </>
      ) : (
        <EmptyState title="This cluster cannot list producers">{data.reason}</EmptyState>
      )}
    </div>
  )
}
