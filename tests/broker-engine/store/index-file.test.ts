import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { javaStringHashCode } from '../../../broker-engine/common/java-hash'
import { indexKeyHash, topicIndexPrefixHash } from '../../../broker-engine/store/index-service'
import { findProperty } from '../../../broker-engine/store/message-properties'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { closeStore, expectOk, message, openStore, tempStoreDir } from './store-test-kit'

const FOREVER = Number.MAX_SAFE_INTEGER

describe('index: messages by key and unique id', () => {
  it('hashes keys as RocketMQ does: |hashCode("topic#key")|', () => {
    expect(indexKeyHash(topicIndexPrefixHash('TopicTest'), 'order-1')).toBe(
      Math.abs(javaStringHashCode('TopicTest#order-1')),
    )
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB')) // the classic collision used below
    expect(javaStringHashCode('hello')).toBe(99162322)
  })

  it('finds a message under each of its space-separated keys and under its UNIQ_KEY', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const r = expectOk(
      await store.putMessage(message('KeyTopic', 0, 'order paid', { keys: 'order-42 user-7' })),
    )
    expectOk(await store.putMessage(message('KeyTopic', 1, 'other', { keys: 'order-43' })))
    for (const key of ['order-42', 'user-7', r.uniqKey]) {
      const found = store.queryMessage('KeyTopic', key, 32, 0, FOREVER)
      expect(found.map((m) => m.commitLogOffset)).toEqual([r.commitLogOffset])
    }
    expect(store.queryMessageByUniqKey('KeyTopic', r.uniqKey)?.body.toString()).toBe('order paid')
    expect(store.queryMessage('KeyTopic', 'order-4', 32, 0, FOREVER)).toEqual([])
    expect(store.queryMessage('OtherTopic', 'order-42', 32, 0, FOREVER)).toEqual([])
  })

  it('finds a producer-supplied UNIQ_KEY, newest first when a key repeats', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const store = await openStore(tempStoreDir(), {}, { clock })
    const ids = []
    for (let i = 0; i < 5; i++) {
      ids.push(
        expectOk(
          await store.putMessage(
            message('DupTopic', 0, `v${i}`, { keys: 'same', uniqKey: `AC1100000000000000000000000000${i}0` }),
          ),
        ),
      )
      clock.advance(2000)
    }
    expect(store.queryMessage('DupTopic', 'same', 32, 0, FOREVER).map((m) => m.body.toString())).toEqual([
      'v4',
      'v3',
      'v2',
      'v1',
      'v0',
    ])
    expect(store.queryMessage('DupTopic', 'same', 2, 0, FOREVER)).toHaveLength(2)
    expect(store.queryMessageByUniqKey('DupTopic', 'AC110000000000000000000000000020')?.body.toString()).toBe(
      'v2',
    )
    expect(ids[2]!.uniqKey).toBe('AC110000000000000000000000000020')
  })

  it('honours the time range exactly, at millisecond precision', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const store = await openStore(tempStoreDir(), {}, { clock })
    for (let i = 0; i < 10; i++) {
      expectOk(await store.putMessage(message('RangeTopic', 0, `t${i}`, { keys: 'k' })))
      clock.advance(1500)
    }
    const t0 = 1_800_000_000_000
    const inRange = store.queryMessage('RangeTopic', 'k', 32, t0 + 3000, t0 + 7500)
    expect(inRange.map((m) => m.body.toString())).toEqual(['t5', 't4', 't3', 't2'])
    expect(store.queryMessage('RangeTopic', 'k', 32, t0 + 3001, t0 + 4499)).toEqual([])
    expect(store.queryMessage('RangeTopic', 'k', 32, t0 + 100_000, FOREVER)).toEqual([])
  })

  it('never returns a message for a different key that shares the hash', async () => {
    const store = await openStore(tempStoreDir(), { maxHashSlotNum: 1 }, { clock: new ManualClock() })
    const aa = expectOk(await store.putMessage(message('HashTopic', 0, 'first', { keys: 'xAa' })))
    const bb = expectOk(await store.putMessage(message('HashTopic', 0, 'second', { keys: 'xBB' })))
    expect(javaStringHashCode('HashTopic#xAa')).toBe(javaStringHashCode('HashTopic#xBB'))
    expect(store.queryMessage('HashTopic', 'xAa', 32, 0, FOREVER).map((m) => m.commitLogOffset)).toEqual([
      aa.commitLogOffset,
    ])
    expect(store.queryMessage('HashTopic', 'xBB', 32, 0, FOREVER).map((m) => m.commitLogOffset)).toEqual([
      bb.commitLogOffset,
    ])
    // With one slot every key chains through the same list; other keys are still found.
    for (let i = 0; i < 50; i++)
      expectOk(await store.putMessage(message('HashTopic', 0, `n${i}`, { keys: `key-${i}` })))
    expect(store.queryMessage('HashTopic', 'key-17', 32, 0, FOREVER).map((m) => m.body.toString())).toEqual([
      'n17',
    ])
  })

  it('rolls to new index files when one is full and still finds keys in every file, after restart too', async () => {
    const dir = tempStoreDir()
    const store = await openStore(dir, { maxIndexNum: 50 }, { clock: new ManualClock() })
    const offsets: number[] = []
    for (let i = 0; i < 120; i++)
      offsets.push(
        expectOk(await store.putMessage(message('ManyTopic', i % 4, `b${i}`, { keys: `key-${i}` })))
          .commitLogOffset,
      )
    const files = fs.readdirSync(path.join(dir, 'index'))
    expect(files.length).toBeGreaterThanOrEqual(5) // 2 entries per message, 49 per file
    for (const f of files) expect(f).toMatch(/^\d{17}$/)
    for (const i of [0, 33, 77, 119]) {
      expect(
        store.queryMessage('ManyTopic', `key-${i}`, 4, 0, FOREVER).map((m) => m.commitLogOffset),
      ).toEqual([offsets[i]])
    }
    await closeStore(store)
    const reopened = await openStore(dir, { maxIndexNum: 50 }, { clock: new ManualClock() })
    for (const i of [1, 60, 118]) {
      const [m] = reopened.queryMessage('ManyTopic', `key-${i}`, 4, 0, FOREVER)
      expect(findProperty(m!.propertiesString, 'KEYS')).toBe(`key-${i}`)
    }
  })

  it('skips rolled-back transaction records, indexes half messages, and keeps both out of or in queues as RocketMQ does', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const half = expectOk(
      await store.putMessage({ ...message('TxTopic', 0, 'half', { keys: 'tx-1' }), sysFlag: 0x4 }),
    )
    expectOk(
      await store.putMessage({ ...message('TxTopic', 0, 'rolled back', { keys: 'tx-2' }), sysFlag: 0xc }),
    )
    const committed = expectOk(
      await store.putMessage({ ...message('TxTopic', 0, 'commit', { keys: 'tx-3' }), sysFlag: 0x8 }),
    )
    expect(store.queryMessage('TxTopic', 'tx-1', 4, 0, FOREVER).map((m) => m.commitLogOffset)).toEqual([
      half.commitLogOffset,
    ])
    expect(store.queryMessage('TxTopic', 'tx-2', 4, 0, FOREVER)).toEqual([])
    const pulled = store.getMessage({ topic: 'TxTopic', queueId: 0, queueOffset: 0, maxMsgNums: 10 })
    expect(pulled.commitLogOffsets).toEqual([committed.commitLogOffset])
  })
})

