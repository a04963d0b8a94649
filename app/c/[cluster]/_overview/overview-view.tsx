'use client'
// The Overview page's body, refreshed every few seconds: headline figures, warnings, brokers, NameServers,
// cluster TPS history, top topics and the groups with the most lag.
import Link from 'next/link'
import { formatInteger, formatRate } from '@/app/_components/format'
import { LineChart } from '@/app/_components/line-chart'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Stat } from '@/app/_components/stat'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useLiveQuery } from '@/app/_lib/use-live-query'
import type { Overview } from '@/lib/console/overview'
import { BrokersTable } from './brokers-table'
import { NameServersTable } from './name-servers-table'
import { WarningsPanel } from './warnings-panel'

export interface OverviewViewProps {
  readonly cluster: string
  readonly clusterName: string
  readonly initial: Overview
}

export function OverviewView({ cluster, clusterName, initial }: OverviewViewProps) {
  const url = `/api/c/${encodeURIComponent(cluster)}/overview`
  const query = useLiveQuery<Overview>({ url, initial: { url, data: initial } })
  const overview = query.data ?? initial
  const base = `/c/${encodeURIComponent(cluster)}`
  const sectionError = (section: Overview['errors'][number]['section']) =>
    overview.errors.find((e) => e.section === section)?.message

  return (
    <div className="space-y-4" data-testid="overview">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">
          Overview <span className="font-normal text-slate-500 dark:text-slate-400">· {clusterName}</span>
          {overview.clusterNames.length > 0 && (
            <span className="ml-2 text-sm font-normal text-slate-500 dark:text-slate-400">
              RocketMQ cluster {overview.clusterNames.join(', ')}
            </span>
          )}
        </h1>
        <UpdatedAgo atMs={overview.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
      </div>

      <PartialBanner failures={overview.failures} />
      {overview.errors.length > 0 && (
        <ul
          className="rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
          data-testid="overview-errors"
        >
          {overview.errors.map((e) => (
            <li key={e.section}>
              <span className="font-semibold">{SECTION_LABEL[e.section]}:</span> {e.message}
            </li>
          ))}
        </ul>
      )}

      <WarningsPanel warnings={overview.warnings} />

      <section aria-label="Headline figures" className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        <Stat label="Put TPS" value={formatRate(overview.totals.putTps)} hint="messages/s, masters" />
        <Stat label="Get TPS" value={formatRate(overview.totals.getTps)} hint="messages/s" />
        <Stat
          label="Brokers"
          value={`${overview.totals.brokersAnswering}/${overview.totals.brokers}`}
          hint="answering / known"
          tone={overview.totals.brokersAnswering < overview.totals.brokers ? 'warning' : 'normal'}
        />
        <Stat
          label="Consumer groups"
          value={sectionError('groups') ? '–' : formatInteger(overview.totals.groups)}
          hint={
            <Link href={`${base}/groups`} className="text-link">
              view groups
            </Link>
          }
        />
        <Stat
          label="Total lag"
          value={sectionError('groups') ? '–' : formatInteger(overview.totals.totalLag)}
          hint="messages"
        />
        <Stat
          label="DLQ messages"
          testId="dlq-count"
          value={overview.dlq ? formatInteger(overview.dlq.count) : '–'}
          tone={overview.dlq && overview.dlq.count > 0 ? 'warning' : 'normal'}
          hint={
            overview.dlq
              ? `in ${overview.dlq.groups} group${overview.dlq.groups === 1 ? '' : 's'}`
              : sectionError('dlqs')
          }
        />
        <Stat
          label="Pending transactions"
          testId="pending-transactions"
          value={
            overview.pendingTransactions === undefined
              ? '–'
              : overview.pendingTransactions.supported
                ? formatInteger(overview.pendingTransactions.value.count)
                : 'n/a'
          }
          tone={overview.pendingTransactions?.supported === false ? 'muted' : 'normal'}
          hint={
            overview.pendingTransactions === undefined ? (
              sectionError('transactions')
            ) : overview.pendingTransactions.supported ? (
              'half messages'
            ) : (
              // The reason is a sentence; two lines here, the whole of it on hover.
              <span className="line-clamp-2" title={overview.pendingTransactions.reason}>
                {overview.pendingTransactions.reason}
              </span>
            )
          }
        />
      </section>

      <section className="panel" aria-labelledby="brokers-heading">
        <h2 id="brokers-heading" className="panel-title">
          Brokers
        </h2>
        <BrokersTable
          brokers={overview.brokers}
          fetchedAtMs={overview.fetchedAtMs}
          error={sectionError('brokers')}
        />
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <section className="panel lg:col-span-2" aria-label="Cluster TPS">
          {sectionError('history') ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              History unavailable: {sectionError('history')}
            </p>
          ) : (
            <LineChart
              title="Cluster TPS, last hour"
              unit="msg/s"
              testId="tps-chart"
              fromMs={overview.history.fromMs}
              toMs={overview.history.toMs}
              series={[
                { name: 'put', points: overview.history.putTps },
                { name: 'get', points: overview.history.getTps },
              ]}
            />
          )}
        </section>
        <section className="panel" aria-labelledby="namesrv-heading">
          <h2 id="namesrv-heading" className="panel-title">
            NameServers
          </h2>
          <NameServersTable nameServers={overview.nameServers} error={sectionError('nameServers')} />
        </section>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <section className="panel" aria-labelledby="top-topics-heading" data-testid="top-topics">
          <h2 id="top-topics-heading" className="panel-title">
            Top topics by put TPS <span className="font-normal text-slate-500">(5 min average)</span>
          </h2>
          {overview.topTopics.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              No topic traffic recorded in the last 5 minutes.
            </p>
          ) : (
            <RankTable
              unit="msg/s"
              rows={overview.topTopics.map((t) => ({
                key: t.topic,
                href: `${base}/topics/${encodeURIComponent(t.topic)}`,
                value: t.putTps,
                text: formatRate(t.putTps),
              }))}
            />
          )}
        </section>
        <section className="panel" aria-labelledby="top-lag-heading" data-testid="top-lag-groups">
          <h2 id="top-lag-heading" className="panel-title">
            Consumer groups with the most lag
          </h2>
          {overview.topLagGroups.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              {sectionError('groups') ? `Unavailable: ${sectionError('groups')}` : 'No group is behind.'}
            </p>
          ) : (
            <RankTable
              unit="messages"
              rows={overview.topLagGroups.map((g) => ({
                key: g.group,
                href: `${base}/groups/${encodeURIComponent(g.group)}`,
                value: g.lag,
                text: formatInteger(g.lag),
                extra: `${formatRate(g.consumeTps)} msg/s`,
              }))}
            />
          )}
        </section>
      </div>
    </div>
  )
}

