// lib/cluster/remote/record-decoder.ts and message-view.ts: real 4.9.4 pull bodies decode record by record; any
// cut or corrupted length is a BAD_RESPONSE naming the byte, never an out-of-range read; compressed bodies
// are inflated.
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { REQUEST_CODE } from '@/broker-engine/index'
import { decodeRemoteRecords } from '@/lib/cluster/remote/record-decoder'
import { matchesFilter, readMessage, toMessageView } from '@/lib/cluster/remote/message-view'
import { fixtureCommand } from '../fake-node'
import { encodeRecord } from '../mini-cluster'

const source = { addr: '127.0.0.1:10911', requestCode: REQUEST_CODE.PULL_MESSAGE }

describe('decodeRemoteRecords', () => {
  it('decodes every record of a captured pull (14 records of FixtureTopic queue 0)', () => {
    const body = fixtureCommand('150-mqadmin-printMsgByQueue-PULL_MESSAGE-subscription').body!
    const records = decodeRemoteRecords(source, body)
    expect(records).toHaveLength(14)
    expect(records.map((r) => r.queueOffset)).toEqual(Array.from({ length: 14 }, (_, i) => i))
    expect(new Set(records.map((r) => r.topic))).toEqual(new Set(['FixtureTopic']))
    expect(records.reduce((sum, r) => sum + r.totalSize, 0)).toBe(body.length)
  })

  it('refuses a cut body and corrupted lengths with BAD_RESPONSE', () => {
    const body = fixtureCommand('120-mqadmin-queryMsgById-VIEW_MESSAGE_BY_ID').body!
    expect(() => decodeRemoteRecords(source, body.subarray(0, body.length - 1))).toThrow(/record at byte 0/)
    const badBodyLength = Buffer.from(body)
    badBodyLength.writeInt32BE(0x7fffffff, 84)
    expect(() => decodeRemoteRecords(source, badBodyLength)).toThrow(/body length/)
    const badMagic = Buffer.from(body)
    badMagic.writeInt32BE(1, 4)
    expect(() => decodeRemoteRecords(source, badMagic)).toThrow(/bad magic/)
    const badProps = Buffer.from(body)
    badProps.writeInt16BE(
      0x7fff,
      body.length -
        2 -
        'KEYS\u0001fixture-key-7\u0002UNIQ_KEY\u0001C0000202385C5FFD2B278B70EE2A0007\u0002CLUSTER\u0001DefaultCluster\u0002TAGS\u0001TagA'
          .length,
    )
    expect(() => decodeRemoteRecords(source, badProps)).toThrow(/properties length/)
    expect(decodeRemoteRecords(source, undefined)).toEqual([])
  })

  it('inflates zlib bodies and filters on tag, key, property and body text', () => {
    const text = JSON.stringify({ order: 42, note: 'x'.repeat(5000) })
    const record = encodeRecord(
      {
        topic: 'T',
        queueId: 1,
        queueOffset: 7,
        commitLogOffset: 1000,
        storeTimestampMs: 1_800_000_000_000,
        body: zlib.deflateSync(Buffer.from(text)),
        properties: new Map([
          ['TAGS', 'TagA'],
          ['KEYS', 'k1 k2'],
          ['color', 'red'],
        ]),
        sysFlag: 0x1,
        flag: 0,
      },
      10911,
    )
    const [decoded] = decodeRemoteRecords(source, record)
    const message = readMessage(decoded!, 'broker-a')
    const view = toMessageView(message, 100)
    expect(view).toMatchObject({
      compression: 'ZLIB',
      bodyDecoded: true,
      bodySizeBytes: text.length,
      bodyTruncated: true,
    })
    expect(view.msgId).toBe('7F00000100002A9F00000000000003E8')
    expect(
      matchesFilter(message, {
        tag: 'TagA',
        key: 'k2',
        property: { name: 'color', value: 'red' },
        bodyContains: '"order":42',
      }),
    ).toBe(true)
    expect(matchesFilter(message, { tag: 'TagB' })).toBe(false)
    expect(matchesFilter(message, { key: 'k' })).toBe(false)
    expect(matchesFilter(message, { property: { name: 'color', value: 'blue' } })).toBe(false)
    expect(matchesFilter(message, { bodyContains: 'absent' })).toBe(false)
  })
})
