// At start, audit rows and idempotency keys still PENDING belong to operations a previous process never finished:
// their outcome is unknown and needs review (a repeat of such a key is refused, not run again). Valid because the
// console runs as one process (embedded mode).
import 'server-only'
import { db as defaultDb, OperationResult, type Db } from '@/lib/db'

/** Turns every PENDING audit row and idempotency key into UNKNOWN, together; returns how many audit rows changed. */
export async function markStalePendingUnknown(client: Db = defaultDb()): Promise<number> {
  const [audit] = await client.$transaction([
    client.auditLog.updateMany({
      where: { result: OperationResult.PENDING },
      data: { result: OperationResult.UNKNOWN },
    }),
    client.idempotencyKey.updateMany({
      where: { status: OperationResult.PENDING },
      data: { status: OperationResult.UNKNOWN },
    }),
  ])
  return audit.count
}
