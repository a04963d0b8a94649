// The read API on a real SQLite file: resolution choice, zero-fill of sparse series only where a CLUSTER proof
// point shows a pass, dense gaps kept, the raw tail past the downsampled data, long-range coarsening, top names
// and growing series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downsampleCluster } from '@/lib/metrics/downsample'
import { isGrowing, readChanges } from '@/lib/metrics/read-changes'
import { readSeries } from '@/lib/metrics/read-series'
import { readTopNames } from '@/lib/metrics/read-top-names'
import { METRICS_RETENTION_MS } from '@/lib/metrics/retention'
import { chooseResolution, windowResolution } from '@/lib/metrics/series-query'
import { insertPoints, openMetricsDb, passPoints, type MetricsDb, type Point } from './metrics-db'

const T0 = 1_700_000_400_000
const MIN = 60_000
const HOUR = 60 * MIN

let mdb: MetricsDb

beforeAll(() => {
  mdb = openMetricsDb()
})

afterAll(async () => {
  await mdb?.close()
})

describe('chooseResolution', () => {
  const base = { nowMs: T0, pointsMax: 360, retentionMs: { ...METRICS_RETENTION_MS } }
  it('takes the finest resolution within pointsMax whose retention reaches the start', () => {
    expect(chooseResolution({ ...base, fromMs: T0 - HOUR, toMs: T0 })).toEqual({
      resolutionSec: 10,
      bucketSec: 10,
    })
    expect(chooseResolution({ ...base, fromMs: T0 - HOUR - 1000, toMs: T0 }).resolutionSec).toBe(60)
    // One hour, but 7 h ago: raw points are gone.
    expect(chooseResolution({ ...base, fromMs: T0 - 7 * HOUR, toMs: T0 - 6 * HOUR }).resolutionSec).toBe(60)
    expect(chooseResolution({ ...base, fromMs: T0 - 24 * HOUR, toMs: T0 })).toEqual({
      resolutionSec: 600,
      bucketSec: 600,
    })
    // 20 days at 600 s would be 2,880 points: buckets of 8 × 600 s.
    expect(chooseResolution({ ...base, fromMs: T0 - 480 * HOUR, toMs: T0 })).toEqual({
      resolutionSec: 600,
      bucketSec: 4800,
    })
  })

  it('reads top names and changes at ≤ 60 points per series', () => {
    expect(windowResolution(5 * MIN)).toBe(10)
    expect(windowResolution(10 * MIN)).toBe(10)
    expect(windowResolution(HOUR)).toBe(60)
    expect(windowResolution(2 * HOUR)).toBe(600)
  })
})

describe('readSeries', () => {
  it('zero-fills a TOPIC series only at passes, keeps a BROKER gap, and a GROUP gap where groups were not read', async () => {
    const c = 'fill'
    const points: Point[] = []
    for (let i = 0; i < 6; i++) {
      const at = T0 + i * 10_000
      points.push(
        ...passPoints(c, at, [
          ...(i === 1 || i === 4 ? [{ scope: 'TOPIC', name: 't', metric: 'PUT_TPS', value: 5 }] : []),
          ...(i !== 2 ? [{ scope: 'BROKER', name: 'b', metric: 'PUT_TPS', value: i }] : []),
          ...(i === 0 ? [{ scope: 'GROUP', name: 'g', metric: 'LAG', value: 9 }] : []),
        ]).filter((p) => !(i === 3 && p.metric === 'GROUPS')),
      )
    }
    await insertPoints(mdb.client, c, points)
    const q = { db: mdb.client, cluster: c, fromMs: T0 - 30_000, toMs: T0 + 80_000, nowMs: T0 + 80_000 }
    const topic = await readSeries({ ...q, scope: 'TOPIC', name: 't', metric: 'PUT_TPS' })
    expect(topic.resolutionSec).toBe(10)
    expect(topic.points.map((p) => [(p.t - T0) / 1000, p.v])).toEqual([
      [0, 0],
      [10, 5],
      [20, 0],
      [30, 0],
      [40, 5],
      [50, 0],
    ])
    const broker = await readSeries({ ...q, scope: 'BROKER', name: 'b', metric: 'PUT_TPS' })
    expect(broker.points.map((p) => (p.t - T0) / 1000)).toEqual([0, 10, 30, 40, 50])
    const group = await readSeries({ ...q, scope: 'GROUP', name: 'g', metric: 'LAG' })
    expect(group.points.map((p) => [(p.t - T0) / 1000, p.v])).toEqual([
      [0, 9],
      [10, 0],
      [20, 0],
      [40, 0],
      [50, 0],
    ])
    const unknown = await readSeries({ ...q, scope: 'TOPIC', name: 'never-written', metric: 'PUT_TPS' })
    expect(unknown.points.every((p) => p.v === 0)).toBe(true)
    expect(unknown.points).toHaveLength(6)
  })

  it('reads 60 s averages for a 90 min range and fills the stretch not yet downsampled from raw points', async () => {
    const c = 'tail'
    const start = T0 - 90 * MIN
    const points: Point[] = []
    for (let at = start; at < T0; at += 10_000)
      points.push(...passPoints(c, at, [{ scope: 'TOPIC', name: 't', metric: 'PUT_TPS', value: 4 }]))
    await insertPoints(mdb.client, c, points)
    // The downsampler has run up to T0 − 20 min (its bounded runs, as if it lagged).
    for (let i = 0; i < 3; i++)
      await downsampleCluster(mdb.client, { cluster: c, nowMs: T0 - 20 * MIN + 30_000 })
    const series = await readSeries({
      db: mdb.client,
      cluster: c,
      scope: 'TOPIC',
      name: 't',
      metric: 'PUT_TPS',
      fromMs: start,
      toMs: T0,
      nowMs: T0,
    })
    expect(series.resolutionSec).toBe(60)
    expect(series.points).toHaveLength(90)
    expect(series.points.map((p) => p.t)).toEqual(Array.from({ length: 90 }, (_, m) => start + m * MIN))
    expect(series.points.every((p) => p.v === 4)).toBe(true)
    const stored = await mdb.client.metricSample.count({
      where: { cluster: c, resolutionSec: 60, scope: 'TOPIC' },
    })
    expect(stored).toBe(70)
  })

  it('averages 600 s points into wider buckets when the range needs more than pointsMax of them', async () => {
    const c = 'wide'
    const points: Point[] = []
    for (let k = 0; k < 12; k++) {
      const at = T0 - 2 * HOUR + k * 10 * MIN
      points.push({ scope: 'CLUSTER', name: c, metric: 'PASSES', resolutionSec: 600, atMs: at, value: 60 })
      points.push({ scope: 'CLUSTER', name: c, metric: 'PUT_TPS', resolutionSec: 600, atMs: at, value: k })
    }
    await insertPoints(mdb.client, c, points)
    const series = await readSeries({
      db: mdb.client,
      cluster: c,
      scope: 'CLUSTER',
      name: c,
      metric: 'PUT_TPS',
      fromMs: T0 - 2 * HOUR,
      toMs: T0,
      nowMs: T0,
      pointsMax: 4,
    })
    // 7,200 s in ≤ 4 points: 1,800 s buckets of three 600 s points each.
    expect(series.resolutionSec).toBe(1800)
    expect(series.points.map((p) => p.v)).toEqual([1, 4, 7, 10])
  })
})

