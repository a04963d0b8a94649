// The Consumer groups pages' reads: the group list (one cached listConsumerGroups() snapshot per cluster, filtered,
// sorted and paged on the server; members and online state only for the rows shown) and one group's detail.
//
// Why members are per page: RocketMQ has no bulk "who is online" call. A group's members come from
// GET_CONSUMER_CONNECTION_LIST, one call per master PER GROUP, so reading them for 2,000 groups on every list
// load is the N+1 storm that makes rocketmq-dashboard time out. Here they are read only for the rows of the
// requested page (≤ pageSize groups, 8 at a time, each cached GROUP_CONNECTIONS_TTL_MS), so a list request costs
// 2 calls per master (the snapshot, shared for LIST_TTL) + pageSize × masters, whatever the group count. The
// online/offline filter cannot know every group's state up front either: it checks groups in the list's order,
// through the same cache, until the requested page is filled or ONLINE_PROBE_MAX groups were checked in this
// request, and says how far it got (`stateScan`).
import 'server-only'
import { z } from 'zod'
import { isSystemGroup } from '@/broker-engine/index'
import { AppError } from '@/lib/errors'
import type {
  BrokerFailure,
  ConsumerConnections,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  PartialResult,
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
import type { SeriesPoint } from './metric-reads'
import { cachedSnapshot, type Snapshot } from './snapshot-cache'
import { DETAIL_SERIES_SPAN_MS, topicsSnapshot } from './topics'

export const GROUP_LIST_TTL_MS = 5_000
/** A group's members, shared by list pages and tabs for this long. */
export const GROUP_CONNECTIONS_TTL_MS = 5_000
export const GROUP_DETAIL_TTL_MS = 3_000
/** getConsumerConnections calls in flight at once for one list request. */
export const CONNECTIONS_CONCURRENCY = 8
/** Groups one request with an online/offline filter may check (beyond the cache). */
export const ONLINE_PROBE_MAX = 200

const GROUP_LAG = METRIC.LAG

export type GroupState = 'online' | 'offline'

export interface GroupRow {
  readonly group: string
  readonly system: boolean
  /**
   * The config's consumeBroadcastEnable: whether broadcast consumption is allowed (RocketMQ's default is true), not
   * whether the group consumes in broadcast mode; that is `messageModel`, known only from online members.
   * undefined when no broker holds a config for the group.
   */
  readonly consumeBroadcastEnable: boolean | undefined
  /** consumeMessageOrderly: a FIFO (orderly) group rather than a concurrent one. */
  readonly orderly: boolean | undefined
  readonly consumeEnable: boolean | undefined
  readonly retryMaxTimes: number | undefined
  readonly lag: number
  readonly consumeTps: number
  readonly topics: readonly string[]
  /** Online members; undefined when not read (see the module comment) or when the read failed. */
  readonly members: number | undefined
  readonly online: boolean | undefined
  /** CLUSTERING / BROADCASTING as the online members report it. */
  readonly messageModel: string | undefined
  /** Why members could not be read. */
  readonly membersError: string | undefined
}

export interface GroupListParams extends ListParams {
  readonly state: GroupState | undefined
  /** RocketMQ's own groups (TOOLS_CONSUMER, CID_RMQ_SYS_*, ...) are hidden unless asked for. */
  readonly showSystem: boolean
}

export interface GroupListPage extends ListPage<GroupRow> {
  readonly state: GroupState | undefined
  readonly showSystem: boolean
  /** System groups the filter hid. */
  readonly systemHidden: number
  /**
   * With a state filter: groups checked of those matching the other filters; `complete` false means the totals
   * count only the checked ones (the probe budget ran out) and later pages may find more.
   */
  readonly stateScan:
    { readonly checked: number; readonly candidates: number; readonly complete: boolean } | undefined
  readonly fetchedAtMs: number
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

const stateSchema = z.enum(['online', 'offline']).optional()
const flagSchema = z.enum(['1', 'true', '0', 'false', '']).optional()

/** List params plus `state=online|offline` and `system=1`. */
export function parseGroupListParams(params: SearchParamsInput): GroupListParams {
  const { state, system: systemFlag } = firstParams(params)
  const system = flagSchema.parse(systemFlag)
  return {
    ...parseListParams(params),
    state: stateSchema.parse(state === '' ? undefined : state),
    showSystem: system === '1' || system === 'true',
  }
}

/** The cluster's groups with config, lag and TPS: 2 calls per master, at most once per GROUP_LIST_TTL_MS. */
export function groupsSnapshot(
  ctx: ConsoleContext,
): Promise<Snapshot<PartialResult<readonly ConsumerGroupSummary[]>>> {
  return cachedSnapshot(ctx.cluster, 'groups', GROUP_LIST_TTL_MS, () => ctx.gateway.listConsumerGroups())
}

type ConnectionsRead =
  | { readonly ok: true; readonly value: PartialResult<ConsumerConnections> }
  | { readonly ok: false; readonly reason: string }

/** One group's members through the per-group cache; a failure is a value (the row says why). */
async function readConnections(ctx: ConsoleContext, group: string): Promise<ConnectionsRead> {
  try {
    const snapshot = await cachedSnapshot(
      ctx.cluster,
      `group-connections:${group}`,
      GROUP_CONNECTIONS_TTL_MS,
      () => ctx.gateway.getConsumerConnections(group),
    )
    return { ok: true, value: snapshot.value }
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) }
  }
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      out[index] = await task(items[index]!)
    }
  })
  await Promise.all(workers)
  return out
}

