// "Run this handler once per business key", for consumers (e.g. the demo's points service awarding an order once
// however often its message is redelivered). Backed by the idempotency_key table's primary key: the first caller
// inserts `scope:businessKey` and runs; everyone else hits the unique constraint and does not.
//
// At most once: a handler that throws releases the key (the redelivery tries again), but a process that dies
// mid-handler leaves the key PENDING (UNKNOWN after the next start) and the handler never runs for it again.
import 'server-only'
import { db as defaultDb, OperationResult, type Db } from '@/lib/db'
import { AppError, toAppError } from '@/lib/errors'
import { requestHash } from './request-hash'

/** RocketMQ keeps messages 72 h by default, so a redelivery cannot come later than this. */
export const RUN_ONCE_RETAIN_MS_DEFAULT = 7 * 24 * 60 * 60 * 1000
const SCOPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const BUSINESS_KEY_MAX_CHARS = 200

export interface RunOnceOptions {
  readonly db?: Db
  /** How long the key is kept (the purge job deletes it after); default 7 days. */
  readonly retainMs?: number
}

export type RunOnceResult<T> = { ran: true; value: T } | { ran: false; value: T | undefined }

/** Prisma's unique-constraint error: the key is recorded already. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002'
}

/**
 * The record of `businessKey` in `scope`: `scope:businessKey`. Scopes have no ':', so it is unambiguous (and
 * mutation keys never contain ':'). Throws VALIDATION_FAILED for a malformed scope or key.
 */
export function onceRecordKey(scope: string, businessKey: string): string {
  if (!SCOPE_PATTERN.test(scope)) {
    throw new AppError('VALIDATION_FAILED', `runOnce scope "${scope}" must be 1–64 of [A-Za-z0-9._-]`)
  }
  if (businessKey.length === 0 || businessKey.length > BUSINESS_KEY_MAX_CHARS) {
    throw new AppError(
      'VALIDATION_FAILED',
      `runOnce business key must be 1–${BUSINESS_KEY_MAX_CHARS} characters`,
    )
  }
  return `${scope}:${businessKey}`
}

/** The value a SUCCEEDED record stores; undefined while it is PENDING or when its handler returned nothing. */
export function parseStoredValue<T>(row: {
  status: OperationResult
  responseJson: string | null
}): T | undefined {
  if (row.status !== OperationResult.SUCCEEDED || row.responseJson === null) return undefined
  return JSON.parse(row.responseJson) as T
}

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
  const key = onceRecordKey(scope, businessKey)
  const client = options.db ?? defaultDb()
  try {
    await client.idempotencyKey.create({
      data: {
        key,
        action: `once:${scope}`,
        requestHash: requestHash(key),
        status: OperationResult.PENDING,
        expiresAt: new Date(Date.now() + (options.retainMs ?? RUN_ONCE_RETAIN_MS_DEFAULT)),
      },
    })
  } catch (err) {
    if (!isUniqueViolation(err)) throw toAppError(err)
    return { ran: false, value: await storedValue<T>(client, key) }
  }

  let value: T
  try {
    value = await handler()
  } catch (err) {
    await client.idempotencyKey.delete({ where: { key } }).catch((releaseErr: unknown) => {
      console.error(`[mqdeck] runOnce could not release ${key} after its handler failed`, releaseErr)
    })
    throw err
  }
  try {
    await client.idempotencyKey.update({
      where: { key },
      data: {
        status: OperationResult.SUCCEEDED,
        responseJson: value === undefined ? null : JSON.stringify(value),
      },
    })
  } catch (err) {
    // It ran; only the stored value is missing (the key stays PENDING, so it still blocks a second run).
    console.error(`[mqdeck] runOnce could not store the value of ${key}`, err)
  }
  return { ran: true, value }
}

async function storedValue<T>(client: Db, key: string): Promise<T | undefined> {
  try {
    const row = await client.idempotencyKey.findUnique({
      where: { key },
      select: { status: true, responseJson: true },
    })
    return row ? parseStoredValue<T>(row) : undefined
  } catch (err) {
    throw toAppError(err)
  }
}