describe('readTopNames', () => {
  it('ranks sparse series by their average over the sampled passes', async () => {
    const c = 'top'
    const points: Point[] = []
    for (let i = 0; i < 30; i++)
      points.push(
        ...passPoints(c, T0 - 300_000 + i * 10_000, [
          { scope: 'TOPIC', name: 'steady', metric: 'PUT_TPS', value: 10 },
          ...(i < 3 ? [{ scope: 'TOPIC', name: 'burst', metric: 'PUT_TPS', value: 90 }] : []),
          ...(i % 2 === 0 ? [{ scope: 'TOPIC', name: 'half', metric: 'PUT_TPS', value: 30 }] : []),
          { scope: 'TOPIC', name: 'slow', metric: 'PUT_TPS', value: 1 },
        ]),
      )
    await insertPoints(mdb.client, c, points)
    const top = await readTopNames({
      db: mdb.client,
      cluster: c,
      scope: 'TOPIC',
      metric: 'PUT_TPS',
      windowMs: 5 * MIN,
      limit: 3,
      nowMs: T0,
    })
    expect(top).toEqual([
      { name: 'half', average: 15 },
      { name: 'steady', average: 10 },
      { name: 'burst', average: 9 },
    ])
  })
})

describe('readChanges', () => {
  it('is growing when the last points never decrease and the latest is above the earliest', () => {
    expect(isGrowing([1, 2, 3, 4])).toBe(true)
    expect(isGrowing([5, 1, 1, 1, 1, 1, 1, 2])).toBe(false)
    expect(isGrowing([10, 0, 0, 0, 0, 0, 0, 20, 30])).toBe(true)
    expect(isGrowing([1, 9, 2, 3, 4, 5, 6, 7])).toBe(true)
    expect(isGrowing([1, 2, 3, 4, 5, 3, 6])).toBe(false)
    expect(isGrowing([3, 3])).toBe(false)
    expect(isGrowing([3])).toBe(false)
  })

  it('reports lag growing, a consumer catching up in waves, and a group whose lag dropped to absent zeros', async () => {
    const c = 'changes'
    const points: Point[] = []
    for (let i = 0; i < 30; i++)
      points.push(
        ...passPoints(c, T0 - 300_000 + i * 10_000, [
          { scope: 'GROUP', name: 'growing', metric: 'LAG', value: 100 + i * 10 },
          { scope: 'GROUP', name: 'waves', metric: 'LAG', value: 50 + (i % 5) * 20 },
          ...(i < 10 ? [{ scope: 'GROUP', name: 'drained', metric: 'LAG', value: 40 }] : []),
        ]),
      )
    await insertPoints(mdb.client, c, points)
    const changes = await readChanges({
      db: mdb.client,
      cluster: c,
      scope: 'GROUP',
      metric: 'LAG',
      windowMs: 5 * MIN,
      nowMs: T0,
    })
    expect(changes).toEqual([
      { name: 'growing', earliest: 100, latest: 390, growing: true },
      { name: 'waves', earliest: 50, latest: 130, growing: false },
      { name: 'drained', earliest: 40, latest: 0, growing: false },
    ])
  })
})
