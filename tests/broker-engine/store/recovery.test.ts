import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { StoreCorruptionError } from '../../../broker-engine/common/engine-error'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { closeStore, expectOk, message, openStore, tempStoreDir } from './store-test-kit'

const FOREVER = Number.MAX_SAFE_INTEGER

/**
 * A copy of a running store's directory is what a SIGKILL at that moment leaves behind: everything written
 * to the page cache, the abort marker, and whatever checkpoint was last written. (The real-process SIGKILL
 * tests are in crash.test.ts.)
 */
function snapshot(dir: string): string {
  const copy = tempStoreDir()
  fs.cpSync(dir, copy, { recursive: true })
  return copy
}

describe('recovery', () => {
  it('starts without a scan after a clean shutdown and continues the offsets', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, {}, { clock: new ManualClock() })
    for (let i = 0; i < 40; i++)
      expectOk(await store.putMessage(message('CleanTopic', i % 3, `m${i}`, { keys: `k${i}` })))
    const end = store.commitLogMaxOffset
    await closeStore(store)
    expect(fs.existsSync(path.join(dir, 'abort'))).toBe(false)

    const reopened = await openStore(dir, {}, { clock: new ManualClock() })
    expect(reopened.recoveryReport).toMatchObject({
      abnormal: false,
      redispatchedMessages: 0,
      commitLogEndOffset: end,
    })
    expect(reopened.commitLogMaxOffset).toBe(end)
    expect(expectOk(await reopened.putMessage(message('CleanTopic', 0, 'next'))).queueOffset).toBe(14)
    expect(reopened.queryMessage('CleanTopic', 'k39', 4, 0, FOREVER)).toHaveLength(1)
  })

  it('after a crash re-dispatches what the checkpoint did not cover, rebuilding lost queues and index', async () => {
    const dir = tempStoreDir()
    const clock = new ManualClock()
    const store = await openStore(dir, { flushConsumeQueueInterval: 3_600_000 }, { clock })
    for (let i = 0; i < 30; i++)
      expectOk(await store.putMessage(message('LostTopic', i % 2, `m${i}`, { keys: `k${i}` })))
    await store.checkpointNow()
    for (let i = 30; i < 60; i++)
      expectOk(await store.putMessage(message('LostTopic', i % 2, `m${i}`, { keys: `k${i}` })))
    const crashed = snapshot(dir)
    // Lose everything derived: recovery must rebuild from the CommitLog alone.
    fs.rmSync(path.join(crashed, 'consumequeue'), { recursive: true })
    fs.rmSync(path.join(crashed, 'index'), { recursive: true })
    fs.rmSync(path.join(crashed, 'checkpoint'))

    const recovered = await openStore(crashed, {}, { clock: new ManualClock() })
    expect(recovered.recoveryReport).toMatchObject({ abnormal: true, redispatchedMessages: 60 })
    expect(recovered.getMaxOffsetInQueue('LostTopic', 0)).toBe(30)
    expect(recovered.getMaxOffsetInQueue('LostTopic', 1)).toBe(30)
    for (const i of [0, 29, 30, 59])
      expect(recovered.queryMessage('LostTopic', `k${i}`, 4, 0, FOREVER)).toHaveLength(1)
  })

  it('after a crash keeps queue units and index entries exactly once, before and after the checkpoint', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, { flushConsumeQueueInterval: 3_600_000 }, { clock: new ManualClock() })
    for (let i = 0; i < 25; i++)
      expectOk(await store.putMessage(message('OnceTopic', 0, `m${i}`, { keys: `k${i} shared` })))
    await store.checkpointNow()
    for (let i = 25; i < 50; i++)
      expectOk(await store.putMessage(message('OnceTopic', 0, `m${i}`, { keys: `k${i} shared` })))
    const crashed = snapshot(dir)

    const recovered = await openStore(crashed, {}, { clock: new ManualClock() })
    expect(recovered.recoveryReport?.abnormal).toBe(true)
    expect(recovered.recoveryReport?.redispatchedMessages).toBe(25)
    expect(recovered.getMaxOffsetInQueue('OnceTopic', 0)).toBe(50)
    expect(recovered.queryMessage('OnceTopic', 'shared', 200, 0, FOREVER)).toHaveLength(50)
    for (const i of [3, 24, 25, 49])
      expect(recovered.queryMessage('OnceTopic', `k${i}`, 10, 0, FOREVER)).toHaveLength(1)
    const next = expectOk(await recovered.putMessage(message('OnceTopic', 0, 'm50')))
    expect(next.queueOffset).toBe(50)
  })

  it('cuts a torn tail, names file and offset, and leaves nothing after the last good record', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, {}, { clock: new ManualClock() })
    const last = []
    for (let i = 0; i < 10; i++) last.push(expectOk(await store.putMessage(message('TornTopic', 0, `m${i}`))))
    await store.flush()
    await store.checkpointNow()
    const crashed = snapshot(dir)
    // A record cut short by the crash: its first 60 bytes reached the file.
    const end = last.at(-1)!.commitLogOffset + last.at(-1)!.wroteBytes
    const segment = path.join(crashed, 'commitlog', '00000000000000000000')
    const fd = fs.openSync(segment, 'r+')
    const whole = fs
      .readFileSync(segment)
      .subarray(last[0]!.commitLogOffset, last[0]!.commitLogOffset + last[0]!.wroteBytes)
    fs.writeSync(fd, whole.subarray(0, 60), 0, 60, end)
    fs.closeSync(fd)

    const recovered = await openStore(crashed, {}, { clock: new ManualClock() })
    const report = recovered.recoveryReport!
    expect(report.commitLogEndOffset).toBe(end)
    expect(report.truncated).toMatchObject({ file: segment, fileOffset: end })
    expect(report.truncated?.reason).toMatch(/physical offset|size|CRC|NUL|properties/)
    expect(
      fs
        .readFileSync(segment)
        .subarray(end)
        .every((b) => b === 0),
    ).toBe(true)
    expect(recovered.getMaxOffsetInQueue('TornTopic', 0)).toBe(10)
    const r = expectOk(await recovered.putMessage(message('TornTopic', 0, 'after')))
    expect(r.commitLogOffset).toBe(end)
    expect(r.queueOffset).toBe(10)
  })
})

