'use client'
// One consumer group, live: headline figures, the lag chart, per-queue broker/consumer offsets with lag and last
// consume time, members, subscriptions, retry settings and its %RETRY% / %DLQ% topics.
import Link from 'next/link'
import { Badge } from '@/app/_components/badge'
import { sectionPath, topicPath } from '@/app/_components/console-path'
import { DetailHeader, DetailUnavailable } from '@/app/_components/detail-header'
import { KeyValues, LINK_CLASS, Section, SimpleTable } from '@/app/_components/detail-parts'
import { formatInteger, formatRate } from '@/app/_components/format'
import { LineChart } from '@/app/_components/line-chart'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Stat } from '@/app/_components/stat'
import { Time } from '@/app/_components/time-zone'
import { useLiveDetail, type DetailViewSeed } from '@/app/_lib/use-live-view'
import type { ConsumerMember, QueueConsumeProgress, SubscriptionInfo } from '@/lib/cluster/gateway'
import type { GroupDetail } from '@/lib/console/groups'
import { MemberQueues } from './member-queues'
import { OffsetResetPanel } from './offset-reset-panel'

export interface GroupDetailViewProps extends Omit<DetailViewSeed<GroupDetail>, 'name'> {
  readonly group: string
}

const yesNo = (value: boolean | undefined) => (value === undefined ? '–' : value ? 'yes' : 'no')

