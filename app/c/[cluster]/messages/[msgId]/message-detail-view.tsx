'use client'
// One message: where and when it was stored, its properties and body, and its delivery state for every consumer
// group of its topic (with links to its %RETRY% and %DLQ% copies), refreshed live from the JSON route.
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type { DeliveryState, GroupDelivery, MessageView } from '@/lib/cluster/gateway'
import type { MessageDetailResult } from '@/lib/console/messages'
import { Badge, type BadgeTone } from '@/app/_components/badge'
import { EmptyState } from '@/app/_components/empty-state'
import { formatBytes } from '@/app/_components/format'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Time } from '@/app/_components/time-zone'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { fetchJson, FetchJsonError } from '@/app/_lib/fetch-json'
import { useHydrated } from '@/app/_lib/use-hydrated'
import { CopyButton } from '../_components/copy-button'
import { BodyViewer } from './body-viewer'

const DETAIL_REFRESH_MS = 10_000

const STATE_TONE: Readonly<Record<DeliveryState, BadgeTone>> = {
  CONSUMED: 'success',
  CONSUMED_BUT_FILTERED: 'neutral',
  NOT_CONSUMED_YET: 'info',
  IN_RETRY: 'warning',
  IN_DLQ: 'danger',
  UNKNOWN: 'neutral',
}

const STATE_HINT: Readonly<Record<DeliveryState, string>> = {
  CONSUMED: 'The group’s committed offset on this queue is past the message.',
  CONSUMED_BUT_FILTERED: 'Passed by, but the group’s tag subscription does not take this tag.',
  NOT_CONSUMED_YET: 'The group has not committed past this message yet.',
  IN_RETRY: 'Consumption failed; a copy waits in the group’s %RETRY% topic.',
  IN_DLQ: 'Retries ran out; a copy is in the group’s %DLQ% topic.',
  UNKNOWN: 'The group’s progress on this queue could not be read.',
}

export interface MessageDetailViewProps {
  readonly cluster: string
  readonly msgId: string
  /** The API URL (search params included) this view polls. */
  readonly apiUrl: string
  readonly downloadHref: string
  readonly initial: MessageDetailResult | undefined
  readonly initialNotFound: boolean
  readonly initialError: string | undefined
}

export function MessageDetailView(props: MessageDetailViewProps) {
  const { cluster, apiUrl } = props
  const hydrated = useHydrated()
  const query = useQuery<MessageDetailResult | null>({
    queryKey: ['message-detail', apiUrl],
    queryFn: async ({ signal }) => {
      try {
        return await fetchJson<MessageDetailResult>(apiUrl, { signal })
      } catch (err) {
        // Not found is an answer, not a failure.
        if (err instanceof FetchJsonError && err.status === 404) return null
        throw err
      }
    },
    initialData: props.initialNotFound ? null : props.initial,
    initialDataUpdatedAt: props.initial?.fetchedAtMs,
    placeholderData: keepPreviousData,
    refetchInterval: DETAIL_REFRESH_MS,
    retry: false,
  })
  const detail = query.data
  const error = query.error?.message ?? (query.isFetched ? undefined : props.initialError)

  if (detail === null)
    return (
      <div data-testid="message-not-found">
        <EmptyState title="Message not found">
          No broker of this cluster holds a message with id <code className="font-mono">{props.msgId}</code>.
          A UNIQ_KEY needs its topic (<code>?topic=</code>); messages also expire with their CommitLog files.
        </EmptyState>
      </div>
    )
  if (!detail)
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="message-detail-error">
        {error ?? 'Loading…'}
      </p>
    )

  const m = detail.message
  return (
    <div className="space-y-4" data-testid="message-detail" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm" data-testid="message-detail-id">
            {m.msgId}
          </span>
          <CopyButton text={m.msgId} label="Copy id" testId="copy-msg-id" />
          <CopyButton text={() => window.location.href} label="Copy link" testId="copy-link" />
        </div>
        <UpdatedAgo
          atMs={query.dataUpdatedAt || detail.fetchedAtMs}
          fetching={query.isFetching}
          error={query.error?.message}
        />
      </div>
      <PartialBanner failures={detail.failures} />
      <Summary cluster={cluster} message={m} />
      <Deliveries cluster={cluster} message={m} deliveries={detail.deliveries} />
      <BodyViewer message={m} bodyBytesMax={detail.bodyBytesMax} downloadHref={props.downloadHref} />
      <Properties properties={m.properties} />
    </div>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-2 py-1">
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-sm break-all">{children}</dd>
    </div>
  )
}