function rowOf(summary: ConsumerGroupSummary, read: ConnectionsRead | undefined): GroupRow {
  const connections = read?.ok ? read.value.data : undefined
  return {
    group: summary.group,
    system: summary.system,
    consumeBroadcastEnable: summary.config?.consumeBroadcastEnable,
    orderly: summary.config?.consumeMessageOrderly,
    consumeEnable: summary.config?.consumeEnable,
    retryMaxTimes: summary.config?.retryMaxTimes,
    lag: summary.lag,
    consumeTps: summary.consumeTps,
    topics: summary.topics.map((t) => t.topic),
    members: connections?.members.length,
    online: connections?.online,
    messageModel: connections?.messageModel,
    membersError: read && !read.ok ? read.reason : undefined,
  }
}

const SORTERS: Readonly<Record<string, SortKey<ConsumerGroupSummary>>> = {
  name: (s) => s.group,
  lag: (s) => s.lag,
  tps: (s) => s.consumeTps,
  // Orderly groups first when ascending; the message model is not known for every group (see GroupRow).
  mode: (s) => (s.config?.consumeMessageOrderly ? 0 : 1),
  retryMax: (s) => s.config?.retryMaxTimes ?? -1,
  topics: (s) => s.topics.length,
}

/**
 * A page of groups. Cost: the shared snapshot, plus getConsumerConnections for the page's rows only (≤ pageSize,
 * CONNECTIONS_CONCURRENCY at a time, cached per group); with a state filter at most ONLINE_PROBE_MAX more.
 */
