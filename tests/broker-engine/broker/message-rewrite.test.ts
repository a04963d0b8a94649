import { describe, expect, it } from 'vitest'
import {
  delayLevelOf,
  editProperties,
  parkDelayedMessage,
  restoreDelayedMessage,
} from '../../../broker-engine/broker/message-rewrite'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { findProperty } from '../../../broker-engine/store/message-properties'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, openStore, tempStoreDir } from '../store/store-test-kit'

describe('delayed message rewriting', () => {
  it('reads the delay level only when it is a positive integer', () => {
    expect(delayLevelOf('DELAY\u00013')).toBe(3)
    for (const bad of ['', 'DELAY\u00010', 'DELAY\u0001-1', 'DELAY\u0001x', 'DELAY\u00011.5'])
      expect(delayLevelOf(bad)).toBe(0)
  })

  it('parks a delayed message in SCHEDULE_TOPIC_XXXX queue level-1, saving its topic and queue, clamping the level', () => {
    const parked = parkDelayedMessage(
      {
        topic: 'Orders',
        queueId: 3,
        body: Buffer.from('x'),
        propertiesString: 'TAGS\u0001A\u0002DELAY\u000125',
      },
      18,
    )
    expect(parked.topic).toBe('SCHEDULE_TOPIC_XXXX')
    expect(parked.queueId).toBe(17)
    const p = parked.propertiesString!
    expect([
      findProperty(p, 'DELAY'),
      findProperty(p, 'REAL_TOPIC'),
      findProperty(p, 'REAL_QID'),
      findProperty(p, 'TAGS'),
    ]).toEqual(['18', 'Orders', '3', 'A'])
  })

  it('leaves undelayed, half and rolled-back messages alone', () => {
    const plain = { topic: 'T', queueId: 0, body: Buffer.from('x'), propertiesString: 'TAGS\u0001A' }
    expect(parkDelayedMessage(plain, 18)).toBe(plain)
    const half = { ...plain, propertiesString: 'DELAY\u00012', sysFlag: 0x4 }
    expect(parkDelayedMessage(half, 18)).toBe(half)
  })

  it('restores the real topic and queue, clears DELAY, keeps the rest of the record', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock: new ManualClock() })
    const parked = parkDelayedMessage(
      {
        topic: 'Orders',
        queueId: 2,
        body: Buffer.from('hello'),
        flag: 5,
        reconsumeTimes: 1,
        propertiesString: 'KEYS\u0001k1\u0002DELAY\u00012\u0002TIMER_DELAY_SEC\u00019',
      },
      18,
    )
    const r = expectOk(await store.putMessage(parked))
    const restored = restoreDelayedMessage(decodeRecord(store.readRecord(r.commitLogOffset)!, 0))!
    expect(restored).toMatchObject({ topic: 'Orders', queueId: 2, flag: 5, reconsumeTimes: 1 })
    expect(Buffer.from(restored.body).toString()).toBe('hello')
    const p = restored.propertiesString!
    expect(findProperty(p, 'DELAY')).toBeUndefined()
    expect(findProperty(p, 'TIMER_DELAY_SEC')).toBeUndefined()
    expect(findProperty(p, 'KEYS')).toBe('k1')
    expect(findProperty(p, 'UNIQ_KEY')).toBe(r.uniqKey)
  })

  it('edits properties by name', () => {
    expect(editProperties('A\u00011\u0002B\u00012', { A: undefined, C: '3' })).toBe('B\u00012\u0002C\u00013')
  })
})
