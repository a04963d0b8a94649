// The Topics pages' reads: the topic list (one cached listTopics() snapshot per cluster, filtered, sorted and paged
// on the server, TPS from metric history for the page's rows in one query) and one topic's detail.
import 'server-only'
import { z } from 'zod'
import { AppError } from '@/lib/errors'
import type {
  BrokerFailure,
  PartialResult,
  TopicConsumer,
  TopicMessageType,
  TopicRoute,
  TopicStats,
  TopicSummary,
} from '@/lib/cluster/gateway'
import { METRIC } from '@/lib/metrics/metric-names'
import type { ConsoleContext } from './console-context'
import { detailSnapshot } from './detail-snapshot'
import { mergeFailures } from './failures'
import {
  firstParams,
  pageOf,
  parseListParams,
  type ListPage,
  type ListParams,
  type SearchParamsInput,
  type SortKey,
} from './list-query'
import type { LatestValues, SeriesPoint } from './metric-reads'
import { cachedSnapshot, type Snapshot } from './snapshot-cache'

/** How long one listTopics() answer serves every list request, sort and keystroke of a cluster. */
export const TOPIC_LIST_TTL_MS = 5_000
/** The topic detail's own snapshot: the page refreshes every few seconds, several tabs share one read. */
export const TOPIC_DETAIL_TTL_MS = 3_000
/** Chart span of the topic and group detail pages. */
export const DETAIL_SERIES_SPAN_MS = 60 * 60 * 1000
/** Groups the topic detail asks about (getTopicConsumers' bound; beyond it the result is partial). */
const TOPIC_CONSUMERS_MAX = 100

const TOPIC_PUT_TPS = METRIC.PUT_TPS

/**
 * The list's type filter, one per topic: the kind (a group's %RETRY% / %DLQ% topic, RocketMQ's own topics) first,
 * then for user topics the `message.type` attribute (or FIFO for 4.x ordered topics). MIXED and UNSPECIFIED
 * topics are normal.
 */
export type TopicType = 'normal' | 'retry' | 'dlq' | 'system' | 'transactional' | 'delay' | 'fifo'

export const TOPIC_TYPES: readonly TopicType[] = [
  'normal',
  'fifo',
  'delay',
  'transactional',
  'retry',
  'dlq',
  'system',
]

export function topicTypeOf(topic: Pick<TopicSummary, 'kind' | 'messageType'>): TopicType {
  switch (topic.kind) {
    case 'RETRY':
      return 'retry'
    case 'DLQ':
      return 'dlq'
    case 'SYSTEM':
      return 'system'
    case 'NORMAL':
      break
  }
  switch (topic.messageType) {
    case 'TRANSACTION':
      return 'transactional'
    case 'DELAY':
      return 'delay'
    case 'FIFO':
      return 'fifo'
    case 'NORMAL':
    case 'MIXED':
    case 'UNSPECIFIED':
      return 'normal'
  }
}

export interface TopicRow {
  readonly topic: string
  readonly type: TopicType
  readonly messageType: TopicMessageType
  readonly brokerNames: readonly string[]
  readonly readQueueNums: number
  readonly writeQueueNums: number
  /** The first broker's perm bits (brokers normally agree); undefined when no broker answered for it. */
  readonly perm: number | undefined
  /** Messages put per second, from the newest metrics sample; undefined when there is none. */
  readonly tps: number | undefined
}

export interface TopicListParams extends ListParams {
  /** Types shown; empty = every type. */
  readonly types: readonly TopicType[]
}