export async function listGroupPage(ctx: ConsoleContext, params: GroupListParams): Promise<GroupListPage> {
  const snapshot = await groupsSnapshot(ctx)
  const { data: summaries, partial, failures } = snapshot.value
  const visible = params.showSystem ? summaries : summaries.filter((s) => !s.system)
  const base = {
    state: params.state,
    showSystem: params.showSystem,
    systemHidden: summaries.length - visible.length,
    fetchedAtMs: snapshot.fetchedAtMs,
    partial,
    failures,
  }

  if (params.state === undefined) {
    const page = pageOf(visible, params, (s) => s.group, SORTERS)
    const reads = await mapBounded(page.rows, CONNECTIONS_CONCURRENCY, (s) => readConnections(ctx, s.group))
    return {
      ...page,
      rows: page.rows.map((s, i) => rowOf(s, reads[i])),
      stateScan: undefined,
      ...base,
    }
  }

  // State filter: sort and text-filter everything, then check groups in that order until the page is filled.
  const ordered = pageOf(
    visible,
    { ...params, page: 1, pageSize: Math.max(1, visible.length) },
    (s) => s.group,
    SORTERS,
  )
  const candidates = ordered.rows
  const wantOnline = params.state === 'online'
  const needed = params.page * params.pageSize
  const matches: { summary: ConsumerGroupSummary; read: ConnectionsRead }[] = []
  let checked = 0
  while (checked < candidates.length && matches.length < needed && checked < ONLINE_PROBE_MAX) {
    const batch = candidates.slice(
      checked,
      Math.min(candidates.length, checked + CONNECTIONS_CONCURRENCY, ONLINE_PROBE_MAX),
    )
    const reads = await mapBounded(batch, CONNECTIONS_CONCURRENCY, (s) => readConnections(ctx, s.group))
    batch.forEach((summary, i) => {
      const read = reads[i]!
      // A group whose members could not be read is neither: it shows in no state filter.
      if (read.ok && read.value.data.online === wantOnline) matches.push({ summary, read })
    })
    checked += batch.length
  }
  const complete = checked >= candidates.length
  const total = matches.length
  // Unfinished scans leave one more page reachable so "next" can look further.
  const pageCount = Math.max(1, Math.ceil(total / params.pageSize) + (complete ? 0 : 1))
  const pageNumber = Math.min(params.page, pageCount)
  const start = (pageNumber - 1) * params.pageSize
  return {
    rows: matches.slice(start, start + params.pageSize).map((m) => rowOf(m.summary, m.read)),
    total,
    page: pageNumber,
    pageSize: params.pageSize,
    pageCount,
    sort: ordered.sort,
    dir: params.dir,
    stateScan: { checked, candidates: candidates.length, complete },
    ...base,
  }
}

// ---------------------------------------------------------------------------------------------------------------

export interface RelatedTopic {
  readonly topic: string
  /** Whether the cluster's topic list has it. */
  readonly exists: boolean
}

export interface GroupDetail extends ConsumerGroupDetail {
  readonly system: boolean
  readonly retryTopic: RelatedTopic
  readonly dlqTopic: RelatedTopic & { readonly messageCount: number | undefined }
  readonly lagSeries: readonly SeriesPoint[]
  readonly fetchedAtMs: number
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

const RETRY_PREFIX = '%RETRY%'
const DLQ_PREFIX = '%DLQ%'

async function loadGroupDetail(ctx: ConsoleContext, group: string, nowMs: number): Promise<GroupDetail> {
  const retryTopic = `${RETRY_PREFIX}${group}`
  const dlqTopic = `${DLQ_PREFIX}${group}`
  const [detail, topics, lagSeries] = await Promise.all([
    ctx.gateway.getConsumerGroup(group),
    topicsSnapshot(ctx),
    ctx.metrics.series(ctx.cluster, 'GROUP', group, GROUP_LAG, nowMs - DETAIL_SERIES_SPAN_MS),
  ])
  const { config, stats, connections } = detail.data
  if (!config && stats.queues.length === 0 && !connections.online)
    throw new AppError('NOT_FOUND', `consumer group ${group} does not exist on cluster ${ctx.cluster}`)
  const known = new Set(topics.value.data.map((t) => t.topic))
  const dlqExists = known.has(dlqTopic)
  const dlqStats = dlqExists ? await ctx.gateway.getTopicStats(dlqTopic) : undefined
  const failures = mergeFailures(detail.failures, dlqStats?.failures ?? [])
  return {
    ...detail.data,
    system: isSystemGroup(group),
    retryTopic: { topic: retryTopic, exists: known.has(retryTopic) },
    dlqTopic: { topic: dlqTopic, exists: dlqExists, messageCount: dlqStats?.data?.messageCount },
    lagSeries,
    fetchedAtMs: nowMs,
    partial: failures.length > 0,
    failures,
  }
}

/**
 * A group's config (retry settings), per-queue progress, members and subscriptions, %RETRY% / %DLQ% topics and
 * lag history. Cost: getConsumerGroup (3 calls per master), the shared topic snapshot, one topic stats
 * read of its DLQ and one metrics query, at most once per GROUP_DETAIL_TTL_MS. AppError NOT_FOUND when no
 * broker has a config, offsets or members for it.
 */
export function getGroupDetail(ctx: ConsoleContext, group: string): Promise<GroupDetail> {
  return detailSnapshot(ctx, 'group', group, GROUP_DETAIL_TTL_MS, loadGroupDetail)
}
