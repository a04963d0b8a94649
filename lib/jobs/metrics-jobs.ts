// The metrics history's background jobs (node-cron): a sampling pass per cluster every 10 s, downsampling every
// minute, retention every hour. Started once per process (kept on globalThis: Next loads modules more than once).
//
// One pass at a time per cluster: a tick that finds the cluster's previous pass still running skips it (a slow
// remote cluster gets fewer points, not a pile of overlapping reads). Clusters run independently; a failing one
// logs once when it starts failing and once when it recovers, never every 10 s, and does not delay the others.
import 'server-only'
import cron, { type ScheduledTask } from 'node-cron'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { db as defaultDb, type Db } from '@/lib/db'
import { downsampleCluster } from '@/lib/metrics/downsample'
import { pruneMetrics } from '@/lib/metrics/retention'
import { sampleCluster, type SamplePassOutcome } from '@/lib/metrics/sample-cluster'
import { forgetSamplerStates } from '@/lib/metrics/sampler-state'

export const SAMPLE_INTERVAL_SEC_DEFAULT = 10
export const DOWNSAMPLE_SCHEDULE = '5 * * * * *'
export const RETENTION_SCHEDULE = '35 17 * * * *'

export interface MetricsCluster {
  readonly id: string
  readonly gateway: ClusterGateway
}

export interface MetricsJobsOptions {
  /** The clusters to sample, asked on every tick (connections come and go). */
  readonly clusters: () => Promise<readonly MetricsCluster[]>
  readonly db?: Db
  /** Seconds between passes; must divide 60 (the cron expression is `*\/N * * * * *`). */
  readonly intervalSec?: number
  readonly log?: (message: string) => void
  /** Called after each cluster's pass, with its outcome or the error that ended it (tests wait on it). */
  readonly onPass?: (cluster: string, outcome: SamplePassOutcome | Error) => void
}

export interface MetricsJobs {
  /** Stops the schedules and waits for the passes and job steps in flight. */
  stop(): Promise<void>
}

const g = globalThis as unknown as { __mqdeckMetricsJobs?: MetricsJobs }

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Logs the first failure of a streak and the recovery that ends it. */
class FailureStreaks {
  private readonly streaks = new Map<string, number>()

  constructor(private readonly log: (message: string) => void) {}

  failed(key: string, what: string): void {
    const n = this.streaks.get(key) ?? 0
    if (n === 0) this.log(`${what} (logged once until it recovers)`)
    this.streaks.set(key, n + 1)
  }

  succeeded(key: string, what: string): void {
    const n = this.streaks.get(key)
    if (n === undefined) return
    this.streaks.delete(key)
    this.log(`${what} recovered after ${n} failed attempt${n === 1 ? '' : 's'}`)
  }
}

/** Starts the jobs, or returns the ones this process already runs. */
export function startMetricsJobs(options: MetricsJobsOptions): MetricsJobs {
  if (g.__mqdeckMetricsJobs) return g.__mqdeckMetricsJobs
  const intervalSec = options.intervalSec ?? SAMPLE_INTERVAL_SEC_DEFAULT
  if (!Number.isInteger(intervalSec) || intervalSec < 1 || intervalSec > 60 || 60 % intervalSec !== 0)
    throw new Error(`metrics intervalSec must divide 60, got ${intervalSec}`)
  const log = options.log ?? ((m: string) => console.warn(`[mqdeck metrics] ${m}`))
  const client = () => options.db ?? defaultDb()
  const streaks = new FailureStreaks(log)
  const running = new Map<string, Promise<void>>()
  const inFlight = new Set<Promise<unknown>>()
  let stopped = false

  const track = (promise: Promise<unknown>) => {
    inFlight.add(promise)
    void promise.finally(() => inFlight.delete(promise))
  }

  /** undefined when the list could not be read (then no cluster's sampler state is dropped). */
  const listClusters = async (): Promise<readonly MetricsCluster[] | undefined> => {
    try {
      const clusters = await options.clusters()
      streaks.succeeded('clusters', 'listing clusters')
      return clusters
    } catch (err) {
      streaks.failed('clusters', `listing clusters failed: ${messageOf(err)}`)
      return undefined
    }
  }

  const samplePass = async ({ id, gateway }: MetricsCluster) => {
    try {
      const outcome = await sampleCluster({ cluster: id, gateway, db: client() })
      if (outcome.failures.length > 0)
        streaks.failed(`sample ${id}`, `sampling ${id}: ${outcome.failures.slice(0, 3).join(' | ')}`)
      else streaks.succeeded(`sample ${id}`, `sampling ${id}`)
      options.onPass?.(id, outcome)
    } catch (err) {
      streaks.failed(`sample ${id}`, `sampling ${id} failed: ${messageOf(err)}`)
      options.onPass?.(id, err instanceof Error ? err : new Error(String(err)))
    }
  }

  const sampleTick = async () => {
    const clusters = await listClusters()
    if (stopped || !clusters) return
    forgetSamplerStates(new Set(clusters.map((c) => c.id)))
    for (const cluster of clusters) {
      if (running.has(cluster.id)) continue
      const pass = samplePass(cluster).finally(() => running.delete(cluster.id))
      running.set(cluster.id, pass)
      track(pass)
    }
  }

  // Downsampling and retention: one run at a time each (node-cron's noOverlap), clusters one after another.
  const downsampleTick = async () => {
    for (const { id } of (await listClusters()) ?? []) {
      if (stopped) return
      try {
        await downsampleCluster(client(), { cluster: id })
        streaks.succeeded(`downsample ${id}`, `downsampling ${id}`)
      } catch (err) {
        streaks.failed(`downsample ${id}`, `downsampling ${id} failed: ${messageOf(err)}`)
      }
    }
  }

  const retentionTick = async () => {
    try {
      await pruneMetrics(client())
      streaks.succeeded('retention', 'metrics retention')
    } catch (err) {
      streaks.failed('retention', `metrics retention failed: ${messageOf(err)}`)
    }
  }

  const schedule = (expression: string, name: string, run: () => Promise<void>): ScheduledTask =>
    cron.schedule(
      expression,
      () => {
        if (stopped) return
        const step = run()
        track(step)
        return step
      },
      { name, noOverlap: true },
    )

  const tasks = [
    schedule(`*/${intervalSec} * * * * *`, 'mqdeck-metrics-sample', sampleTick),
    schedule(DOWNSAMPLE_SCHEDULE, 'mqdeck-metrics-downsample', downsampleTick),
    schedule(RETENTION_SCHEDULE, 'mqdeck-metrics-retention', retentionTick),
  ]

  const jobs: MetricsJobs = {
    async stop() {
      stopped = true
      for (const task of tasks) await task.destroy()
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
      if (g.__mqdeckMetricsJobs === jobs) g.__mqdeckMetricsJobs = undefined
    },
  }
  g.__mqdeckMetricsJobs = jobs
  return jobs
}
