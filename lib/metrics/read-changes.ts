// Which series rose over a recent window, for the Overview's warnings (lag growing, DLQ growing).
//
// A series is growing when, over the window's points (zero-filled for TOPIC and GROUP series where the sampler
// ran), the latest value is above the earliest AND none of the last GROWING_TAIL_POINTS points is below the one
// before it. The second rule keeps a consumer that lags and catches up in waves (a batch job) from warning on
// every wave: growth must be ongoing, not only net.
import 'server-only'
import { db as defaultDb, type Db } from '@/lib/db'
import { isSparseScope, type MetricName, type MetricScope } from './metric-names'
import { proofTimes, windowResolution, type SeriesPoint } from './series-query'

/** Points at the end of the window that must not decrease (6 = one minute of raw points). */
export const GROWING_TAIL_POINTS = 6

export interface ChangesQuery {
  readonly cluster: string
  readonly scope: MetricScope
  readonly metric: MetricName
  /** Look-back from now; ≤ 10 min reads raw points, ≤ 1 h 60 s averages, longer 600 s averages. */
  readonly windowMs: number
  readonly nowMs?: number
  readonly db?: Db
}

export interface SeriesChange {
  readonly name: string
  /** The window's first and last values. */
  readonly earliest: number
  readonly latest: number
  readonly growing: boolean
}

/** The rule of the module comment, on points in time order. */
export function isGrowing(values: readonly number[], tailPoints = GROWING_TAIL_POINTS): boolean {
  if (values.length < 2) return false
  if (!(values[values.length - 1]! > values[0]!)) return false
  for (let i = Math.max(1, values.length - tailPoints + 1); i < values.length; i++)
    if (values[i]! < values[i - 1]!) return false
  return true
}

/**
 * Every series of the scope and metric with a point in the window, growing ones first, then by how much they
 * rose. Series that are all zeros are left out.
 */
export async function readChanges(q: ChangesQuery): Promise<SeriesChange[]> {
  const client = q.db ?? defaultDb()
  const nowMs = q.nowMs ?? Date.now()
  const resolutionSec = windowResolution(q.windowMs)
  const fromMs = nowMs - q.windowMs
  const [rows, proofs] = await Promise.all([
    client.metricSample.findMany({
      where: {
        cluster: q.cluster,
        scope: q.scope,
        metric: q.metric,
        resolutionSec,
        at: { gte: new Date(fromMs), lte: new Date(nowMs) },
      },
      orderBy: [{ name: 'asc' }, { at: 'asc' }],
      select: { name: true, at: true, value: true },
    }),
    isSparseScope(q.scope)
      ? proofTimes(client, { ...q, resolutionSec, fromMs, toMs: nowMs })
      : Promise.resolve([]),
  ])
  const byName = new Map<string, SeriesPoint[]>()
  for (const r of rows) {
    let points = byName.get(r.name)
    if (!points) byName.set(r.name, (points = []))
    points.push({ t: r.at.getTime(), v: r.value })
  }
  const out: SeriesChange[] = []
  for (const [name, points] of byName) {
    const values = proofs.length > 0 ? zeroFilledValues(points, proofs) : points.map((p) => p.v)
    if (values.every((v) => v === 0)) continue
    out.push({ name, earliest: values[0]!, latest: values[values.length - 1]!, growing: isGrowing(values) })
  }
  return out.sort(
    (a, b) =>
      Number(b.growing) - Number(a.growing) ||
      b.latest - b.earliest - (a.latest - a.earliest) ||
      (a.name < b.name ? -1 : 1),
  )
}

/** Values at every proof time (0 where the series has no point) plus any point off the proof times. */
function zeroFilledValues(points: readonly SeriesPoint[], proofs: readonly number[]): number[] {
  const byTime = new Map<number, number>()
  for (const t of proofs) byTime.set(t, 0)
  for (const p of points) byTime.set(p.t, p.v)
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([, v]) => v)
}
