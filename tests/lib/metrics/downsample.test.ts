// Downsampling on a real SQLite file: bucket averages (dense series over present points, sparse series over the
// passes that sampled them), idempotent rewrites, and the job step's progress, grace and catch-up after a gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DOWNSAMPLE_BUCKETS_PER_RUN_MAX,
  DOWNSAMPLE_GRACE_MS,
  bucketValue,
  downsampleCluster,
  downsampleRange,
} from '@/lib/metrics/downsample'
import { insertPoints, openMetricsDb, passPoints, type MetricsDb, type Point } from './metrics-db'

/** A multiple of 600 s. */
const T0 = 1_700_000_400_000
const MIN = 60_000

let mdb: MetricsDb

beforeAll(() => {
  mdb = openMetricsDb()
})

afterAll(async () => {
  await mdb?.close()
})

async function rowsAt(cluster: string, resolutionSec: number) {
  const rows = await mdb.client.metricSample.findMany({
    where: { cluster, resolutionSec },
    orderBy: [{ at: 'asc' }, { scope: 'asc' }, { name: 'asc' }, { metric: 'asc' }],
  })
  return rows.map((r) => ({
    scope: r.scope,
    name: r.name,
    metric: r.metric,
    atMs: r.at.getTime(),
    value: r.value,
  }))
}

function valueOf(
  rows: Awaited<ReturnType<typeof rowsAt>>,
  atMs: number,
  scope: string,
  name: string,
  metric: string,
) {
  return rows.find((r) => r.atMs === atMs && r.scope === scope && r.name === name && r.metric === metric)
    ?.value
}

/** Six passes in the minute starting at `startMs`; `extraOf(i)` adds points to pass i; `noGroups` drops GROUPS. */
function minuteOfPasses(
  cluster: string,
  startMs: number,
  extraOf: (i: number) => Omit<Point, 'atMs' | 'resolutionSec'>[] = () => [],
  noGroups: ReadonlySet<number> = new Set(),
): Point[] {
  return Array.from({ length: 6 }, (_, i) =>
    passPoints(cluster, startMs + i * 10_000, extraOf(i)).filter(
      (p) => !(noGroups.has(i) && p.metric === 'GROUPS'),
    ),
  ).flat()
}

describe('bucketValue', () => {
  it('sums PASSES, divides sparse series by the proof count and averages dense ones', () => {
    expect(bucketValue('CLUSTER', 'PASSES', 6, 6, 0)).toBe(6)
    expect(bucketValue('TOPIC', 'PUT_TPS', 18, 2, 6)).toBe(3)
    expect(bucketValue('GROUP', 'LAG', 18, 2, 0)).toBe(9)
    expect(bucketValue('BROKER', 'PUT_TPS', 30, 2, 6)).toBe(15)
  })
})

describe('downsampleRange', () => {
  it('averages 10 s points into 60 s buckets: dense over present points, sparse over sampled passes', async () => {
    const c = 'avg60'
    await insertPoints(
      mdb.client,
      c,
      minuteOfPasses(
        c,
        T0,
        (i) => [
          { scope: 'CLUSTER', name: c, metric: 'PUT_TPS', value: i + 1 },
          ...(i < 2 ? [{ scope: 'BROKER', name: 'broker-a', metric: 'PUT_TPS', value: 10 * (i + 1) }] : []),
          ...(i === 1 ? [{ scope: 'TOPIC', name: 't1', metric: 'PUT_TPS', value: 6 }] : []),
          ...(i === 2 ? [{ scope: 'TOPIC', name: 't1', metric: 'PUT_TPS', value: 12 }] : []),
          ...(i === 3 ? [{ scope: 'TOPIC', name: 't1', metric: 'PUT_TPS', value: 0 }] : []),
          ...(i < 3 ? [{ scope: 'GROUP', name: 'g1', metric: 'LAG', value: 8 }] : []),
        ],
        new Set([4, 5]),
      ),
    )
    expect(
      await downsampleRange(mdb.client, { cluster: c, fromSec: 10, toSec: 60, fromMs: T0, toMs: T0 + MIN }),
    ).toBe(6)
    const rows = await rowsAt(c, 60)
    expect(rows.every((r) => r.atMs === T0)).toBe(true)
    expect(valueOf(rows, T0, 'CLUSTER', c, 'PASSES')).toBe(6)
    expect(valueOf(rows, T0, 'CLUSTER', c, 'GROUPS')).toBe(1)
    expect(valueOf(rows, T0, 'CLUSTER', c, 'PUT_TPS')).toBe(3.5)
    expect(valueOf(rows, T0, 'BROKER', 'broker-a', 'PUT_TPS')).toBe(15)
    // (6 + 12 + 0) over 6 passes; lag 3 × 8 over the 4 passes that read the groups.
    expect(valueOf(rows, T0, 'TOPIC', 't1', 'PUT_TPS')).toBe(3)
    expect(valueOf(rows, T0, 'GROUP', 'g1', 'LAG')).toBe(6)
  })

  it('averages 60 s points into 600 s buckets, a sampled minute without a sparse point counting as 0', async () => {
    const c = 'avg600'
    const points: Point[] = []
    for (let m = 0; m < 10; m++) {
      points.push({
        scope: 'CLUSTER',
        name: c,
        metric: 'PASSES',
        resolutionSec: 60,
        atMs: T0 + m * MIN,
        value: 6,
      })
      points.push({
        scope: 'CLUSTER',
        name: c,
        metric: 'PUT_TPS',
        resolutionSec: 60,
        atMs: T0 + m * MIN,
        value: m,
      })
    }
    points.push({ scope: 'TOPIC', name: 't1', metric: 'PUT_TPS', resolutionSec: 60, atMs: T0, value: 3 })
    points.push({
      scope: 'TOPIC',
      name: 't1',
      metric: 'PUT_TPS',
      resolutionSec: 60,
      atMs: T0 + 5 * MIN,
      value: 9,
    })
    await insertPoints(mdb.client, c, points)
    await downsampleRange(mdb.client, {
      cluster: c,
      fromSec: 60,
      toSec: 600,
      fromMs: T0,
      toMs: T0 + 10 * MIN,
    })
    const rows = await rowsAt(c, 600)
    expect(valueOf(rows, T0, 'CLUSTER', c, 'PASSES')).toBe(60)
    expect(valueOf(rows, T0, 'CLUSTER', c, 'PUT_TPS')).toBe(4.5)
    expect(valueOf(rows, T0, 'TOPIC', 't1', 'PUT_TPS')).toBeCloseTo(1.2, 12)
  })

  it('is idempotent: re-running writes the same rows, and a changed source replaces them', async () => {
    const c = 'idem'
    await insertPoints(
      mdb.client,
      c,
      [0, 1, 2].flatMap((m) =>
        minuteOfPasses(c, T0 + m * MIN, (i) => [
          { scope: 'TOPIC', name: 't', metric: 'PUT_TPS', value: i + m },
        ]),
      ),
    )
    const range = { cluster: c, fromSec: 10, toSec: 60, fromMs: T0, toMs: T0 + 3 * MIN } as const
    await downsampleRange(mdb.client, range)
    const once = await rowsAt(c, 60)
    await downsampleRange(mdb.client, range)
    await downsampleRange(mdb.client, range)
    expect(await rowsAt(c, 60)).toEqual(once)
    expect(once).toHaveLength(3 * 3)
    await mdb.client.metricSample.updateMany({
      where: { cluster: c, resolutionSec: 10, scope: 'TOPIC' },
      data: { value: 60 },
    })
    await downsampleRange(mdb.client, range)
    const again = await rowsAt(c, 60)
    expect(again).toHaveLength(9)
    expect(again.filter((r) => r.scope === 'TOPIC').map((r) => r.value)).toEqual([60, 60, 60])
  })
})

