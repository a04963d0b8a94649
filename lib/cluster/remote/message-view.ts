// From a decoded record to what the console shows (MessageView): ids, hosts, properties, and the body
// decompressed when RocketMQ compressed it (zlib; LZ4/ZSTD are shown raw), cut at the caller's size limit.
import 'server-only'
import zlib from 'node:zlib'
import { parseProperties, type DecodedMessage, type HostAddress } from '@/broker-engine/index'
import type { BodyCompression, MessageFilter, MessageView } from '@/lib/cluster/gateway'

const SYSFLAG_COMPRESSED = 0x1
const SYSFLAG_COMPRESSION_TYPE_MASK = 0x700
/** Inflated bodies are bounded: a zip bomb in a message must not take the console's memory. */
const INFLATED_BYTES_MAX = 16 * 1024 * 1024

/** A record read from a broker, its body decoded, before it is cut for display. */
export interface ReadMessage {
  readonly record: DecodedMessage
  readonly brokerName: string
  readonly msgId: string
  readonly properties: ReadonlyMap<string, string>
  readonly body: Buffer
  readonly compression: BodyCompression
  readonly bodyDecoded: boolean
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase()
}

/** storeHost (4 or 16 bytes) + port (4) + CommitLog offset (8), uppercase hex (PROTOCOL.md 4.1). */
export function offsetMsgIdOf(storeHost: HostAddress, commitLogOffset: number): string {
  const port = Buffer.alloc(4)
  port.writeInt32BE(storeHost.port)
  const offset = Buffer.alloc(8)
  offset.writeBigInt64BE(BigInt(commitLogOffset))
  return hex(storeHost.address) + hex(port) + hex(offset)
}

export function hostText(host: HostAddress): string {
  const a = host.address
  if (a.length === 4) return `${a[0]}.${a[1]}.${a[2]}.${a[3]}:${host.port}`
  const groups: string[] = []
  for (let i = 0; i + 1 < a.length; i += 2) groups.push(((a[i]! << 8) | a[i + 1]!).toString(16))
  return `[${groups.join(':')}]:${host.port}`
}

function compressionOf(sysFlag: number): BodyCompression {
  if ((sysFlag & SYSFLAG_COMPRESSED) === 0) return 'NONE'
  switch ((sysFlag & SYSFLAG_COMPRESSION_TYPE_MASK) >> 8) {
    case 1:
      return 'LZ4'
    case 2:
      return 'ZSTD'
    default:
      // 0 is what 4.x clients write (zlib was the only codec), 3 is ZLIB in 5.x.
      return 'ZLIB'
  }
}

export function readMessage(record: DecodedMessage, brokerName: string): ReadMessage {
  const compression = compressionOf(record.sysFlag)
  let body = record.body
  let bodyDecoded = compression === 'NONE'
  if (compression === 'ZLIB') {
    try {
      body = zlib.inflateSync(record.body, { maxOutputLength: INFLATED_BYTES_MAX })
      bodyDecoded = true
    } catch {
      bodyDecoded = false
    }
  }
  return {
    record,
    brokerName,
    msgId: offsetMsgIdOf(record.storeHost, record.commitLogOffset),
    properties: parseProperties(record.propertiesString),
    body,
    compression,
    bodyDecoded,
  }
}

export function keysOf(properties: ReadonlyMap<string, string>): string[] {
  return (properties.get('KEYS') ?? '').split(' ').filter((key) => key !== '')
}

/** True when the message passes every condition of `filter`. */
export function matchesFilter(message: ReadMessage, filter: MessageFilter | undefined): boolean {
  if (!filter) return true
  if (filter.tag !== undefined && message.properties.get('TAGS') !== filter.tag) return false
  if (filter.key !== undefined && !keysOf(message.properties).includes(filter.key)) return false
  if (filter.property) {
    const value = message.properties.get(filter.property.name)
    if (value === undefined) return false
    if (filter.property.value !== undefined && value !== filter.property.value) return false
  }
  if (filter.bodyContains !== undefined && !message.body.toString('utf8').includes(filter.bodyContains))
    return false
  return true
}

export function toMessageView(message: ReadMessage, bodyBytesMax: number): MessageView {
  const { record, properties } = message
  const truncated = message.body.length > bodyBytesMax
  return {
    msgId: message.msgId,
    uniqKey: properties.get('UNIQ_KEY'),
    topic: record.topic,
    brokerName: message.brokerName,
    queueId: record.queueId,
    queueOffset: record.queueOffset,
    commitLogOffset: record.commitLogOffset,
    storeTimestampMs: record.storeTimestampMs,
    bornTimestampMs: record.bornTimestampMs,
    bornHost: hostText(record.bornHost),
    storeHost: hostText(record.storeHost),
    sysFlag: record.sysFlag,
    flag: record.flag,
    reconsumeTimes: record.reconsumeTimes,
    tags: properties.get('TAGS'),
    keys: keysOf(properties),
    properties: Object.fromEntries(properties),
    bodySizeBytes: message.body.length,
    bodyBase64: (truncated ? message.body.subarray(0, bodyBytesMax) : message.body).toString('base64'),
    bodyTruncated: truncated,
    compression: message.compression,
    bodyDecoded: message.bodyDecoded,
  }
}

/** Store-time order, then broker, queue and queue offset, so equal times sort the same way on every page. */
export function compareByStoreTime(
  a: Pick<MessageView, 'storeTimestampMs' | 'brokerName' | 'queueId' | 'queueOffset'>,
  b: Pick<MessageView, 'storeTimestampMs' | 'brokerName' | 'queueId' | 'queueOffset'>,
): number {
  return (
    a.storeTimestampMs - b.storeTimestampMs ||
    (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0) ||
    a.queueId - b.queueId ||
    a.queueOffset - b.queueOffset
  )
}

/** compareByStoreTime for messages as read from a broker, before they become MessageViews. */
export function compareReadByStoreTime(a: ReadMessage, b: ReadMessage): number {
  return compareByStoreTime(storeOrderKeyOf(a), storeOrderKeyOf(b))
}

function storeOrderKeyOf(m: ReadMessage): Parameters<typeof compareByStoreTime>[0] {
  return {
    storeTimestampMs: m.record.storeTimestampMs,
    brokerName: m.brokerName,
    queueId: m.record.queueId,
    queueOffset: m.record.queueOffset,
  }
}
