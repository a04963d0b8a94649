// A DLQ resend job's state in the server process: counts, bounded per-message results, cancellation, and the
// registry on globalThis that finds a job by id or by the idempotency key that started it.
import 'server-only'
import { setMaxListeners } from 'node:events'
import type { DlqResendTarget } from '@/lib/cluster/gateway'
import { AppError } from '@/lib/errors'
import type {
  DlqResendItem,
  DlqResendJobStatus,
  DlqResendJobView,
  DlqResendOutcome,
  DlqResendResultsPage,
} from './resend-types'

/** Sends of one job that may wait for a rate-limiter slot at once (chunk workers × sends in flight per chunk). */
const SLOT_WAITERS_MAX = 64
/** Per-message results kept per job besides its failures (all of which are kept; a job holds ≤ 100,000). */
export const DLQ_RESULTS_KEPT = 10_000
/** Failures the stored outcome (and so the audit row) names. */
export const DLQ_OUTCOME_FAILURES_MAX = 100
/** Finished jobs the registry keeps readable; the oldest finished ones go first. */
const JOBS_KEPT_MAX = 200

export interface DlqResendJobInit {
  readonly cluster: string
  readonly group: string
  readonly target: DlqResendTarget
  readonly ratePerSec: number
  readonly startedBy: string
  readonly idempotencyKey: string
  /** Hash of what was asked: the same key with another request is a CONFLICT. */
  readonly requestHash: string
  readonly nowMs: number
}

export class DlqResendJob {
  readonly jobId: string
  readonly init: DlqResendJobInit
  status: DlqResendJobStatus = 'RUNNING'
  resolving = true
  total = 0
  sent = 0
  failed = 0
  skipped = 0
  finishedAtMs: number | undefined
  error: string | undefined
  cancelRequested = false
  /** Aborted by cancel(): wakes workers waiting for a send slot, which then stop without sending. */
  readonly abort = new AbortController()
  /** Ring of the last DLQ_RESULTS_KEPT results, in completion order. */
  private readonly recent: DlqResendItem[] = []
  private recentStart = 0
  private readonly failures: DlqResendItem[] = []
  private readonly settledPromise: Promise<void>
  private settle!: () => void

  constructor(jobId: string, init: DlqResendJobInit) {
    this.jobId = jobId
    this.init = init
    this.settledPromise = new Promise((resolve) => (this.settle = resolve))
    // Every send waiting for its slot listens for the abort (a few dozen at once): not a leak.
    setMaxListeners(SLOT_WAITERS_MAX, this.abort.signal)
  }

  /** No new send starts after this; sends already under way finish and are counted. */
  cancel(): void {
    if (this.status !== 'RUNNING') return
    this.cancelRequested = true
    this.abort.abort()
  }

  get done(): number {
    return this.sent + this.failed + this.skipped
  }

  record(item: DlqResendItem): void {
    if (item.status === 'SENT') this.sent++
    else if (item.status === 'SKIPPED') this.skipped++
    else {
      this.failed++
      this.failures.push(item)
    }
    if (this.recent.length < DLQ_RESULTS_KEPT) this.recent.push(item)
    else {
      this.recent[this.recentStart] = item
      this.recentStart = (this.recentStart + 1) % DLQ_RESULTS_KEPT
    }
  }

  finish(status: Exclude<DlqResendJobStatus, 'RUNNING'>, nowMs: number, error?: string): void {
    if (this.status !== 'RUNNING') return
    this.status = status
    this.resolving = false
    this.finishedAtMs = nowMs
    this.error = error
    this.settle()
  }

  /** Resolves once the job is no longer RUNNING (its in-flight sends have finished). */
  settled(): Promise<void> {
    return this.settledPromise
  }

  view(): DlqResendJobView {
    const { cluster, group, target, ratePerSec, startedBy, nowMs } = this.init
    return {
      jobId: this.jobId,
      cluster,
      group,
      target,
      status: this.status,
      resolving: this.resolving,
      total: this.total,
      done: this.done,
      sent: this.sent,
      failed: this.failed,
      skipped: this.skipped,
      ratePerSec,
      startedBy,
      startedAtMs: nowMs,
      finishedAtMs: this.finishedAtMs,
      cancelRequested: this.cancelRequested,
      error: this.error,
    }
  }

  outcome(): DlqResendOutcome {
    return {
      jobId: this.jobId,
      status: this.status,
      total: this.total,
      sent: this.sent,
      failed: this.failed,
      skipped: this.skipped,
      failures: this.failures
        .slice(0, DLQ_OUTCOME_FAILURES_MAX)
        .map(({ msgId, code, reason }) => ({ msgId, code, reason })),
      startedAtMs: this.init.nowMs,
      finishedAtMs: this.finishedAtMs ?? this.init.nowMs,
    }
  }

  /** Kept results newest first; `status` narrows to one outcome (FAILED reads the complete failure list). */
  results(page: number, pageSize: number, status?: DlqResendItem['status']): DlqResendResultsPage {
    const ordered = [
      ...this.recent.slice(this.recentStart),
      ...this.recent.slice(0, this.recentStart),
    ].reverse()
    let rows: DlqResendItem[]
    if (status === 'FAILED') rows = [...this.failures].reverse()
    else rows = status ? ordered.filter((r) => r.status === status) : ordered
    const start = (page - 1) * pageSize
    return {
      items: rows.slice(start, start + pageSize),
      total: rows.length,
      page,
      pageSize,
      dropped: Math.max(0, this.done - this.recent.length),
    }
  }
}

interface Registry {
  readonly byId: Map<string, DlqResendJob>
  readonly byKey: Map<string, DlqResendJob>
  seq: number
}

const g = globalThis as unknown as { __mqdeckDlqJobs?: Registry }

function registry(): Registry {
  return (g.__mqdeckDlqJobs ??= { byId: new Map(), byKey: new Map(), seq: 0 })
}

export function registerJob(init: DlqResendJobInit): DlqResendJob {
  const r = registry()
  const jobId = `dlq-${Math.floor(init.nowMs).toString(36)}-${(++r.seq).toString(36)}`
  const job = new DlqResendJob(jobId, init)
  r.byId.set(jobId, job)
  r.byKey.set(init.idempotencyKey, job)
  pruneFinished(r)
  return job
}

function pruneFinished(r: Registry): void {
  if (r.byId.size <= JOBS_KEPT_MAX) return
  for (const job of r.byId.values()) {
    if (r.byId.size <= JOBS_KEPT_MAX) break
    if (job.status === 'RUNNING') continue
    r.byId.delete(job.jobId)
    if (r.byKey.get(job.init.idempotencyKey) === job) r.byKey.delete(job.init.idempotencyKey)
  }
}

export function jobByKey(idempotencyKey: string): DlqResendJob | undefined {
  return registry().byKey.get(idempotencyKey)
}

/** The job on `cluster` with this id; NOT_FOUND when there is none (or the server restarted since). */
export function requireJob(cluster: string, jobId: string): DlqResendJob {
  const job = registry().byId.get(jobId)
  if (!job || job.init.cluster !== cluster)
    throw new AppError(
      'NOT_FOUND',
      `no resend job ${jobId} on cluster ${cluster} (the server may have restarted)`,
    )
  return job
}
