// The Overview page's data: brokers with their runtime figures, NameServers, the consumer groups with the most lag,
// DLQ and pending-transaction counts, cluster TPS history, top topics by TPS and the warnings an operator should
// see first. Live figures come from one bounded set of gateway reads (cluster info, NameServers, groups, DLQs,
// pending transactions; each a cachedSnapshot shared with other pages), history from lib/metrics. Every part may
// fail on its own: the page shows what could be read, the partial banner and each part's error.
import 'server-only'
import type {
  BrokerFailure,
  BrokerSummary,
  Capability,
  ClusterInfo,
  ConsumerGroupSummary,
  DlqSummary,
  NameServerStatus,
  PartialResult,
  PendingTransaction,
} from '@/lib/cluster/gateway'
import { brokerSeriesName } from '@/lib/metrics/metric-names'
import { toAppError } from '@/lib/errors'
import type { ConsoleContext } from './console-context'
import { mergeFailures } from './failures'
import { groupsSnapshot } from './groups'
import { METRIC, METRIC_SCOPE, metricsHistory, type OverviewHistory } from './overview-history'
import { cachedSnapshot, type Snapshot } from './snapshot-cache'

export const OVERVIEW_TTL_MS = 5_000
/** NameServer pings are cheap but one per address: a little longer. */
export const NAME_SERVERS_TTL_MS = 10_000
/** A broker the NameServer has not heard from for this long is "silent" (RocketMQ expires it after 120 s). */
export const HEARTBEAT_SILENT_MS = 120_000
export const DISK_RATIO_WARN = 0.85
/** The TPS chart's span. */
export const HISTORY_SPAN_MS = 60 * 60_000
/** Top topics are ranked by their average over this window. */
export const TOP_TOPICS_WINDOW_MS = 5 * 60_000
/** Lag and DLQ growth are judged over this window. */
export const GROWTH_WINDOW_MS = 10 * 60_000
export const TOP_ROWS_MAX = 10
/** Warnings of one kind beyond this are summed up in one line. */
export const WARNINGS_PER_KIND_MAX = 5

export interface BrokerRow {
  readonly clusterName: string
  readonly brokerName: string
  readonly brokerId: number
  readonly role: BrokerSummary['role']
  readonly addr: string
  /** False when the broker did not answer (its runtime figures are unknown). */
  readonly answered: boolean
  readonly version: string | undefined
  readonly bootTimestampMs: number | undefined
  readonly heartbeatAgeMs: number | undefined
  readonly flushDiskType: string | undefined
  readonly brokerRole: string | undefined
  /** 0..1. */
  readonly diskRatio: number | undefined
  readonly putTps: number | undefined
  readonly getTps: number | undefined
  readonly msgPutTotalTodayNow: number | undefined
  readonly msgGetTotalTodayNow: number | undefined
}

export interface GroupLagRow {
  readonly group: string
  readonly lag: number
  readonly consumeTps: number
  readonly topics: readonly string[]
}

export interface TopTopicRow {
  readonly topic: string
  /** Average PUT_TPS over TOP_TOPICS_WINDOW_MS. */
  readonly putTps: number
}

export type WarningKind = 'BROKER_SILENT' | 'DISK_HIGH' | 'LAG_GROWING' | 'DLQ_GROWING' | 'NAMESERVER_DOWN'

export interface OverviewWarning {
  readonly kind: WarningKind
  /** The broker, group or NameServer concerned ('' for a summary line). */
  readonly subject: string
  readonly message: string
}

/** A part of the page that could not be read, and why (in words for the page). */
export interface SectionError {
  readonly section: 'brokers' | 'nameServers' | 'groups' | 'dlqs' | 'transactions' | 'history'
  readonly message: string
}

export interface CountFigure {
  readonly count: number
  /** How many groups / producer groups it spreads over. */
  readonly groups: number
}

