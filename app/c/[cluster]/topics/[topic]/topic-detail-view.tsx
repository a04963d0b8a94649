'use client'
// One topic, live: headline figures, the put-TPS chart, config per broker, route, per-queue offsets and the
// consuming groups with their lag (each linking to the group), refreshed from the JSON route.
import Link from 'next/link'
import { Badge } from '@/app/_components/badge'
import { groupPath, sectionPath } from '@/app/_components/console-path'
import { DetailHeader, DetailUnavailable } from '@/app/_components/detail-header'
import { KeyValues, LINK_CLASS, Section, SimpleTable } from '@/app/_components/detail-parts'
import { formatInteger, formatRate } from '@/app/_components/format'
import { LineChart } from '@/app/_components/line-chart'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Stat } from '@/app/_components/stat'
import { Time } from '@/app/_components/time-zone'
import { useLiveDetail, type DetailViewSeed } from '@/app/_lib/use-live-view'
import type { QueueOffsets, TopicBrokerConfig, TopicConsumer, TopicRouteQueue } from '@/lib/cluster/gateway'
import type { TopicDetail } from '@/lib/console/topics'
import { formatPerm, TOPIC_TYPE_LABEL, TOPIC_TYPE_TONE } from '../_components/topic-format'

export interface TopicDetailViewProps extends Omit<DetailViewSeed<TopicDetail>, 'name'> {
  readonly topic: string
}

function attributesText(attributes: Readonly<Record<string, string>>): string {
  const entries = Object.entries(attributes)
  return entries.length === 0 ? '–' : entries.map(([k, v]) => `${k}=${v}`).join(', ')
}

