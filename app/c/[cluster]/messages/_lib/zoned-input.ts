// Wall-clock times typed into <input type="datetime-local"> read in the user's chosen zone (not the browser's),
// and the absolute instants the Messages URL holds (ISO 8601 with the zone's offset, or epoch ms).
import { formatIsoWithOffset, zoneOffsetMinutes } from '@/app/_lib/format-time'

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/

/** "2026-11-28T07:41:03" in `zone` → epoch ms; undefined for text that is no wall-clock time. */
export function wallClockToMs(value: string, zone: string): number | undefined {
  const m = WALL_CLOCK.exec(value.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, ms] = m
  const asUtc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0), +(ms ?? '0').padEnd(3, '0'))
  if (!Number.isFinite(asUtc)) return undefined
  // The offset at the guess can differ from the offset at the answer across a DST change: ask twice.
  const first = asUtc - zoneOffsetMinutes(asUtc, zone) * 60_000
  const second = asUtc - zoneOffsetMinutes(first, zone) * 60_000
  return second
}

/** Epoch ms → "2026-11-28T07:41:03" in `zone`, what a datetime-local input with step=1 shows. */
export function msToWallClock(ms: number, zone: string): string {
  return formatIsoWithOffset(ms, zone).slice(0, 19)
}

/** An instant from the URL (epoch ms or ISO with an offset), as the server reads it; undefined otherwise. */
export function parseUrlInstant(text: string | null | undefined): number | undefined {
  if (!text) return undefined
  const t = text.trim()
  if (/^\d{1,16}$/.test(t)) return Number(t)
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) return undefined
  const ms = Date.parse(t)
  return Number.isFinite(ms) ? ms : undefined
}

/** The URL form of an instant: ISO 8601 with the zone's offset, readable and absolute. */
export function msToUrlInstant(ms: number, zone: string): string {
  return formatIsoWithOffset(ms, zone)
}
