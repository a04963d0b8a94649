// RocketMQ's stored-message record (PROTOCOL.md 3.1, FORMAT.md): the exact bytes the CommitLog holds and that
// pull, query and view responses carry, so the store never re-encodes a message to serve it.

import { crc32 } from './crc32'
import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  SYSFLAG_BORNHOST_V6,
  SYSFLAG_STOREHOST_V6,
  TOPIC_PATTERN,
} from './message-constants'
import type { HostAddress } from './store-types'

const TWO_POW_32 = 4294967296

/** Writes an integer |v| ≤ 2^53 as a big-endian int64 (no BigInt on the hot path). */
export function writeInt64BE(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32)
  buf.writeInt32BE(hi, pos)
  buf.writeUInt32BE(value - hi * TWO_POW_32, pos + 4)
}

// DataView accessors compile to plain loads and stores; the record encoder caches one view per buffer.
let viewBuffer: Buffer | undefined
let view: DataView = new DataView(new ArrayBuffer(8))
function viewOf(buf: Buffer): DataView {
  if (buf !== viewBuffer) {
    viewBuffer = buf
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }
  return view
}

export function setInt64(dv: DataView, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32)
  dv.setInt32(pos, hi)
  dv.setUint32(pos + 4, value - hi * TWO_POW_32)
}

export function readInt64BE(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4)
}

/** CRC32 of the body as RocketMQ stores it: the low 31 bits (UtilAll.crc32 & 0x7FFFFFFF). */
export function bodyCrc32(body: Uint8Array): number {
  return crc32(body) & 0x7fffffff
}

export function hostBytes(sysFlag: number, v6Bit: number): number {
  return (sysFlag & v6Bit) !== 0 ? 20 : 8
}

/** Total record length for the given part sizes. */
export function recordLength(
  bodyBytes: number,
  topicBytes: number,
  propertiesBytes: number,
  sysFlag: number,
): number {
  const topicLengthBytes = topicBytes > 127 ? 2 : 1
  return (
    4 +
    4 +
    4 +
    4 +
    4 +
    8 +
    8 +
    4 +
    8 +
    hostBytes(sysFlag, SYSFLAG_BORNHOST_V6) +
    8 +
    hostBytes(sysFlag, SYSFLAG_STOREHOST_V6) +
    4 +
    8 +
    4 +
    bodyBytes +
    topicLengthBytes +
    topicBytes +
    2 +
    propertiesBytes
  )
}

/** Everything a record holds, decoded. `body` is a view into the source buffer unless copied. */
export interface DecodedMessage {
  readonly totalSize: number
  readonly magicCode: number
  readonly bodyCrc: number
  readonly queueId: number
  readonly flag: number
  readonly queueOffset: number
  readonly commitLogOffset: number
  readonly sysFlag: number
  readonly bornTimestampMs: number
  readonly bornHost: HostAddress
  readonly storeTimestampMs: number
  readonly storeHost: HostAddress
  readonly reconsumeTimes: number
  readonly preparedTransactionOffset: number
  readonly body: Buffer
  readonly topic: string
  readonly propertiesString: string
}

/** Field offsets of the part of the header that does not depend on host sizes. */
export const RECORD_OFFSET = {
  totalSize: 0,
  magicCode: 4,
  bodyCrc: 8,
  queueId: 12,
  flag: 16,
  queueOffset: 20,
  physicalOffset: 28,
  sysFlag: 36,
  bornTimestamp: 40,
  bornHost: 48,
} as const

function readHost(buf: Buffer, pos: number, v6: boolean): HostAddress {
  const len = v6 ? 16 : 4
  return { address: Uint8Array.prototype.slice.call(buf, pos, pos + len), port: buf.readInt32BE(pos + len) }
}

/**
 * Encodes one record at `pos`. The caller has checked sizes: `totalSize` is recordLength(...) and the buffer
 * has room. Topic must be ASCII (validated upstream); properties are UTF-8 of `propertiesBytes` bytes.
 */
