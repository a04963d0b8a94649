// At start, audit rows still PENDING belong to operations a previous process never finished: their outcome is
// unknown and needs review. Valid because the console runs as one process (embedded mode).
import 'server-only'
import { db, OperationResult } from '@/lib/db'

/** Turns every PENDING audit row into UNKNOWN; returns how many changed. */
export async function markStalePendingUnknown(): Promise<number> {
  const { count } = await db().auditLog.updateMany({
    where: { result: OperationResult.PENDING },
    data: { result: OperationResult.UNKNOWN },
  })
  return count
}
