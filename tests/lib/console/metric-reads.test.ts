// The console's metric reads against a real, migrated SQLite file: the latest sampling pass's values for a page
// of names (absent = 0 in a sparse series), nothing once the sampler has gone quiet, and a series for a chart.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import { dbMetricReads, LATEST_SAMPLE_AGE_MAX_MS } from '@/lib/console/metric-reads'
import { migrateFreshDatabase } from '../../helpers/migrate'

let dir: string
let client: Db

const sample = (cluster: string, scope: string, name: string, metric: string, at: number, value: number) =>
  client.metricSample.create({
    data: { cluster, scope, name, metric, resolutionSec: 10, at: new Date(at), value },
  })

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-metric-reads-'))
  client = createPrismaClient(migrateFreshDatabase(dir))
})

afterAll(async () => {
  await client?.$disconnect()
  rmSync(dir, { recursive: true, force: true })
})

describe('dbMetricReads', () => {
  it("reads the newest pass's values for the asked names, absent ones as 0", async () => {
    const now = Math.floor(Date.now() / 10_000) * 10_000
    const old = now - 20_000
    for (const at of [old, now]) await sample('c1', 'CLUSTER', 'c1', 'PASSES', at, 1)
    await sample('c1', 'TOPIC', 'orders', 'PUT_TPS', old, 50)
    await sample('c1', 'TOPIC', 'orders', 'PUT_TPS', now, 12)
    await sample('c1', 'TOPIC', 'payments', 'PUT_TPS', now, 3)
    await sample('c2', 'TOPIC', 'orders', 'PUT_TPS', now, 999)
    const reads = dbMetricReads(() => client)

    const page = await reads.latestValues('c1', 'TOPIC', 'PUT_TPS', ['orders', 'idle'])
    expect(page.atMs).toBe(now)
    expect([...page.values]).toEqual([
      ['orders', 12],
      ['idle', 0],
    ])
    const all = await reads.latestValues('c1', 'TOPIC', 'PUT_TPS', undefined)
    expect(Object.fromEntries(all.values)).toEqual({ orders: 12, payments: 3 })

    const series = await reads.series('c1', 'TOPIC', 'orders', 'PUT_TPS', old - 1)
    expect(series.map((p) => p.v)).toEqual([50, 12])
  })

  it('has no values when the sampler has not run lately', async () => {
    const stale = Date.now() - LATEST_SAMPLE_AGE_MAX_MS - 10_000
    await sample('c3', 'CLUSTER', 'c3', 'PASSES', stale, 1)
    await sample('c3', 'GROUP', 'g', 'LAG', stale, 7)
    const latest = await dbMetricReads(() => client).latestValues('c3', 'GROUP', 'LAG', ['g'])
    expect(latest).toEqual({ values: new Map(), atMs: undefined })
  })
})