export function writeRecord(
  buf: Buffer,
  pos: number,
  totalSize: number,
  bodyCrc: number,
  queueId: number,
  flag: number,
  queueOffset: number,
  physicalOffset: number,
  sysFlag: number,
  bornTimestampMs: number,
  bornHost: HostAddress,
  storeTimestampMs: number,
  storeHost: HostAddress,
  reconsumeTimes: number,
  preparedTransactionOffset: number,
  body: Uint8Array,
  topic: string,
  topicBytes: number,
  properties: string,
  propertiesBytes: number,
): void {
  const v2 = topicBytes > 127
  const dv = viewOf(buf)
  dv.setInt32(pos, totalSize)
  dv.setInt32(pos + 4, v2 ? MESSAGE_MAGIC_CODE_V2 : MESSAGE_MAGIC_CODE_V1)
  dv.setInt32(pos + 8, bodyCrc)
  dv.setInt32(pos + 12, queueId)
  dv.setInt32(pos + 16, flag | 0)
  setInt64(dv, pos + 20, queueOffset)
  setInt64(dv, pos + 28, physicalOffset)
  dv.setInt32(pos + 36, sysFlag)
  setInt64(dv, pos + 40, bornTimestampMs)
  let p = writeHost(buf, dv, pos + 48, bornHost)
  setInt64(dv, p, storeTimestampMs)
  p = writeHost(buf, dv, p + 8, storeHost)
  dv.setInt32(p, reconsumeTimes | 0)
  setInt64(dv, p + 4, preparedTransactionOffset)
  dv.setInt32(p + 12, body.length)
  p += 16
  if (body.length > 0) buf.set(body, p)
  p += body.length
  if (v2) {
    dv.setInt16(p, topicBytes)
    p += 2
  } else {
    buf[p++] = topicBytes
  }
  // Topics are ASCII (validated on put): a byte loop beats the native string write for these short names.
  for (let i = 0; i < topicBytes; i++) buf[p + i] = topic.charCodeAt(i)
  p += topicBytes
  dv.setInt16(p, propertiesBytes)
  if (propertiesBytes > 0) writeText(buf, properties, p + 2, propertiesBytes)
}

function writeHost(buf: Buffer, dv: DataView, pos: number, host: HostAddress): number {
  const address = host.address
  for (let i = 0; i < address.length; i++) buf[pos + i] = address[i]!
  dv.setInt32(pos + address.length, host.port | 0)
  return pos + address.length + 4
}

interface FastStringWrite {
  latin1Write?: (text: string, offset: number, length: number) => number
  utf8Write?: (text: string, offset: number, length: number) => number
}
const fastWrite = Buffer.prototype as unknown as FastStringWrite

/** Writes text whose UTF-8 length is `bytes`; ASCII text (bytes === length) takes the cheaper latin1 path. */
function writeText(buf: Buffer, text: string, pos: number, bytes: number): void {
  const target = buf as unknown as FastStringWrite
  if (bytes === text.length && fastWrite.latin1Write) target.latin1Write!(text, pos, bytes)
  else if (fastWrite.utf8Write) target.utf8Write!(text, pos, bytes)
  else buf.write(text, pos, bytes, 'utf8')
}

/** Writes the end-of-segment marker: the bytes left in the segment and the BLANK magic code. */
export function writeBlankMarker(buf: Buffer, pos: number, remainingBytes: number): void {
  buf.writeInt32BE(remainingBytes, pos)
  buf.writeInt32BE(BLANK_MAGIC_CODE, pos + 4)
}

/** Decodes a record known to be well formed (see checkRecord). */
export function decodeRecord(buf: Buffer, pos: number): DecodedMessage {
  const magicCode = buf.readInt32BE(pos + 4)
  const sysFlag = buf.readInt32BE(pos + 36)
  const bornV6 = (sysFlag & SYSFLAG_BORNHOST_V6) !== 0
  const storeV6 = (sysFlag & SYSFLAG_STOREHOST_V6) !== 0
  let p = pos + 48
  const bornHost = readHost(buf, p, bornV6)
  p += bornV6 ? 20 : 8
  const storeTimestampMs = readInt64BE(buf, p)
  const storeHost = readHost(buf, p + 8, storeV6)
  p += 8 + (storeV6 ? 20 : 8)
  const reconsumeTimes = buf.readInt32BE(p)
  const preparedTransactionOffset = readInt64BE(buf, p + 4)
  const bodyLength = buf.readInt32BE(p + 12)
  const body = buf.subarray(p + 16, p + 16 + bodyLength)
  p += 16 + bodyLength
  let topicLength: number
  if (magicCode === MESSAGE_MAGIC_CODE_V2) {
    topicLength = buf.readInt16BE(p)
    p += 2
  } else {
    topicLength = buf[p++] ?? 0
  }
  const topic = buf.toString('utf8', p, p + topicLength)
  p += topicLength
  const propertiesLength = buf.readInt16BE(p)
  const propertiesString = propertiesLength > 0 ? buf.toString('utf8', p + 2, p + 2 + propertiesLength) : ''
  return {
    totalSize: buf.readInt32BE(pos),
    magicCode,
    bodyCrc: buf.readInt32BE(pos + 8),
    queueId: buf.readInt32BE(pos + 12),
    flag: buf.readInt32BE(pos + 16),
    queueOffset: readInt64BE(buf, pos + 20),
    commitLogOffset: readInt64BE(buf, pos + 28),
    sysFlag,
    bornTimestampMs: readInt64BE(buf, pos + 40),
    bornHost,
    storeTimestampMs,
    storeHost,
    reconsumeTimes,
    preparedTransactionOffset,
    body,
    topic,
    propertiesString,
  }
}

