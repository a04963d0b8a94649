// A migrated SQLite file of its own for a metrics test file, and a shorthand to insert points.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createPrismaClient, type Db } from '@/lib/db'
import { insertSamples } from '@/lib/metrics/insert-samples'
import { migrateFreshDatabase } from '../../helpers/migrate'

export interface MetricsDb {
  readonly client: Db
  close(): Promise<void>
}

export function openMetricsDb(): MetricsDb {
  const dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-metrics-'))
  const client = createPrismaClient(migrateFreshDatabase(dir))
  return {
    client,
    async close() {
      await client.$disconnect()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface Point {
  readonly scope: string
  readonly name: string
  readonly metric: string
  readonly resolutionSec: number
  readonly atMs: number
  readonly value: number
}

export async function insertPoints(client: Db, cluster: string, points: readonly Point[]): Promise<void> {
  await insertSamples(
    client,
    points.map((p) => ({
      cluster,
      scope: p.scope,
      name: p.name,
      metric: p.metric,
      resolutionSec: p.resolutionSec,
      at: new Date(p.atMs),
      value: p.value,
    })),
  )
}

/** A raw pass at `atMs`: the CLUSTER PASSES and GROUPS proof points plus `extra`. */
export function passPoints(
  cluster: string,
  atMs: number,
  extra: readonly Omit<Point, 'atMs' | 'resolutionSec'>[] = [],
): Point[] {
  return [
    { scope: 'CLUSTER', name: cluster, metric: 'PASSES', resolutionSec: 10, atMs, value: 1 },
    { scope: 'CLUSTER', name: cluster, metric: 'GROUPS', resolutionSec: 10, atMs, value: 1 },
    ...extra.map((e) => ({ ...e, resolutionSec: 10, atMs })),
  ]
}