describe('index recovery after a crash in the middle of a checkpoint', () => {
  it('repairs slots that were written ahead of the header, so older entries in the chain stay reachable', async () => {
    const { IndexService } = await import('../../../broker-engine/store/index-service')
    const { nodeStoreIo } = await import('../../../broker-engine/store/store-io')
    const dir = tempStoreDir()
    const clock = new ManualClock(1_800_000_000_000)
    const hash = 7 // every key below lands in the same slot of a one-slot file
    const index = new IndexService(nodeStoreIo, dir, 1, 100, clock)
    index.load()
    index.ensureActiveFile()
    const file = index.files[0]!
    file.putKey(hash, 100, clock.nowMs())
    file.writeCheckpoint() // checkpoint k: header says 2 entries, end at offset 100
    const headerAtK = fs.readFileSync(file.path).subarray(0, 40)
    file.putKey(hash, 200, clock.nowMs()) // after the checkpoint
    file.writeCheckpoint() // slots and entries of k+1 reach the file...
    const fd = fs.openSync(file.path, 'r+')
    fs.writeSync(fd, headerAtK, 0, 40, 0) // ...but the crash comes before its header does
    fs.closeSync(fd)
    index.close()

    // Recovery: the checkpoint file said everything below offset 150 was indexed.
    const recovered = new IndexService(nodeStoreIo, dir, 1, 100, clock)
    recovered.load()
    recovered.truncateTo(150)
    recovered.files[0]!.putKey(hash, 300, clock.nowMs()) // re-dispatch after recovery
    const out: number[] = []
    recovered.files[0]!.lookup(hash, 10, 0, Number.MAX_SAFE_INTEGER, out)
    expect(out).toEqual([300, 100])
    recovered.close()
  })
})