export interface Overview {
  readonly cluster: string
  /** The oldest of the live reads' fetch times: how stale the page can be. */
  readonly fetchedAtMs: number
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
  readonly errors: readonly SectionError[]
  readonly clusterNames: readonly string[]
  readonly brokers: readonly BrokerRow[]
  readonly nameServers: readonly NameServerStatus[]
  readonly totals: {
    readonly putTps: number
    readonly getTps: number
    readonly brokers: number
    readonly brokersAnswering: number
    readonly groups: number
    readonly totalLag: number
  }
  readonly topLagGroups: readonly GroupLagRow[]
  /** undefined when the DLQ list could not be read (see errors). */
  readonly dlq: CountFigure | undefined
  /** Unsupported on clusters that cannot list half messages; undefined when the read failed. */
  readonly pendingTransactions: Capability<CountFigure> | undefined
  readonly history: {
    readonly fromMs: number
    readonly toMs: number
    readonly resolutionSec: number
    readonly putTps: readonly { t: number; v: number }[]
    readonly getTps: readonly { t: number; v: number }[]
  }
  readonly topTopics: readonly TopTopicRow[]
  readonly warnings: readonly OverviewWarning[]
}

type Settled<T> = { ok: true; value: T; fetchedAtMs: number } | { ok: false; message: string }

async function settle<T>(load: Promise<Snapshot<T>>): Promise<Settled<T>> {
  try {
    const snapshot = await load
    return { ok: true, value: snapshot.value, fetchedAtMs: snapshot.fetchedAtMs }
  } catch (err) {
    return { ok: false, message: toAppError(err).message }
  }
}

async function settlePlain<T>(
  load: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await load }
  } catch (err) {
    return { ok: false, message: toAppError(err).message }
  }
}

export function clusterInfoSnapshot(ctx: ConsoleContext): Promise<Snapshot<PartialResult<ClusterInfo>>> {
  return cachedSnapshot(ctx.cluster, 'cluster-info', OVERVIEW_TTL_MS, () => ctx.gateway.getClusterInfo())
}

export function nameServersSnapshot(ctx: ConsoleContext): Promise<Snapshot<readonly NameServerStatus[]>> {
  return cachedSnapshot(ctx.cluster, 'name-servers', NAME_SERVERS_TTL_MS, () => ctx.gateway.listNameServers())
}

export function dlqsSnapshot(ctx: ConsoleContext): Promise<Snapshot<PartialResult<readonly DlqSummary[]>>> {
  return cachedSnapshot(ctx.cluster, 'dlqs', OVERVIEW_TTL_MS, () => ctx.gateway.listDlqs())
}

export function pendingTransactionsSnapshot(
  ctx: ConsoleContext,
): Promise<Snapshot<Capability<PartialResult<readonly PendingTransaction[]>>>> {
  return cachedSnapshot(ctx.cluster, 'pending-transactions', OVERVIEW_TTL_MS, () =>
    ctx.gateway.listPendingTransactions(),
  )
}

export function brokerRowOf(broker: BrokerSummary): BrokerRow {
  const runtime = broker.runtime
  return {
    clusterName: broker.clusterName,
    brokerName: broker.brokerName,
    brokerId: broker.brokerId,
    role: broker.role,
    addr: broker.addr,
    answered: runtime !== undefined,
    version: runtime?.version,
    bootTimestampMs: runtime?.bootTimestampMs,
    heartbeatAgeMs: broker.heartbeatAgeMs,
    flushDiskType: broker.flushDiskType,
    brokerRole: broker.brokerRole,
    diskRatio: runtime?.commitLogDiskRatio,
    putTps: runtime?.putTps,
    getTps: runtime?.getTps,
    msgPutTotalTodayNow: runtime?.msgPutTotalTodayNow,
    msgGetTotalTodayNow: runtime?.msgGetTotalTodayNow,
  }
}

