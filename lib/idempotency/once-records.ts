// The three statements runOnceMany makes per batch, written by hand: through Prisma's query API a 64-row claim and
// settle cost ~70 ms of CPU (its query compiler works per row), more than the resends they record; as SQL they cost
// about 1 ms. Standard SQL both providers run (INSERT … ON CONFLICT DO NOTHING RETURNING: SQLite ≥ 3.35,
// PostgreSQL ≥ 9.5); only how a timestamp is passed differs, so the rows read exactly like Prisma's own.
import 'server-only'
import { providerOf, Sql, type Db, type OperationResult } from '@/lib/db'
import { requestHash } from './request-hash'

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
