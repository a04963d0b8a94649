// Runs a resend job: resolves its selection, then resends it in chunks, each send paced by the job's rate limiter
// and recorded once per (cluster, group, DLQ msgId) with runOnceMany, so a message resent by any earlier batch
// (whatever idempotency key it carried) is SKIPPED and never sent twice.
import 'server-only'
import { createHash } from 'node:crypto'
import type { ClusterGateway, DlqResendResult } from '@/lib/cluster/gateway'
import { PROPERTY_RESENT_FROM_DLQ_MSG_ID } from '@/lib/cluster/remote/dlq-properties'
import { toAppError } from '@/lib/errors'
import { newUniqKeyGenerator } from '@/lib/cluster/remote/uniq-key'
import { runOnceMany, settleUnknownOnce, type RunOnceManyResult } from '@/lib/idempotency/run-once-many'
import { findLostResends, isResendIntent, type ResendIntent } from './find-lost-resends'
import type { DlqResendJob } from './resend-job'
import { RateLimiter, type PacingClock } from './rate-limiter'
import type { DlqResendItem, DlqResendSelection } from './resend-types'
import { resolveSelection } from './resolve-selection'

/**
 * Messages claimed and recorded together: one insert before and one transaction after their sends, instead of two
 * synced writes per message (which held a 10,000-message resend to ~22 msgs/s on SQLite).
 */
const CHUNK_MAX = 64
/**
 * Progress moves a chunk at a time, so a slow job takes smaller chunks: about this many per second (a job at
 * 2 msgs/s resends one message per chunk; one at 500/s, 64).
 */
const CHUNKS_PER_SEC = 4
/** Chunks in progress at once per job, so one chunk's database writes overlap another's sends. */
const CHUNK_WORKERS = 2
/** Sends in flight at once within a chunk (each is ≤ 2 remoting calls: view by id, then send). */
const SENDS_PER_CHUNK_IN_FLIGHT = 8

/** What runOnce records for a resent message: enough to say "already resent at …, new msgId …". */
export interface ResentRecord {
  readonly newMsgId: string
  readonly topic: string
  readonly atMs: number
}

/** Cancelled while waiting for a send slot: thrown inside the handler so the key is released and nothing counted. */
class Cancelled extends Error {}

/** A send that did not happen: thrown inside the handler so the message is not recorded as resent. */
class NotSent extends Error {
  constructor(readonly result: Exclude<DlqResendResult, { status: 'SENT' }>) {
    super(result.reason)
  }
}

const g = globalThis as unknown as { __mqdeckResendUniqKeys?: ReturnType<typeof newUniqKeyGenerator> }

