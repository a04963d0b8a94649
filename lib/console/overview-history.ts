// The metric history the Overview reads (cluster TPS series, top topics, growing lag and DLQ): a seam over
// lib/metrics so the Overview's tests can point it at their own database, and a console whose database is down
// still shows its live figures.
import 'server-only'
import type { Db } from '@/lib/db'
import { METRIC, METRIC_SCOPE, type MetricName, type MetricScope } from '@/lib/metrics/metric-names'
import { readChanges, type SeriesChange } from '@/lib/metrics/read-changes'
import { readSeries, type Series } from '@/lib/metrics/read-series'
import { readTopNames, type TopName } from '@/lib/metrics/read-top-names'

export { METRIC, METRIC_SCOPE }

export interface OverviewHistory {
  series(q: {
    cluster: string
    scope: MetricScope
    name: string
    metric: MetricName
    fromMs: number
    toMs: number
    pointsMax?: number
  }): Promise<Series>
  topNames(q: {
    cluster: string
    scope: MetricScope
    metric: MetricName
    windowMs: number
    limit: number
  }): Promise<TopName[]>
  changes(q: {
    cluster: string
    scope: MetricScope
    metric: MetricName
    windowMs: number
  }): Promise<SeriesChange[]>
}

/** lib/metrics on `db` (the console's database when undefined). */
export function metricsHistory(db?: Db, nowMs?: () => number): OverviewHistory {
  return {
    series: (q) => readSeries({ ...q, db, nowMs: nowMs?.() }),
    topNames: (q) => readTopNames({ ...q, db, nowMs: nowMs?.() }),
    changes: (q) => readChanges({ ...q, db, nowMs: nowMs?.() }),
  }
}
