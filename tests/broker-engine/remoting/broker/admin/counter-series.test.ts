// CounterSeries: samples kept per cadence in bounded rings, and a window's increase and rate between two samples.

import { describe, expect, it } from 'vitest'
import { CounterSeries, KEY_RINGS } from '../../../../../broker-engine/remoting/broker/admin/counter-series'

describe('CounterSeries', () => {
  it('has no figure before two samples, then the increase and rate between them', () => {
    const s = new CounterSeries(KEY_RINGS)
    expect(s.window(0, 60_000)).toEqual({ sum: 0, tps: 0 })
    s.record(0, 100)
    expect(s.window(0, 60_000)).toEqual({ sum: 0, tps: 0 })
    s.record(10_000, 130)
    expect(s.window(0, 60_000)).toEqual({ sum: 30, tps: 3 })
  })

  it('measures a minute from the latest sample a minute older, as the 7-sample ring rolls over', () => {
    const s = new CounterSeries(KEY_RINGS)
    for (let i = 0; i <= 20; i++) s.record(i * 10_000, i * i)
    // Samples kept: t = 140 s … 200 s; the window runs from 140 s (value 196) to 200 s (value 400).
    expect(s.window(0, 60_000)).toEqual({ sum: 400 - 196, tps: (400 - 196) / 60 })
    // The hour ring took one sample per 10 minutes: only t = 0 so far.
    expect(s.stats().hour).toEqual({ sum: 0, tps: 0 })
  })

  it('reads a counter that went down as no increase, and samples the coarser rings at their cadence', () => {
    const s = new CounterSeries(KEY_RINGS)
    s.record(0, 50)
    s.record(10_000, 10)
    expect(s.window(0, 60_000).sum).toBe(0)
    s.record(600_000, 70)
    expect(s.stats().hour).toEqual({ sum: 20, tps: 20 / 600 })
  })
})
