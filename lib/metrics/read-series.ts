// One series for a chart: the finest stored resolution that covers the range within pointsMax points, with the
// newest stretch the downsampler has not reached filled from raw points, and sparse series (TOPIC, GROUP)
// zero-filled wherever a CLUSTER proof point shows the sampler ran (metric-names.ts). Dense series keep their gaps.
import 'server-only'
import { db as defaultDb, type Db } from '@/lib/db'
import { RAW_RESOLUTION_SEC, isSparseScope, type MetricName, type MetricScope } from './metric-names'
import { bucketRaw, chooseResolution, downsampledUntilMs, proofTimes, type SeriesPoint } from './series-query'

export const SERIES_POINTS_MAX_DEFAULT = 360

export interface SeriesQuery {
  readonly cluster: string
  readonly scope: MetricScope
  /** The cluster id, broker series name, topic or group. */
  readonly name: string
  readonly metric: MetricName
  readonly fromMs: number
  readonly toMs: number
  readonly pointsMax?: number
  /** For tests; defaults to Date.now(). */
  readonly nowMs?: number
  readonly db?: Db
}

export interface Series {
  /** Seconds per point (10, 60, 600, or a multiple of 600 for long ranges). */
  readonly resolutionSec: number
  readonly points: SeriesPoint[]
}

async function pointsOf(
  client: Db,
  q: SeriesQuery,
  resolutionSec: number,
  fromMs: number,
  toMs: number,
): Promise<SeriesPoint[]> {
  const rows = await client.metricSample.findMany({
    where: {
      cluster: q.cluster,
      scope: q.scope,
      name: q.name,
      metric: q.metric,
      resolutionSec,
      at: { gte: new Date(fromMs), lte: new Date(toMs) },
    },
    orderBy: { at: 'asc' },
    select: { at: true, value: true },
  })
  return rows.map((r) => ({ t: r.at.getTime(), v: r.value }))
}

/** Zero where a proof point has no series point; the result sorted by time. */
function zeroFilled(points: readonly SeriesPoint[], proofs: readonly number[]): SeriesPoint[] {
  const byTime = new Map(points.map((p) => [p.t, p.v]))
  for (const t of proofs) if (!byTime.has(t)) byTime.set(t, 0)
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }))
}

/**
 * Averages consecutive points into `bucketSec` buckets counted from `anchorMs` (the range's aligned start, so a
 * range of N buckets gives N points), for ranges longer than the coarsest resolution answers within pointsMax.
 */
function coarsened(points: readonly SeriesPoint[], bucketSec: number, anchorMs: number): SeriesPoint[] {
  const bucketMs = bucketSec * 1000
  const out: SeriesPoint[] = []
  let key = NaN
  let sum = 0
  let count = 0
  for (const p of points) {
    const k = anchorMs + Math.floor((p.t - anchorMs) / bucketMs) * bucketMs
    if (k !== key) {
      if (count > 0) out.push({ t: key, v: sum / count })
      key = k
      sum = 0
      count = 0
    }
    sum += p.v
    count++
  }
  if (count > 0) out.push({ t: key, v: sum / count })
  return out
}

export async function readSeries(q: SeriesQuery): Promise<Series> {
  const client = q.db ?? defaultDb()
  const nowMs = q.nowMs ?? Date.now()
  const { resolutionSec, bucketSec } = chooseResolution({
    fromMs: q.fromMs,
    toMs: q.toMs,
    nowMs,
    pointsMax: q.pointsMax ?? SERIES_POINTS_MAX_DEFAULT,
  })
  const resMs = resolutionSec * 1000
  // A bucket that starts before fromMs but overlaps it belongs to the range.
  const fromMs = Math.floor(q.fromMs / resMs) * resMs
  const sparse = isSparseScope(q.scope)
  const range = { cluster: q.cluster, scope: q.scope, fromMs, toMs: q.toMs }
  const [stored, proofs] = await Promise.all([
    pointsOf(client, q, resolutionSec, fromMs, q.toMs),
    sparse ? proofTimes(client, { ...range, resolutionSec }) : Promise.resolve([]),
  ])
  let points = sparse ? zeroFilled(stored, proofs) : stored
  if (resolutionSec !== RAW_RESOLUTION_SEC) {
    const until = (await downsampledUntilMs(client, q.cluster, resolutionSec)) ?? fromMs
    if (until <= q.toMs) {
      const tailFrom = Math.max(fromMs, until)
      const [raw, rawProofs] = await Promise.all([
        pointsOf(client, q, RAW_RESOLUTION_SEC, tailFrom, q.toMs),
        sparse
          ? proofTimes(client, { ...range, resolutionSec: RAW_RESOLUTION_SEC, fromMs: tailFrom })
          : Promise.resolve([]),
      ])
      const tail = bucketRaw({
        scope: q.scope,
        metric: q.metric,
        bucketSec: resolutionSec,
        points: raw,
        proofs: rawProofs,
      })
      points = [...points.filter((p) => p.t < tailFrom), ...tail.filter((p) => p.t >= tailFrom)]
    }
  }
  return {
    resolutionSec: bucketSec,
    points: bucketSec === resolutionSec ? points : coarsened(points, bucketSec, fromMs),
  }
}
