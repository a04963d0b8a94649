'use client'
// A resend job's progress, polled every second while it runs (TanStack Query on /api/c/<cluster>/dlq/jobs/<id>):
// status, a progress bar, sent / failed / skipped counts, Cancel (its own idempotency key, made once per job
// panel), and the per-message results, newest first, paged and narrowed by outcome.
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useState, useTransition } from 'react'
import type { ActionError } from '@/app/action-result'
import { Badge, type BadgeTone } from '@/app/_components/badge'
import { SimpleTable } from '@/app/_components/detail-parts'
import { formatInteger } from '@/app/_components/format'
import { Time } from '@/app/_components/time-zone'
import { fetchJson } from '@/app/_lib/fetch-json'
import { ErrorBanner, newIdempotencyKey } from '@/app/c/[cluster]/_admin/dialog-parts'
import type {
  DlqResendItem,
  DlqResendJobStatus,
  DlqResendJobView,
  DlqResendOutcome,
  DlqResendResultsPage,
} from '@/lib/dlq/resend-types'
import { dlqJobApiUrl, dlqTopicName, messageDetailPath } from '../_lib/dlq-urls'
import { cancelDlqResendAction } from '../actions'

const POLL_MS = 1_000
const RESULTS_PAGE_SIZE = 20

const STATUS_TONE: Readonly<Record<DlqResendJobStatus, BadgeTone>> = {
  RUNNING: 'info',
  DONE: 'success',
  CANCELLED: 'warning',
  FAILED: 'danger',
}

const ITEM_TONE: Readonly<Record<DlqResendItem['status'], BadgeTone>> = {
  SENT: 'success',
  SKIPPED: 'neutral',
  FAILED: 'danger',
}

interface JobResponse {
  readonly job: DlqResendJobView
  readonly results: DlqResendResultsPage
}

export function JobProgress({
  cluster,
  jobId,
  canCancel,
  cancelBlockedReason,
  replayed,
  initialJob,
  onClose,
}: {
  cluster: string
  jobId: string
  /** The job as the start answered, shown until the first poll does. */
  initialJob: DlqResendJobView | undefined
  canCancel: boolean
  cancelBlockedReason: string | undefined
  /** This panel opened for a submit the server answered as a replay of an earlier one. */
  replayed: boolean
  onClose: () => void
}) {
  const [page, setPage] = useState(1)
  const [status, setStatus] = useState<'' | DlqResendItem['status']>('')
  const url = dlqJobApiUrl(cluster, jobId, page, RESULTS_PAGE_SIZE, status || undefined)
  const query = useQuery<JobResponse>({
    queryKey: ['dlq-job', url],
    queryFn: ({ signal }) => fetchJson<JobResponse>(url, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
    // Until it stops; a job the server no longer knows (restart) stops the polling with its error.
    refetchInterval: (q) =>
      q.state.error || (q.state.data && q.state.data.job.status !== 'RUNNING') ? false : POLL_MS,
  })
  const [cancelKey] = useState(newIdempotencyKey)
  const [cancelling, startCancel] = useTransition()
  const [cancelError, setCancelError] = useState<ActionError>()

  const cancel = () =>
    startCancel(async () => {
      const result = await cancelDlqResendAction(cluster, { jobId, idempotencyKey: cancelKey })
      if (!result.ok) return setCancelError(result.error)
      setCancelError(undefined)
      await query.refetch()
    })

  const data = query.data
  const job = data?.job ?? initialJob
  return (
    <section
      className="panel space-y-3"
      aria-label="Resend job"
      data-testid="dlq-job-progress"
      data-job-id={jobId}
      data-status={job?.status ?? 'UNKNOWN'}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-sm font-semibold text-slate-800 dark:text-slate-200">
          Resend job <span className="font-mono text-xs">{jobId}</span>
        </h2>
        {job && (
          <span data-testid="dlq-job-status" data-status={job.status}>
            <Badge tone={STATUS_TONE[job.status]}>
              {job.status === 'RUNNING' && job.cancelRequested ? 'CANCELLING' : job.status}
            </Badge>
          </span>
        )}
        {replayed && (
          <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="dlq-job-replayed">
            (this request was already made: showing the job it started, nothing new was sent)
          </span>
        )}
        <span className="ml-auto flex items-center gap-2">
          {job?.status === 'RUNNING' && (
            <button
              type="button"
              className="control-button-danger"
              disabled={!canCancel || cancelling || job.cancelRequested}
              title={canCancel ? 'Stop starting new sends; those in flight finish' : cancelBlockedReason}
              onClick={cancel}
              data-testid="dlq-job-cancel"
            >
              {cancelling || job.cancelRequested ? 'Cancelling…' : 'Cancel job'}
            </button>
          )}
          <button type="button" className="control-button" onClick={onClose} data-testid="dlq-job-close">
            Close
          </button>
        </span>
      </div>
      {job?.status === 'RUNNING' && !canCancel && cancelBlockedReason && (
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Cancel is disabled: {cancelBlockedReason}.
        </p>
      )}
      <ErrorBanner error={cancelError} testId="dlq-job-cancel-error" />
      {query.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="dlq-job-error">
          {query.error.message}
        </p>
      )}
      {!job && !query.error && <p className="text-sm text-slate-500 dark:text-slate-400">Loading the job…</p>}
      {job && <JobCounts job={job} />}
      {data && (
        <JobResults
          cluster={cluster}
          group={job?.group ?? ''}
          results={data.results}
          page={page}
          setPage={setPage}
          status={status}
          setStatus={(s) => {
            setStatus(s)
            setPage(1)
          }}
        />
      )}
    </section>
  )
}

