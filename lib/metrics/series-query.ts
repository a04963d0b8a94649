// Pieces the read functions share: which resolution answers a time range, the proof points that turn absent
// sparse points into zeros, and bucketing raw points the downsampler has not reached yet.
import 'server-only'
import type { Db } from '@/lib/db'
import { bucketValue } from './downsample'
import {
  METRIC,
  METRIC_SCOPE,
  RESOLUTIONS_SEC,
  proofMetricOf,
  type MetricScope,
  type ResolutionSec,
} from './metric-names'
import { metricsRetentionMs } from './retention'

export interface SeriesPoint {
  /** Epoch ms: the pass time of a raw point, the start of a bucket otherwise. */
  readonly t: number
  readonly v: number
}

/**
 * The finest resolution whose retention still reaches `fromMs` and that answers the span in at most `pointsMax`
 * points; past the coarsest, `bucketSec` is a multiple of 600 s that does.
 */
export function chooseResolution(input: {
  readonly fromMs: number
  readonly toMs: number
  readonly nowMs: number
  readonly pointsMax: number
  readonly retentionMs?: Record<ResolutionSec, number>
}): { resolutionSec: ResolutionSec; bucketSec: number } {
  const retention = input.retentionMs ?? metricsRetentionMs()
  const spanSec = Math.max(0, input.toMs - input.fromMs) / 1000
  const pointsMax = Math.max(1, Math.floor(input.pointsMax))
  for (const res of RESOLUTIONS_SEC) {
    if (input.fromMs < input.nowMs - retention[res]) continue
    if (spanSec / res <= pointsMax) return { resolutionSec: res, bucketSec: res }
  }
  const coarsest = RESOLUTIONS_SEC[RESOLUTIONS_SEC.length - 1]!
  return {
    resolutionSec: coarsest,
    bucketSec: coarsest * Math.max(1, Math.ceil(spanSec / coarsest / pointsMax)),
  }
}

/** The resolution for a look-back window: at most about `pointsMax` points per series (top-N and changes). */
export function windowResolution(windowMs: number, pointsMax = 60): ResolutionSec {
  for (const res of RESOLUTIONS_SEC) if (windowMs / (res * 1000) <= pointsMax) return res
  return RESOLUTIONS_SEC[RESOLUTIONS_SEC.length - 1]!
}

/** Times (ms, ascending) of the CLUSTER points that prove `scope` was sampled; [] for dense scopes. */
export async function proofTimes(
  client: Db,
  input: {
    readonly cluster: string
    readonly scope: MetricScope
    readonly resolutionSec: ResolutionSec
    readonly fromMs: number
    readonly toMs: number
  },
): Promise<number[]> {
  const metric = proofMetricOf(input.scope)
  if (!metric) return []
  const rows = await client.metricSample.findMany({
    where: {
      cluster: input.cluster,
      scope: METRIC_SCOPE.CLUSTER,
      name: input.cluster,
      metric,
      resolutionSec: input.resolutionSec,
      at: { gte: new Date(input.fromMs), lte: new Date(input.toMs) },
    },
    orderBy: { at: 'asc' },
    select: { at: true },
  })
  return rows.map((r) => r.at.getTime())
}

/** Where the downsampled points of `resolutionSec` end (exclusive), or undefined when there are none yet. */
export async function downsampledUntilMs(
  client: Db,
  cluster: string,
  resolutionSec: ResolutionSec,
): Promise<number | undefined> {
  const row = await client.metricSample.findFirst({
    where: { cluster, scope: METRIC_SCOPE.CLUSTER, name: cluster, metric: METRIC.PASSES, resolutionSec },
    orderBy: { at: 'desc' },
    select: { at: true },
  })
  return row ? row.at.getTime() + resolutionSec * 1000 : undefined
}

/**
 * Buckets raw points into `bucketSec` buckets the way the downsampler would (bucketValue), for the newest stretch
 * it has not written yet; the newest bucket may be a partial average.
 */
export function bucketRaw(input: {
  readonly scope: MetricScope
  readonly metric: string
  readonly bucketSec: number
  readonly points: readonly SeriesPoint[]
  readonly proofs: readonly number[]
}): SeriesPoint[] {
  const bucketMs = input.bucketSec * 1000
  const buckets = new Map<number, { sum: number; count: number; proofs: number }>()
  const bucketOf = (t: number) => {
    const key = Math.floor(t / bucketMs) * bucketMs
    let b = buckets.get(key)
    if (!b) buckets.set(key, (b = { sum: 0, count: 0, proofs: 0 }))
    return b
  }
  for (const p of input.points) {
    const b = bucketOf(p.t)
    b.sum += p.v
    b.count++
  }
  for (const t of input.proofs) bucketOf(t).proofs++
  return [...buckets]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([t, b]) =>
      b.count === 0 && b.proofs === 0
        ? []
        : [{ t, v: bucketValue(input.scope, input.metric, b.sum, b.count, b.proofs) }],
    )
}
