// Message records from a remote broker (PULL_MESSAGE, QUERY_MESSAGE and VIEW_MESSAGE_BY_ID bodies: CommitLog records
// back to back, PROTOCOL.md 3.1). Every length is checked against the body before the engine's decoder reads the
// record, so a truncated or hostile body is a BAD_RESPONSE, never an out-of-range read.
import 'server-only'
import {
  decodeRecord,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  SYSFLAG_BORNHOST_V6,
  SYSFLAG_STOREHOST_V6,
  type DecodedMessage,
} from '@/broker-engine/index'
import type { BodySource } from './body-reader'
import { badResponse } from './remote-error'

/** Fixed part of a V1 record with IPv4 hosts (without body, topic and properties). */
const RECORD_BYTES_MIN = 91

/** Why the record at `pos` is malformed, or undefined when every length fits. */
export function checkRemoteRecord(buf: Buffer, pos: number): string | undefined {
  const available = buf.length - pos
  if (available < RECORD_BYTES_MIN) return `${available} bytes left, shorter than a record header`
  const totalSize = buf.readInt32BE(pos)
  if (totalSize < RECORD_BYTES_MIN || totalSize > available) return `record size ${totalSize} out of range`
  const magic = buf.readInt32BE(pos + 4)
  if (magic !== MESSAGE_MAGIC_CODE_V1 && magic !== MESSAGE_MAGIC_CODE_V2)
    return `bad magic code 0x${(magic >>> 0).toString(16)}`
  const end = pos + totalSize
  const sysFlag = buf.readInt32BE(pos + 36)
  const bornHostBytes = (sysFlag & SYSFLAG_BORNHOST_V6) !== 0 ? 20 : 8
  const storeHostBytes = (sysFlag & SYSFLAG_STOREHOST_V6) !== 0 ? 20 : 8
  // bornHost, storeTimestamp, storeHost, reconsumeTimes, preparedTransactionOffset, then the body length.
  let p = pos + 48 + bornHostBytes + 8 + storeHostBytes + 4 + 8
  if (p + 4 > end) return 'header longer than the record'
  const bodyLength = buf.readInt32BE(p)
  p += 4
  if (bodyLength < 0 || p + bodyLength > end) return `body length ${bodyLength} out of range`
  p += bodyLength
  const v2 = magic === MESSAGE_MAGIC_CODE_V2
  if (p + (v2 ? 2 : 1) > end) return 'topic length past the record end'
  const topicLength = v2 ? buf.readInt16BE(p) : buf[p]!
  p += v2 ? 2 : 1
  if (topicLength <= 0 || p + topicLength + 2 > end) return `topic length ${topicLength} out of range`
  p += topicLength
  const propertiesLength = buf.readInt16BE(p)
  if (propertiesLength < 0 || p + 2 + propertiesLength > end)
    return `properties length ${propertiesLength} out of range`
  return undefined
}

/** Every record of a body, checked; an empty or missing body has none. */
export function decodeRemoteRecords(source: BodySource, body: Buffer | undefined): DecodedMessage[] {
  const out: DecodedMessage[] = []
  if (!body) return out
  let pos = 0
  while (pos < body.length) {
    const problem = checkRemoteRecord(body, pos)
    if (problem)
      throw badResponse(source.addr, source.requestCode, `message record at byte ${pos} (${problem})`)
    const record = decodeRecord(body, pos)
    out.push(record)
    pos += record.totalSize
  }
  return out
}
