import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bodyCrc32,
  checkRecord,
  decodeRecord,
  readInt64BE,
  recordLength,
  writeBlankMarker,
  writeInt64BE,
  writeRecord,
  type DecodedMessage,
} from '../../../broker-engine/store/message-codec'
import { findProperty } from '../../../broker-engine/store/message-properties'

const FIXTURES = path.join(__dirname, '../../fixtures/store')

/** Splits a pull-response body into its records. */
function splitRecords(buf: Buffer): Buffer[] {
  const out: Buffer[] = []
  for (let pos = 0; pos < buf.length;) {
    const size = buf.readInt32BE(pos)
    out.push(buf.subarray(pos, pos + size))
    pos += size
  }
  return out
}

/** Re-encodes a decoded message with our encoder. */
function reencode(m: DecodedMessage): Buffer {
  const topicBytes = Buffer.byteLength(m.topic)
  const propsBytes = Buffer.byteLength(m.propertiesString)
  const size = recordLength(m.body.length, topicBytes, propsBytes, m.sysFlag)
  const out = Buffer.alloc(size)
  writeRecord(
    out,
    0,
    size,
    bodyCrc32(m.body),
    m.queueId,
    m.flag,
    m.queueOffset,
    m.commitLogOffset,
    m.sysFlag,
    m.bornTimestampMs,
    m.bornHost,
    m.storeTimestampMs,
    m.storeHost,
    m.reconsumeTimes,
    m.preparedTransactionOffset,
    m.body,
    m.topic,
    topicBytes,
    m.propertiesString,
    propsBytes,
  )
  return out
}

describe('message codec against real RocketMQ 4.9.4 records', () => {
  const pulled = splitRecords(
    fs.readFileSync(path.join(FIXTURES, 'rocketmq-4.9.4-pull-fixturetopic.records.bin')),
  )
  const retry = splitRecords(fs.readFileSync(path.join(FIXTURES, 'rocketmq-4.9.4-pull-retry.records.bin')))
  const viewed = fs.readFileSync(path.join(FIXTURES, 'rocketmq-4.9.4-view-by-id.record.bin'))

  it('decodes every field of a pulled record', () => {
    expect(pulled).toHaveLength(14)
    const m = decodeRecord(pulled[0]!, 0)
    expect(m.topic).toBe('FixtureTopic')
    expect(m.totalSize).toBe(pulled[0]!.length)
    expect(m.storeHost.port).toBe(10911)
    expect(Array.from(m.storeHost.address)).toEqual([127, 0, 0, 1])
    expect(findProperty(m.propertiesString, 'UNIQ_KEY')).toMatch(/^[0-9A-F]{32}$/)
    expect(m.storeTimestampMs).toBeGreaterThan(Date.UTC(2026, 0, 1))
  })

  it('verifies the body CRC RocketMQ wrote and accepts the records as valid', () => {
    for (const rec of [...pulled, ...retry, viewed]) {
      const m = decodeRecord(rec, 0)
      expect(bodyCrc32(m.body)).toBe(m.bodyCrc)
      const check = checkRecord(rec, 0, rec.length, m.commitLogOffset, 1 << 20)
      expect(check).toEqual({ kind: 'MESSAGE', size: rec.length })
    }
  })

  it('re-encodes each decoded record to the identical bytes', () => {
    for (const rec of [...pulled, ...retry, viewed]) {
      expect(reencode(decodeRecord(rec, 0)).equals(rec)).toBe(true)
    }
  })

  it('keeps queue offsets consecutive and physical offsets increasing in a pull batch', () => {
    const decoded = pulled.map((r) => decodeRecord(r, 0))
    const byQueue = new Map<number, number[]>()
    for (const m of decoded) byQueue.set(m.queueId, [...(byQueue.get(m.queueId) ?? []), m.queueOffset])
    for (const offsets of byQueue.values())
      offsets.forEach((o, i) => i > 0 && expect(o).toBe(offsets[i - 1]! + 1))
  })

  it('reads the retry topic record RocketMQ produced for a reconsumed message', () => {
    const m = decodeRecord(retry[0]!, 0)
    expect(m.topic).toBe('%RETRY%capture_retry_cg')
    expect(m.reconsumeTimes).toBe(1)
    expect(findProperty(m.propertiesString, 'RETRY_TOPIC')).toBe('FixtureRetryTopic')
  })
})

