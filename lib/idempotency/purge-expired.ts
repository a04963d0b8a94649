// Deletes idempotency keys past their expiry (24 h for mutations, longer for runOnce business keys). A repeat
// of an expired key after the purge acts again: the key only protects a retry window, not forever.
import 'server-only'
import { db as defaultDb, type Db } from '@/lib/db'
import { toAppError } from '@/lib/errors'

/** Deletes every key whose expiresAt is before `nowMs`; returns how many went. */
export async function purgeExpiredIdempotencyKeys(
  client: Db = defaultDb(),
  nowMs = Date.now(),
): Promise<number> {
  try {
    const { count } = await client.idempotencyKey.deleteMany({
      where: { expiresAt: { lt: new Date(nowMs) } },
    })
    return count
  } catch (err) {
    throw toAppError(err)
  }
}
