// One sampling pass over a cluster: collect the figures through its gateway (collect-samples.ts) and write them
// as raw 10 s points in one createMany.
import 'server-only'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { db as defaultDb, type Db } from '@/lib/db'
import { collectSamples, type SampleRow } from './collect-samples'
import { insertSamples } from './insert-samples'
import { RAW_RESOLUTION_SEC } from './metric-names'
import { samplerStateOf, type SamplerState } from './sampler-state'

export interface SampleClusterOptions {
  readonly cluster: string
  readonly gateway: ClusterGateway
  readonly db?: Db
  /** Defaults to Date.now; tests drive TPS with a manual clock. */
  readonly clock?: () => number
  /** Defaults to the process-wide state of `cluster`. */
  readonly state?: SamplerState
}

export interface SamplePassOutcome {
  readonly atMs: number
  readonly rowsWritten: number
  readonly calls: number
  readonly failures: readonly string[]
  readonly idleTopicsVisited: number
  readonly dlqTopicsVisited: number
  /** Wall time of the gateway reads and of the write. */
  readonly collectMs: number
  readonly writeMs: number
}

/** Writes one pass's rows at `atMs` (resolution 10 s). */
export async function writeSamples(
  client: Db,
  cluster: string,
  atMs: number,
  rows: readonly SampleRow[],
): Promise<number> {
  const at = new Date(atMs)
  return insertSamples(
    client,
    rows.map((r) => ({
      cluster,
      scope: r.scope,
      name: r.name,
      metric: r.metric,
      resolutionSec: RAW_RESOLUTION_SEC,
      at,
      value: r.value,
    })),
  )
}

export async function sampleCluster(options: SampleClusterOptions): Promise<SamplePassOutcome> {
  const t0 = performance.now()
  const pass = await collectSamples({
    cluster: options.cluster,
    gateway: options.gateway,
    state: options.state ?? samplerStateOf(options.cluster),
    clock: options.clock,
  })
  const t1 = performance.now()
  const rowsWritten = await writeSamples(options.db ?? defaultDb(), options.cluster, pass.atMs, pass.rows)
  return {
    atMs: pass.atMs,
    rowsWritten,
    calls: pass.calls,
    failures: pass.failures,
    idleTopicsVisited: pass.idleTopicsVisited,
    dlqTopicsVisited: pass.dlqTopicsVisited,
    collectMs: t1 - t0,
    writeMs: performance.now() - t1,
  }
}
