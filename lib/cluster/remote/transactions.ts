// Transactions on a remote cluster. Listing half messages is not offered: RocketMQ has no admin request for it,
// and reading RMQ_SYS_TRANS_HALF_TOPIC against its op topic would scan both on every broker. Ending one half
// message by its offset id is: the record gives the producer group and offsets END_TRANSACTION needs.
import 'server-only'
import { RMQ_SYS_TRANS_HALF_TOPIC } from '@/broker-engine/index'
import type {
  Capability,
  EndTransactionOutcome,
  EndTransactionRequest,
  PartialResult,
  PendingTransaction,
} from '@/lib/cluster/gateway'
import { endTransaction as endTransactionCall } from './admin-client'
import { readMessage } from './message-view'
import { viewByOffsetMsgId } from './message-query'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'

export const PENDING_TRANSACTIONS_UNSUPPORTED =
  'a remote RocketMQ cluster has no request that lists pending half messages; find one by its message id instead'

export function listPendingTransactions(): Capability<PartialResult<readonly PendingTransaction[]>> {
  return { supported: false, reason: PENDING_TRANSACTIONS_UNSUPPORTED }
}

export async function endTransaction(
  ctx: RemoteContext,
  request: EndTransactionRequest,
): Promise<Capability<EndTransactionOutcome>> {
  const located = await viewByOffsetMsgId(ctx, request.msgId)
  if (!located)
    return { supported: true, value: { status: 'NOT_FOUND', reason: 'no message with this offset id' } }
  const half = readMessage(located.record, located.brokerName)
  const producerGroup = half.properties.get('PGROUP')
  const uniqKey = half.properties.get('UNIQ_KEY')
  if (half.record.topic !== RMQ_SYS_TRANS_HALF_TOPIC || !producerGroup || !uniqKey)
    return {
      supported: true,
      value: {
        status: 'NOT_A_HALF_MESSAGE',
        reason: `the message is in ${half.record.topic}, not a half message`,
      },
    }
  try {
    await endTransactionCall(ctx.transport, located.addr, {
      producerGroup,
      tranStateTableOffset: half.record.queueOffset,
      commitLogOffset: half.record.commitLogOffset,
      commit: request.action === 'COMMIT',
      msgId: uniqKey,
      transactionId: half.properties.get('__transactionId__') ?? uniqKey,
    })
    return { supported: true, value: { status: 'DONE' } }
  } catch (err) {
    if (!isRemoteClusterError(err) || err.kind === 'UNREACHABLE' || err.kind === 'TIMEOUT') throw err
    return { supported: true, value: { status: 'FAILED', reason: err.message } }
  }
}
