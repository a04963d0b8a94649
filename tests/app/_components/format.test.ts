// app/_components/format.ts: figures as the console shows them.
import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatDuration,
  formatInteger,
  formatRate,
  formatTimestamp,
} from '@/app/_components/format'

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(1024 * 1024 * 1024)).toBe('1.00 GiB')
    expect(formatBytes(123.4 * 1024 * 1024)).toBe('123 MiB')
    expect(formatBytes(Number.NaN)).toBe('–')
  })

  it('formats offsets and counts with thousands separators', () => {
    expect(formatInteger(0)).toBe('0')
    expect(formatInteger(1_234_567_890)).toBe('1,234,567,890')
    expect(formatRate(1234.56)).toBe('1,234.6')
  })

  it('formats durations and timestamps', () => {
    expect(formatDuration(42_000)).toBe('42s')
    expect(formatDuration(312_000)).toBe('5m 12s')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h')
    expect(formatDuration(-1)).toBe('–')
    expect(formatTimestamp(new Date(2026, 10, 28, 2, 37, 5).getTime())).toBe('2026-11-28 02:37:05')
  })
})