describe('recovery of damaged durable data', () => {
  it('throws StoreCorruptionError with file and offset when the scan finds damage below the flushed offset', async () => {
    const dir = tempStoreDir()
    const clock = new ManualClock()
    const store = await openStore(dir, { flushConsumeQueueInterval: 3_600_000 }, { clock })
    await store.checkpointNow() // checkpoint: dispatched 0, flushed 0
    const results = []
    for (let i = 0; i < 10; i++)
      results.push(expectOk(await store.putMessage(message('RotTopic', 0, `body-${i}`))))
    await store.flush()
    // The checkpoint now says flushed = end, dispatched = end; recovery scans from there. To test damage below
    // the flushed mark we need the scan to cover it: write a checkpoint whose dispatch point is 0 but flushed is end.
    const ckDir = snapshot(dir)
    const { Checkpoint } = await import('../../../broker-engine/store/checkpoint')
    const { nodeStoreIo } = await import('../../../broker-engine/store/store-io')
    const { checkpoint } = Checkpoint.open(nodeStoreIo, path.join(ckDir, 'checkpoint'))
    const end = results.at(-1)!.commitLogOffset + results.at(-1)!.wroteBytes
    // Both copies, so neither the old nor the new one says otherwise.
    const forged = {
      commitLogFlushedOffset: end,
      dispatchedOffset: 0,
      commitLogEndOffset: 0,
      clean: false,
      savedAtMs: 0,
    }
    checkpoint.write(forged)
    checkpoint.write(forged)
    checkpoint.close()
    const segment = path.join(ckDir, 'commitlog', '00000000000000000000')
    const bytes = fs.readFileSync(segment)
    const victim = results[4]!
    bytes[victim.commitLogOffset + 100] = bytes[victim.commitLogOffset + 100]! ^ 0xff
    fs.writeFileSync(segment, bytes)

    const attempt = openStore(ckDir, {}, { clock: new ManualClock() })
    await expect(attempt).rejects.toBeInstanceOf(StoreCorruptionError)
    await expect(attempt).rejects.toMatchObject({ file: segment, fileOffset: victim.commitLogOffset })
    // The failed open released the directory: a later open (after repair) is not locked out.
    bytes[victim.commitLogOffset + 100] = bytes[victim.commitLogOffset + 100]! ^ 0xff
    fs.writeFileSync(segment, bytes)
    const repaired = await openStore(ckDir, {}, { clock: new ManualClock() })
    expect(repaired.getMaxOffsetInQueue('RotTopic', 0)).toBe(10)
  })
})
