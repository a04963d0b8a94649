// The metric history reads the topic and group pages make: the latest value of one metric for a page of names
// (one query, never one per row) and one name's series for a chart (lib/metrics readSeries). A seam so the
// services' tests can run without a database.
import 'server-only'
import { db, type Db } from '@/lib/db'
import { METRIC, METRIC_SCOPE, RAW_RESOLUTION_SEC, type MetricName } from '@/lib/metrics/metric-names'
import { readSeries } from '@/lib/metrics/read-series'

export type MetricScope = 'TOPIC' | 'GROUP'

export interface SeriesPoint {
  /** Epoch ms. */
  readonly t: number
  readonly v: number
}

export interface LatestValues {
  /**
   * Name → its value in the newest sampling pass. A name absent while `atMs` is set had no point in that pass:
   * its value was 0 (TOPIC and GROUP series are written only while non-zero).
   */
  readonly values: ReadonlyMap<string, number>
  /** Time of the newest sample among them; undefined when there is none. */
  readonly atMs: number | undefined
}

export interface MetricReads {
  /** The newest sample of `metric` for each of `names` (every name of the scope when undefined), in one query. */
  latestValues(
    cluster: string,
    scope: MetricScope,
    metric: string,
    names: readonly string[] | undefined,
  ): Promise<LatestValues>
  /** One name's samples since `sinceMs`, oldest first, at a resolution fit for the span. */
  series(
    cluster: string,
    scope: MetricScope,
    name: string,
    metric: string,
    sinceMs: number,
  ): Promise<readonly SeriesPoint[]>
}

/** No history (tests, or a console whose database is not reachable). */
export const emptyMetricReads: MetricReads = {
  latestValues: () => Promise.resolve({ values: new Map(), atMs: undefined }),
  series: () => Promise.resolve([]),
}

/** A latest sample older than this is not "current" (the sampler writes every 10 s): no values then. */
export const LATEST_SAMPLE_AGE_MAX_MS = 60_000

/**
 * TOPIC and GROUP series are sparse (written only while non-zero), so "latest" is the newest sampling pass (its
 * CLUSTER PASSES point) and a name without a point at that time reads 0. Two indexed queries: the pass, then
 * the page's values at that instant.
 */
async function latestValues(
  client: Db,
  cluster: string,
  scope: MetricScope,
  metric: string,
  names: readonly string[] | undefined,
): Promise<LatestValues> {
  const pass = await client.metricSample.findFirst({
    where: {
      cluster,
      scope: METRIC_SCOPE.CLUSTER,
      name: cluster,
      metric: METRIC.PASSES,
      resolutionSec: RAW_RESOLUTION_SEC,
      at: { gte: new Date(Date.now() - LATEST_SAMPLE_AGE_MAX_MS) },
    },
    orderBy: { at: 'desc' },
    select: { at: true },
  })
  if (!pass || names?.length === 0) return { values: new Map(), atMs: pass?.at.getTime() }
  const rows = await client.metricSample.findMany({
    where: {
      cluster,
      scope,
      metric,
      resolutionSec: RAW_RESOLUTION_SEC,
      at: pass.at,
      ...(names ? { name: { in: [...names] } } : {}),
    },
    select: { name: true, value: true },
  })
  const values = new Map<string, number>(names?.map((name) => [name, 0]))
  for (const row of rows) values.set(row.name, row.value)
  return { values, atMs: pass.at.getTime() }
}

/** Reads from the metrics history in `client` (the process's database by default). */
export function dbMetricReads(client: () => Db = db): MetricReads {
  return {
    latestValues: (cluster, scope, metric, names) => latestValues(client(), cluster, scope, metric, names),
    async series(cluster, scope, name, metric, sinceMs) {
      const series = await readSeries({
        db: client(),
        cluster,
        scope,
        name,
        metric: metric as MetricName,
        fromMs: sinceMs,
        toMs: Date.now(),
      })
      return series.points
    },
  }
}

export const defaultMetricReads: MetricReads = dbMetricReads()
