// END_TRANSACTION (37), PROTOCOL.md 2.8 and 5.5: a producer's second phase for a half message (commit 8, rollback
// 12, unknown 0), sent oneway by Java after its local transaction or in answer to CHECK_TRANSACTION_STATE.

import type { BrokerController } from '../../broker/broker-controller'
import type { EndTransactionResult, TransactionState } from '../../broker/transaction-service'
import { RESPONSE_CODE } from '../remoting-codes'
import { createResponse, type RemotingCommand } from '../remoting-command'
import type { RequestHandler } from '../remoting-connection'
import { clientFields } from '../request-fields'
import { errorResponse, guarded } from '../request-guard'

const { optionalBoolean, requiredInt32, requiredLong, requiredNonEmpty } = clientFields

/** MessageSysFlag transaction types as END_TRANSACTION's commitOrRollback carries them. */
const STATES: ReadonlyMap<number, TransactionState> = new Map([
  [0, 'UNKNOWN'],
  [8, 'COMMIT'],
  [12, 'ROLLBACK'],
])

export function createEndTransactionProcessor(broker: BrokerController): RequestHandler {
  return guarded((request) => {
    const producerGroup = requiredNonEmpty(request, 'producerGroup')
    const tranStateTableOffset = requiredLong(request, 'tranStateTableOffset')
    const commitLogOffset = requiredLong(request, 'commitLogOffset')
    const commitOrRollback = requiredInt32(request, 'commitOrRollback')
    const state = STATES.get(commitOrRollback)
    if (!state)
      return errorResponse(
        request,
        RESPONSE_CODE.SYSTEM_ERROR,
        `commitOrRollback must be 0 (unknown), 8 (commit) or 12 (rollback); got ${commitOrRollback}`,
      )
    if (broker.config.brokerRole === 'SLAVE')
      return errorResponse(
        request,
        RESPONSE_CODE.SLAVE_NOT_AVAILABLE,
        `broker ${broker.config.brokerName} is a slave: end transactions on its master`,
      )
    return broker
      .endTransaction({
        producerGroup,
        commitLogOffset,
        tranStateTableOffset,
        state,
        fromTransactionCheck: optionalBoolean(request, 'fromTransactionCheck') ?? false,
      })
      .then((result) => endTransactionResponse(request, result))
  })
}

function endTransactionResponse(request: RemotingCommand, result: EndTransactionResult): RemotingCommand {
  switch (result.status) {
    case 'COMMITTED':
      return createResponse(
        request,
        result.put.status === 'FLUSH_DISK_TIMEOUT' ? RESPONSE_CODE.FLUSH_DISK_TIMEOUT : RESPONSE_CODE.SUCCESS,
      )
    case 'ROLLED_BACK':
      return createResponse(request, RESPONSE_CODE.SUCCESS)
    // RocketMQ sends nothing for an unknown state; the rare two-way caller is answered rather than left to time out.
    case 'IGNORED':
      return createResponse(request, RESPONSE_CODE.SUCCESS)
    case 'ILLEGAL':
      return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, result.reason)
  }
}