describe('message codec golden bytes of our own encoder', () => {
  const golden = path.join(FIXTURES, 'mqdeck-record-v1-ipv4.bin')
  const goldenV6 = path.join(FIXTURES, 'mqdeck-record-v2-ipv6.bin')

  function encodeSample(topic: string, v6: boolean): Buffer {
    const body = Buffer.from('hello mqdeck')
    const props =
      'TAGS\u0001TagA\u0002KEYS\u0001order-1 order-2\u0002UNIQ_KEY\u00010A0B0C0D0E0F10111213141516171819'
    const host = v6
      ? {
          address: Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
          port: 10911,
        }
      : { address: Uint8Array.from([10, 0, 0, 7]), port: 10911 }
    const sysFlag = v6 ? 0x30 : 0
    const size = recordLength(body.length, topic.length, Buffer.byteLength(props), sysFlag)
    const out = Buffer.alloc(size)
    writeRecord(
      out,
      0,
      size,
      bodyCrc32(body),
      3,
      7,
      42,
      123456,
      sysFlag,
      1_795_000_000_000,
      host,
      1_795_000_000_123,
      host,
      2,
      0,
      body,
      topic,
      topic.length,
      props,
      Buffer.byteLength(props),
    )
    return out
  }

  it('matches the checked-in V1/IPv4 bytes field by field', () => {
    const bytes = encodeSample('GoldenTopic', false)
    expect(bytes.toString('hex')).toBe(fs.readFileSync(golden).toString('hex'))
    const propsLength = Buffer.byteLength(
      'TAGS\u0001TagA\u0002KEYS\u0001order-1 order-2\u0002UNIQ_KEY\u00010A0B0C0D0E0F10111213141516171819',
    )
    expect(bytes.length).toBe(91 + 'hello mqdeck'.length + 'GoldenTopic'.length + propsLength)
    expect(bytes.readInt32BE(4)).toBe(0xdaa320a7 | 0)
    expect(readInt64BE(bytes, 20)).toBe(42)
    expect(readInt64BE(bytes, 28)).toBe(123456)
    expect(decodeRecord(bytes, 0).reconsumeTimes).toBe(2)
  })

  it('uses the V2 magic and a 2-byte topic length for topics over 127 bytes, with IPv6 hosts', () => {
    const topic = 'T'.repeat(130)
    const bytes = encodeSample(topic, true)
    expect(bytes.toString('hex')).toBe(fs.readFileSync(goldenV6).toString('hex'))
    expect(bytes.readInt32BE(4)).toBe(0xdaa320ab | 0)
    const m = decodeRecord(bytes, 0)
    expect(m.topic).toBe(topic)
    expect(m.storeHost.address).toHaveLength(16)
    expect(checkRecord(bytes, 0, bytes.length, 123456, 1 << 20).kind).toBe('MESSAGE')
  })
})

describe('checkRecord rejects damaged records', () => {
  const rec = fs.readFileSync(path.join(FIXTURES, 'rocketmq-4.9.4-view-by-id.record.bin'))
  const phy = decodeRecord(rec, 0).commitLogOffset
  const damaged = (f: (b: Buffer) => void) => {
    const b = Buffer.from(rec)
    f(b)
    return checkRecord(b, 0, b.length, phy, 1 << 20)
  }

  it('reports all-zero space as END', () => {
    expect(checkRecord(Buffer.alloc(200), 0, 200, 0, 1 << 20)).toEqual({ kind: 'END' })
  })
  it('flags a wrong magic code', () =>
    expect(damaged((b) => b.writeInt32BE(0x12345678, 4)).kind).toBe('CORRUPT'))
  it('flags a flipped body byte (CRC)', () => {
    const r = damaged((b) => (b[100] = b[100]! ^ 0xff))
    expect(r).toEqual({ kind: 'CORRUPT', reason: 'body CRC mismatch' })
  })
  it('flags a size larger than the segment', () =>
    expect(damaged((b) => b.writeInt32BE(1 << 19, 0)).kind).toBe('CORRUPT'))
  it('flags a record whose physical offset field disagrees with its position', () => {
    expect(checkRecord(rec, 0, rec.length, phy + 1, 1 << 20).kind).toBe('CORRUPT')
  })
  it('flags a torn tail (zeros where the properties were)', () => {
    const r = damaged((b) => b.fill(0, b.length - 10))
    expect(r.kind).toBe('CORRUPT')
  })
  it('flags a truncated record', () => {
    expect(checkRecord(rec.subarray(0, 150), 0, 150, phy, 1 << 20).kind).toBe('CORRUPT')
  })
  it('accepts a blank marker only when it covers the rest of the segment', () => {
    const b = Buffer.alloc(64)
    writeBlankMarker(b, 0, 64)
    expect(checkRecord(b, 0, 64, 0, 1 << 20)).toEqual({ kind: 'BLANK', size: 64 })
    expect(checkRecord(b, 0, 60, 0, 1 << 20).kind).toBe('CORRUPT')
  })
})

describe('int64 helpers', () => {
  it('round-trip values up to 2^53 and negatives', () => {
    const b = Buffer.alloc(8)
    for (const v of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -(2 ** 40)]) {
      writeInt64BE(b, 0, v)
      expect(readInt64BE(b, 0)).toBe(v)
      expect(b.readBigInt64BE(0)).toBe(BigInt(v))
    }
  })
})
