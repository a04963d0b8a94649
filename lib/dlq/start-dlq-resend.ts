// Starts a DLQ resend as one audited, idempotent mutation ('dlq.resend') whose work runs on as a job in this
// server process, so the page gets the job id at once and polls its progress.
//
// How the audit row and the job meet: runMutation writes the audit row (PENDING) and claims the idempotency key
// before anything is sent; its run() registers the job, hands the job id back to the caller right away, and then
// waits for the job to end. So the audit row stays PENDING while the job runs and is completed when it ends:
// SUCCEEDED with the counts (DONE or CANCELLED) or FAILED (the selection could not be resolved). The job's
// outcome is what the key stores, so a repeated key replays it. A server that dies mid-job leaves the row PENDING,
// which the next start marks UNKNOWN; the messages already resent are recorded per message (runOnce), so a new
// batch over the same messages skips them. While the job runs, a repeated key is answered from the in-memory job
// (same request: its id, replayed; another request: CONFLICT) instead of waiting for the audit row; both are
// audited like runMutation's own repeats, after the same role and read-only checks.
import 'server-only'
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type { Actor } from '@/lib/auth/session'
import { getGateway } from '@/lib/cluster/registry'
import { AppError, toAppError } from '@/lib/errors'
import {
  admitMutation,
  recordReplay,
  refuseMutation,
  runMutation,
  type MutationHeader,
} from '@/lib/mutations/run-mutation'
import { DLQ_RATE_PER_SEC_DEFAULT, startDlqResendSchema, type StartDlqResendInput } from './dlq-schemas'
import { REAL_CLOCK, type PacingClock } from './rate-limiter'
import { jobByKey, registerJob } from './resend-job'
import type { DlqResendOutcome, DlqResendSelection, DlqResendStarted } from './resend-types'
import { normalizeMsgIds } from './resolve-selection'
import { runResendJob } from './run-resend-job'

export const DLQ_RESEND_ACTION = 'dlq.resend'

/** The small JSON the audit row keeps of the selection: ids are summarised by count and hash, not listed. */
function selectionSummary(selection: DlqResendSelection): Record<string, unknown> {
  if ('msgIds' in selection) {
    const ids = normalizeMsgIds(selection.msgIds).sort()
    return {
      msgIdCount: ids.length,
      msgIdsSha256: createHash('sha256').update(ids.join(',')).digest('hex'),
      firstMsgIds: ids.slice(0, 5),
    }
  }
  return { beginMs: selection.beginMs, endMs: selection.endMs, filter: selection.filter ?? null }
}

/**
 * Starts (or, for a repeated idempotency key, finds) a resend job and returns its id without waiting for it.
 * Refusals (role, read-only cluster, a key reused for another request, the audit write failing) throw AppErrors
 * before anything is sent. `options.clock` paces sends (tests pass a manual clock).
 */
export async function startDlqResend(
  actor: Actor,
  input: StartDlqResendInput,
  options: { clock?: PacingClock } = {},
): Promise<DlqResendStarted> {
  let parsed
  try {
    parsed = startDlqResendSchema.parse(input)
  } catch (err) {
    throw toAppError(err)
  }
  const { cluster, group, selection, target, idempotencyKey } = parsed
  const ratePerSec = parsed.ratePerSec ?? DLQ_RATE_PER_SEC_DEFAULT
  const clock = options.clock ?? REAL_CLOCK
  const request = { group, target, ratePerSec, selection: selectionSummary(selection) }
  const requestHash = createHash('sha256')
    .update(JSON.stringify({ cluster, actor: actor.username, ...request }))
    .digest('hex')

  const header: MutationHeader = {
    action: DLQ_RESEND_ACTION,
    minRole: 'operator',
    cluster,
    targetType: 'dlq',
    targetId: group,
    idempotencyKey,
    request,
  }
  // Refused as runMutation would (audited) before a running job answers for the key: a viewer learns nothing.
  await admitMutation(actor, header)
  const conflict = () =>
    refuseMutation(
      actor,
      header,
      new AppError('CONFLICT', 'this idempotency key was already used for a different resend'),
    )
  const running = jobByKey(idempotencyKey)
  if (running) {
    if (running.init.requestHash !== requestHash) throw await conflict()
    const view = running.view()
    await recordReplay(actor, header, {
      jobId: view.jobId,
      status: view.status,
      done: view.done,
      total: view.total,
    })
    return { jobId: running.jobId, replayed: true, job: view }
  }

  // A double click can arrive before the first request registered its job: the second waits for the first.
  const inFlight = starting().get(idempotencyKey)
  if (inFlight) {
    const first = await inFlight
    const job = jobByKey(idempotencyKey)
    if (job && job.init.requestHash !== requestHash) throw await conflict()
    const view = job?.view() ?? first.job
    await recordReplay(actor, header, { jobId: first.jobId, status: view?.status ?? first.outcome?.status })
    return { ...first, replayed: true, job: view }
  }
  const attempt = launch(actor, parsed, header, { ratePerSec, clock, requestHash })
  starting().set(idempotencyKey, attempt)
  try {
    return await attempt
  } finally {
    starting().delete(idempotencyKey)
  }
}

const g = globalThis as unknown as { __mqdeckDlqStarting?: Map<string, Promise<DlqResendStarted>> }

function starting(): Map<string, Promise<DlqResendStarted>> {
  return (g.__mqdeckDlqStarting ??= new Map<string, Promise<DlqResendStarted>>())
}

async function launch(
  actor: Actor,
  parsed: z.output<typeof startDlqResendSchema>,
  header: MutationHeader,
  options: { ratePerSec: number; clock: PacingClock; requestHash: string },
): Promise<DlqResendStarted> {
  const { cluster, group, selection, target, idempotencyKey } = parsed
  const { ratePerSec, clock, requestHash } = options
  const gateway = await getGateway(cluster)
  let announce!: (started: DlqResendStarted) => void
  const started = new Promise<DlqResendStarted>((resolve) => (announce = resolve))
  const mutation = runMutation<DlqResendOutcome>(actor, {
    ...header,
    run: async () => {
      const job = registerJob({
        cluster,
        group,
        target,
        ratePerSec,
        startedBy: actor.username,
        idempotencyKey,
        requestHash,
        nowMs: clock.nowMs(),
      })
      announce({ jobId: job.jobId, replayed: false, job: job.view() })
      await runResendJob(job, gateway, selection, clock)
      return job.outcome()
    },
    summarize: (outcome) => ({
      jobId: outcome.jobId,
      status: outcome.status,
      total: outcome.total,
      sent: outcome.sent,
      failed: outcome.failed,
      skipped: outcome.skipped,
      failures: outcome.failures.slice(0, 10),
    }),
  })
  // run() announces before it awaits the job, so `started` wins the race whenever the job was started here; the
  // mutation settles first only when it never ran: a refusal (thrown) or a replay of a finished job's outcome.
  mutation.catch((err: unknown) => {
    // A refusal reaches the caller through the race below; a job that failed after it started is on its page.
    if (toAppError(err).code === 'INTERNAL') console.error(`[mqdeck] DLQ resend of ${group} failed`, err)
  })
  return Promise.race([
    started,
    mutation.then((r): DlqResendStarted => ({
      jobId: r.outcome.jobId,
      replayed: true,
      job: undefined,
      outcome: r.outcome,
    })),
  ])
}
