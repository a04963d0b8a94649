// The vocabulary of the metrics history (table metric_sample): scopes, metric names, resolutions, and which
// series are written sparsely. Plain constants and pure helpers, so pages and route handlers may import them.
//
// What a series means, by scope (the `name` column says whose series it is):
//   CLUSTER (name = cluster id): PUT_TPS, GET_TPS (Σ over brokers), TOTAL_LAG (Σ over groups), DLQ_MESSAGES
//     (Σ over groups' %DLQ% topics), HALF_MESSAGES (pending transactions; only where the cluster can list them),
//     TOPICS, GROUPS (counts), PASSES (the number of sampling passes the point stands for).
//   BROKER (name = broker name; a slave is `<brokerName>#<brokerId>`): PUT_TPS, GET_TPS, DISK_RATIO (0..1).
//   TOPIC (name = topic): PUT_TPS.
//   GROUP (name = consumer group): LAG, CONSUME_TPS, DLQ_MESSAGES (messages held in %DLQ%<group>).
//
// Sparse scopes: TOPIC and GROUP series are written only while non-zero (and once more when they drop to 0), so a
// cluster with 5,000 idle topics adds no rows. An absent point in a period the sampler covered reads as 0. The
// proof that it covered a period is a CLUSTER point at the same time and resolution: PASSES for TOPIC series
// (written by every pass), GROUPS for GROUP series (written only when the pass could list the consumer groups,
// so a failed read shows as a gap, not as lag dropping to 0). CLUSTER and BROKER series are dense: an absent
// point is a gap (the broker or the cluster did not answer).

export const METRIC_SCOPE = {
  CLUSTER: 'CLUSTER',
  BROKER: 'BROKER',
  TOPIC: 'TOPIC',
  GROUP: 'GROUP',
} as const
export type MetricScope = (typeof METRIC_SCOPE)[keyof typeof METRIC_SCOPE]
export const METRIC_SCOPES: readonly MetricScope[] = Object.values(METRIC_SCOPE)

export const METRIC = {
  PUT_TPS: 'PUT_TPS',
  GET_TPS: 'GET_TPS',
  DISK_RATIO: 'DISK_RATIO',
  LAG: 'LAG',
  CONSUME_TPS: 'CONSUME_TPS',
  DLQ_MESSAGES: 'DLQ_MESSAGES',
  HALF_MESSAGES: 'HALF_MESSAGES',
  TOTAL_LAG: 'TOTAL_LAG',
  TOPICS: 'TOPICS',
  GROUPS: 'GROUPS',
  PASSES: 'PASSES',
} as const
export type MetricName = (typeof METRIC)[keyof typeof METRIC]

/** Seconds per point: raw samples, then 1-minute and 10-minute averages. */
export const RESOLUTIONS_SEC = [10, 60, 600] as const
export type ResolutionSec = (typeof RESOLUTIONS_SEC)[number]
export const RAW_RESOLUTION_SEC = 10

/** TOPIC and GROUP series are written only while non-zero; see the module comment. */
export function isSparseScope(scope: MetricScope): boolean {
  return scope === METRIC_SCOPE.TOPIC || scope === METRIC_SCOPE.GROUP
}

/** The CLUSTER metric whose points prove a sparse scope was sampled at that time (absent point = 0). */
export function proofMetricOf(scope: MetricScope): MetricName | undefined {
  if (scope === METRIC_SCOPE.TOPIC) return METRIC.PASSES
  if (scope === METRIC_SCOPE.GROUP) return METRIC.GROUPS
  return undefined
}

/** A BROKER series' name: the broker name for its master, `<brokerName>#<brokerId>` for a slave. */
export function brokerSeriesName(brokerName: string, brokerId: number): string {
  return brokerId === 0 ? brokerName : `${brokerName}#${brokerId}`
}

const DLQ_PREFIX = '%DLQ%'

/** %DLQ%<group> → group; undefined for any other topic. */
export function dlqGroupOf(topic: string): string | undefined {
  return topic.startsWith(DLQ_PREFIX) ? topic.slice(DLQ_PREFIX.length) : undefined
}
