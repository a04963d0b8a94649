// "Run this handler once per business key" for a batch of keys at a time: the same records and guarantees as
// runOnce (one idempotency_key row per `scope:businessKey`, claimed before the handler runs), but claimed with one
// statement and settled with one transaction per batch instead of two commits per key. A DLQ resend of 10,000
// messages made 20,000 synced writes with runOnce (~22 msgs/s on SQLite); in batches of 64 it makes ~320.
//
// At most once, like runOnce: a handler that throws releases its key; a process that dies between a handler's
// success and the batch's settle leaves the key PENDING (UNKNOWN after the next start), so it never runs again.
import 'server-only'
import { db as defaultDb, OperationResult, type Db } from '@/lib/db'
import { toAppError } from '@/lib/errors'
import {
  claimOnceRecords,
  onceRecordKey,
  parseStoredValue,
  readOnceRecords,
  RUN_ONCE_RETAIN_MS_DEFAULT,
  settleOnceRecords,
  type RunOnceOptions,
} from './once-records'

export type RunOnceManyResult<T> =
  /** This call ran the handler for the key and recorded its value. */
  | { readonly status: 'RAN'; readonly value: T }
  /**
   * Not run: the key ran before (value stored) or is running elsewhere (value undefined). `outcomeUnknown`: a
   * process stopped while running it (its record is UNKNOWN since the next start), so it may or may not have run;
   * `intent` is what that run recorded it was about to do (see options.intents), to find out which — then
   * settleUnknownOnce records the answer.
   */
  | {
      readonly status: 'EARLIER'
      readonly value: T | undefined
      readonly outcomeUnknown: boolean
      readonly intent?: unknown
    }
  /** The handler threw: the key was released, so a later call may run it. */
  | { readonly status: 'THREW'; readonly error: unknown }

export interface RunOnceManyOptions extends RunOnceOptions {
  /** Handlers in flight at once (default 16). */
  readonly concurrency?: number
  /**
   * Per business key, what its handler is about to do (JSON), recorded with the claim: if the process dies before
   * the value is recorded, a later caller reads it back (EARLIER.intent) to check whether it happened.
   */
  readonly intents?: ReadonlyMap<string, unknown>
}

const CONCURRENCY_DEFAULT = 16

/**
 * Runs `handler` for every business key of `businessKeys` that never ran in `scope`; the others are answered
 * from their records. Returns one result per distinct key, in the order given. Throws (running nothing) only when the claim itself
 * fails, e.g. the database is unreachable or a key is malformed.
 */
export async function runOnceMany<T>(
  scope: string,
  businessKeys: readonly string[],
  handler: (businessKey: string) => Promise<T>,
  options: RunOnceManyOptions = {},
): Promise<Map<string, RunOnceManyResult<T>>> {
  const client = options.db ?? defaultDb()
  const recordKeys = new Map<string, string>()
  for (const businessKey of businessKeys) recordKeys.set(businessKey, onceRecordKey(scope, businessKey))
  const results = new Map<string, RunOnceManyResult<T>>()
  if (recordKeys.size === 0) return results

  const expiresAt = new Date(Date.now() + (options.retainMs ?? RUN_ONCE_RETAIN_MS_DEFAULT))
  const claimed = await claim<T>(client, scope, recordKeys, results, expiresAt, options.intents)

  const succeeded: { recordKey: string; responseJson: string | null }[] = []
  const released: string[] = []
  let next = 0
  const worker = async () => {
    while (next < claimed.length) {
      const businessKey = claimed[next++]!
      const recordKey = recordKeys.get(businessKey)!
      try {
        const value = await handler(businessKey)
        results.set(businessKey, { status: 'RAN', value })
        succeeded.push({ recordKey, responseJson: value === undefined ? null : JSON.stringify(value) })
      } catch (error) {
        results.set(businessKey, { status: 'THREW', error })
        released.push(recordKey)
      }
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency ?? CONCURRENCY_DEFAULT, claimed.length))
  await Promise.all(Array.from({ length: workers }, worker))

  try {
    await settleOnceRecords(client, succeeded, released)
  } catch (err) {
    // What ran still blocks a second run (its key stays PENDING); a released key stays claimed until it expires.
    console.error(
      `[mqdeck] runOnceMany could not record ${succeeded.length} value(s) and release ${released.length} key(s)`,
      err,
    )
  }
  // In the order the keys were given (claim and handlers fill `results` in their own order).
  return new Map([...recordKeys.keys()].map((k) => [k, results.get(k)!]))
}

/**
 * Claims every key not yet recorded with one insert that skips recorded ones (so two callers racing for a key
 * leave it one owner), fills `results` with EARLIER for the others and returns the business keys this call owns.
 */
async function claim<T>(
  client: Db,
  scope: string,
  recordKeys: ReadonlyMap<string, string>,
  results: Map<string, RunOnceManyResult<T>>,
  expiresAt: Date,
  intents: ReadonlyMap<string, unknown> | undefined,
): Promise<string[]> {
  try {
    const claims = [...recordKeys].map(([businessKey, recordKey]) => {
      const intent = intents?.get(businessKey)
      return { recordKey, intentJson: intent === undefined ? null : JSON.stringify(intent) }
    })
    const inserted = await claimOnceRecords(client, `once:${scope}`, claims, expiresAt)
    const owned: string[] = []
    const others: string[] = []
    for (const [businessKey, recordKey] of recordKeys)
      (inserted.has(recordKey) ? owned : others).push(businessKey)
    if (others.length > 0) {
      const recorded = new Map(
        (
          await readOnceRecords(
            client,
            others.map((k) => recordKeys.get(k)!),
          )
        ).map((r) => [r.key, r]),
      )
      for (const businessKey of others) {
        const record = recorded.get(recordKeys.get(businessKey)!)
        // No record left: it was released or purged between the insert and this read; it was not run here.
        const outcomeUnknown = record?.status === OperationResult.UNKNOWN
        results.set(businessKey, {
          status: 'EARLIER',
          value: record ? parseStoredValue<T>(record) : undefined,
          outcomeUnknown,
          ...(outcomeUnknown && record.responseJson !== null
            ? { intent: JSON.parse(record.responseJson) }
            : {}),
        })
      }
    }
    return owned
  } catch (err) {
    throw toAppError(err)
  }
}

/**
 * Records what became of keys whose run a stopped process left UNKNOWN, once the caller found out from their
 * intent: `happened` keys become SUCCEEDED with the value (later calls answer EARLIER with it); `didNotHappen`
 * keys are released, so the next runOnceMany runs them. Only UNKNOWN records change (one transaction).
 */
export async function settleUnknownOnce<T>(
  scope: string,
  happened: readonly { readonly businessKey: string; readonly value: T }[],
  didNotHappen: readonly string[],
  options: { readonly db?: Db } = {},
): Promise<void> {
  const client = options.db ?? defaultDb()
  try {
    await settleOnceRecords(
      client,
      happened.map(({ businessKey, value }) => ({
        recordKey: onceRecordKey(scope, businessKey),
        responseJson: value === undefined ? null : JSON.stringify(value),
      })),
      didNotHappen.map((businessKey) => onceRecordKey(scope, businessKey)),
      'UNKNOWN',
    )
  } catch (err) {
    throw toAppError(err)
  }
}
