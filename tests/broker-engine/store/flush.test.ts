import { describe, expect, it } from 'vitest'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from './store-test-kit'

describe('SYNC_FLUSH group commit', () => {
  it('answers each put only after its bytes are durable, sharing fdatasyncs among concurrent puts', async () => {
    const io = new FaultyIo()
    const store = await openStore(
      tempStoreDir(),
      { flushDiskType: 'SYNC_FLUSH' },
      { clock: new ManualClock(), io },
    )
    const syncsBefore = io.counts.fdatasync
    const puts = Array.from({ length: 400 }, (_, i) =>
      store.putMessage(message('SyncTopic', i % 4, `m${i}`)).then((r) => {
        const ok = expectOk(r)
        // At the moment it resolves, the flushed offset covers the whole record.
        expect(store.getRuntimeStats().commitLogFlushedOffset).toBeGreaterThanOrEqual(
          ok.commitLogOffset + ok.wroteBytes,
        )
        return ok
      }),
    )
    const results = await Promise.all(puts)
    expect(results).toHaveLength(400)
    const syncs = io.counts.fdatasync - syncsBefore
    expect(syncs).toBeGreaterThan(0)
    expect(syncs).toBeLessThanOrEqual(10) // 400 puts issued in one turn share a handful of syncs
  })

  it('answers FLUSH_DISK_TIMEOUT (message stored) when the disk does not confirm within syncFlushTimeout', async () => {
    const io = new FaultyIo()
    const clock = new ManualClock()
    const store = await openStore(
      tempStoreDir(),
      { flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 5000 },
      { clock, io },
    )
    io.fail({ kind: 'fdatasync', code: 'EIO', pathIncludes: 'commitlog' })
    const pending = store.putMessage(message('SlowTopic', 0, 'x'))
    await new Promise((r) => setTimeout(r, 20))
    clock.advance(6000)
    const result = await pending
    expect(result.status).toBe('FLUSH_DISK_TIMEOUT')
    if (result.status !== 'FLUSH_DISK_TIMEOUT') return
    expect(store.lookMessageByOffset(result.commitLogOffset)?.body.toString()).toBe('x')
    io.heal()
    expectOk(await store.putMessage(message('SlowTopic', 0, 'y')))
  })
})

describe('ASYNC_FLUSH', () => {
  it('answers after the write, then flushes on the interval', async () => {
    const clock = new ManualClock()
    const store = await openStore(tempStoreDir(), { flushIntervalCommitLog: 500 }, { clock })
    const r = expectOk(await store.putMessage(message('AsyncTopic', 0, 'x')))
    expect(store.getRuntimeStats().commitLogFlushedOffset).toBe(0)
    clock.advance(500)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(store.getRuntimeStats().commitLogFlushedOffset).toBe(r.commitLogOffset + r.wroteBytes)
  })

  it('flushes early once flushCommitLogDirtyBytesMax bytes are waiting', async () => {
    const store = await openStore(
      tempStoreDir(),
      { flushCommitLogDirtyBytesMax: 16 * 1024 },
      { clock: new ManualClock() },
    )
    for (let i = 0; i < 20; i++) expectOk(await store.putMessage(message('SizeTopic', 0, Buffer.alloc(1024))))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(store.getRuntimeStats().commitLogFlushedOffset).toBeGreaterThanOrEqual(16 * 1024)
  })
})
