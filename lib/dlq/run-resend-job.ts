// Runs a resend job: resolves its selection, then resends message by message with a few workers, each send paced
// by the job's rate limiter and recorded once per (cluster, group, DLQ msgId) with runOnce, so a message resent
// by any earlier batch (whatever idempotency key it carried) is SKIPPED and never sent twice.
import 'server-only'
import { createHash } from 'node:crypto'
import type { ClusterGateway, DlqResendResult } from '@/lib/cluster/gateway'
import { toAppError } from '@/lib/errors'
import { runOnce } from '@/lib/idempotency/run-once'
import type { DlqResendJob } from './resend-job'
import { RateLimiter, type PacingClock } from './rate-limiter'
import type { DlqResendItem, DlqResendSelection } from './resend-types'
import { resolveSelection } from './resolve-selection'

/** Resends in flight at once per job (each is ≤ 3 remoting calls plus two small database writes). */
const RESEND_WORKERS = 8

/** What runOnce records for a resent message: enough to say "already resent at …, new msgId …". */
interface ResentRecord {
  readonly newMsgId: string
  readonly topic: string
  readonly atMs: number
}

/** Cancelled while waiting for a send slot: thrown inside runOnce so the key is released and nothing counted. */
class Cancelled extends Error {}

/** A send that did not happen: thrown inside runOnce so the message is not recorded as resent. */
class NotSent extends Error {
  constructor(readonly result: Exclude<DlqResendResult, { status: 'SENT' }>) {
    super(result.reason)
  }
}

/** The runOnce scope of every DLQ resend; the business key names the cluster, group and DLQ message. */
export const DLQ_RESEND_SCOPE = 'dlq-resend'
/** runOnce's business key limit. */
const BUSINESS_KEY_MAX_CHARS = 200

/**
 * One record per (cluster, group, DLQ msgId): `<cluster>:<group>:<msgId>`. runOnce scopes may not hold ':' or
 * '%' (group names may), so the cluster and group go into the business key; a group too long to fit is named by
 * its sha256 instead.
 */
export function resendBusinessKey(cluster: string, group: string, msgId: string): string {
  const plain = `${cluster}:${group}:${msgId}`
  if (plain.length <= BUSINESS_KEY_MAX_CHARS) return plain
  return `${cluster}:sha256-${createHash('sha256').update(group).digest('hex')}:${msgId}`
}

async function resendOne(
  job: DlqResendJob,
  gateway: ClusterGateway,
  limiter: RateLimiter,
  clock: PacingClock,
  msgId: string,
): Promise<DlqResendItem | undefined> {
  const { cluster, group, target } = job.init
  try {
    const once = await runOnce<ResentRecord>(
      DLQ_RESEND_SCOPE,
      resendBusinessKey(cluster, group, msgId),
      async () => {
        const slotMs = await limiter.acquire(job.abort.signal)
        if (slotMs === undefined) throw new Cancelled()
        const [result] = await gateway.resendDlqMessages({ group, msgIds: [msgId], target })
        if (!result) throw new Error('the gateway returned no result')
        if (result.status !== 'SENT') throw new NotSent(result)
        return { newMsgId: result.newMsgId, topic: result.topic, atMs: slotMs }
      },
    )
    if (once.ran)
      return {
        msgId,
        status: 'SENT',
        topic: once.value.topic,
        newMsgId: once.value.newMsgId,
        atMs: once.value.atMs,
      }
    const earlier = once.value
    return {
      msgId,
      status: 'SKIPPED',
      reason: earlier
        ? `already resent at ${new Date(earlier.atMs).toISOString()}, new msgId ${earlier.newMsgId}`
        : 'already being resent by another batch (or its outcome was not recorded)',
      topic: earlier?.topic,
      newMsgId: earlier?.newMsgId,
      atMs: clock.nowMs(),
    }
  } catch (err) {
    if (err instanceof Cancelled) return undefined
    if (err instanceof NotSent)
      return {
        msgId,
        status: 'FAILED',
        code: err.result.status,
        reason: err.result.reason,
        atMs: clock.nowMs(),
      }
    return { msgId, status: 'FAILED', code: 'ERROR', reason: toAppError(err).message, atMs: clock.nowMs() }
  }
}

/**
 * Runs the job to its end (DONE, CANCELLED or FAILED) and resolves then; never rejects for a message's failure.
 * Rejects (after marking the job FAILED) only when the selection itself could not be resolved.
 */
export async function runResendJob(
  job: DlqResendJob,
  gateway: ClusterGateway,
  selection: DlqResendSelection,
  clock: PacingClock,
): Promise<void> {
  const queue: string[] = []
  try {
    const ids = await resolveSelection(
      gateway,
      job.init.group,
      selection,
      (page) => (job.total += page.length),
      () => job.cancelRequested,
    )
    queue.push(...ids)
    job.total = ids.length
    job.resolving = false
  } catch (err) {
    job.finish('FAILED', clock.nowMs(), toAppError(err).message)
    throw err
  }

  const limiter = new RateLimiter(job.init.ratePerSec, clock)
  let next = 0
  const worker = async () => {
    while (next < queue.length && !job.cancelRequested) {
      const msgId = queue[next++]!
      const item = await resendOne(job, gateway, limiter, clock, msgId)
      if (item) job.record(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(RESEND_WORKERS, queue.length) }, worker))
  job.finish(job.cancelRequested && job.done < job.total ? 'CANCELLED' : 'DONE', clock.nowMs())
}