/** Warnings from live figures: silent brokers, full disks, unreachable NameServers. */
export function liveWarnings(
  brokers: readonly BrokerRow[],
  nameServers: readonly NameServerStatus[],
): OverviewWarning[] {
  const out: OverviewWarning[] = []
  for (const b of brokers) {
    const name = brokerSeriesName(b.brokerName, b.brokerId)
    if (!b.answered) {
      out.push({
        kind: 'BROKER_SILENT',
        subject: name,
        message: `${name} (${b.addr}) did not answer: no runtime figures`,
      })
    } else if (b.heartbeatAgeMs !== undefined && b.heartbeatAgeMs > HEARTBEAT_SILENT_MS) {
      const seconds = Math.round(b.heartbeatAgeMs / 1000)
      out.push({
        kind: 'BROKER_SILENT',
        subject: name,
        message: `${name} last sent a heartbeat ${seconds} s ago`,
      })
    }
    if (b.diskRatio !== undefined && b.diskRatio > DISK_RATIO_WARN) {
      const percent = (b.diskRatio * 100).toFixed(1)
      out.push({
        kind: 'DISK_HIGH',
        subject: name,
        message: `${name}: CommitLog disk ${percent}% full (above ${DISK_RATIO_WARN * 100}%)`,
      })
    }
  }
  for (const ns of nameServers) {
    if (!ns.reachable)
      out.push({
        kind: 'NAMESERVER_DOWN',
        subject: ns.addr,
        message: `NameServer ${ns.addr} unreachable${ns.error ? `: ${ns.error}` : ''}`,
      })
  }
  return out
}

/** "orders lag 1,200 → 4,800 over 10 min" lines, at most WARNINGS_PER_KIND_MAX and a summary of the rest. */
function growthWarnings(
  kind: 'LAG_GROWING' | 'DLQ_GROWING',
  changes: readonly { name: string; earliest: number; latest: number; growing: boolean }[],
): OverviewWarning[] {
  const growing = changes.filter((c) => c.growing)
  const what = kind === 'LAG_GROWING' ? 'lag' : 'DLQ'
  const minutes = Math.round(GROWTH_WINDOW_MS / 60_000)
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
  const out: OverviewWarning[] = growing.slice(0, WARNINGS_PER_KIND_MAX).map((c) => ({
    kind,
    subject: c.name,
    message: `${c.name}: ${what} growing, ${fmt(c.earliest)} → ${fmt(c.latest)} over ${minutes} min`,
  }))
  if (growing.length > WARNINGS_PER_KIND_MAX)
    out.push({
      kind,
      subject: '',
      message: `${growing.length - WARNINGS_PER_KIND_MAX} more groups with ${what} growing`,
    })
  return out
}

function topLagGroupsOf(groups: readonly ConsumerGroupSummary[]): GroupLagRow[] {
  return groups
    .filter((g) => !g.system && g.lag > 0)
    .sort((a, b) => b.lag - a.lag || (a.group < b.group ? -1 : 1))
    .slice(0, TOP_ROWS_MAX)
    .map((g) => ({
      group: g.group,
      lag: g.lag,
      consumeTps: g.consumeTps,
      topics: g.topics.map((t) => t.topic),
    }))
}

