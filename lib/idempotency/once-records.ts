// The records behind runOnce and runOnceMany (one idempotency_key row per `scope:businessKey`) and the three
// statements that claim, read and settle them per batch, written by hand: through Prisma's query API a 64-row
// claim and settle cost ~70 ms of CPU (its query compiler works per row), more than the resends they record; as
// SQL they cost about 1 ms. Standard SQL both providers run (INSERT … ON CONFLICT DO NOTHING RETURNING: SQLite ≥ 3.35,
// PostgreSQL ≥ 9.5); only how a timestamp is passed differs, so the rows read exactly like Prisma's own.
import 'server-only'
import { OperationResult, providerOf, Sql, type Db } from '@/lib/db'
import { AppError } from '@/lib/errors'
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

export interface OnceRecord {
  readonly key: string
  readonly status: OperationResult
  readonly responseJson: string | null
}

/**
 * A DateTime as Prisma stores it: SQLite keeps ISO-8601 text with an explicit offset (so text comparisons in
 * Prisma's own queries, e.g. the purge's `expiresAt < now`, keep working); PostgreSQL takes the Date.
 */
function timestamp(client: Db, at: Date): Date | string {
  return providerOf(client) === 'sqlite' ? at.toISOString().replace('Z', '+00:00') : at
}

/**
 * Inserts a PENDING record for each key that has none, in one statement, with its intent (JSON, kept in
 * response_json until the value replaces it); returns the keys it inserted. A key recorded already (by anyone,
 * even concurrently) is left as it is and not returned.
 */
export async function claimOnceRecords(
  client: Db,
  action: string,
  claims: readonly { readonly recordKey: string; readonly intentJson: string | null }[],
  expiresAt: Date,
): Promise<Set<string>> {
  if (claims.length === 0) return new Set()
  const now = timestamp(client, new Date())
  const expires = timestamp(client, expiresAt)
  const rows = claims.map(
    ({ recordKey, intentJson }) =>
      Sql.sql`(${recordKey}, ${action}, ${requestHash(recordKey)}, 'PENDING', ${intentJson}, ${now}, ${expires})`,
  )
  const inserted = await client.$queryRaw<{ key: string }[]>`
    INSERT INTO "idempotency_key"
      ("key", "action", "request_hash", "status", "response_json", "created_at", "expires_at")
    VALUES ${Sql.join(rows)}
    ON CONFLICT ("key") DO NOTHING
    RETURNING "key"`
  return new Set(inserted.map((r) => r.key))
}

/** The records of `recordKeys` that exist. */
export async function readOnceRecords(client: Db, recordKeys: readonly string[]): Promise<OnceRecord[]> {
  if (recordKeys.length === 0) return []
  return client.$queryRaw<OnceRecord[]>`
    SELECT "key", "status", "response_json" AS "responseJson"
    FROM "idempotency_key"
    WHERE "key" IN (${Sql.join(recordKeys)})`
}

/**
 * In one transaction: marks the records of `succeeded` SUCCEEDED with their value (JSON text, or null), and
 * deletes the records of `released` so they may run again — only records still in status `from` (PENDING: the
 * caller's own claims; UNKNOWN: what a stopped process left, once the caller found out what happened).
 */
export async function settleOnceRecords(
  client: Db,
  succeeded: readonly { readonly recordKey: string; readonly responseJson: string | null }[],
  released: readonly string[],
  from: 'PENDING' | 'UNKNOWN' = 'PENDING',
): Promise<void> {
  // A literal, not a parameter: PostgreSQL compares the enum column with a typed-less literal only.
  const status = from === 'PENDING' ? Sql.sql`'PENDING'` : Sql.sql`'UNKNOWN'`
  const statements = []
  if (succeeded.length > 0) {
    const cases = succeeded.map((s) => Sql.sql`WHEN ${s.recordKey} THEN ${s.responseJson}`)
    statements.push(client.$executeRaw`
      UPDATE "idempotency_key"
      SET "status" = 'SUCCEEDED', "response_json" = CASE "key" ${Sql.join(cases, ' ')} END
      WHERE "key" IN (${Sql.join(succeeded.map((s) => s.recordKey))}) AND "status" = ${status}`)
  }
  if (released.length > 0) {
    statements.push(client.$executeRaw`
      DELETE FROM "idempotency_key" WHERE "key" IN (${Sql.join(released)}) AND "status" = ${status}`)
  }
  if (statements.length > 0) await client.$transaction(statements)
}
