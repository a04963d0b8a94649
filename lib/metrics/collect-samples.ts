// One sampling pass over a cluster, without the database: reads the gateway with a bounded number of calls and
// turns the answers into rows (scope, name, metric, value) for one point in time.
//
// Call budget per pass, whatever the topic and group counts (GATEWAY_CALLS_PER_PASS_MAX):
//   getClusterInfo        brokers' PUT_TPS, GET_TPS, DISK_RATIO
//   listConsumerGroups    every group's LAG and CONSUME_TPS, and each consumed topic's Σ max offsets (the
//                         groups' brokerOffset), from which topic PUT_TPS = Δ(Σ max offsets) / Δt between passes
//   listTopics            at most once per TOPIC_LIST_REFRESH_MS (the topic list only tells which topics no group
//                         consumes and which are %DLQ% topics)
//   listPendingTransactions  HALF_MESSAGES, where the cluster can list them
//   getTopicStats × ≤ TOPIC_STATS_PER_PASS_MAX (32), round-robin: %DLQ%<group> topics (their message count is the
//                         group's DLQ_MESSAGES) and topics no group consumes (their PUT_TPS). DLQ topics get at least
//                         DLQ_STATS_PER_PASS_MIN (16) of the budget when there are that many; either list takes what
//                         the other leaves.
// A full round over N topics no group consumes therefore takes ceil(N / (32 − DLQ topics visited per pass))
// passes: 5,000 such topics and no DLQs, 157 passes ≈ 26 min at 10 s; 5,000 and ≥ 16 DLQ topics, 313 passes
// ≈ 52 min. A cluster with ≤ 32 of them together sees every one every pass. Between visits a topic's PUT_TPS is
// the average since its previous visit and a group's DLQ_MESSAGES the count at its last visit; both are repeated
// by every pass, so charts stay continuous and exact for small clusters.
//
// Partial answers (a broker down) still produce rows for what was read. Topic PUT_TPS baselines move only on a
// complete read: a sum missing one broker's queues would read as a drop and then as a spike.
import 'server-only'
import type { ClusterGateway, TopicStats } from '@/lib/cluster/gateway'
import {
  METRIC,
  METRIC_SCOPE,
  brokerSeriesName,
  dlqGroupOf,
  type MetricName,
  type MetricScope,
} from './metric-names'
import type { ListedTopic, SamplerState, TopicRate } from './sampler-state'

export const TOPIC_STATS_PER_PASS_MAX = 32
export const DLQ_STATS_PER_PASS_MIN = 16
/** getClusterInfo, listConsumerGroups, listTopics, listPendingTransactions + the getTopicStats budget. */
export const GATEWAY_CALLS_PER_PASS_MAX = 4 + TOPIC_STATS_PER_PASS_MAX
export const TOPIC_LIST_REFRESH_MS = 60_000
/** getTopicStats calls in flight at once (each is 1 route call + 1 per broker on a remote cluster). */
const TOPIC_STATS_CONCURRENCY = 8

export interface SampleRow {
  readonly scope: MetricScope
  readonly name: string
  readonly metric: MetricName
  readonly value: number
}

export interface CollectedPass {
  /** The time the rows stand for: when the cluster-wide reads had answered. */
  readonly atMs: number
  readonly rows: readonly SampleRow[]
  /** One line per read that failed or answered partially. */
  readonly failures: readonly string[]
  /** Gateway method calls this pass made (≤ GATEWAY_CALLS_PER_PASS_MAX). */
  readonly calls: number
  /** getTopicStats visits this pass: topics no group consumes, and %DLQ% topics. */
  readonly idleTopicsVisited: number
  readonly dlqTopicsVisited: number
}

