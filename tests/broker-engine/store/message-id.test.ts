import { describe, expect, it } from 'vitest'
import {
  createOffsetMsgId,
  decodeOffsetMsgId,
  offsetMsgIdPrefix,
  UniqKeyGenerator,
} from '../../../broker-engine/store/message-id'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'

describe('offset message id', () => {
  it('matches RocketMQ: 192.168.1.10:10911 at offset 123456', () => {
    const prefix = offsetMsgIdPrefix({ address: Uint8Array.from([192, 168, 1, 10]), port: 10911 })
    expect(createOffsetMsgId(prefix, 123456)).toBe('C0A8010A00002A9F000000000001E240')
  })

  it('matches what a real 4.9.4 broker and mqadmin put on the wire', () => {
    // fixture 036: SEND_MESSAGE_V2 response msgId for the first message of a broker at 127.0.0.1:10911
    const prefix = offsetMsgIdPrefix({ address: Uint8Array.from([127, 0, 0, 1]), port: 10911 })
    expect(createOffsetMsgId(prefix, 0)).toBe('7F00000100002A9F0000000000000000')
    // fixture 120: mqadmin queryMsgById sent VIEW_MESSAGE_BY_ID offset=1484 for this id
    expect(decodeOffsetMsgId('7F00000100002A9F00000000000005CC')?.commitLogOffset).toBe(1484)
  })

  it('decodes IPv4 and IPv6 ids and rejects anything else', () => {
    const d = decodeOffsetMsgId('C0A8010A00002A9F000000000001E240')!
    expect(Array.from(d.host.address)).toEqual([192, 168, 1, 10])
    expect(d.host.port).toBe(10911)
    expect(d.commitLogOffset).toBe(123456)
    const v6 = decodeOffsetMsgId('20010DB8000000000000000000000001' + '00002A9F' + '0000000100000000')!
    expect(v6.host.address).toHaveLength(16)
    expect(v6.commitLogOffset).toBe(2 ** 32)
    for (const bad of [
      '',
      'XYZ',
      'C0A8010A00002A9F000000000001E24',
      'G0A8010A00002A9F000000000001E240',
      'C0A8010A00002A9FFFFFFFFFFFFFFFFF',
    ]) {
      expect(decodeOffsetMsgId(bad)).toBeUndefined()
    }
  })
})

describe('UNIQ_KEY generator', () => {
  it('lays out ip, pid, instance, time since month start and a counter as 32 hex chars', () => {
    const start = new Date(2026, 10, 28, 2, 0, 0).getTime()
    const clock = new ManualClock(start)
    const gen = new UniqKeyGenerator(clock, Uint8Array.from([10, 0, 0, 1]), 0x1234, 0xcafebabe)
    const a = gen.next()
    const b = gen.next()
    expect(a).toMatch(/^[0-9A-F]{32}$/)
    expect(a.slice(0, 20)).toBe('0A000001' + '1234' + 'CAFEBABE')
    const sinceMonth = start - new Date(2026, 10, 1).getTime()
    expect(parseInt(a.slice(20, 28), 16)).toBe(sinceMonth)
    expect(parseInt(b.slice(28), 16)).toBe(parseInt(a.slice(28), 16) + 1)
    clock.advance(1500)
    expect(parseInt(gen.next().slice(20, 28), 16)).toBe(sinceMonth + 1500)
  })

  it('never repeats within a burst', () => {
    const gen = new UniqKeyGenerator(new ManualClock(), Uint8Array.from([127, 0, 0, 1]), 1, 2)
    const ids = new Set(Array.from({ length: 60_000 }, () => gen.next()))
    expect(ids.size).toBe(60_000)
  })
})
