// The metrics history's database work end to end — sampling passes written with the bulk insert, reads, top
// names, changes, downsampling and retention — as one case list that runs on SQLite (sample-cluster.test.ts)
// and on PostgreSQL (postgres.test.ts), since every query must work on both providers.
import { expect, it } from 'vitest'
import type { Db } from '@/lib/db'
import { DOWNSAMPLE_GRACE_MS, downsampleCluster } from '@/lib/metrics/downsample'
import { readChanges } from '@/lib/metrics/read-changes'
import { readSeries } from '@/lib/metrics/read-series'
import { readTopNames } from '@/lib/metrics/read-top-names'
import { pruneMetrics } from '@/lib/metrics/retention'
import { sampleCluster } from '@/lib/metrics/sample-cluster'
import { newSamplerState } from '@/lib/metrics/sampler-state'
import { FakeCluster } from './fake-cluster'

/** A multiple of 600 s. */
const T0 = 1_700_000_400_000

export function metricsDatabaseCases(client: () => Db): void {
  it('writes passes, reads them back, ranks, detects growth, downsamples and prunes', async () => {
    const cluster = `cases-${Math.random().toString(36).slice(2, 8)}`
    const fake = new FakeCluster({
      consumedTopics: 6,
      groups: 3,
      idleTopics: 2,
      dlqGroups: 1,
      tpsOf: (t) => (t === 'topic-0' ? 12 : t === 'idle-1' ? 3 : 1),
    })
    fake.nowMs = T0
    const state = newSamplerState()
    const sample = () =>
      sampleCluster({ cluster, gateway: fake.gateway, db: client(), clock: () => fake.nowMs, state })
    for (let i = 0; i < 18; i++) {
      const out = await sample()
      expect(out.rowsWritten).toBeGreaterThan(0)
      fake.lags.set('group-1', fake.lags.get('group-1')! + 10)
      fake.dlqCounts.set('group-0', i)
      fake.advance(10)
    }
    const endMs = T0 + 170_000
    const rawPasses = await client().metricSample.findMany({
      where: { cluster, metric: 'PASSES', resolutionSec: 10 },
      orderBy: { at: 'asc' },
    })
    expect(rawPasses.map((r) => r.at.getTime())).toEqual(
      Array.from({ length: 18 }, (_, i) => T0 + i * 10_000),
    )

    const q = { db: client(), cluster, nowMs: endMs }
    const topic0 = await readSeries({
      ...q,
      scope: 'TOPIC',
      name: 'topic-0',
      metric: 'PUT_TPS',
      fromMs: T0,
      toMs: endMs,
    })
    expect(topic0.resolutionSec).toBe(10)
    expect(topic0.points.map((p) => p.v)).toEqual([0, ...Array<number>(17).fill(12)])

    const top = await readTopNames({ ...q, scope: 'TOPIC', metric: 'PUT_TPS', windowMs: 60_000, limit: 2 })
    expect(top).toEqual([
      { name: 'topic-0', average: 12 },
      { name: 'idle-1', average: 3 },
    ])
    const changes = await readChanges({ ...q, scope: 'GROUP', metric: 'LAG', windowMs: 120_000 })
    expect(changes[0]).toMatchObject({ name: 'group-1', growing: true, latest: 175 })
    expect(changes.filter((c) => c.growing).map((c) => c.name)).toEqual(['group-1'])
    const dlq = await readChanges({ ...q, scope: 'GROUP', metric: 'DLQ_MESSAGES', windowMs: 120_000 })
    expect(dlq).toEqual([{ name: 'group-0', earliest: 4, latest: 16, growing: true }])

    const out = await downsampleCluster(client(), { cluster, nowMs: endMs + DOWNSAMPLE_GRACE_MS + 10_000 })
    expect(out.buckets).toEqual({ 60: 3, 600: 0 })
    const minutes = await client().metricSample.findMany({
      where: { cluster, scope: 'TOPIC', name: 'topic-0', resolutionSec: 60 },
      orderBy: { at: 'asc' },
    })
    // Minute 0: the first pass has no rate yet (5 of 6 passes at 12).
    expect(minutes.map((m) => m.value)).toEqual([10, 12, 12])

    const raw = await client().metricSample.count({ where: { cluster, resolutionSec: 10 } })
    const pruned = await pruneMetrics(client(), { nowMs: endMs + 7 * 3_600_000, batchRows: 50 })
    expect(pruned.deleted[10]).toBeGreaterThanOrEqual(raw)
    expect(await client().metricSample.count({ where: { cluster, resolutionSec: 10 } })).toBe(0)
    expect(await client().metricSample.count({ where: { cluster, resolutionSec: 60 } })).toBeGreaterThan(0)
  })
}