/** The UNIQ_KEYs resent copies get, chosen here so each claim can record its copy's key before the send. */
function uniqKeys(): ReturnType<typeof newUniqKeyGenerator> {
  return (g.__mqdeckResendUniqKeys ??= newUniqKeyGenerator())
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

/** Sends one claimed message (paced by the job's limiter); throws so runOnceMany releases its key if not sent. */
async function sendOne(
  job: DlqResendJob,
  gateway: ClusterGateway,
  limiter: RateLimiter,
  msgId: string,
  intent: ResendIntent,
): Promise<ResentRecord> {
  const slotMs = await limiter.acquire(job.abort.signal)
  if (slotMs === undefined) throw new Cancelled()
  const { group, target } = job.init
  const [result] = await gateway.resendDlqMessages({
    group,
    msgIds: [msgId],
    target,
    uniqKeys: [intent.uniqKey],
  })
  if (!result) throw new Error('the gateway returned no result')
  if (result.status !== 'SENT') throw new NotSent(result)
  return { newMsgId: result.newMsgId, topic: result.topic, atMs: slotMs }
}

/** A message's job result from its runOnceMany result; undefined when cancelled before it was sent. */
function itemOf(
  msgId: string,
  once: RunOnceManyResult<ResentRecord>,
  nowMs: number,
): DlqResendItem | undefined {
  if (once.status === 'RAN') return { msgId, status: 'SENT', ...once.value }
  if (once.status === 'EARLIER') {
    const earlier = once.value
    return {
      msgId,
      status: 'SKIPPED',
      reason: earlier
        ? `already resent at ${new Date(earlier.atMs).toISOString()}, new msgId ${earlier.newMsgId}`
        : once.outcomeUnknown
          ? `outcome unknown: the server stopped while resending it and its copy could not be looked up, so it ` +
            `is not sent again; a copy, if sent, carries the property ${PROPERTY_RESENT_FROM_DLQ_MSG_ID}=${msgId}`
          : 'being resent by another batch right now',
      topic: earlier?.topic,
      newMsgId: earlier?.newMsgId,
      atMs: nowMs,
    }
  }
  const err = once.error
  if (err instanceof Cancelled) return undefined
  if (err instanceof NotSent)
    return { msgId, status: 'FAILED', code: err.result.status, reason: err.result.reason, atMs: nowMs }
  return { msgId, status: 'FAILED', code: 'ERROR', reason: toAppError(err).message, atMs: nowMs }
}

/**
 * Resends one chunk: claims its messages' records in one write (each with the UNIQ_KEY its copy will carry), sends
 * the claimed ones, records them in one transaction, and only then counts them in the job (so "sent" always means
 * "sent and recorded"). Messages a stopped server left unknown are looked up by that UNIQ_KEY first
 * (`recover`): found ones are recorded as resent, missing ones go through a second pass and are sent now.
 */
async function resendChunk(
  job: DlqResendJob,
  gateway: ClusterGateway,
  limiter: RateLimiter,
  clock: PacingClock,
  msgIds: readonly string[],
  recover = true,
): Promise<void> {
  const { cluster, group, target } = job.init
  const keyOf = new Map(msgIds.map((id) => [resendBusinessKey(cluster, group, id), id]))
  const intents = new Map<string, ResendIntent>(
    [...keyOf.keys()].map((key) => [key, { uniqKey: uniqKeys().next(), target }]),
  )
  let results: Map<string, RunOnceManyResult<ResentRecord>>
  try {
    results = await runOnceMany<ResentRecord>(
      DLQ_RESEND_SCOPE,
      [...keyOf.keys()],
      (key) => sendOne(job, gateway, limiter, keyOf.get(key)!, intents.get(key)!),
      { concurrency: SENDS_PER_CHUNK_IN_FLIGHT, intents },
    )
  } catch (err) {
    // The records could not be claimed: nothing in this chunk was sent.
    const reason = toAppError(err).message
    for (const msgId of msgIds)
      job.record({ msgId, status: 'FAILED', code: 'ERROR', reason, atMs: clock.nowMs() })
    return
  }
  const lost = recover ? [...results].filter(([, once]) => lostIntent(once) !== undefined) : []
  const resendNow = lost.length > 0 ? await recoverLost(job, gateway, keyOf, lost, results, clock) : []
  for (const [key, once] of results) {
    const item = itemOf(keyOf.get(key)!, once, clock.nowMs())
    if (item) job.record(item)
  }
  if (resendNow.length > 0) await resendChunk(job, gateway, limiter, clock, resendNow, false)
}

/** The intent of a key a stopped server left unknown, if it recorded one. */
function lostIntent(once: RunOnceManyResult<ResentRecord>): ResendIntent | undefined {
  return once.status === 'EARLIER' && once.outcomeUnknown && isResendIntent(once.intent)
    ? once.intent
    : undefined
}

/**
 * Looks up the copies of `lost` messages by their recorded UNIQ_KEY and records what it learns: a found copy
 * becomes the message's record (and its result here, SKIPPED with where the copy is); a missing one is released
 * and returned, to be sent now. Undecided ones (no answer) stay unknown. Removes the decided ones from `results`.
 */
async function recoverLost(
  job: DlqResendJob,
  gateway: ClusterGateway,
  keyOf: ReadonlyMap<string, string>,
  lost: readonly (readonly [string, RunOnceManyResult<ResentRecord>])[],
  results: Map<string, RunOnceManyResult<ResentRecord>>,
  clock: PacingClock,
): Promise<string[]> {
  const found = await findLostResends(
    gateway,
    job.init.group,
    lost.map(([key, once]) => ({ msgId: keyOf.get(key)!, intent: lostIntent(once)! })),
  )
  const happened: { businessKey: string; value: ResentRecord }[] = []
  const didNotHappen: string[] = []
  for (const [key] of lost) {
    const copy = found.get(keyOf.get(key)!)
    if (copy) happened.push({ businessKey: key, value: copy })
    else if (copy === null) didNotHappen.push(key)
  }
  try {
    await settleUnknownOnce(DLQ_RESEND_SCOPE, happened, didNotHappen)
  } catch (err) {
    console.error('[mqdeck] could not record what became of DLQ resends a stopped server left unknown', err)
    return []
  }
  for (const { businessKey, value } of happened) {
    results.delete(businessKey)
    job.record({
      msgId: keyOf.get(businessKey)!,
      status: 'SKIPPED',
      reason:
        `already resent at ${new Date(value.atMs).toISOString()} (found by its UNIQ_KEY after a restart), ` +
        `new msgId ${value.newMsgId}`,
      topic: value.topic,
      newMsgId: value.newMsgId,
      atMs: clock.nowMs(),
    })
  }
  for (const key of didNotHappen) results.delete(key)
  return didNotHappen.map((key) => keyOf.get(key)!)
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
  const chunkSize = Math.max(1, Math.min(CHUNK_MAX, Math.floor(job.init.ratePerSec / CHUNKS_PER_SEC)))
  let next = 0
  const worker = async () => {
    while (next < queue.length && !job.cancelRequested) {
      const chunk = queue.slice(next, next + chunkSize)
      next += chunk.length
      await resendChunk(job, gateway, limiter, clock, chunk)
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(CHUNK_WORKERS, Math.ceil(queue.length / chunkSize)) }, worker),
  )
  job.finish(job.cancelRequested && job.done < job.total ? 'CANCELLED' : 'DONE', clock.nowMs())
}
