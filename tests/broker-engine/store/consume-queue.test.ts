import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { javaStringHashCode } from '../../../broker-engine/common/java-hash'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { findProperty } from '../../../broker-engine/store/message-properties'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from './store-test-kit'

function bodiesOf(records: Buffer): string[] {
  const out: string[] = []
  for (let pos = 0; pos < records.length; pos += records.readInt32BE(pos))
    out.push(decodeRecord(records, pos).body.toString())
  return out
}

describe('ConsumeQueue', () => {
  it('hands out consecutive queue offsets per queue and finds any of them in one lookup', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, {}, { clock: new ManualClock() })
    for (let i = 0; i < 250; i++) expectOk(await store.putMessage(message('CqTopic', i % 2, `m${i}`)))
    expect(store.getMinOffsetInQueue('CqTopic', 0)).toBe(0)
    expect(store.getMaxOffsetInQueue('CqTopic', 0)).toBe(125)
    expect(store.getMaxOffsetInQueue('CqTopic', 1)).toBe(125)
    // queue 1 holds the odd messages: queue offset n is message 2n+1
    const got = store.getMessage({ topic: 'CqTopic', queueId: 1, queueOffset: 110, maxMsgNums: 3 })
    expect(got.status).toBe('FOUND')
    expect(bodiesOf(got.records)).toEqual(['m221', 'm223', 'm225'])
    expect(got.nextBeginOffset).toBe(113)
    // 100 units per file: queue files are named by byte offset (unit × 20)
    await store.checkpointNow()
    expect(fs.readdirSync(path.join(dir, 'consumequeue', 'CqTopic', '0')).sort()).toEqual([
      '00000000000000000000',
      '00000000000000002000',
    ])
  })

  it('answers RocketMQ statuses at and beyond the queue edges', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    expect(store.getMessage({ topic: 'Nope', queueId: 0, queueOffset: 0, maxMsgNums: 1 }).status).toBe(
      'NO_MATCHED_LOGIC_QUEUE',
    )
    for (let i = 0; i < 5; i++) expectOk(await store.putMessage(message('EdgeTopic', 0, `m${i}`)))
    const at = (queueOffset: number) =>
      store.getMessage({ topic: 'EdgeTopic', queueId: 0, queueOffset, maxMsgNums: 32 })
    expect(at(5)).toMatchObject({
      status: 'OFFSET_OVERFLOW_ONE',
      nextBeginOffset: 5,
      minOffset: 0,
      maxOffset: 5,
    })
    expect(at(9)).toMatchObject({ status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: 0 })
    expect(at(0)).toMatchObject({ status: 'FOUND', messageCount: 5, nextBeginOffset: 5 })
  })

  it('stops at maxMsgNums and maxTotalBytes but always returns at least one message', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    for (let i = 0; i < 10; i++)
      expectOk(await store.putMessage(message('LimitTopic', 0, Buffer.alloc(1000, i))))
    expect(
      store.getMessage({ topic: 'LimitTopic', queueId: 0, queueOffset: 0, maxMsgNums: 4 }).messageCount,
    ).toBe(4)
    const bytes = store.getMessage({
      topic: 'LimitTopic',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      maxTotalBytes: 2500,
    })
    expect(bytes.messageCount).toBe(2)
    expect(bytes.nextBeginOffset).toBe(2)
    expect(
      store.getMessage({ topic: 'LimitTopic', queueId: 0, queueOffset: 0, maxMsgNums: 32, maxTotalBytes: 10 })
        .messageCount,
    ).toBe(1)
  })

  it('filters by tag hash at the broker and moves the next offset past skipped messages', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    for (let i = 0; i < 12; i++)
      expectOk(
        await store.putMessage(message('TagTopic', 0, `m${i}`, { tags: i % 3 === 0 ? 'TagA' : 'TagB' })),
      )
    const tagA = javaStringHashCode('TagA')
    const got = store.getMessage({
      topic: 'TagTopic',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      tagsCodeFilter: (code) => code === tagA,
    })
    expect(bodiesOf(got.records)).toEqual(['m0', 'm3', 'm6', 'm9'])
    for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos)) {
      expect(findProperty(decodeRecord(got.records, pos).propertiesString, 'TAGS')).toBe('TagA')
    }
    expect(got.nextBeginOffset).toBe(12)
    const none = store.getMessage({
      topic: 'TagTopic',
      queueId: 0,
      queueOffset: 10,
      maxMsgNums: 32,
      tagsCodeFilter: (c) => c === tagA,
    })
    expect(none).toMatchObject({ status: 'NO_MATCHED_MESSAGE', nextBeginOffset: 12 })
  })

  it('finds the queue offset for a store time (offset reset by time)', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const store = await openStore(tempStoreDir(), {}, { clock })
    for (let i = 0; i < 20; i++) {
      expectOk(await store.putMessage(message('TimeTopic', 0, `m${i}`)))
      clock.advance(1000)
    }
    expect(store.getOffsetInQueueByTime('TimeTopic', 0, 1_800_000_000_000)).toBe(0)
    expect(store.getOffsetInQueueByTime('TimeTopic', 0, 1_800_000_007_500)).toBe(8)
    expect(store.getOffsetInQueueByTime('TimeTopic', 0, 1_900_000_000_000)).toBe(20)
    expect(store.getMessageStoreTimestamp('TimeTopic', 0, 3)).toBe(1_800_000_003_000)
  })

  it('keeps every unit across a clean restart, reading both from files and staging', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, {}, { clock: new ManualClock() })
    for (let i = 0; i < 130; i++) expectOk(await store.putMessage(message('PersistTopic', 0, `m${i}`)))
    await store.shutdown()
    const reopened = await openStore(dir, {}, { clock: new ManualClock() })
    expect(reopened.getMaxOffsetInQueue('PersistTopic', 0)).toBe(130)
    const r = expectOk(await reopened.putMessage(message('PersistTopic', 0, 'm130')))
    expect(r.queueOffset).toBe(130)
    const all = reopened.getMessage({ topic: 'PersistTopic', queueId: 0, queueOffset: 95, maxMsgNums: 40 })
    expect(bodiesOf(all.records)).toEqual(Array.from({ length: 36 }, (_, i) => `m${95 + i}`))
  })
})