export type RecordCheck =
  | { readonly kind: 'MESSAGE'; readonly size: number }
  | { readonly kind: 'BLANK'; readonly size: number }
  | { readonly kind: 'END' }
  | { readonly kind: 'CORRUPT'; readonly reason: string }

/**
 * Verifies the record at `pos` (magic, sizes, body CRC, physical offset, text fields) without trusting any
 * length it reads. `available` is how many bytes of the segment follow `pos`. A zero size means nothing was
 * ever written here (END); anything else that fails a check is CORRUPT with the reason.
 */
export function checkRecord(
  buf: Buffer,
  pos: number,
  available: number,
  expectedPhysicalOffset: number,
  maxRecordBytes: number,
): RecordCheck {
  if (available < 8) return { kind: 'END' }
  const totalSize = buf.readInt32BE(pos)
  const magicCode = buf.readInt32BE(pos + 4)
  if (totalSize === 0 && magicCode === 0) return { kind: 'END' }
  if (magicCode === BLANK_MAGIC_CODE) {
    if (totalSize !== available)
      return {
        kind: 'CORRUPT',
        reason: `blank marker says ${totalSize} bytes left, segment has ${available}`,
      }
    return { kind: 'BLANK', size: totalSize }
  }
  if (magicCode !== MESSAGE_MAGIC_CODE_V1 && magicCode !== MESSAGE_MAGIC_CODE_V2) {
    return { kind: 'CORRUPT', reason: `bad magic code 0x${(magicCode >>> 0).toString(16)}` }
  }
  if (totalSize < 91 || totalSize > maxRecordBytes || totalSize > available) {
    return { kind: 'CORRUPT', reason: `record size ${totalSize} out of range (available ${available})` }
  }
  const physicalOffset = readInt64BE(buf, pos + 28)
  if (physicalOffset !== expectedPhysicalOffset) {
    return {
      kind: 'CORRUPT',
      reason: `physical offset field ${physicalOffset} != position ${expectedPhysicalOffset}`,
    }
  }
  const sysFlag = buf.readInt32BE(pos + 36)
  const end = pos + totalSize
  let p =
    pos + 48 + hostBytes(sysFlag, SYSFLAG_BORNHOST_V6) + 8 + hostBytes(sysFlag, SYSFLAG_STOREHOST_V6) + 12
  if (p + 4 > end) return { kind: 'CORRUPT', reason: 'header longer than record' }
  const bodyLength = buf.readInt32BE(p)
  p += 4
  if (bodyLength < 0 || p + bodyLength > end)
    return { kind: 'CORRUPT', reason: `body length ${bodyLength} out of range` }
  const body = buf.subarray(p, p + bodyLength)
  p += bodyLength
  const v2 = magicCode === MESSAGE_MAGIC_CODE_V2
  if (p + (v2 ? 2 : 1) > end) return { kind: 'CORRUPT', reason: 'topic length past record end' }
  const topicLength = v2 ? buf.readInt16BE(p) : (buf[p] ?? 0)
  p += v2 ? 2 : 1
  if (topicLength <= 0 || p + topicLength + 2 > end)
    return { kind: 'CORRUPT', reason: `topic length ${topicLength} out of range` }
  if (!TOPIC_PATTERN.test(buf.toString('latin1', p, p + topicLength)))
    return { kind: 'CORRUPT', reason: 'topic has invalid characters' }
  p += topicLength
  const propertiesLength = buf.readInt16BE(p)
  p += 2
  if (propertiesLength < 0 || p + propertiesLength !== end) {
    return { kind: 'CORRUPT', reason: `properties length ${propertiesLength} does not end the record` }
  }
  // A torn write leaves zeros; valid properties never contain NUL (the store rejects them on put).
  if (propertiesLength > 0 && buf.subarray(p, end).indexOf(0) >= 0) {
    return { kind: 'CORRUPT', reason: 'NUL byte in properties (torn write)' }
  }
  if ((crc32(body) & 0x7fffffff) !== buf.readInt32BE(pos + 8))
    return { kind: 'CORRUPT', reason: 'body CRC mismatch' }
  return { kind: 'MESSAGE', size: totalSize }
}