function Summary({ cluster, message: m }: { cluster: string; message: MessageView }) {
  const c = encodeURIComponent(cluster)
  const keyHref = (key: string) =>
    `/c/${c}/messages?${new URLSearchParams({ mode: 'key', topic: m.topic, key }).toString()}`
  return (
    <section className="panel" aria-label="Message">
      <h2 className="panel-title">Message</h2>
      <dl className="grid gap-x-8 md:grid-cols-2">
        <Row label="Topic">
          <a className="text-link font-mono" href={`/c/${c}/topics/${encodeURIComponent(m.topic)}`}>
            {m.topic}
          </a>
        </Row>
        <Row label="UNIQ_KEY">
          {m.uniqKey ? (
            <span className="inline-flex flex-wrap items-center gap-2">
              <span className="font-mono" data-testid="message-detail-uniq-key">
                {m.uniqKey}
              </span>
              <CopyButton text={m.uniqKey} label="Copy" testId="copy-uniq-key" />
            </span>
          ) : (
            '–'
          )}
        </Row>
        <Row label="Tag">{m.tags ?? '–'}</Row>
        <Row label="Keys">
          {m.keys.length === 0
            ? '–'
            : m.keys.map((key, i) => (
                <span key={key}>
                  {i > 0 && ' '}
                  <a className="text-link font-mono" href={keyHref(key)} title="Find messages with this key">
                    {key}
                  </a>
                </span>
              ))}
        </Row>
        <Row label="Store time">
          <Time ms={m.storeTimestampMs} />
        </Row>
        <Row label="Born time">
          <Time ms={m.bornTimestampMs} />
        </Row>
        <Row label="Store host">
          <span className="font-mono">{m.storeHost}</span>
        </Row>
        <Row label="Born host">
          <span className="font-mono">{m.bornHost}</span>
        </Row>
        <Row label="Broker / queue">
          <span className="font-mono" data-testid="message-detail-where">
            {m.brokerName} / {m.queueId}
          </span>
        </Row>
        <Row label="Queue offset">
          <span className="font-mono">{m.queueOffset}</span>
        </Row>
        <Row label="CommitLog offset">
          <span className="font-mono">{m.commitLogOffset}</span>
        </Row>
        <Row label="Reconsume times">{m.reconsumeTimes}</Row>
        <Row label="Body size">
          {formatBytes(m.bodySizeBytes)}
          {m.compression !== 'NONE' && ` (stored ${m.compression}-compressed)`}
        </Row>
        <Row label="sysFlag / flag">
          <span className="font-mono">
            {m.sysFlag} / {m.flag}
          </span>
        </Row>
      </dl>
    </section>
  )
}

function CopyLinks({ cluster, ids, topic }: { cluster: string; ids: readonly string[]; topic: string }) {
  if (ids.length === 0) return <>–</>
  return (
    <span className="flex flex-col gap-0.5">
      {ids.map((id) => (
        <a
          key={id}
          className="text-link font-mono text-xs"
          href={`/c/${encodeURIComponent(cluster)}/messages/${encodeURIComponent(id)}?topic=${encodeURIComponent(topic)}`}
        >
          {id}
        </a>
      ))}
    </span>
  )
}

function Deliveries({
  cluster,
  message,
  deliveries,
}: {
  cluster: string
  message: MessageView
  deliveries: readonly GroupDelivery[]
}) {
  return (
    <section className="panel" aria-label="Delivery state" data-testid="message-deliveries">
      <h2 className="panel-title">Delivery per consumer group</h2>
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No consumer group consumes <code className="font-mono">{message.topic}</code>.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-slate-600 uppercase dark:text-slate-400">
              <tr>
                <th scope="col" className="px-2 py-1 font-medium">
                  Consumer group
                </th>
                <th scope="col" className="px-2 py-1 font-medium">
                  State
                </th>
                <th scope="col" className="px-2 py-1 font-medium">
                  Online
                </th>
                <th scope="col" className="px-2 py-1 font-medium">
                  %RETRY% copies
                </th>
                <th scope="col" className="px-2 py-1 font-medium">
                  %DLQ% copies
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr
                  key={d.group}
                  className="border-t border-slate-100 dark:border-slate-800"
                  data-testid="delivery-row"
                  data-group={d.group}
                  data-state={d.state}
                >
                  <td className="px-2 py-1.5">
                    <a
                      className="text-link font-mono"
                      href={`/c/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(d.group)}`}
                    >
                      {d.group}
                    </a>
                  </td>
                  <td className="px-2 py-1.5">
                    <Badge tone={STATE_TONE[d.state]} title={STATE_HINT[d.state]}>
                      {d.state}
                    </Badge>
                  </td>
                  <td className="px-2 py-1.5">{d.online === undefined ? '–' : d.online ? 'yes' : 'no'}</td>
                  <td className="px-2 py-1.5">
                    <CopyLinks cluster={cluster} ids={d.retryMsgIds} topic={`%RETRY%${d.group}`} />
                  </td>
                  <td className="px-2 py-1.5">
                    <CopyLinks cluster={cluster} ids={d.dlqMsgIds} topic={`%DLQ%${d.group}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function Properties({ properties }: { properties: Readonly<Record<string, string>> }) {
  const entries = Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return (
    <section className="panel" aria-label="Properties" data-testid="message-properties">
      <h2 className="panel-title">Properties</h2>
      <table className="w-full text-sm">
        <tbody>
          {entries.map(([name, value]) => (
            <tr key={name} className="border-t border-slate-100 first:border-t-0 dark:border-slate-800">
              <th
                scope="row"
                className="w-64 px-2 py-1 text-left font-mono text-xs font-medium text-slate-600 dark:text-slate-400"
              >
                {name}
              </th>
              <td className="px-2 py-1 font-mono text-xs break-all">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
