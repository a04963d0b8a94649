import { describe, expect, it } from 'vitest'
import { consumerSendMsgBack, type SendBackDeps } from '../../../broker-engine/broker/consumer-send-back'
import { parkDelayedMessage } from '../../../broker-engine/broker/message-rewrite'
import { findProperty } from '../../../broker-engine/store/message-properties'
import type { MessageStore } from '../../../broker-engine/store/message-store'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from '../store/store-test-kit'

function deps(
  store: MessageStore,
  groups: Record<string, { retryQueueNums: number; retryMaxTimes: number }>,
) {
  const ensured: [string, number][] = []
  const d: SendBackDeps = {
    store,
    findGroup: (g) => groups[g],
    ensureTopic: (topic, n) => void ensured.push([topic, n]),
    put: (msg) => store.putMessage(parkDelayedMessage(msg, 18)),
    random: () => 0.99,
    levelCount: 18,
  }
  return { d, ensured }
}

describe('consumer send-back: retry and DLQ', () => {
  it('first failure: %RETRY%group at level 3, reconsume 1, original topic and id recorded', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const orig = expectOk(
      await store.putMessage(message('Orders', 2, 'order-1', { keys: 'o1', tags: 'paid' })),
    )
    const { d, ensured } = deps(store, { cg: { retryQueueNums: 1, retryMaxTimes: 16 } })
    const r = await consumerSendMsgBack(d, {
      group: 'cg',
      commitLogOffset: orig.commitLogOffset,
      delayLevel: 0,
    })
    expect(r).toMatchObject({ status: 'RETRY', topic: '%RETRY%cg', delayLevel: 3 })
    expect(ensured).toEqual([['%RETRY%cg', 1]])
    if (r.status !== 'RETRY' || r.put.status !== 'PUT_OK') throw new Error('expected a retry')
    const parked = store.lookMessageByOffset(r.put.commitLogOffset)!
    expect(parked.topic).toBe('SCHEDULE_TOPIC_XXXX') // it waits there for level 3 (10 s)
    expect(parked.queueId).toBe(2)
    expect(parked.reconsumeTimes).toBe(1)
    const p = parked.propertiesString
    expect(findProperty(p, 'REAL_TOPIC')).toBe('%RETRY%cg')
    expect(findProperty(p, 'RETRY_TOPIC')).toBe('Orders')
    expect(findProperty(p, 'ORIGIN_MESSAGE_ID')).toBe(store.offsetMsgIdOf(orig.commitLogOffset))
    expect(findProperty(p, 'KEYS')).toBe('o1')
    expect(findProperty(p, 'TAGS')).toBe('paid')
    expect(findProperty(p, 'UNIQ_KEY')).toBe(orig.uniqKey)
  })

  it('the delay grows with reconsume times and stops at level 18', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const { d } = deps(store, { cg: { retryQueueNums: 1, retryMaxTimes: 40 } })
    for (const [reconsumeTimes, level] of [
      [1, 4],
      [5, 8],
      [15, 18],
      [30, 18],
    ] as const) {
      const m = expectOk(await store.putMessage({ ...message('%RETRY%cg', 0, 'x'), reconsumeTimes }))
      const r = await consumerSendMsgBack(d, {
        group: 'cg',
        commitLogOffset: m.commitLogOffset,
        delayLevel: 0,
      })
      expect(r).toMatchObject({ status: 'RETRY', delayLevel: level })
    }
  })

  it('after retryMaxTimes (or when asked) the message goes to %DLQ%group with its origin', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const { d, ensured } = deps(store, { cg: { retryQueueNums: 1, retryMaxTimes: 16 } })
    const tired = expectOk(
      await store.putMessage({
        ...message('%RETRY%cg', 0, 'x', {
          keys: 'k',
          extra: { RETRY_TOPIC: 'Orders', ORIGIN_MESSAGE_ID: 'FIRST' },
        }),
        reconsumeTimes: 16,
      }),
    )
    const r = await consumerSendMsgBack(d, {
      group: 'cg',
      commitLogOffset: tired.commitLogOffset,
      delayLevel: 0,
    })
    expect(r).toMatchObject({ status: 'DLQ', topic: '%DLQ%cg' })
    expect(ensured).toContainEqual(['%DLQ%cg', 1])
    if (r.status !== 'DLQ' || r.put.status !== 'PUT_OK') throw new Error('expected the DLQ')
    const dead = store.lookMessageByOffset(r.put.commitLogOffset)!
    expect(dead.topic).toBe('%DLQ%cg') // no delay on the way to the DLQ
    expect(dead.reconsumeTimes).toBe(17)
    const p = dead.propertiesString
    expect([
      findProperty(p, 'RETRY_TOPIC'),
      findProperty(p, 'ORIGIN_MESSAGE_ID'),
      findProperty(p, 'DLQ_ORIGIN_TOPIC'),
      findProperty(p, 'KEYS'),
    ]).toEqual(['Orders', 'FIRST', 'Orders', 'k'])
    expect(findProperty(p, 'DELAY')).toBeUndefined()

    const fresh = expectOk(await store.putMessage(message('Orders', 0, 'y')))
    expect(
      await consumerSendMsgBack(d, { group: 'cg', commitLogOffset: fresh.commitLogOffset, delayLevel: -1 }),
    ).toMatchObject({ status: 'DLQ' })
    const client = expectOk(await store.putMessage(message('Orders', 0, 'z')))
    expect(
      await consumerSendMsgBack(d, {
        group: 'cg',
        commitLogOffset: client.commitLogOffset,
        delayLevel: 0,
        maxReconsumeTimes: 0,
      }),
    ).toMatchObject({ status: 'DLQ' })
  })

  it('answers unknown groups, missing messages and groups without retry queues', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const m = expectOk(await store.putMessage(message('Orders', 0, 'x')))
    const { d } = deps(store, {
      noRetry: { retryQueueNums: 0, retryMaxTimes: 16 },
      cg: { retryQueueNums: 1, retryMaxTimes: 16 },
    })
    expect(
      (await consumerSendMsgBack(d, { group: 'ghost', commitLogOffset: m.commitLogOffset, delayLevel: 0 }))
        .status,
    ).toBe('SUBSCRIPTION_GROUP_NOT_EXIST')
    expect(
      (await consumerSendMsgBack(d, { group: 'noRetry', commitLogOffset: m.commitLogOffset, delayLevel: 0 }))
        .status,
    ).toBe('DROPPED')
    expect(
      (await consumerSendMsgBack(d, { group: 'cg', commitLogOffset: m.commitLogOffset + 3, delayLevel: 0 }))
        .status,
    ).toBe('MESSAGE_NOT_FOUND')
  })
})
