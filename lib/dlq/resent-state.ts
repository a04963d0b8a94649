// Whether DLQ messages were resent already, read from the records resend jobs keep (one per cluster, group and
// DLQ message), so the DLQ page can say "resent at …, new msgId …" beside each message before anyone resends it
// again. One statement per page of messages.
import 'server-only'
import { db as defaultDb, OperationResult, type Db } from '@/lib/db'
import { toAppError } from '@/lib/errors'
import { onceRecordKey, parseStoredValue, readOnceRecords } from '@/lib/idempotency/once-records'
import { DLQ_RESEND_SCOPE, resendBusinessKey, type ResentRecord } from './run-resend-job'

/** RESENT: recorded with its copy; IN_PROGRESS: a job is sending it now; UNKNOWN: a server stopped mid-send. */
export type DlqResentState =
  | { readonly state: 'RESENT'; readonly atMs: number; readonly newMsgId: string; readonly topic: string }
  | { readonly state: 'IN_PROGRESS' }
  | { readonly state: 'UNKNOWN' }

/** The resend state of each of `msgIds` that has one (absent: never resent). */
export async function readDlqResentStates(
  cluster: string,
  group: string,
  msgIds: readonly string[],
  client: Db = defaultDb(),
): Promise<Map<string, DlqResentState>> {
  const byRecordKey = new Map(
    msgIds.map((id) => [onceRecordKey(DLQ_RESEND_SCOPE, resendBusinessKey(cluster, group, id)), id]),
  )
  let records
  try {
    records = await readOnceRecords(client, [...byRecordKey.keys()])
  } catch (err) {
    throw toAppError(err)
  }
  const states = new Map<string, DlqResentState>()
  for (const record of records) {
    const msgId = byRecordKey.get(record.key)
    if (msgId === undefined) continue
    const resent = parseStoredValue<ResentRecord>(record)
    if (resent) states.set(msgId, { state: 'RESENT', ...resent })
    else if (record.status === OperationResult.UNKNOWN) states.set(msgId, { state: 'UNKNOWN' })
    else if (record.status === OperationResult.PENDING) states.set(msgId, { state: 'IN_PROGRESS' })
  }
  return states
}
