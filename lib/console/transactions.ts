// The Transactions page: the half messages waiting for commit or rollback (filtered, sorted and paged on the
// server; clusters that cannot list them say why), and ending a selection of them as one audited mutation.
import 'server-only'
import { z } from 'zod'
import type { Actor } from '@/lib/auth/session'
import type { BrokerFailure, EndTransactionOutcome, PendingTransaction } from '@/lib/cluster/gateway'
import { messageId } from '@/lib/cluster/gateway-schemas'
import { toAppError } from '@/lib/errors'
import { IDEMPOTENCY_KEY_PATTERN, runMutation, type MutationResult } from '@/lib/mutations/run-mutation'
import type { ConsoleContext } from './console-context'
import { pageOf, type ListPage, type ListParams, type SortKey } from './list-query'
import { cachedSnapshot, invalidateSnapshots } from './snapshot-cache'

export const TRANSACTIONS_TTL_MS = 2_000
/** Half messages one commit or rollback may end. */
export const END_TRANSACTIONS_MAX = 500

export interface PendingTransactionRow extends PendingTransaction {
  /** Time since the producer sent it, at `fetchedAtMs`. */
  readonly ageMs: number
}

export type TransactionsPage =
  | {
      readonly supported: true
      readonly page: ListPage<PendingTransactionRow>
      readonly partial: boolean
      readonly failures: readonly BrokerFailure[]
      readonly fetchedAtMs: number
    }
  | { readonly supported: false; readonly reason: string; readonly fetchedAtMs: number }

const SORTERS: Readonly<Record<string, SortKey<PendingTransactionRow>>> = {
  topic: (row) => row.topic,
  producerGroup: (row) => row.producerGroup,
  msgId: (row) => row.msgId,
  age: (row) => row.ageMs,
  checkTimes: (row) => row.checkTimes,
  nextCheck: (row) => row.nextCheckMs ?? Number.MAX_SAFE_INTEGER,
}

function searchText(row: PendingTransactionRow): string {
  return [row.topic, row.producerGroup, row.msgId, row.uniqKey ?? '', ...row.keys].join('\n')
}

/** A page of half messages (one listPendingTransactions at most once per TRANSACTIONS_TTL_MS), oldest first. */
export async function listTransactionPage(
  ctx: ConsoleContext,
  params: ListParams,
): Promise<TransactionsPage> {
  const snapshot = await cachedSnapshot(ctx.cluster, 'transactions', TRANSACTIONS_TTL_MS, () =>
    ctx.gateway.listPendingTransactions(),
  )
  const capability = snapshot.value
  if (!capability.supported)
    return { supported: false, reason: capability.reason, fetchedAtMs: snapshot.fetchedAtMs }
  const rows = capability.value.data.map((t) => ({
    ...t,
    ageMs: Math.max(0, snapshot.fetchedAtMs - t.bornTimestampMs),
  }))
  const sorted = params.sort ? params : { ...params, sort: 'age', dir: 'desc' as const }
  return {
    supported: true,
    page: pageOf(rows, sorted, searchText, SORTERS),
    partial: capability.value.partial,
    failures: capability.value.failures,
    fetchedAtMs: snapshot.fetchedAtMs,
  }
}

export const endTransactionsInputSchema = z.object({
  msgIds: z
    .array(messageId)
    .min(1, 'select at least one half message')
    .max(END_TRANSACTIONS_MAX, `at most ${END_TRANSACTIONS_MAX} at once`)
    .refine((ids) => new Set(ids).size === ids.length, 'a message is selected twice'),
  action: z.enum(['COMMIT', 'ROLLBACK']),
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_PATTERN, '8–128 letters, digits, - or _'),
})

export type EndTransactionsInput = z.input<typeof endTransactionsInputSchema>

/** One half message's outcome in a batch. */
export type EndTransactionResult =
  | { readonly msgId: string; readonly status: 'DONE' }
  | {
      readonly msgId: string
      readonly status: Exclude<EndTransactionOutcome['status'], 'DONE'> | 'UNSUPPORTED'
      readonly reason: string
    }

export interface EndTransactionsOutcome {
  readonly action: 'COMMIT' | 'ROLLBACK'
  readonly results: readonly EndTransactionResult[]
  readonly done: number
  readonly failed: number
}

async function endOne(
  ctx: ConsoleContext,
  msgId: string,
  action: 'COMMIT' | 'ROLLBACK',
): Promise<EndTransactionResult> {
  try {
    const ended = await ctx.gateway.endTransaction({ msgId, action })
    if (!ended.supported) return { msgId, status: 'UNSUPPORTED', reason: ended.reason }
    return ended.value.status === 'DONE' ? { msgId, status: 'DONE' } : { msgId, ...ended.value }
  } catch (err) {
    // One unreachable broker fails its messages, not the rest of the batch.
    return { msgId, status: 'FAILED', reason: toAppError(err).message }
  }
}

/**
 * Commits or rolls back the selected half messages as ONE mutation ('transaction.commit' / 'transaction.rollback',
 * operator) with a result per message, one message at a time. A repeated key returns the first run's results.
 */
export async function endTransactions(
  actor: Actor,
  ctx: ConsoleContext,
  input: unknown,
): Promise<MutationResult<EndTransactionsOutcome>> {
  const { msgIds, action, idempotencyKey } = endTransactionsInputSchema.parse(input)
  const result = await runMutation(actor, {
    action: action === 'COMMIT' ? 'transaction.commit' : 'transaction.rollback',
    minRole: 'operator',
    cluster: ctx.cluster,
    targetType: 'halfMessage',
    targetId: msgIds.length === 1 ? msgIds[0] : `${msgIds.length} half messages`,
    idempotencyKey,
    request: { action, msgIds },
    async run() {
      const results: EndTransactionResult[] = []
      for (const msgId of msgIds) results.push(await endOne(ctx, msgId, action))
      const done = results.filter((r) => r.status === 'DONE').length
      return { action, results, done, failed: results.length - done }
    },
    summarize: (outcome) => ({
      done: outcome.done,
      failed: outcome.failed,
      failures: outcome.results.flatMap((r) =>
        r.status === 'DONE' ? [] : [{ msgId: r.msgId, status: r.status, reason: r.reason }],
      ),
    }),
  })
  if (!result.replayed) invalidateSnapshots(ctx.cluster)
  return result
}
