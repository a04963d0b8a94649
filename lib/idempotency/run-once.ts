// "Run this handler once per business key", for consumers (e.g. the demo's points service awarding an order once
// however often its message is redelivered): runOnceMany with one key. Backed by the idempotency_key table's
// primary key: the first caller inserts `scope:businessKey` and runs; everyone else finds the record and does not.
//
// At most once: a handler that throws releases the key (the redelivery tries again), but a process that dies
// mid-handler leaves the key PENDING (UNKNOWN after the next start) and the handler never runs for it again.
import 'server-only'
import type { RunOnceOptions } from './once-records'
import { runOnceMany } from './run-once-many'

export type RunOnceResult<T> = { ran: true; value: T } | { ran: false; value: T | undefined }

/**
 * Runs `handler` unless `businessKey` already ran in `scope`. Concurrent callers: exactly one runs; the others
 * get `{ ran: false }` with the stored value (undefined while the first one is still running). The value must be
 * JSON-serialisable. The handler's own error is rethrown unchanged and the key released.
 */
export async function runOnce<T>(
  scope: string,
  businessKey: string,
  handler: () => Promise<T>,
  options: RunOnceOptions = {},
): Promise<RunOnceResult<T>> {
  const result = (await runOnceMany(scope, [businessKey], handler, options)).get(businessKey)!
  if (result.status === 'THREW') throw result.error
  return result.status === 'RAN' ? { ran: true, value: result.value } : { ran: false, value: result.value }
}