function JobCounts({ job }: { job: DlqResendJobView }) {
  const fraction = job.total > 0 ? Math.min(1, job.done / job.total) : job.status === 'RUNNING' ? 0 : 1
  const count = (label: string, value: number, testId: string, tone = '') => (
    <div className="flex flex-col">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone}`} data-testid={testId} data-count={value}>
        {formatInteger(value)}
      </dd>
    </div>
  )
  return (
    <div className="space-y-2">
      <div
        role="progressbar"
        aria-label="Resent so far"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div
          className={`h-full rounded-full transition-[width] ${
            job.status === 'FAILED'
              ? 'bg-red-600 dark:bg-red-500'
              : job.status === 'CANCELLED'
                ? 'bg-amber-500'
                : 'bg-sky-600 dark:bg-sky-500'
          }`}
          style={{ width: `${(fraction * 100).toFixed(1)}%` }}
        />
      </div>
      <p className="text-sm tabular-nums" data-testid="dlq-job-done">
        {formatInteger(job.done)} of {formatInteger(job.total)}
        {job.resolving ? '+ (still reading the range…)' : ''} done · to{' '}
        {job.target === 'ORIGIN_TOPIC' ? 'the original topics' : `%RETRY%${job.group}`} at up to{' '}
        {formatInteger(job.ratePerSec)}/s · started by {job.startedBy}{' '}
        <Time ms={Math.round(job.startedAtMs)} />
        {job.finishedAtMs !== undefined && (
          <>
            {' '}
            · finished <Time ms={Math.round(job.finishedAtMs)} />
          </>
        )}
      </p>
      <dl className="grid grid-cols-4 gap-3 sm:max-w-xl">
        {count('Total', job.total, 'dlq-job-total')}
        {count('Sent', job.sent, 'dlq-job-sent', 'text-emerald-700 dark:text-emerald-400')}
        {count(
          'Failed',
          job.failed,
          'dlq-job-failed',
          job.failed > 0 ? 'text-red-700 dark:text-red-400' : '',
        )}
        {count('Skipped', job.skipped, 'dlq-job-skipped')}
      </dl>
      {job.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="dlq-job-failure">
          The job failed: {job.error}
        </p>
      )}
    </div>
  )
}

function JobResults({
  cluster,
  group,
  results,
  page,
  setPage,
  status,
  setStatus,
}: {
  cluster: string
  group: string
  results: DlqResendResultsPage
  page: number
  setPage: (page: number) => void
  status: '' | DlqResendItem['status']
  setStatus: (status: '' | DlqResendItem['status']) => void
}) {
  const pageCount = Math.max(1, Math.ceil(results.total / results.pageSize))
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
        <span className="text-sm font-medium text-slate-700 dark:text-slate-300">Per-message results</span>
        <label className="flex items-center gap-1">
          Show
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as '' | DlqResendItem['status'])}
            className="control-input py-0.5"
            data-testid="dlq-job-results-status"
          >
            <option value="">all</option>
            <option value="SENT">sent</option>
            <option value="FAILED">failed</option>
            <option value="SKIPPED">skipped</option>
          </select>
        </label>
        {results.dropped > 0 && (
          <span>
            {formatInteger(results.dropped)} older results are not kept (failures always are); the counts
            above are complete.
          </span>
        )}
      </div>
      <SimpleTable<DlqResendItem>
        testId="dlq-job-results"
        rows={results.items}
        rowKey={(r) => r.msgId}
        empty={status ? `No ${status.toLowerCase()} message yet.` : 'No message has been resent yet.'}
        columns={[
          {
            header: 'DLQ message',
            cell: (r) => (
              <Link
                href={messageDetailPath(cluster, r.msgId, dlqTopicName(group))}
                className="text-link font-mono text-xs"
              >
                {r.msgId}
              </Link>
            ),
          },
          {
            header: 'Result',
            cell: (r) => (
              <span data-testid="dlq-job-result-status" data-status={r.status}>
                <Badge tone={ITEM_TONE[r.status]}>{r.status}</Badge>
              </span>
            ),
          },
          {
            header: 'Reason',
            cell: (r) =>
              r.reason || r.code ? (
                <span className="text-xs">
                  {r.code && <span className="font-mono">{r.code}: </span>}
                  {r.reason}
                </span>
              ) : (
                '–'
              ),
          },
          {
            header: 'New message',
            cell: (r) =>
              r.newMsgId ? (
                <Link
                  href={messageDetailPath(cluster, r.newMsgId, r.topic)}
                  className="text-link font-mono text-xs"
                  data-testid="dlq-job-new-msg"
                >
                  {r.newMsgId}
                </Link>
              ) : (
                '–'
              ),
          },
          { header: 'Topic', cell: (r) => <span className="font-mono text-xs">{r.topic ?? '–'}</span> },
          { header: 'At', cell: (r) => <Time ms={Math.round(r.atMs)} /> },
        ]}
      />
      {pageCount > 1 && (
        <nav aria-label="Result pages" className="flex items-center justify-end gap-2 text-xs">
          <button
            type="button"
            className="control-button"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            ← Newer
          </button>
          <span>
            Page {page} of {pageCount} ({formatInteger(results.total)} results)
          </span>
          <button
            type="button"
            className="control-button"
            disabled={page >= pageCount}
            onClick={() => setPage(page + 1)}
          >
            Older →
          </button>
        </nav>
      )}
    </div>
  )
}

/**
 * A replayed request whose job this server no longer holds (it restarted since): the outcome stored with the
 * idempotency key, which is all there is to show. Nothing was sent again.
 */
export function StoredOutcome({ outcome, onClose }: { outcome: DlqResendOutcome; onClose: () => void }) {
  return (
    <section
      className="panel space-y-2"
      aria-label="Resend job"
      data-testid="dlq-job-progress"
      data-job-id={outcome.jobId}
      data-status={outcome.status}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-sm font-semibold text-slate-800 dark:text-slate-200">
          Resend job <span className="font-mono text-xs">{outcome.jobId}</span>
        </h2>
        <span data-testid="dlq-job-status" data-status={outcome.status}>
          <Badge tone={STATUS_TONE[outcome.status]}>{outcome.status}</Badge>
        </span>
        <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="dlq-job-replayed">
          (this request was already made; its recorded outcome, nothing new was sent)
        </span>
        <button type="button" className="control-button ml-auto" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="text-sm tabular-nums">
        {formatInteger(outcome.total)} total ·{' '}
        <span data-testid="dlq-job-sent" data-count={outcome.sent}>
          {formatInteger(outcome.sent)} sent
        </span>{' '}
        · {formatInteger(outcome.failed)} failed · {formatInteger(outcome.skipped)} skipped · finished{' '}
        <Time ms={Math.round(outcome.finishedAtMs)} />
      </p>
      {outcome.failures.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-red-700 dark:text-red-400">
          {outcome.failures.map((f) => (
            <li key={f.msgId}>
              <span className="font-mono">{f.msgId}</span>: {f.code ? `${f.code} ` : ''}
              {f.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
