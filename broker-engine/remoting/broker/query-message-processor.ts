// QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33), RocketMQ's QueryMessageProcessor: messages found through the
// index by key or by UNIQ_KEY (`_UNIQUE_KEY_QUERY`), or read at a CommitLog offset, answered as the records
// exactly as stored, back to back.

import type { BrokerController } from '../../broker/broker-controller'
import { PROPERTY_UNIQ_KEY } from '../../store/message-constants'
import { findProperty } from '../../store/message-properties'
import { REQUEST_CODE, RESPONSE_CODE } from '../remoting-codes'
import { createResponse } from '../remoting-command'
import type { RequestHandler } from '../remoting-connection'
import { clientFields } from '../request-fields'
import { errorResponse, guarded } from '../request-guard'

const { optionalInt32, optionalLong, optionalString, requiredLong, requiredNonEmpty } = clientFields

/** RocketMQ's maxMsgsNumBatch: most messages one key query returns. */
export const QUERY_MESSAGE_MAX_NUM = 64

export function queryMessageProcessors(broker: BrokerController): [number, RequestHandler][] {
  const store = broker.store
  const handlers: [number, RequestHandler][] = [
    [
      REQUEST_CODE.QUERY_MESSAGE,
      (request) => {
        const topic = requiredNonEmpty(request, 'topic')
        const key = requiredNonEmpty(request, 'key')
        const uniqueKeyQuery = optionalString(request, '_UNIQUE_KEY_QUERY') === 'true'
        const maxNum = uniqueKeyQuery
          ? broker.config.defaultQueryMaxNum
          : Math.min(
              Math.max(1, optionalInt32(request, 'maxNum') ?? QUERY_MESSAGE_MAX_NUM),
              QUERY_MESSAGE_MAX_NUM,
            )
        // Java clients send Long.MAX_VALUE as "no end"; it is clamped to the largest exact number.
        const beginMs = optionalLong(request, 'beginTimestamp', undefined, true) ?? 0
        const endMs = optionalLong(request, 'endTimestamp', undefined, true) ?? Number.MAX_SAFE_INTEGER
        let found = store.queryMessage(topic, key, maxNum, beginMs, endMs)
        if (uniqueKeyQuery)
          found = found.filter((m) => findProperty(m.propertiesString, PROPERTY_UNIQ_KEY) === key)
        const records: Buffer[] = []
        let lastTimestampMs = 0
        let lastCommitLogOffset = 0
        for (const m of found) {
          const record = store.readRecord(m.commitLogOffset)
          if (!record) continue
          records.push(record)
          lastTimestampMs = Math.max(lastTimestampMs, m.storeTimestampMs)
          lastCommitLogOffset = Math.max(lastCommitLogOffset, m.commitLogOffset)
        }
        // The store does not expose its index's last update; the newest record found stands in for it.
        const extFields = {
          indexLastUpdatePhyoffset: String(lastCommitLogOffset),
          indexLastUpdateTimestamp: String(lastTimestampMs),
        }
        if (records.length === 0)
          return createResponse(request, RESPONSE_CODE.QUERY_NOT_FOUND, {
            remark: `can not find message by key ${key} in topic ${topic}, maybe the time range is not correct`,
            extFields,
          })
        return createResponse(request, RESPONSE_CODE.SUCCESS, { extFields, body: Buffer.concat(records) })
      },
    ],
    [
      REQUEST_CODE.VIEW_MESSAGE_BY_ID,
      (request) => {
        const commitLogOffset = requiredLong(request, 'offset')
        const record = commitLogOffset >= 0 ? store.readRecord(commitLogOffset) : undefined
        if (!record)
          return errorResponse(
            request,
            RESPONSE_CODE.SYSTEM_ERROR,
            `can not find message by the offset, ${commitLogOffset}`,
          )
        return createResponse(request, RESPONSE_CODE.SUCCESS, { body: record })
      },
    ],
  ]
  return handlers.map(([code, handler]) => [code, guarded(handler)])
}
