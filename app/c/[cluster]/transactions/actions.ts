'use server'
// Server action of the Transactions page: commit or roll back a selection of half messages as one mutation
// (operator, through runMutation: audited, idempotent, refused on read-only clusters).
import { actionFailure, type ActionResult } from '@/app/action-result'
import { requireActor } from '@/lib/auth/session'
import { consoleContext } from '@/lib/console/console-context'
import { endTransactions, type EndTransactionsOutcome } from '@/lib/console/transactions'
import type { MutationResult } from '@/lib/mutations/run-mutation'

export async function endTransactionsAction(
  cluster: string,
  input: unknown,
): Promise<ActionResult<MutationResult<EndTransactionsOutcome>>> {
  try {
    // Any logged-in user gets this far; runMutation refuses (and audits) a role below operator.
    const actor = await requireActor('viewer')
    return { ok: true, data: await endTransactions(actor, await consoleContext(String(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'endTransactionsAction')
  }
}
