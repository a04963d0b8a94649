// Epoch milliseconds as explicit, offset-aware text in a chosen IANA time zone ("2026-11-28 07:41:03.120
// UTC+01:00"), so nobody has to guess which zone a time is in. Pure: the same text on the server and in the browser.

interface WallClock {
  readonly year: string
  readonly month: string
  readonly day: string
  readonly hour: string
  readonly minute: string
  readonly second: string
}

/** Formatters are costly to build and a table renders hundreds of times: one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

function wallClockOf(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {}
  for (const part of formatterOf(timeZone).formatToParts(epochMs)) parts[part.type] = part.value
  return {
    year: parts.year ?? '0000',
    month: parts.month ?? '00',
    day: parts.day ?? '00',
    hour: parts.hour ?? '00',
    minute: parts.minute ?? '00',
    second: parts.second ?? '00',
  }
}

/** The zone's offset from UTC at that instant, in minutes (east positive). */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  const w = wallClockOf(epochMs, timeZone)
  const wallAsUtcMs = Date.UTC(+w.year, +w.month - 1, +w.day, +w.hour, +w.minute, +w.second)
  const wholeSecondMs = epochMs - (((epochMs % 1000) + 1000) % 1000)
  return Math.round((wallAsUtcMs - wholeSecondMs) / 60_000)
}

/** -90 → "UTC-01:30". */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** "2026-11-28 07:41:03.120 UTC+01:00"; "–" for a missing or non-finite time. */
export function formatDateTime(epochMs: number | undefined, timeZone: string): string {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return '–'
  const w = wallClockOf(epochMs, timeZone)
  const millis = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0')
  return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}:${w.second}.${millis} ${formatOffset(zoneOffsetMinutes(epochMs, timeZone))}`
}

/** "07:41" (or "11-28 07:41" when `withDate`): chart axis labels, where the zone is stated once elsewhere. */
export function formatClock(epochMs: number, timeZone: string, withDate = false): string {
  const w = wallClockOf(epochMs, timeZone)
  const clock = `${w.hour}:${w.minute}`
  return withDate ? `${w.month}-${w.day} ${clock}` : clock
}

/** "2026-11-28T07:41:03.120+01:00": the machine-readable form for <time dateTime>. */
export function formatIsoWithOffset(epochMs: number, timeZone: string): string {
  const w = wallClockOf(epochMs, timeZone)
  const millis = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0')
  const offset = formatOffset(zoneOffsetMinutes(epochMs, timeZone)).slice(3)
  return `${w.year}-${w.month}-${w.day}T${w.hour}:${w.minute}:${w.second}.${millis}${offset}`
}

/**
 * Zones ICU still lists under their old names (Chromium's supportedValuesOf does): shown under the name people
 * search for. Both spellings format the same.
 */
const MODERN_ZONE_NAMES: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Every zone the runtime knows, UTC first (some runtimes leave "UTC" out of supportedValuesOf), modern names. */
export function listTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  const named = zones.map((zone) => {
    const modern = MODERN_ZONE_NAMES[zone]
    return modern !== undefined && isKnownZone(modern) ? modern : zone
  })
  return ['UTC', ...[...new Set(named)].filter((zone) => zone !== 'UTC').sort()]
}