export function GroupDetailView({ cluster, group, apiUrl, initial, initialError }: GroupDetailViewProps) {
  const { query, detail } = useLiveDetail(apiUrl, initial)
  const crumb = { href: sectionPath(cluster, 'groups'), label: 'Consumer groups' }
  if (!detail) {
    return (
      <DetailUnavailable
        crumb={crumb}
        title={group}
        message={query.error?.message ?? initialError ?? 'Loading…'}
      />
    )
  }
  const { config, stats, connections } = detail
  const topicLink = (topic: string) => (
    <Link href={topicPath(cluster, topic)} className={LINK_CLASS}>
      {topic}
    </Link>
  )
  return (
    <div className="space-y-6">
      <DetailHeader
        crumb={crumb}
        title={detail.group}
        live={{ atMs: detail.fetchedAtMs, fetching: query.isFetching, error: query.error?.message }}
      >
        {connections.online ? <Badge tone="success">online</Badge> : <Badge>offline</Badge>}
        {config?.consumeMessageOrderly && <Badge tone="info">orderly</Badge>}
        {config && !config.consumeEnable && <Badge tone="warning">consumption disabled</Badge>}
        {detail.system && <Badge>system</Badge>}
      </DetailHeader>
      <PartialBanner failures={detail.failures} />

      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat
          label="Lag"
          value={formatInteger(stats.lag)}
          tone={stats.lag > 0 ? 'warning' : 'normal'}
          testId="group-lag"
        />
        <Stat label="Consume TPS" value={formatRate(stats.consumeTps)} />
        <Stat label="Members" value={connections.members.length} />
        <Stat label="Topics" value={new Set(stats.queues.map((q) => q.topic)).size} />
        <Stat
          label="DLQ messages"
          value={
            detail.dlqTopic.messageCount === undefined ? '–' : formatInteger(detail.dlqTopic.messageCount)
          }
          tone={(detail.dlqTopic.messageCount ?? 0) > 0 ? 'danger' : 'normal'}
          hint={detail.dlqTopic.exists ? undefined : 'no DLQ topic'}
        />
      </div>

      <Section title="Lag" hint="last hour, from the metrics history">
        <LineChart
          title={`Lag of ${detail.group}`}
          series={[{ name: 'lag', points: detail.lagSeries }]}
          unit="messages"
          height={180}
          testId="group-lag-chart"
        />
      </Section>

      <Section
        title="Consume progress"
        hint="per queue: the broker's max offset, the group's committed offset"
        testId="group-queues"
      >
        <SimpleTable<QueueConsumeProgress>
          rows={stats.queues}
          rowKey={(q) => `${q.topic}/${q.brokerName}/${q.queueId}`}
          empty="The group has no committed offsets."
          columns={[
            { header: 'Topic', cell: (q) => topicLink(q.topic) },
            { header: 'Broker', cell: (q) => <span className="font-mono text-xs">{q.brokerName}</span> },
            { header: 'Queue', numeric: true, cell: (q) => q.queueId },
            { header: 'Broker offset', numeric: true, cell: (q) => formatInteger(q.brokerOffset) },
            { header: 'Consumer offset', numeric: true, cell: (q) => formatInteger(q.consumerOffset) },
            { header: 'Lag', numeric: true, cell: (q) => formatInteger(q.lag) },
            { header: 'Last consumed', cell: (q) => <Time ms={q.lastTimestampMs} /> },
          ]}
        />
      </Section>

      <Section
        title="Reset offsets"
        hint="preview first; works for offline groups"
        testId="group-offset-reset"
      >
        <OffsetResetPanel
          cluster={cluster}
          group={group}
          topics={[
            ...new Set([
              ...stats.queues.map((q) => q.topic),
              ...connections.subscriptions.map((s) => s.topic),
            ]),
          ].sort()}
          online={connections.online}
        />
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Members" hint="pick one below to see the queues it holds" testId="group-members">
          <SimpleTable<ConsumerMember>
            rows={connections.members}
            rowKey={(m) => m.clientId}
            empty="No member is online."
            columns={[
              {
                header: 'Client ID',
                cell: (m) => <span className="font-mono text-xs break-all">{m.clientId}</span>,
              },
              { header: 'Address', cell: (m) => <span className="font-mono text-xs">{m.clientAddr}</span> },
              { header: 'Language', cell: (m) => m.language },
              { header: 'Version', numeric: true, cell: (m) => m.version },
            ]}
          />
        </Section>

        <Section title="Subscriptions" hint="as the online members report them" testId="group-subscriptions">
          <SimpleTable<SubscriptionInfo>
            rows={connections.subscriptions}
            rowKey={(s) => s.topic}
            empty="No online member reports a subscription."
            columns={[
              { header: 'Topic', cell: (s) => topicLink(s.topic) },
              {
                header: 'Expression',
                cell: (s) => <span className="font-mono text-xs">{s.expression}</span>,
              },
              { header: 'Type', cell: (s) => s.expressionType },
            ]}
          />
        </Section>

        <Section title="Retry settings" hint="the group's subscription group config" testId="group-config">
          {config ? (
            <KeyValues
              items={[
                ['retryMaxTimes', config.retryMaxTimes],
                ['retryQueueNums', config.retryQueueNums],
                ['consumeEnable', yesNo(config.consumeEnable)],
                ['consumeBroadcastEnable', yesNo(config.consumeBroadcastEnable)],
                ['consumeMessageOrderly', yesNo(config.consumeMessageOrderly)],
                ['consumeFromMinEnable', yesNo(config.consumeFromMinEnable)],
                ['brokerId', config.brokerId],
                ['whichBrokerWhenConsumeSlowly', config.whichBrokerWhenConsumeSlowly],
                ['brokers', config.brokerNames.join(', ') || '–'],
              ]}
            />
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              No answering broker holds a config for this group.
            </p>
          )}
        </Section>

        <Section title="Client settings and topics" testId="group-topics">
          <KeyValues
            items={[
              ['messageModel', connections.messageModel ?? '–'],
              ['consumeType', connections.consumeType ?? '–'],
              ['consumeFromWhere', connections.consumeFromWhere ?? '–'],
              [
                'retry topic',
                detail.retryTopic.exists
                  ? topicLink(detail.retryTopic.topic)
                  : `${detail.retryTopic.topic} (none yet)`,
              ],
              [
                'DLQ topic',
                detail.dlqTopic.exists ? (
                  <>
                    {topicLink(detail.dlqTopic.topic)} ·{' '}
                    <Link
                      href={`${sectionPath(cluster, 'dlq')}/${encodeURIComponent(detail.group)}`}
                      className={LINK_CLASS}
                      data-testid="group-dlq-link"
                    >
                      browse and resend
                    </Link>
                  </>
                ) : (
                  `${detail.dlqTopic.topic} (none yet)`
                ),
              ],
            ]}
          />
        </Section>
      </div>

      <Section
        title="Queues held by a member"
        hint="as the client reports them; asked on demand (Java clients answer, others may not)"
        testId="group-member-queues"
      >
        <MemberQueues cluster={cluster} group={group} members={connections.members} />
      </Section>
    </div>
  )
}
