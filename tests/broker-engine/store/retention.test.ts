import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from './store-test-kit'

const HOUR = 3_600_000

describe('retention', () => {
  async function filledStore(clock: ManualClock, diskUsedRatio = 0.3) {
    const dir = tempStoreDir()
    const io = new FaultyIo()
    io.diskUsedRatioOverride = diskUsedRatio // this machine's real disk must not decide the outcome
    const store = await openStore(
      dir,
      { fileReservedTime: 48, deleteWhen: '04', cleanResourceInterval: 10_000, maxIndexNum: 60 },
      { clock, io },
    )
    const body = Buffer.alloc(8000, 1)
    // ~30 records per 256 KiB segment; 100 records → 4 segments, written over ~2 hours.
    for (let i = 0; i < 100; i++) {
      expectOk(await store.putMessage(message('OldTopic', 0, body, { keys: `k${i}` })))
      clock.advance(60_000)
    }
    await store.checkpointNow()
    return { dir, store, io }
  }

  it('deletes segments older than fileReservedTime at the deleteWhen hour, then the queue and index files behind them', async () => {
    const clock = new ManualClock(new Date(2026, 10, 20, 1, 0, 0).getTime()) // 01:00 local
    const { dir, store } = await filledStore(clock)
    const segmentsBefore = fs.readdirSync(path.join(dir, 'commitlog')).length
    expect(segmentsBefore).toBeGreaterThanOrEqual(4)
    const indexBefore = fs.readdirSync(path.join(dir, 'index')).length

    // Not yet 48 h old at the next 04:00: nothing goes.
    clock.advance(new Date(2026, 10, 20, 4, 0, 30).getTime() - clock.nowMs())
    expect(fs.readdirSync(path.join(dir, 'commitlog'))).toHaveLength(segmentsBefore)

    // Two days later, at 04:00, the cleaner (every 10 s) removes all but the segment being written.
    clock.advance(new Date(2026, 10, 22, 4, 0, 30).getTime() - clock.nowMs())
    const remaining = fs.readdirSync(path.join(dir, 'commitlog'))
    expect(remaining).toHaveLength(1)
    const minOffset = store.commitLogMinOffset
    expect(remaining[0]).toBe(String(minOffset).padStart(20, '0'))
    // Queue min offset moved past the deleted messages; reads below it say so.
    const qMin = store.getMinOffsetInQueue('OldTopic', 0)
    expect(qMin).toBeGreaterThan(0)
    expect(store.getMessage({ topic: 'OldTopic', queueId: 0, queueOffset: 0, maxMsgNums: 1 })).toMatchObject({
      status: 'OFFSET_TOO_SMALL',
      nextBeginOffset: qMin,
    })
    expect(store.getMessage({ topic: 'OldTopic', queueId: 0, queueOffset: qMin, maxMsgNums: 1 }).status).toBe(
      'FOUND',
    )
    expect(store.getCommitLogOffsetInQueue('OldTopic', 0, qMin)).toBeGreaterThanOrEqual(minOffset)
    // Index files that only pointed at deleted segments are gone; keys of kept messages are still found.
    expect(fs.readdirSync(path.join(dir, 'index')).length).toBeLessThan(indexBefore)
    expect(store.queryMessage('OldTopic', 'k99', 4, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1)
    expect(store.queryMessage('OldTopic', 'k0', 4, 0, Number.MAX_SAFE_INTEGER)).toEqual([])
  })

  it('outside the deleteWhen hours deletes only when forced (or the disk is full)', async () => {
    const clock = new ManualClock(new Date(2026, 10, 20, 9, 0, 0).getTime())
    const { dir, store } = await filledStore(clock)
    clock.advance(50 * HOUR) // 11:xx two days later: expired, and the 04:00 runs on the way came too early
    const count = fs.readdirSync(path.join(dir, 'commitlog')).length
    expect(count).toBeGreaterThan(1)
    const result = store.deleteExpiredFiles(true)
    expect(result.deletedSegments).toBe(count - 1)
    expect(fs.readdirSync(path.join(dir, 'commitlog'))).toHaveLength(1)
  })

  it('deletes expired segments at any hour once the disk is fuller than diskMaxUsedSpaceRatio', async () => {
    const clock = new ManualClock(new Date(2026, 10, 20, 9, 0, 0).getTime())
    const { dir, io } = await filledStore(clock)
    clock.advance(49 * HOUR) // 10:40 two days later: expired, not a deleteWhen hour, disk at 30%
    const count = fs.readdirSync(path.join(dir, 'commitlog')).length
    expect(count).toBeGreaterThan(1)
    io.diskUsedRatioOverride = 0.8 // above the default 75%
    clock.advance(10_000)
    expect(fs.readdirSync(path.join(dir, 'commitlog'))).toHaveLength(1)
  })

  it('keeps working after deletion: appends continue and a restart sees the new min offsets', async () => {
    const clock = new ManualClock(new Date(2026, 10, 20, 9, 0, 0).getTime())
    const { dir, store } = await filledStore(clock)
    clock.advance(72 * HOUR)
    store.deleteExpiredFiles(true)
    const min = store.getMinOffsetInQueue('OldTopic', 0)
    const r = expectOk(await store.putMessage(message('OldTopic', 0, 'fresh')))
    expect(r.queueOffset).toBe(100)
    await store.shutdown()
    const quietDisk = new FaultyIo()
    quietDisk.diskUsedRatioOverride = 0.3
    const reopened = await openStore(dir, {}, { clock, io: quietDisk })
    expect(reopened.getMinOffsetInQueue('OldTopic', 0)).toBe(min)
    expect(reopened.getMaxOffsetInQueue('OldTopic', 0)).toBe(101)
  })
})
