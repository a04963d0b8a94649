import { describe, expect, it } from 'vitest'
import {
  compareDataVersion,
  dataVersionEquals,
  dataVersionJson,
  initialDataVersion,
  nextDataVersion,
  parseDataVersion,
} from '../../../broker-engine/broker/data-version'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'

describe('DataVersion', () => {
  it('starts at counter 0 and each change takes the clock time and counts up', () => {
    const clock = new ManualClock(1_700_000_000_000)
    const v0 = initialDataVersion(clock)
    expect(v0).toEqual({ timestamp: 1_700_000_000_000, counter: 0, stateVersion: 0 })
    clock.advance(250)
    const v1 = nextDataVersion(v0, clock)
    expect(v1).toEqual({ timestamp: 1_700_000_000_250, counter: 1, stateVersion: 0 })
    expect(nextDataVersion(v1, clock, 7)).toEqual({
      timestamp: 1_700_000_000_250,
      counter: 2,
      stateVersion: 7,
    })
    expect(v0.counter).toBe(0)
    expect(Object.isFrozen(v1)).toBe(true)
  })

  it('compares by stateVersion, then counter, then timestamp', () => {
    const a = { timestamp: 5, counter: 2, stateVersion: 0 }
    expect(compareDataVersion(a, { ...a })).toBe(0)
    expect(compareDataVersion(a, { ...a, counter: 1, timestamp: 99 })).toBe(1)
    expect(compareDataVersion(a, { ...a, stateVersion: 1, counter: 0 })).toBe(-1)
    expect(compareDataVersion(a, { ...a, timestamp: 6 })).toBe(-1)
    expect(dataVersionEquals(a, { ...a })).toBe(true)
    expect(dataVersionEquals(a, { ...a, timestamp: 6 })).toBe(false)
  })

  it('parses 4.x JSON without stateVersion and refuses malformed values', () => {
    expect(parseDataVersion({ counter: 3, timestamp: 1795830585859 })).toEqual({
      counter: 3,
      timestamp: 1795830585859,
      stateVersion: 0,
    })
    for (const bad of [
      undefined,
      null,
      'v1',
      {},
      { counter: -1, timestamp: 1 },
      { counter: 1.5, timestamp: 1 },
      { counter: 1, timestamp: '1' },
      { counter: 1, timestamp: 1, stateVersion: -2 },
    ]) {
      expect(parseDataVersion(bad), JSON.stringify(bad)).toBeUndefined()
    }
  })

  it('writes JSON in fastjson key order', () => {
    const json = JSON.stringify(dataVersionJson({ timestamp: 9, counter: 1, stateVersion: 0 }))
    expect(json).toBe('{"counter":1,"stateVersion":0,"timestamp":9}')
  })
})
