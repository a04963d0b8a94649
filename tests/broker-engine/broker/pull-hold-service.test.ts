import { describe, expect, it } from 'vitest'
import { PullHoldService, type WakeReason } from '../../../broker-engine/broker/pull-hold-service'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'

describe('PullHoldService (long polling)', () => {
  function started(heldPullsMax = 100) {
    const clock = new ManualClock()
    const service = new PullHoldService(clock, { heldPullsMax, checkIntervalMs: 200 })
    service.start()
    return { clock, service }
  }

  it('wakes a held pull as soon as its queue gets a message past its offset', () => {
    const { service } = started()
    const woken: WakeReason[] = []
    expect(service.hold('T', 0, 5, 15_000, (r) => woken.push(r))).toBe(true)
    service.notifyMessageArriving('T', 1, 9) // another queue
    service.notifyMessageArriving('T', 0, 5) // nothing past offset 5 yet
    expect(woken).toEqual([])
    service.notifyMessageArriving('T', 0, 6)
    expect(woken).toEqual(['NEW_MESSAGE'])
    expect(service.heldCount).toBe(0)
  })

  it('answers at the suspend timeout, not before', () => {
    const { clock, service } = started()
    const woken: WakeReason[] = []
    service.hold('T', 0, 0, 1000, (r) => woken.push(r))
    clock.advance(800)
    expect(woken).toEqual([])
    clock.advance(400)
    expect(woken).toEqual(['TIMEOUT'])
  })

  it('wakes only the pulls below the new max offset and keeps the rest', () => {
    const { service } = started()
    const woken: string[] = []
    service.hold('T', 0, 3, 15_000, () => woken.push('a'))
    service.hold('T', 0, 10, 15_000, () => woken.push('b'))
    service.notifyMessageArriving('T', 0, 4)
    expect(woken).toEqual(['a'])
    expect(service.heldCount).toBe(1)
  })

  it('refuses to hold beyond its bound or when stopped, and answers everything at shutdown', () => {
    const { service } = started(2)
    const woken: WakeReason[] = []
    expect(service.hold('T', 0, 0, 1000, (r) => woken.push(r))).toBe(true)
    expect(service.hold('T', 1, 0, 1000, (r) => woken.push(r))).toBe(true)
    expect(service.hold('T', 2, 0, 1000, (r) => woken.push(r))).toBe(false)
    service.shutdown()
    expect(woken).toEqual(['SHUTDOWN', 'SHUTDOWN'])
    expect(service.hold('T', 0, 0, 1000, () => undefined)).toBe(false)
  })
})