/** The Overview of `ctx.cluster`; throws only for a programming error (every read failure is a SectionError). */
export async function getOverview(
  ctx: ConsoleContext,
  history: OverviewHistory = metricsHistory(),
  nowMs: () => number = Date.now,
): Promise<Overview> {
  const toMs = nowMs()
  const fromMs = toMs - HISTORY_SPAN_MS
  const [info, nameServers, groups, dlqs, transactions, historyRead] = await Promise.all([
    settle(clusterInfoSnapshot(ctx)),
    settle(nameServersSnapshot(ctx)),
    settle(groupsSnapshot(ctx)),
    settle(dlqsSnapshot(ctx)),
    settle(pendingTransactionsSnapshot(ctx)),
    settlePlain(
      Promise.all([
        history.series({
          cluster: ctx.cluster,
          scope: METRIC_SCOPE.CLUSTER,
          name: ctx.cluster,
          metric: METRIC.PUT_TPS,
          fromMs,
          toMs,
        }),
        history.series({
          cluster: ctx.cluster,
          scope: METRIC_SCOPE.CLUSTER,
          name: ctx.cluster,
          metric: METRIC.GET_TPS,
          fromMs,
          toMs,
        }),
        history.topNames({
          cluster: ctx.cluster,
          scope: METRIC_SCOPE.TOPIC,
          metric: METRIC.PUT_TPS,
          windowMs: TOP_TOPICS_WINDOW_MS,
          limit: TOP_ROWS_MAX,
        }),
        history.changes({
          cluster: ctx.cluster,
          scope: METRIC_SCOPE.GROUP,
          metric: METRIC.LAG,
          windowMs: GROWTH_WINDOW_MS,
        }),
        history.changes({
          cluster: ctx.cluster,
          scope: METRIC_SCOPE.GROUP,
          metric: METRIC.DLQ_MESSAGES,
          windowMs: GROWTH_WINDOW_MS,
        }),
      ]),
    ),
  ])

  const errors: SectionError[] = []
  const failureLists: (readonly BrokerFailure[])[] = []
  const fetchTimes: number[] = []
  const note = <T>(section: SectionError['section'], settled: Settled<T>): T | undefined => {
    if (!settled.ok) {
      errors.push({ section, message: settled.message })
      return undefined
    }
    fetchTimes.push(settled.fetchedAtMs)
    return settled.value
  }

  const clusterInfo = note('brokers', info)
  const nameServerList = note('nameServers', nameServers) ?? []
  const groupList = note('groups', groups)
  const dlqList = note('dlqs', dlqs)
  const transactionList = note('transactions', transactions)
  for (const partial of [clusterInfo, groupList, dlqList]) if (partial) failureLists.push(partial.failures)
  if (transactionList?.supported) failureLists.push(transactionList.value.failures)
  if (!historyRead.ok) errors.push({ section: 'history', message: historyRead.message })

  const brokers = (clusterInfo?.data.brokers ?? []).map(brokerRowOf)
  const answering = brokers.filter((b) => b.answered)
  // A slave stores the same messages as its master: puts are counted on masters, gets (served by either) on all.
  const masters = answering.filter((b) => b.brokerId === 0)
  const [putSeries, getSeries, topNames, lagChanges, dlqChanges] = historyRead.ok ? historyRead.value : []
  const failures = mergeFailures(...failureLists)

  return {
    cluster: ctx.cluster,
    fetchedAtMs: fetchTimes.length > 0 ? Math.min(...fetchTimes) : toMs,
    partial: failures.length > 0,
    failures,
    errors,
    clusterNames: clusterInfo?.data.clusters.map((c) => c.clusterName) ?? [],
    brokers,
    nameServers: nameServerList,
    totals: {
      putTps: masters.reduce((sum, b) => sum + (b.putTps ?? 0), 0),
      getTps: answering.reduce((sum, b) => sum + (b.getTps ?? 0), 0),
      brokers: brokers.length,
      brokersAnswering: answering.length,
      groups: groupList?.data.filter((g) => !g.system).length ?? 0,
      totalLag: groupList?.data.reduce((sum, g) => sum + g.lag, 0) ?? 0,
    },
    topLagGroups: topLagGroupsOf(groupList?.data ?? []),
    dlq: dlqList && {
      count: dlqList.data.reduce((sum, d) => sum + d.messageCount, 0),
      groups: dlqList.data.filter((d) => d.messageCount > 0).length,
    },
    pendingTransactions:
      transactionList &&
      (transactionList.supported
        ? {
            supported: true,
            value: {
              count: transactionList.value.data.length,
              groups: new Set(transactionList.value.data.map((t) => t.producerGroup)).size,
            },
          }
        : { supported: false, reason: transactionList.reason }),
    history: {
      fromMs,
      toMs,
      resolutionSec: putSeries?.resolutionSec ?? 0,
      putTps: putSeries?.points ?? [],
      getTps: getSeries?.points ?? [],
    },
    topTopics: (topNames ?? []).map((t) => ({ topic: t.name, putTps: t.average })),
    warnings: [
      ...liveWarnings(brokers, nameServerList),
      ...growthWarnings('LAG_GROWING', lagChanges ?? []),
      ...growthWarnings('DLQ_GROWING', dlqChanges ?? []),
    ],
  }
}
