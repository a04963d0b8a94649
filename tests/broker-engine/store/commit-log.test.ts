import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BLANK_MAGIC_CODE } from '../../../broker-engine/store/message-constants'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from './store-test-kit'

const SEGMENT = 256 * 1024

describe('CommitLog segments', () => {
  it('rolls to a new segment named by its start offset, padding the old one with a blank marker', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, {}, { clock: new ManualClock() })
    const body = Buffer.alloc(10_000, 0x61)
    const results = []
    for (let i = 0; i < 80; i++)
      results.push(expectOk(await store.putMessage(message('RollTopic', i % 2, body))))

    const names = fs.readdirSync(path.join(dir, 'commitlog')).sort()
    expect(names.length).toBeGreaterThanOrEqual(3)
    names.forEach((name, i) => {
      expect(name).toBe(String(i * SEGMENT).padStart(20, '0'))
      expect(fs.statSync(path.join(dir, 'commitlog', name)).size).toBe(SEGMENT)
    })
    for (const r of results) {
      // No record straddles a segment, and each leaves room for a blank marker.
      const segmentStart = r.commitLogOffset - (r.commitLogOffset % SEGMENT)
      expect(r.commitLogOffset + r.wroteBytes + 8).toBeLessThanOrEqual(segmentStart + SEGMENT)
    }
    // The last record of segment 0 is followed by [remaining][BLANK].
    const lastInFirst = results.filter((r) => r.commitLogOffset < SEGMENT).at(-1)!
    const seg0 = fs.readFileSync(path.join(dir, 'commitlog', names[0]!))
    const end = lastInFirst.commitLogOffset + lastInFirst.wroteBytes
    expect(seg0.readInt32BE(end + 4)).toBe(BLANK_MAGIC_CODE)
    expect(seg0.readInt32BE(end)).toBe(SEGMENT - end)
    // The first record of segment 1 starts exactly at the segment start.
    expect(results.find((r) => r.commitLogOffset >= SEGMENT)!.commitLogOffset).toBe(SEGMENT)
  })

  it('reads every record back by physical offset and by offset message id, across segments', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const stored = []
    for (let i = 0; i < 60; i++) {
      const body = Buffer.from(`message-${i}-`.repeat(500))
      stored.push({
        body,
        r: expectOk(await store.putMessage(message('ReadTopic', 0, body, { keys: `k${i}` }))),
      })
    }
    for (const { body, r } of stored) {
      const m = store.lookMessageByOffset(r.commitLogOffset)!
      expect(m.body.equals(body)).toBe(true)
      expect(m.queueOffset).toBe(r.queueOffset)
      const id = store.offsetMsgIdOf(r.commitLogOffset)
      expect(id).toMatch(/^7F00000100002A9F[0-9A-F]{16}$/)
      expect(store.lookMessageByOffsetMsgId(id)?.commitLogOffset).toBe(r.commitLogOffset)
    }
    expect(store.lookMessageByOffset(stored[0]!.r.commitLogOffset + 1)).toBeUndefined()
    expect(store.lookMessageByOffset(store.commitLogMaxOffset + 100)).toBeUndefined()
    expect(store.lookMessageByOffsetMsgId('C0A8010A00002A9F0000000000000000')).toBeUndefined() // another broker
  })

  it('reads the same bytes through the read cache as from the files, whatever the cache holds', async () => {
    const dir = tempStoreDir()
    // 64 KiB holds only the newest records of several 256 KiB segments: reads mix cache and files.
    const store = await openStore(dir, { commitLogReadCacheBytes: 64 * 1024 }, { clock: new ManualClock() })
    const puts = []
    for (let i = 0; i < 120; i++) {
      const body = Buffer.from(`cached-${i}-`.repeat(300 + i))
      puts.push(expectOk(await store.putMessage(message('CacheTopic', i % 3, body))))
    }
    const fileBytes = (offset: number, size: number) => {
      const segmentStart = offset - (offset % SEGMENT)
      const name = path.join(dir, 'commitlog', String(segmentStart).padStart(20, '0'))
      return fs.readFileSync(name).subarray(offset - segmentStart, offset - segmentStart + size)
    }
    for (const put of puts) {
      const record = store.readRecord(put.commitLogOffset)!
      expect(record.length).toBe(put.wroteBytes)
      expect(record.equals(fileBytes(put.commitLogOffset, put.wroteBytes))).toBe(true)
    }
    const batch = store.getMessage({ topic: 'CacheTopic', queueId: 1, queueOffset: 20, maxMsgNums: 64 })
    expect(batch.messageCount).toBe(20)
    const expected = Buffer.concat(
      puts.filter((_, i) => i % 3 === 1 && i >= 60).map((p) => fileBytes(p.commitLogOffset, p.wroteBytes)),
    )
    expect(batch.records.equals(expected)).toBe(true)
  })

  it('writes the record bytes the put described: topic, queue, flag, born host, reconsume times, properties', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const store = await openStore(tempStoreDir(), { brokerIP1: '10.1.2.3', listenPort: 10920 }, { clock })
    const r = expectOk(
      await store.putMessage({
        topic: 'FieldTopic',
        queueId: 5,
        body: Buffer.from('payload'),
        flag: 9,
        propertiesString: 'TAGS\u0001A\u0002KEYS\u0001x',
        bornTimestampMs: 1_799_999_999_000,
        bornHost: { address: Uint8Array.from([192, 0, 2, 7]), port: 40000 },
        reconsumeTimes: 3,
      }),
    )
    const m = decodeRecord(store.readRecord(r.commitLogOffset)!, 0)
    expect(m).toMatchObject({
      topic: 'FieldTopic',
      queueId: 5,
      flag: 9,
      reconsumeTimes: 3,
      bornTimestampMs: 1_799_999_999_000,
      storeTimestampMs: 1_800_000_000_000,
    })
    expect(Array.from(m.bornHost.address)).toEqual([192, 0, 2, 7])
    expect(Array.from(m.storeHost.address)).toEqual([10, 1, 2, 3])
    expect(m.storeHost.port).toBe(10920)
    expect(m.propertiesString).toBe(`TAGS\u0001A\u0002KEYS\u0001x\u0002UNIQ_KEY\u0001${r.uniqKey}`)
    expect(store.offsetMsgIdOf(r.commitLogOffset).slice(0, 16)).toBe('0A01020300002AA8') // 10.1.2.3 : 10920
  })
})
