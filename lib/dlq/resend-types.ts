// The plain data of a DLQ resend job as the API and the page see it: its progress, its per-message results and the
// outcome stored for the audit row. Types only, so client components may `import type` them.
import type { DlqResendTarget, MessageFilter } from '@/lib/cluster/gateway'

export type DlqResendJobStatus = 'RUNNING' | 'CANCELLED' | 'DONE' | 'FAILED'

/** What to resend: named DLQ messages, or everything a time range (and filter) of the group's DLQ holds. */
export type DlqResendSelection =
  | { readonly msgIds: readonly string[] }
  | { readonly beginMs: number; readonly endMs: number; readonly filter?: MessageFilter }

/**
 * One DLQ message's outcome in a job. SKIPPED: it was resent before (by this or any earlier batch, whatever key it
 * carried), so it is not sent again; `newMsgId` then names that earlier resend when it is known.
 */
export interface DlqResendItem {
  readonly msgId: string
  readonly status: 'SENT' | 'FAILED' | 'SKIPPED'
  /** For FAILED: the gateway's outcome (NOT_FOUND, NOT_A_DLQ_MESSAGE, FAILED) or ERROR when the call threw. */
  readonly code?: string
  readonly reason?: string
  readonly topic?: string
  readonly newMsgId?: string
  readonly atMs: number
}

export interface DlqResendJobView {
  readonly jobId: string
  readonly cluster: string
  readonly group: string
  readonly target: DlqResendTarget
  readonly status: DlqResendJobStatus
  /** True while a time-range selection is still being paged through (total grows until then). */
  readonly resolving: boolean
  readonly total: number
  readonly done: number
  readonly sent: number
  readonly failed: number
  readonly skipped: number
  readonly ratePerSec: number
  readonly startedBy: string
  readonly startedAtMs: number
  readonly finishedAtMs: number | undefined
  readonly cancelRequested: boolean
  /** Why the whole job failed (FAILED), e.g. the range could not be read completely. */
  readonly error: string | undefined
}

/** The job's final outcome: what runMutation stores with the idempotency key and summarises in the audit row. */
export interface DlqResendOutcome {
  readonly jobId: string
  readonly status: DlqResendJobStatus
  readonly total: number
  readonly sent: number
  readonly failed: number
  readonly skipped: number
  /** The first failures (at most DLQ_OUTCOME_FAILURES_MAX), so the audit row says what went wrong. */
  readonly failures: readonly { readonly msgId: string; readonly code?: string; readonly reason?: string }[]
  readonly startedAtMs: number
  readonly finishedAtMs: number
}

export interface DlqResendResultsPage {
  readonly items: readonly DlqResendItem[]
  readonly total: number
  readonly page: number
  readonly pageSize: number
  /** Results older than the kept window (the last DLQ_RESULTS_KEPT, plus every failure) were dropped. */
  readonly dropped: number
}

/** What starting a resend returns at once: the job runs on in the server, readable by its id. */
export interface DlqResendStarted {
  readonly jobId: string
  /** True when this idempotency key had already started the job: nothing new was sent. */
  readonly replayed: boolean
  readonly job: DlqResendJobView | undefined
  /** A replay of a job this server no longer holds (it restarted): the stored outcome. */
  readonly outcome?: DlqResendOutcome
}
