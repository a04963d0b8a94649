import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { MessageStore } from '../../../broker-engine/store/message-store'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from './store-test-kit'

describe('bad input is rejected with a typed status and stores nothing', () => {
  const cases: [string, Parameters<MessageStore['putMessage']>[0], string][] = [
    ['empty topic', message('', 0, 'x'), 'MESSAGE_ILLEGAL'],
    ['topic with a space', message('bad topic', 0, 'x'), 'MESSAGE_ILLEGAL'],
    ['topic over 255 chars', message('T'.repeat(256), 0, 'x'), 'MESSAGE_ILLEGAL'],
    ['negative queue id', message('T', -1, 'x'), 'MESSAGE_ILLEGAL'],
    ['fractional queue id', message('T', 1.5, 'x'), 'MESSAGE_ILLEGAL'],
    ['queue id too large', message('T', 70_000, 'x'), 'MESSAGE_ILLEGAL'],
    ['body over maxMessageSize', message('T', 0, Buffer.alloc(64 * 1024 + 1)), 'MESSAGE_ILLEGAL'],
    ['NUL in properties', { ...message('T', 0, 'x'), propertiesString: 'A\u0001b\0c' }, 'MESSAGE_ILLEGAL'],
    [
      'properties over 32767 bytes',
      { ...message('T', 0, 'x'), propertiesString: 'A\u0001' + 'v'.repeat(33_000) },
      'PROPERTIES_SIZE_EXCEEDED',
    ],
    [
      'body that is not bytes',
      { topic: 'T', queueId: 0, body: 'text' as unknown as Uint8Array },
      'MESSAGE_ILLEGAL',
    ],
  ]
  for (const [name, msg, status] of cases) {
    it(name, async () => {
      const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
      const result = await store.putMessage(msg)
      expect(result.status).toBe(status)
      expect('reason' in result && result.reason.length > 0).toBe(true)
      expect(store.commitLogMaxOffset).toBe(0)
    })
  }

  it('rejects bad configuration naming the key', async () => {
    const bad = [
      { mappedFileSizeConsumeQueue: 1001 },
      { flushDiskType: 'SOMETIMES' },
      { deleteWhen: '25' },
      { messageDelayLevel: '1x' },
      { brokerIP1: '300.1.1.1' },
      { mappedFileSizeCommitLog: 100_000, maxMessageSize: 200_000 },
    ]
    for (const config of bad) {
      const attempt = MessageStore.open({ storePathRootDir: tempStoreDir(), ...(config as object) })
      await expect(attempt).rejects.toBeInstanceOf(EngineError)
      await expect(attempt).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        details: { key: Object.keys(config)[0] },
      })
    }
  })

  it('refuses a second open of the same directory', async () => {
    const dir = tempStoreDir()
    await openStore(dir)
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'STORE_LOCKED' })
  })

  it('answers SERVICE_NOT_AVAILABLE after shutdown', async () => {
    const store = await openStore(tempStoreDir())
    await store.shutdown()
    expect((await store.putMessage(message('T', 0, 'x'))).status).toBe('SERVICE_NOT_AVAILABLE')
  })
})

describe('write failures leave the store consistent and recoverable', () => {
  it('a full disk rejects the batch with SERVICE_NOT_AVAILABLE; appends work again once space returns', async () => {
    const io = new FaultyIo()
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock(), io })
    const before = expectOk(await store.putMessage(message('FullTopic', 0, 'before')))
    io.fail({ kind: 'write', code: 'ENOSPC', pathIncludes: 'commitlog', allowBytes: 30 })
    const during = await Promise.all(
      [0, 1, 2].map((i) => store.putMessage(message('FullTopic', 0, `during-${i}`))),
    )
    for (const r of during) {
      expect(r.status).toBe('SERVICE_NOT_AVAILABLE')
      expect('reason' in r ? r.reason : '').toContain('ENOSPC')
    }
    expect(store.commitLogMaxOffset).toBe(before.commitLogOffset + before.wroteBytes)
    expect(store.getMaxOffsetInQueue('FullTopic', 0)).toBe(1)

    io.heal()
    const after = expectOk(await store.putMessage(message('FullTopic', 0, 'after')))
    expect(after.queueOffset).toBe(1)
    expect(after.commitLogOffset).toBe(before.commitLogOffset + before.wroteBytes)
    const pulled = store.getMessage({ topic: 'FullTopic', queueId: 0, queueOffset: 0, maxMsgNums: 10 })
    expect(pulled.messageCount).toBe(2)
    expect(store.lookMessageByOffset(after.commitLogOffset)?.body.toString()).toBe('after')
  })

  it('a segment that cannot be created answers CREATE_MAPPED_FILE_FAILED and the log stays on the old segment', async () => {
    const io = new FaultyIo()
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock(), io })
    const body = Buffer.alloc(20_000, 2)
    const ok = []
    // 13 records of 20,140 bytes fill a 256 KiB segment; the 14th needs the next one.
    for (let i = 0; i < 13; i++) ok.push(expectOk(await store.putMessage(message('RollFail', 0, body))))
    io.fail({ kind: 'open', code: 'ENOSPC', pathIncludes: 'commitlog' })
    const rejected = await store.putMessage(message('RollFail', 0, body))
    expect(rejected.status).toBe('CREATE_MAPPED_FILE_FAILED')
    io.heal()
    const next = expectOk(await store.putMessage(message('RollFail', 0, body)))
    expect(next.commitLogOffset).toBe(256 * 1024)
    expect(next.queueOffset).toBe(13)
  })

  it('failing consume queue writes stop appends until the backlog is written, losing nothing', async () => {
    const io = new FaultyIo()
    const clock = new ManualClock()
    const store = await openStore(tempStoreDir(), { flushConsumeQueueInterval: 1000 }, { clock, io })
    io.fail({ kind: 'write', code: 'ENOSPC', pathIncludes: 'consumequeue' })
    // 256 staged units fit in memory; the 257th needs a write that fails.
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.putMessage(message('CqFail', 0, `m${i}`))),
    )
    expect(results.every((r) => r.status === 'PUT_OK')).toBe(true) // in the CommitLog, acknowledged
    expect(store.getRuntimeStats().writable).toBe(false)
    expect((await store.putMessage(message('CqFail', 0, 'blocked'))).status).toBe('SERVICE_NOT_AVAILABLE')
    io.heal()
    clock.advance(1000) // the checkpoint tick retries the backlog
    await store.checkpointNow()
    expect(store.getRuntimeStats().writable).toBe(true)
    expect(store.getMaxOffsetInQueue('CqFail', 0)).toBe(300)
    expect(expectOk(await store.putMessage(message('CqFail', 0, 'm300'))).queueOffset).toBe(300)
  })
})
