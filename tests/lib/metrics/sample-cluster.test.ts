// Sampling passes into a real SQLite file: the database cases shared with PostgreSQL (metrics-db-cases.ts), and
// the bulk insert against the model API it replaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertSamples, INSERT_ROWS_PER_STATEMENT } from '@/lib/metrics/insert-samples'
import { metricsDatabaseCases } from './metrics-db-cases'
import { openMetricsDb, type MetricsDb } from './metrics-db'

let mdb: MetricsDb

beforeAll(() => {
  mdb = openMetricsDb()
})

afterAll(async () => {
  await mdb?.close()
})

describe('metrics history on SQLite', () => {
  metricsDatabaseCases(() => mdb.client)

  it('bulk-inserts rows the model API reads back exactly, across statement boundaries', async () => {
    const at = new Date(1_700_000_123_456)
    const rows = Array.from({ length: INSERT_ROWS_PER_STATEMENT * 2 + 3 }, (_, i) => ({
      cluster: 'bulk',
      scope: 'TOPIC',
      name: `topic-${i}`,
      metric: 'PUT_TPS',
      resolutionSec: 10,
      at,
      value: i / 4,
    }))
    expect(await insertSamples(mdb.client, rows)).toBe(rows.length)
    const back = await mdb.client.metricSample.findMany({
      where: { cluster: 'bulk', at: { gte: at, lte: at } },
    })
    expect(back).toHaveLength(rows.length)
    expect(back.find((r) => r.name === 'topic-1001')).toEqual({ ...rows[1001], value: 1001 / 4 })
    // A duplicate key fails the whole insert: nothing of it is kept.
    await expect(insertSamples(mdb.client, [{ ...rows[0]!, name: 'fresh' }, rows[0]!])).rejects.toThrow()
    expect(await mdb.client.metricSample.count({ where: { cluster: 'bulk', name: 'fresh' } })).toBe(0)
  })
})
