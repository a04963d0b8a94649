// app/_lib/format-time.ts: explicit, offset-aware times in a chosen zone.
import { describe, expect, it } from 'vitest'
import {
  formatClock,
  formatDateTime,
  formatIsoWithOffset,
  formatOffset,
  listTimeZones,
  zoneOffsetMinutes,
} from '@/app/_lib/format-time'
import { parseTheme, parseTimeZone } from '@/app/_lib/preferences'

// 2026-11-28 06:41:03.120 UTC
const AT_MS = Date.UTC(2026, 10, 28, 6, 41, 3, 120)

describe('format-time', () => {
  it('renders the wall clock and the offset of the zone', () => {
    expect(formatDateTime(AT_MS, 'UTC')).toBe('2026-11-28 06:41:03.120 UTC+00:00')
    expect(formatDateTime(AT_MS, 'Europe/Berlin')).toBe('2026-11-28 07:41:03.120 UTC+01:00')
    expect(formatDateTime(AT_MS, 'Asia/Kolkata')).toBe('2026-11-28 12:11:03.120 UTC+05:30')
    expect(formatDateTime(AT_MS, 'America/New_York')).toBe('2026-11-28 01:41:03.120 UTC-05:00')
  })

  it('follows daylight saving time', () => {
    const julyMs = Date.UTC(2026, 6, 1, 12, 0, 0, 5)
    expect(zoneOffsetMinutes(julyMs, 'Europe/Berlin')).toBe(120)
    expect(formatDateTime(julyMs, 'Europe/Berlin')).toBe('2026-07-01 14:00:00.005 UTC+02:00')
  })

  it('crosses the date line into the zone', () => {
    expect(formatDateTime(Date.UTC(2026, 11, 31, 23, 30), 'Asia/Tokyo')).toBe(
      '2027-01-01 08:30:00.000 UTC+09:00',
    )
  })

  it('shows a dash for missing times', () => {
    expect(formatDateTime(undefined, 'UTC')).toBe('–')
    expect(formatDateTime(Number.NaN, 'UTC')).toBe('–')
  })

  it('formats offsets, axis clocks and ISO strings', () => {
    expect(formatOffset(-90)).toBe('UTC-01:30')
    expect(formatOffset(0)).toBe('UTC+00:00')
    expect(formatClock(AT_MS, 'Europe/Berlin')).toBe('07:41')
    expect(formatClock(AT_MS, 'Europe/Berlin', true)).toBe('11-28 07:41')
    expect(formatIsoWithOffset(AT_MS, 'Asia/Kolkata')).toBe('2026-11-28T12:11:03.120+05:30')
  })

  it('lists zones with UTC first and once', () => {
    const zones = listTimeZones()
    expect(zones[0]).toBe('UTC')
    expect(zones.filter((zone) => zone === 'UTC')).toHaveLength(1)
    expect(zones).toContain('Asia/Shanghai')
    // Searched for by its current name even where ICU lists Asia/Calcutta.
    expect(zones).toContain('Asia/Kolkata')
    expect(zones).not.toContain('Asia/Calcutta')
  })
})

describe('preferences', () => {
  it('accepts known zones and falls back to UTC', () => {
    expect(parseTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai')
    expect(parseTimeZone('Mars/Olympus_Mons')).toBe('UTC')
    expect(parseTimeZone(undefined)).toBe('UTC')
  })

  it('accepts the three themes and defaults to system', () => {
    expect(parseTheme('dark')).toBe('dark')
    expect(parseTheme('light')).toBe('light')
    expect(parseTheme('neon')).toBe('system')
    expect(parseTheme(undefined)).toBe('system')
  })
})