export interface CollectOptions {
  /** The cluster id: the name of the CLUSTER series. */
  readonly cluster: string
  readonly gateway: ClusterGateway
  readonly state: SamplerState
  readonly clock?: () => number
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

const seriesKey = (scope: string, name: string, metric: string) => `${scope} ${name} ${metric}`

/** Σ max offsets over the topic's queues. */
function offsetSumOf(stats: TopicStats): number {
  let sum = 0
  for (const q of stats.queues) sum += q.maxOffset
  return sum
}

/** Moves a topic's baseline to a complete read; a sum that went down (topic recreated) restarts the rate. */
function advanceRate(rates: Map<string, TopicRate>, topic: string, offsetSum: number, atMs: number): void {
  const prev = rates.get(topic)
  if (!prev) {
    rates.set(topic, { offsetSum, atMs, tps: 0 })
    return
  }
  const elapsedMs = atMs - prev.atMs
  if (elapsedMs <= 0) return
  const tps = offsetSum >= prev.offsetSum ? ((offsetSum - prev.offsetSum) * 1000) / elapsedMs : 0
  rates.set(topic, { offsetSum, atMs, tps })
}

/** `count` items from `list` starting at `cursor` (wrapping), and where the next pass starts. */
function roundRobin<T>(list: readonly T[], cursor: number, count: number): { items: T[]; next: number } {
  if (list.length === 0 || count <= 0) return { items: [], next: 0 }
  const start = cursor % list.length
  const items: T[] = []
  for (let i = 0; i < Math.min(count, list.length); i++) items.push(list[(start + i) % list.length]!)
  return { items, next: (start + items.length) % list.length }
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export async function collectSamples(options: CollectOptions): Promise<CollectedPass> {
  const { cluster, gateway, state } = options
  const clock = options.clock ?? Date.now
  const failures: string[] = []
  let calls = 0
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    calls++
    try {
      return await run()
    } catch (err) {
      failures.push(`${what}: ${messageOf(err)}`)
      return undefined
    }
  }
  const notePartial = (
    what: string,
    result: { partial: boolean; failures: readonly { broker: string; reason: string }[] },
  ) => {
    if (result.partial)
      failures.push(`${what}: partial (${result.failures.map((f) => `${f.broker}: ${f.reason}`).join('; ')})`)
  }

  const refreshTopics =
    state.topicList === undefined || clock() - state.topicList.fetchedAtMs >= TOPIC_LIST_REFRESH_MS
  const [info, groups, topics, pending] = await Promise.all([
    call('getClusterInfo', () => gateway.getClusterInfo()),
    call('listConsumerGroups', () => gateway.listConsumerGroups()),
    refreshTopics ? call('listTopics', () => gateway.listTopics()) : Promise.resolve(undefined),
    call('listPendingTransactions', () => gateway.listPendingTransactions()),
  ])
  const atMs = clock()
  const rows: SampleRow[] = []
  const nonZero = new Set<string>()
  const add = (scope: MetricScope, name: string, metric: MetricName, value: number) =>
    rows.push({ scope, name, metric, value })
  /** TOPIC and GROUP series: written while non-zero, and once more as 0 when they drop. */
  const addSparse = (scope: MetricScope, name: string, metric: MetricName, value: number) => {
    const key = seriesKey(scope, name, metric)
    if (value !== 0) nonZero.add(key)
    else if (!state.nonZeroLastPass.has(key)) return
    add(scope, name, metric, value)
  }

  // Brokers: dense series, one point per answering broker.
  if (info) {
    notePartial('getClusterInfo', info)
    let putTps = 0
    let getTps = 0
    let answered = 0
    for (const broker of info.data.brokers) {
      const runtime = broker.runtime
      if (!runtime) continue
      answered++
      const name = brokerSeriesName(broker.brokerName, broker.brokerId)
      add(METRIC_SCOPE.BROKER, name, METRIC.PUT_TPS, runtime.putTps)
      add(METRIC_SCOPE.BROKER, name, METRIC.GET_TPS, runtime.getTps)
      if (runtime.commitLogDiskRatio !== undefined)
        add(METRIC_SCOPE.BROKER, name, METRIC.DISK_RATIO, runtime.commitLogDiskRatio)
      // A slave's puts are the master's, replicated: counted once.
      if (broker.brokerId === 0) putTps += runtime.putTps
      getTps += runtime.getTps
    }
    if (answered > 0) {
      add(METRIC_SCOPE.CLUSTER, cluster, METRIC.PUT_TPS, putTps)
      add(METRIC_SCOPE.CLUSTER, cluster, METRIC.GET_TPS, getTps)
    }
  }

  // Groups, and from their broker offsets the consumed topics' offset sums.
  const consumed = new Set<string>()
  if (groups) {
    notePartial('listConsumerGroups', groups)
    const topicOffsetSums = new Map<string, number>()
    let totalLag = 0
    for (const group of groups.data) {
      totalLag += group.lag
      addSparse(METRIC_SCOPE.GROUP, group.group, METRIC.LAG, group.lag)
      addSparse(METRIC_SCOPE.GROUP, group.group, METRIC.CONSUME_TPS, group.consumeTps)
      for (const t of group.topics) {
        consumed.add(t.topic)
        // Groups may hold offsets on different subsets of a topic's queues: the widest view wins.
        topicOffsetSums.set(t.topic, Math.max(topicOffsetSums.get(t.topic) ?? 0, t.brokerOffset))
      }
    }
    if (!groups.partial)
      for (const [topic, sum] of topicOffsetSums) advanceRate(state.topicRates, topic, sum, atMs)
    add(METRIC_SCOPE.CLUSTER, cluster, METRIC.TOTAL_LAG, totalLag)
    add(METRIC_SCOPE.CLUSTER, cluster, METRIC.GROUPS, groups.data.length)
  }

  // The topic list: refreshed now and then; pruning only on a complete list.
  if (topics) {
    notePartial('listTopics', topics)
    const listed: ListedTopic[] = topics.data
      .map((t) => ({ topic: t.topic, kind: t.kind }))
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
    state.topicList = { topics: listed, fetchedAtMs: atMs }
    if (!topics.partial) {
      const known = new Set(listed.map((t) => t.topic))
      for (const topic of state.topicRates.keys())
        if (!known.has(topic) && !consumed.has(topic)) state.topicRates.delete(topic)
      for (const group of state.dlqMessages.keys())
        if (!known.has(`%DLQ%${group}`)) state.dlqMessages.delete(group)
    }
  }

  // The round-robin budget of getTopicStats: DLQ topics first claim, idle topics the rest.
  const listed = state.topicList?.topics ?? []
  const dlqTopics = listed.filter((t) => t.kind === 'DLQ').map((t) => t.topic)
  const idleTopics = listed.filter((t) => t.kind !== 'DLQ' && !consumed.has(t.topic)).map((t) => t.topic)
  const dlqTake = Math.min(
    dlqTopics.length,
    Math.max(DLQ_STATS_PER_PASS_MIN, TOPIC_STATS_PER_PASS_MAX - idleTopics.length),
  )
  const idleTake = Math.min(idleTopics.length, TOPIC_STATS_PER_PASS_MAX - dlqTake)
  const dlqVisit = roundRobin(dlqTopics, state.dlqCursor, dlqTake)
  const idleVisit = roundRobin(idleTopics, state.idleCursor, idleTake)
  state.dlqCursor = dlqVisit.next
  state.idleCursor = idleVisit.next
  const visits = [
    ...dlqVisit.items.map((topic) => ({ topic, dlq: true })),
    ...idleVisit.items.map((topic) => ({ topic, dlq: false })),
  ]
  await mapLimited(visits, TOPIC_STATS_CONCURRENCY, async ({ topic, dlq }) => {
    const stats = await call(`getTopicStats(${topic})`, () => gateway.getTopicStats(topic))
    if (!stats) return
    notePartial(`getTopicStats(${topic})`, stats)
    const group = dlqGroupOf(topic)
    if (stats.data === undefined) {
      state.topicRates.delete(topic)
      if (dlq && group !== undefined) state.dlqMessages.delete(group)
      return
    }
    if (stats.partial) return
    if (dlq && group !== undefined) state.dlqMessages.set(group, stats.data.messageCount)
    else advanceRate(state.topicRates, topic, offsetSumOf(stats.data), clock())
  })

  // Topic rates and DLQ counts: every known one, fresh or carried from its last visit.
  for (const [topic, rate] of state.topicRates) addSparse(METRIC_SCOPE.TOPIC, topic, METRIC.PUT_TPS, rate.tps)
  let dlqTotal = 0
  for (const [group, count] of state.dlqMessages) {
    dlqTotal += count
    addSparse(METRIC_SCOPE.GROUP, group, METRIC.DLQ_MESSAGES, count)
  }
  add(METRIC_SCOPE.CLUSTER, cluster, METRIC.DLQ_MESSAGES, dlqTotal)
  if (pending?.supported) {
    notePartial('listPendingTransactions', pending.value)
    add(METRIC_SCOPE.CLUSTER, cluster, METRIC.HALF_MESSAGES, pending.value.data.length)
  }
  if (state.topicList) add(METRIC_SCOPE.CLUSTER, cluster, METRIC.TOPICS, state.topicList.topics.length)
  // Written by every pass: it proves the pass happened, so TOPIC series absent at this time read as 0.
  add(METRIC_SCOPE.CLUSTER, cluster, METRIC.PASSES, 1)
  state.nonZeroLastPass = nonZero
  return {
    atMs,
    rows,
    failures,
    calls,
    idleTopicsVisited: idleVisit.items.length,
    dlqTopicsVisited: dlqVisit.items.length,
  }
}