export function TopicDetailView({ cluster, topic, apiUrl, initial, initialError }: TopicDetailViewProps) {
  const { query, detail } = useLiveDetail(apiUrl, initial)
  const crumb = { href: sectionPath(cluster, 'topics'), label: 'Topics' }
  if (!detail) {
    return (
      <DetailUnavailable
        crumb={crumb}
        title={topic}
        message={query.error?.message ?? initialError ?? 'Loading…'}
      />
    )
  }
  const queues = detail.stats?.queues ?? []
  const latestTps = detail.tpsSeries.at(-1)?.v
  const messagesHref = `/c/${encodeURIComponent(cluster)}/messages?mode=time&topic=${encodeURIComponent(topic)}`
  return (
    <div className="space-y-6">
      <DetailHeader
        crumb={crumb}
        title={detail.topic}
        live={{ atMs: detail.fetchedAtMs, fetching: query.isFetching, error: query.error?.message }}
      >
        <Badge tone={TOPIC_TYPE_TONE[detail.type]}>{TOPIC_TYPE_LABEL[detail.type]}</Badge>
        {detail.ownerGroup !== undefined && (
          <span className="text-sm text-slate-600 dark:text-slate-400">
            of group{' '}
            <Link href={groupPath(cluster, detail.ownerGroup)} className={LINK_CLASS}>
              {detail.ownerGroup}
            </Link>
          </span>
        )}
        <Link href={messagesHref} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          Browse messages →
        </Link>
      </DetailHeader>
      <PartialBanner failures={detail.failures} />

      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat
          label="Messages held"
          value={formatInteger(detail.stats?.messageCount ?? 0)}
          hint="Σ max − min offset"
        />
        <Stat
          label="Queues"
          value={`${detail.config?.readQueueNums ?? 0}/${detail.config?.writeQueueNums ?? 0}`}
          hint="read / write"
        />
        <Stat label="Brokers" value={detail.route?.brokers.length ?? detail.config?.brokers.length ?? 0} />
        <Stat label="Consumer groups" value={detail.consumers.length} testId="topic-consumer-count" />
        <Stat
          label="Put TPS"
          value={latestTps === undefined ? '–' : formatRate(latestTps)}
          hint={latestTps === undefined ? 'no history yet' : 'newest sample'}
          tone={latestTps === undefined ? 'muted' : 'normal'}
        />
      </div>

      <Section title="Put TPS" hint="last hour, from the metrics history">
        <LineChart
          title={`Messages put per second to ${detail.topic}`}
          series={[{ name: 'put TPS', points: detail.tpsSeries }]}
          unit="msg/s"
          height={180}
          testId="topic-tps-chart"
        />
      </Section>

      <Section
        title="Consumer groups"
        hint="groups with offsets on this topic, most lag first"
        testId="topic-consumers"
      >
        <SimpleTable<TopicConsumer>
          rows={detail.consumers}
          rowKey={(c) => c.group}
          empty="No group consumes this topic."
          columns={[
            {
              header: 'Group',
              cell: (c) => (
                <Link href={groupPath(cluster, c.group)} className={LINK_CLASS}>
                  {c.group}
                </Link>
              ),
            },
            { header: 'Lag', numeric: true, cell: (c) => formatInteger(c.lag) },
            { header: 'Consume TPS', numeric: true, cell: (c) => formatRate(c.consumeTps) },
            { header: 'Last consumed', cell: (c) => <Time ms={c.lastConsumeTimestampMs} /> },
          ]}
        />
      </Section>

      <Section title="Queues" hint="per-queue offsets (queue offsets count messages)" testId="topic-queues">
        <SimpleTable<QueueOffsets>
          rows={queues}
          rowKey={(q) => `${q.brokerName}/${q.queueId}`}
          empty="No broker reported queues for this topic."
          columns={[
            { header: 'Broker', cell: (q) => <span className="font-mono text-xs">{q.brokerName}</span> },
            { header: 'Queue', numeric: true, cell: (q) => q.queueId },
            { header: 'Min offset', numeric: true, cell: (q) => formatInteger(q.minOffset) },
            { header: 'Max offset', numeric: true, cell: (q) => formatInteger(q.maxOffset) },
            { header: 'Messages', numeric: true, cell: (q) => formatInteger(q.maxOffset - q.minOffset) },
            { header: 'Last update', cell: (q) => <Time ms={q.lastUpdateTimestampMs} /> },
          ]}
        />
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Config per broker" testId="topic-config">
          <SimpleTable<TopicBrokerConfig>
            rows={detail.config?.brokers ?? []}
            rowKey={(b) => b.brokerName}
            empty="No answering broker holds this topic's config."
            columns={[
              { header: 'Broker', cell: (b) => <span className="font-mono text-xs">{b.brokerName}</span> },
              { header: 'Queues r/w', numeric: true, cell: (b) => `${b.readQueueNums}/${b.writeQueueNums}` },
              {
                header: 'Perm',
                cell: (b) => <span className="font-mono text-xs">{formatPerm(b.perm)}</span>,
              },
              { header: 'Order', cell: (b) => (b.order ? 'yes' : 'no') },
              { header: 'Message type', cell: () => detail.config?.messageType ?? '–' },
              {
                header: 'Attributes',
                cell: (b) => <span className="font-mono text-xs">{attributesText(b.attributes)}</span>,
              },
            ]}
          />
        </Section>

        <Section title="Route" hint="from the NameServer" testId="topic-route">
          {detail.route ? (
            <div className="space-y-2">
              <SimpleTable
                rows={detail.route.brokers}
                rowKey={(b) => b.brokerName}
                empty="No broker in the route."
                columns={[
                  {
                    header: 'Broker',
                    cell: (b) => <span className="font-mono text-xs">{b.brokerName}</span>,
                  },
                  {
                    header: 'Cluster',
                    cell: (b) => <span className="font-mono text-xs">{b.clusterName}</span>,
                  },
                  {
                    header: 'Addresses',
                    cell: (b) => (
                      <span className="font-mono text-xs">
                        {Object.entries(b.addrs)
                          .map(([id, addr]) => `${id === '0' ? 'master' : `slave ${id}`} ${addr}`)
                          .join(', ')}
                      </span>
                    ),
                  },
                ]}
              />
              <SimpleTable<TopicRouteQueue>
                rows={detail.route.queues}
                rowKey={(q) => q.brokerName}
                empty="No queue data."
                columns={[
                  {
                    header: 'Queue data',
                    cell: (q) => <span className="font-mono text-xs">{q.brokerName}</span>,
                  },
                  { header: 'Read', numeric: true, cell: (q) => q.readQueueNums },
                  { header: 'Write', numeric: true, cell: (q) => q.writeQueueNums },
                  {
                    header: 'Perm',
                    cell: (q) => <span className="font-mono text-xs">{formatPerm(q.perm)}</span>,
                  },
                  { header: 'Sys flag', numeric: true, cell: (q) => q.topicSysFlag },
                ]}
              />
              {detail.route.orderTopicConf !== undefined && (
                <KeyValues items={[['orderTopicConf', detail.route.orderTopicConf]]} />
              )}
            </div>
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              The NameServer knows no route for this topic.
            </p>
          )}
        </Section>
      </div>
    </div>
  )
}