describe('downsampleCluster', () => {
  it('writes completed buckets only (after the grace), continues where it stopped, and waits for 60 s before 600 s', async () => {
    const c = 'job'
    // 12 minutes of passes from T0, a TOPIC always at 6.
    await insertPoints(
      mdb.client,
      c,
      Array.from({ length: 12 }, (_, m) =>
        minuteOfPasses(c, T0 + m * MIN, () => [{ scope: 'TOPIC', name: 't', metric: 'PUT_TPS', value: 6 }]),
      ).flat(),
    )
    // Minute 3 ended at T0+4 min, but the grace has not passed: only minutes 0..2.
    let out = await downsampleCluster(mdb.client, {
      cluster: c,
      nowMs: T0 + 4 * MIN + DOWNSAMPLE_GRACE_MS - 1,
    })
    expect(out.buckets).toEqual({ 60: 3, 600: 0 })
    out = await downsampleCluster(mdb.client, { cluster: c, nowMs: T0 + 4 * MIN + DOWNSAMPLE_GRACE_MS })
    expect(out.buckets).toEqual({ 60: 1, 600: 0 })
    out = await downsampleCluster(mdb.client, { cluster: c, nowMs: T0 + 4 * MIN + DOWNSAMPLE_GRACE_MS })
    expect(out.buckets).toEqual({ 60: 0, 600: 0 })
    // Minute 11 is still open at T0+11.5 min; the first 600 s bucket is complete.
    out = await downsampleCluster(mdb.client, { cluster: c, nowMs: T0 + 11.5 * MIN })
    expect(out.buckets).toEqual({ 60: 7, 600: 1 })
    const sixty = await rowsAt(c, 60)
    expect(sixty.filter((r) => r.metric === 'PASSES').map((r) => r.atMs)).toEqual(
      Array.from({ length: 11 }, (_, m) => T0 + m * MIN),
    )
    const tenMin = await rowsAt(c, 600)
    expect(valueOf(tenMin, T0, 'TOPIC', 't', 'PUT_TPS')).toBe(6)
    expect(valueOf(tenMin, T0, 'CLUSTER', c, 'PASSES')).toBe(60)
  })

  it('catches up after a long gap in bounded runs, skipping the empty stretch', async () => {
    const c = 'gap'
    const later = T0 + 3 * 3_600_000
    await insertPoints(mdb.client, c, [
      ...Array.from({ length: 5 }, (_, m) => minuteOfPasses(c, T0 + m * MIN)).flat(),
      ...Array.from({ length: 5 }, (_, m) => minuteOfPasses(c, later + m * MIN)).flat(),
    ])
    const nowMs = later + 60 * MIN
    const first = await downsampleCluster(mdb.client, { cluster: c, nowMs })
    expect(first.buckets[60]).toBe(DOWNSAMPLE_BUCKETS_PER_RUN_MAX)
    await downsampleCluster(mdb.client, { cluster: c, nowMs })
    const passes = (await rowsAt(c, 60)).filter((r) => r.metric === 'PASSES')
    expect(passes).toHaveLength(10)
    expect(passes.at(-1)!.atMs).toBe(later + 4 * MIN)
    // The 600 s step followed: the first stretch's bucket and the later one.
    await downsampleCluster(mdb.client, { cluster: c, nowMs })
    const tenMin = (await rowsAt(c, 600)).filter((r) => r.metric === 'PASSES')
    expect(tenMin.map((r) => [r.atMs, r.value])).toEqual([
      [T0, 30],
      [later, 30],
    ])
  })
})
