// Retention on a real SQLite file: each resolution's cutoff (older deleted, the cutoff instant kept), bounded
// batches that still remove everything expired, and the environment overrides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { METRICS_RETENTION_MS, metricsRetentionMs, pruneMetrics } from '@/lib/metrics/retention'
import { insertPoints, openMetricsDb, type MetricsDb, type Point } from './metrics-db'

const NOW = 1_700_000_400_000
const HOUR = 3_600_000

let mdb: MetricsDb

beforeAll(() => {
  mdb = openMetricsDb()
})

afterAll(async () => {
  await mdb?.close()
})

function point(resolutionSec: number, atMs: number, name = 'c'): Point {
  return { scope: 'CLUSTER', name, metric: 'PASSES', resolutionSec, atMs, value: 1 }
}

describe('metricsRetentionMs', () => {
  it('keeps 6 h / 3 days / 30 days unless a positive number of hours overrides one', () => {
    expect(metricsRetentionMs({})).toEqual({ 10: 6 * HOUR, 60: 72 * HOUR, 600: 720 * HOUR })
    expect(
      metricsRetentionMs({
        MQDECK_METRICS_RETENTION_10S_HOURS: '1.5',
        MQDECK_METRICS_RETENTION_60S_HOURS: '-3',
        MQDECK_METRICS_RETENTION_600S_HOURS: 'ninety days',
      }),
    ).toEqual({ 10: 1.5 * HOUR, 60: 72 * HOUR, 600: 720 * HOUR })
  })
})

describe('pruneMetrics', () => {
  it('deletes each resolution past its own cutoff, in bounded batches, across clusters', async () => {
    const points: Point[] = []
    for (const res of [10, 60, 600] as const) {
      const cutoff = NOW - METRICS_RETENTION_MS[res]
      // 25 expired passes of two clusters, the cutoff instant itself, and one newer point.
      for (let i = 1; i <= 25; i++)
        points.push(point(res, cutoff - i * res * 1000), point(res, cutoff - i * res * 1000, 'd'))
      points.push(point(res, cutoff), point(res, cutoff + 1))
    }
    await insertPoints(
      mdb.client,
      'a',
      points.filter((p) => p.name === 'c'),
    )
    await insertPoints(
      mdb.client,
      'b',
      points.filter((p) => p.name === 'd'),
    )
    const out = await pruneMetrics(mdb.client, {
      nowMs: NOW,
      retentionMs: { ...METRICS_RETENTION_MS },
      batchRows: 7,
    })
    expect(out.deleted).toEqual({ 10: 50, 60: 50, 600: 50 })
    const left = await mdb.client.metricSample.findMany({
      orderBy: [{ resolutionSec: 'asc' }, { at: 'asc' }],
    })
    expect(left.map((r) => [r.resolutionSec, NOW - r.at.getTime()])).toEqual([
      [10, METRICS_RETENTION_MS[10]],
      [10, METRICS_RETENTION_MS[10] - 1],
      [60, METRICS_RETENTION_MS[60]],
      [60, METRICS_RETENTION_MS[60] - 1],
      [600, METRICS_RETENTION_MS[600]],
      [600, METRICS_RETENTION_MS[600] - 1],
    ])
    expect((await pruneMetrics(mdb.client, { nowMs: NOW })).deleted).toEqual({ 10: 0, 60: 0, 600: 0 })
  })
})