const SECTION_LABEL: Readonly<Record<Overview['errors'][number]['section'], string>> = {
  brokers: 'Brokers',
  nameServers: 'NameServers',
  groups: 'Consumer groups',
  dlqs: 'Dead-letter queues',
  transactions: 'Transactions',
  history: 'Metrics history',
}

interface RankRow {
  readonly key: string
  readonly href: string
  readonly value: number
  readonly text: string
  readonly extra?: string
}

/** Name, a bar proportional to the largest value, and the figure. */
function RankTable({ rows, unit }: { rows: readonly RankRow[]; unit: string }) {
  const max = Math.max(...rows.map((r) => r.value), 1)
  return (
    <table className="w-full table-fixed text-sm">
      <colgroup>
        <col className="w-[45%]" />
        <col className="w-[30%]" />
        <col className="w-[25%]" />
      </colgroup>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-t border-slate-100 first:border-t-0 dark:border-slate-800">
            <td className="py-1 pr-2">
              <Link href={row.href} className="text-link block truncate font-mono text-xs" title={row.key}>
                {row.key}
              </Link>
            </td>
            <td className="py-1">
              <div className="h-2 rounded bg-slate-100 dark:bg-slate-800" aria-hidden>
                <div className="h-2 rounded bg-sky-500" style={{ width: `${(row.value / max) * 100}%` }} />
              </div>
            </td>
            <td className="py-1 pl-2 text-right whitespace-nowrap tabular-nums" title={unit}>
              {row.text}
              {row.extra && (
                <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{row.extra}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
