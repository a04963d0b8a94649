// How long each resolution is kept, and the job step that deletes older points in bounded batches (so one run
// never holds the database for the seconds a multi-million-row delete would take).
import 'server-only'
import type { Db } from '@/lib/db'
import { RESOLUTIONS_SEC, type ResolutionSec } from './metric-names'

const HOUR_MS = 3_600_000

/** Defaults: raw 10 s points 6 h, 60 s averages 3 days, 600 s averages 30 days. */
export const METRICS_RETENTION_MS: Readonly<Record<ResolutionSec, number>> = {
  10: 6 * HOUR_MS,
  60: 72 * HOUR_MS,
  600: 720 * HOUR_MS,
}

/** Environment overrides, in hours (e.g. MQDECK_METRICS_RETENTION_600S_HOURS=2160 keeps 90 days). */
export const METRICS_RETENTION_ENV: Readonly<Record<ResolutionSec, string>> = {
  10: 'MQDECK_METRICS_RETENTION_10S_HOURS',
  60: 'MQDECK_METRICS_RETENTION_60S_HOURS',
  600: 'MQDECK_METRICS_RETENTION_600S_HOURS',
}

/** Rows one delete statement removes, about (a batch ends on a whole pass, whose rows share one time). */
export const RETENTION_BATCH_ROWS = 20_000

type Env = Readonly<Record<string, string | undefined>>

/** The retention per resolution: the defaults, each replaced by a positive number of hours from `env`. */
export function metricsRetentionMs(env: Env = process.env): Record<ResolutionSec, number> {
  const out = { ...METRICS_RETENTION_MS }
  for (const res of RESOLUTIONS_SEC) {
    const text = env[METRICS_RETENTION_ENV[res]]?.trim()
    const hours = text ? Number(text) : NaN
    if (Number.isFinite(hours) && hours > 0) out[res] = hours * HOUR_MS
  }
  return out
}

export interface PruneOutcome {
  readonly deleted: Readonly<Record<ResolutionSec, number>>
}

/**
 * Deletes points older than each resolution's retention, across all clusters, oldest first: each batch finds the
 * time of the RETENTION_BATCH_ROWS-th oldest expired point and deletes up to it (index metric_sample(resolution_sec,
 * at)), yielding to the event loop between batches.
 */
export async function pruneMetrics(
  client: Db,
  options: {
    readonly nowMs?: number
    readonly retentionMs?: Record<ResolutionSec, number>
    readonly batchRows?: number
  } = {},
): Promise<PruneOutcome> {
  const nowMs = options.nowMs ?? Date.now()
  const retention = options.retentionMs ?? metricsRetentionMs()
  const batchRows = options.batchRows ?? RETENTION_BATCH_ROWS
  const deleted = { 10: 0, 60: 0, 600: 0 }
  for (const resolutionSec of RESOLUTIONS_SEC) {
    const cutoff = new Date(nowMs - retention[resolutionSec])
    for (;;) {
      const boundary = await client.metricSample.findFirst({
        where: { resolutionSec, at: { lt: cutoff } },
        orderBy: { at: 'asc' },
        skip: batchRows,
        select: { at: true },
      })
      // Up to and including the boundary's time, so a batch always removes at least one whole pass.
      const { count } = await client.metricSample.deleteMany({
        where: { resolutionSec, at: boundary ? { lte: boundary.at } : { lt: cutoff } },
      })
      deleted[resolutionSec] += count
      if (!boundary) break
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  return { deleted }
}
