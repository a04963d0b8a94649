// Downsampling: 60 s averages from the 10 s points and 600 s averages from the 60 s points, one completed bucket
// at a time. Each bucket is rewritten whole (delete + insert in one transaction), so re-running a bucket writes
// the same rows; the database does the averaging (groupBy), so a bucket costs one query whatever its size.
//
// How a bucket's value is formed (bucketValue): dense series (CLUSTER, BROKER) average the points present;
// sparse series (TOPIC, GROUP) divide their sum by the number of proof points in the bucket (the CLUSTER
// PASSES / GROUPS points of metric-names.ts), because an absent point in a sampled period stands for 0.
// CLUSTER PASSES is summed: it counts the passes a point stands for. At 600 s each sampled minute weighs the same
// (a minute with 5 passes counts like one with 6) — the difference is below what a chart shows.
import 'server-only'
import type { Db } from '@/lib/db'
import { insertStatements, type SampleRecord } from './insert-samples'
import {
  METRIC,
  METRIC_SCOPE,
  isSparseScope,
  proofMetricOf,
  type MetricScope,
  type ResolutionSec,
} from './metric-names'

/** A bucket is averaged once it ended this long ago, so a pass still writing can land in it first. */
export const DOWNSAMPLE_GRACE_MS = 30_000
/** Buckets per step and cluster in one run: catching up after downtime is spread over several runs. */
export const DOWNSAMPLE_BUCKETS_PER_RUN_MAX = 30

export const DOWNSAMPLE_STEPS: readonly { readonly fromSec: ResolutionSec; readonly toSec: ResolutionSec }[] =
  [
    { fromSec: 10, toSec: 60 },
    { fromSec: 60, toSec: 600 },
  ]

/** The value a bucket gets from the sum and count of its points and the number of proof points it holds. */
export function bucketValue(
  scope: MetricScope,
  metric: string,
  sum: number,
  count: number,
  proofCount: number,
): number {
  if (scope === METRIC_SCOPE.CLUSTER && metric === METRIC.PASSES) return sum
  if (isSparseScope(scope) && proofCount > 0) return sum / proofCount
  return count > 0 ? sum / count : 0
}

export interface DownsampleBucketInput {
  readonly cluster: string
  readonly fromSec: ResolutionSec
  readonly toSec: ResolutionSec
  readonly bucketStartMs: number
}

/** Rewrites one `toSec` bucket from its `fromSec` points; returns the rows written. */
export async function downsampleBucket(client: Db, input: DownsampleBucketInput): Promise<number> {
  const { cluster, fromSec, toSec, bucketStartMs } = input
  const at = { gte: new Date(bucketStartMs), lt: new Date(bucketStartMs + toSec * 1000) }
  const groups = await client.metricSample.groupBy({
    by: ['scope', 'name', 'metric'],
    where: { cluster, resolutionSec: fromSec, at },
    _sum: { value: true },
    _count: { _all: true },
  })
  const proofCounts = new Map<string, number>()
  for (const g of groups)
    if (g.scope === METRIC_SCOPE.CLUSTER && g.name === cluster) proofCounts.set(g.metric, g._count._all)
  const rows: SampleRecord[] = []
  for (const g of groups) {
    const scope = g.scope as MetricScope
    const proof = proofMetricOf(scope)
    const value = bucketValue(
      scope,
      g.metric,
      g._sum.value ?? 0,
      g._count._all,
      proof ? (proofCounts.get(proof) ?? 0) : 0,
    )
    // An idle stretch of a sparse series needs no row: absence reads as 0 where the proof points are.
    if (value === 0 && isSparseScope(scope)) continue
    rows.push({
      cluster,
      scope,
      name: g.name,
      metric: g.metric,
      resolutionSec: toSec,
      at: at.gte,
      value,
    })
  }
  await client.$transaction([
    client.metricSample.deleteMany({ where: { cluster, resolutionSec: toSec, at } }),
    ...insertStatements(client, rows),
  ])
  return rows.length
}

/** Rewrites every `toSec` bucket that starts in [fromMs, toMs) (bucket-aligned); returns rows written. */
export async function downsampleRange(
  client: Db,
  input: {
    readonly cluster: string
    readonly fromSec: ResolutionSec
    readonly toSec: ResolutionSec
    readonly fromMs: number
    readonly toMs: number
  },
): Promise<number> {
  const bucketMs = input.toSec * 1000
  let rows = 0
  for (let b = Math.floor(input.fromMs / bucketMs) * bucketMs; b < input.toMs; b += bucketMs)
    rows += await downsampleBucket(client, { ...input, bucketStartMs: b })
  return rows
}

async function latestPassAtMs(client: Db, cluster: string, resolutionSec: ResolutionSec) {
  const row = await client.metricSample.findFirst({
    where: { cluster, scope: METRIC_SCOPE.CLUSTER, name: cluster, metric: METRIC.PASSES, resolutionSec },
    orderBy: { at: 'desc' },
    select: { at: true },
  })
  return row?.at.getTime()
}

async function firstPassAtMs(client: Db, cluster: string, resolutionSec: ResolutionSec, fromMs: number) {
  const row = await client.metricSample.findFirst({
    where: {
      cluster,
      scope: METRIC_SCOPE.CLUSTER,
      name: cluster,
      metric: METRIC.PASSES,
      resolutionSec,
      at: { gte: new Date(fromMs) },
    },
    orderBy: { at: 'asc' },
    select: { at: true },
  })
  return row?.at.getTime()
}

export interface DownsampleOutcome {
  /** Buckets rewritten and rows written, per target resolution. */
  readonly buckets: Readonly<Record<60 | 600, number>>
  readonly rows: Readonly<Record<60 | 600, number>>
}

/**
 * The job's step for one cluster: continues after the newest bucket already written (its CLUSTER PASSES point
 * marks it), skips to the next sampled period after a gap, and stops at the newest completed bucket or after
 * DOWNSAMPLE_BUCKETS_PER_RUN_MAX buckets. 600 s buckets wait until the 60 s buckets they are made of are done.
 */
export async function downsampleCluster(
  client: Db,
  input: { readonly cluster: string; readonly nowMs?: number },
): Promise<DownsampleOutcome> {
  const { cluster } = input
  const nowMs = input.nowMs ?? Date.now()
  const buckets = { 60: 0, 600: 0 }
  const rows = { 60: 0, 600: 0 }
  /** Up to where the previous step's output is complete: the next step may not read past it. */
  let sourceCompleteMs = Number.POSITIVE_INFINITY
  for (const { toSec, fromSec } of DOWNSAMPLE_STEPS) {
    const bucketMs = toSec * 1000
    const readyEndMs =
      Math.floor(Math.min(nowMs - DOWNSAMPLE_GRACE_MS, sourceCompleteMs) / bucketMs) * bucketMs
    const done = await latestPassAtMs(client, cluster, toSec)
    const first = await firstPassAtMs(client, cluster, fromSec, done === undefined ? 0 : done + bucketMs)
    const target = toSec as 60 | 600
    let b = first === undefined ? readyEndMs : Math.floor(first / bucketMs) * bucketMs
    for (; b + bucketMs <= readyEndMs && buckets[target] < DOWNSAMPLE_BUCKETS_PER_RUN_MAX; b += bucketMs) {
      rows[target] += await downsampleBucket(client, { cluster, fromSec, toSec, bucketStartMs: b })
      buckets[target]++
    }
    sourceCompleteMs = Math.min(b, readyEndMs)
  }
  return { buckets, rows }
}