export interface TopicListPage extends ListPage<TopicRow> {
  readonly types: readonly TopicType[]
  /** Topics of each type matching the text filter (the filter chips' counts). */
  readonly typeCounts: Readonly<Record<TopicType, number>>
  readonly fetchedAtMs: number
  /** Time of the TPS samples shown; undefined when metric history has none. */
  readonly tpsAtMs: number | undefined
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

const typeListSchema = z
  .string()
  .max(200)
  .default('')
  .transform((text) =>
    [...new Set(text.split(',').map((t) => t.trim().toLowerCase()))].filter((t) => t !== ''),
  )
  .pipe(z.array(z.enum(TOPIC_TYPES as [TopicType, ...TopicType[]])))

/** List params plus `type=retry,dlq` (comma separated, case-insensitive). */
export function parseTopicListParams(params: SearchParamsInput): TopicListParams {
  const { type } = firstParams(params)
  return { ...parseListParams(params), types: typeListSchema.parse(type ?? '') }
}

/** The cluster's topics, read at most once per TOPIC_LIST_TTL_MS whatever the number of viewers. */
export function topicsSnapshot(
  ctx: ConsoleContext,
): Promise<Snapshot<PartialResult<readonly TopicSummary[]>>> {
  return cachedSnapshot(ctx.cluster, 'topics', TOPIC_LIST_TTL_MS, () => ctx.gateway.listTopics())
}

const TYPE_ORDER: Readonly<Record<TopicType, number>> = Object.fromEntries(
  TOPIC_TYPES.map((type, index) => [type, index]),
) as Record<TopicType, number>

/** A topic without a point in the newest sampling pass put nothing then (sparse series): 0, not unknown. */
function tpsOf(latest: LatestValues | undefined, topic: string): number | undefined {
  if (!latest || latest.atMs === undefined) return undefined
  return latest.values.get(topic) ?? 0
}

interface Candidate {
  readonly summary: TopicSummary
  readonly type: TopicType
}

function emptyCounts(): Record<TopicType, number> {
  return Object.fromEntries(TOPIC_TYPES.map((type) => [type, 0])) as Record<TopicType, number>
}

/**
 * A page of topics. Cost: at most one listTopics() per cluster per TOPIC_LIST_TTL_MS, and one metrics query
 * (the page's rows; every topic's when sorting by TPS, which needs them all).
 */
export async function listTopicPage(ctx: ConsoleContext, params: TopicListParams): Promise<TopicListPage> {
  const snapshot = await topicsSnapshot(ctx)
  const { data: summaries, partial, failures } = snapshot.value
  const needle = params.q.toLowerCase()
  const typeCounts = emptyCounts()
  const wanted = new Set(params.types)
  const candidates: Candidate[] = []
  for (const summary of summaries) {
    if (needle !== '' && !summary.topic.toLowerCase().includes(needle)) continue
    const type = topicTypeOf(summary)
    typeCounts[type]++
    if (wanted.size === 0 || wanted.has(type)) candidates.push({ summary, type })
  }

  const sortByTps = params.sort === 'tps'
  const allTps = sortByTps
    ? await ctx.metrics.latestValues(ctx.cluster, 'TOPIC', TOPIC_PUT_TPS, undefined)
    : undefined
  const sorters: Record<string, SortKey<Candidate>> = {
    name: (c) => c.summary.topic,
    // Ties keep the snapshot's order (by name).
    type: (c) => TYPE_ORDER[c.type],
    queues: (c) => Math.max(c.summary.readQueueNums, c.summary.writeQueueNums),
    brokers: (c) => c.summary.brokers.length,
    tps: (c) => tpsOf(allTps, c.summary.topic) ?? -1,
  }
  // The text filter ran above (it also feeds the chip counts), so pageOf only sorts and pages.
  const page = pageOf(candidates, { ...params, q: '' }, () => '', sorters)
  const tps =
    allTps ??
    (page.rows.length > 0
      ? await ctx.metrics.latestValues(
          ctx.cluster,
          'TOPIC',
          TOPIC_PUT_TPS,
          page.rows.map((c) => c.summary.topic),
        )
      : { values: new Map<string, number>(), atMs: undefined })
  return {
    ...page,
    rows: page.rows.map(({ summary, type }) => ({
      topic: summary.topic,
      type,
      messageType: summary.messageType,
      brokerNames: summary.brokers.map((b) => b.brokerName),
      readQueueNums: summary.readQueueNums,
      writeQueueNums: summary.writeQueueNums,
      perm: summary.brokers[0]?.perm,
      tps: tpsOf(tps, summary.topic),
    })),
    types: params.types,
    typeCounts,
    fetchedAtMs: snapshot.fetchedAtMs,
    tpsAtMs: tps.atMs,
    partial,
    failures,
  }
}

// ---------------------------------------------------------------------------------------------------------------

export interface TopicDetail {
  readonly topic: string
  readonly type: TopicType
  /** Config per broker; undefined when no answering broker holds the topic (only the route knows it). */
  readonly config: TopicSummary | undefined
  readonly route: TopicRoute | undefined
  readonly stats: TopicStats | undefined
  readonly consumers: readonly TopicConsumer[]
  /** For a %RETRY% or %DLQ% topic: the group it belongs to. */
  readonly ownerGroup: string | undefined
  readonly tpsSeries: readonly SeriesPoint[]
  readonly fetchedAtMs: number
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

const RETRY_PREFIX = '%RETRY%'
const DLQ_PREFIX = '%DLQ%'

function ownerGroupOf(topic: string): string | undefined {
  if (topic.startsWith(RETRY_PREFIX)) return topic.slice(RETRY_PREFIX.length)
  if (topic.startsWith(DLQ_PREFIX)) return topic.slice(DLQ_PREFIX.length)
  return undefined
}

/** When no broker answered with the topic's config: what its name says. */
function fallbackTypeOf(topic: string): TopicType {
  if (topic.startsWith(RETRY_PREFIX)) return 'retry'
  if (topic.startsWith(DLQ_PREFIX)) return 'dlq'
  return 'normal'
}

async function loadTopicDetail(ctx: ConsoleContext, topic: string, nowMs: number): Promise<TopicDetail> {
  const { gateway } = ctx
  const [config, route, stats, consumers, tpsSeries] = await Promise.all([
    gateway.getTopicConfig(topic),
    gateway.getTopicRoute(topic),
    gateway.getTopicStats(topic),
    gateway.getTopicConsumers(topic, { groupsMax: TOPIC_CONSUMERS_MAX }),
    ctx.metrics.series(ctx.cluster, 'TOPIC', topic, TOPIC_PUT_TPS, nowMs - DETAIL_SERIES_SPAN_MS),
  ])
  if (!config.data && !route && !stats.data)
    throw new AppError('NOT_FOUND', `topic ${topic} does not exist on cluster ${ctx.cluster}`)
  const failures = mergeFailures(config.failures, stats.failures, consumers.failures)
  return {
    topic,
    type: config.data ? topicTypeOf(config.data) : fallbackTypeOf(topic),
    config: config.data,
    route,
    stats: stats.data,
    consumers: [...consumers.data].sort((a, b) => b.lag - a.lag || a.group.localeCompare(b.group)),
    ownerGroup: ownerGroupOf(topic),
    tpsSeries,
    fetchedAtMs: nowMs,
    partial: failures.length > 0,
    failures,
  }
}

/**
 * One topic's config per broker, route, per-queue offsets, consuming groups with lag and TPS history. Cost: the
 * four gateway reads (route + 1 per broker each; getTopicConsumers bounded at 100 groups) and one metrics query,
 * at most once per TOPIC_DETAIL_TTL_MS per topic. AppError NOT_FOUND when no broker and no route knows the topic.
 */
export function getTopicDetail(ctx: ConsoleContext, topic: string): Promise<TopicDetail> {
  return detailSnapshot(ctx, 'topic', topic, TOPIC_DETAIL_TTL_MS, loadTopicDetail)
}
