import { describe, expect, it } from 'vitest'
import { PullHoldService } from '../../../broker-engine/broker/pull-hold-service'
import {
  PullMessageProcessor,
  type PullMessageRequest,
} from '../../../broker-engine/broker/pull-message-processor'
import { parseSubscription } from '../../../broker-engine/broker/subscription-filter'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from '../store/store-test-kit'

async function setup() {
  const clock = new ManualClock()
  const store = await openStore(tempStoreDir(), {}, { clock })
  const hold = new PullHoldService(clock, { heldPullsMax: 100, checkIntervalMs: 100 })
  hold.start()
  store.setDispatchListener((topic, queueId, max) => hold.notifyMessageArriving(topic, queueId, max))
  return { clock, store, hold, processor: new PullMessageProcessor(store, hold, clock) }
}

const req = (over: Partial<PullMessageRequest> = {}): PullMessageRequest => ({
  topic: 'PullTopic',
  queueId: 0,
  queueOffset: 0,
  maxMsgNums: 32,
  subscription: parseSubscription('*'),
  suspendTimeoutMs: 0,
  ...over,
})

function bodies(records: Buffer): string[] {
  const out: string[] = []
  for (let pos = 0; pos < records.length; pos += records.readInt32BE(pos))
    out.push(decodeRecord(records, pos).body.toString())
  return out
}

describe('pull', () => {
  it('returns FOUND with the next offset, NO_NEW_MSG at the end, OFFSET_ILLEGAL outside the queue', async () => {
    const { store, processor } = await setup()
    for (let i = 0; i < 3; i++) expectOk(await store.putMessage(message('PullTopic', 0, `m${i}`)))
    const found = await processor.pull(req())
    expect(found).toMatchObject({
      status: 'FOUND',
      messageCount: 3,
      nextBeginOffset: 3,
      minOffset: 0,
      maxOffset: 3,
    })
    expect(bodies(found.records)).toEqual(['m0', 'm1', 'm2'])
    expect(await processor.pull(req({ queueOffset: 3 }))).toMatchObject({
      status: 'NO_NEW_MSG',
      nextBeginOffset: 3,
    })
    // RocketMQ corrects an offset past the end to the min offset while the queue still starts at 0
    expect(await processor.pull(req({ queueOffset: 7 }))).toMatchObject({
      status: 'OFFSET_ILLEGAL',
      nextBeginOffset: 0,
    })
    expect(await processor.pull(req({ topic: 'Empty' }))).toMatchObject({
      status: 'NO_NEW_MSG',
      nextBeginOffset: 0,
    })
    expect(await processor.pull(req({ topic: 'Empty', queueOffset: 5 }))).toMatchObject({
      status: 'OFFSET_ILLEGAL',
      nextBeginOffset: 0,
    })
  })

  it('filters by tag at the broker, verifying the tag string behind the hash', async () => {
    const { store, processor } = await setup()
    // "Aa" and "BB" have the same Java hash code: the ConsumeQueue cannot tell them apart.
    for (const tag of ['Aa', 'BB', 'Aa', 'C'])
      expectOk(await store.putMessage(message('PullTopic', 0, `tag-${tag}`, { tags: tag })))
    const onlyAa = await processor.pull(req({ subscription: parseSubscription('Aa') }))
    expect(bodies(onlyAa.records)).toEqual(['tag-Aa', 'tag-Aa'])
    expect(onlyAa.nextBeginOffset).toBe(4)
    const none = await processor.pull(req({ subscription: parseSubscription('Zz'), queueOffset: 0 }))
    expect(none).toMatchObject({ status: 'NO_MATCHED_MSG', nextBeginOffset: 4 })
  })

  it('holds a pull with nothing new and answers it when a message arrives', async () => {
    const { store, processor, hold } = await setup()
    const pending = processor.pull(req({ suspendTimeoutMs: 15_000 }))
    await new Promise((r) => setImmediate(r))
    expect(hold.heldCount).toBe(1)
    expectOk(await store.putMessage(message('PullTopic', 0, 'wake up')))
    const result = await pending
    expect(result.status).toBe('FOUND')
    expect(bodies(result.records)).toEqual(['wake up'])
  })

  it('keeps holding past messages the subscription rejects, and answers NO_NEW_MSG at the timeout', async () => {
    const { clock, store, processor, hold } = await setup()
    let settled = false
    const pending = processor
      .pull(req({ suspendTimeoutMs: 5000, subscription: parseSubscription('Wanted') }))
      .then((r) => {
        settled = true
        return r
      })
    expectOk(await store.putMessage(message('PullTopic', 0, 'noise', { tags: 'Other' })))
    await new Promise((r) => setImmediate(r))
    expect(settled).toBe(false)
    expect(hold.heldCount).toBe(1)
    clock.advance(5000)
    const result = await pending
    expect(result).toMatchObject({ status: 'NO_NEW_MSG', messageCount: 0 })
    expect(result.nextBeginOffset).toBe(1)
  })
})
