// Display formatting for the console's figures: bytes in binary units, offsets and counts with separators.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const rateFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })

/** 1536 → "1.5 KiB"; below 1 KiB the exact count ("512 B"). */
export function formatBytes(sizeBytes: number): string {
  if (!Number.isFinite(sizeBytes)) return '–'
  const sign = sizeBytes < 0 ? '-' : ''
  let value = Math.abs(sizeBytes)
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0
  return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`
}

/** 1234567 → "1,234,567". Used for commitLogOffset (bytes) and queueOffset (entries) alike. */
export function formatInteger(value: number): string {
  return Number.isFinite(value) ? integerFormat.format(value) : '–'
}

/** 1234.56 → "1,234.6". */
export function formatRate(value: number): string {
  return Number.isFinite(value) ? rateFormat.format(value) : '–'
}

/** Milliseconds as "3d 4h", "5m 12s", "42s". */
export function formatDuration(durationMs: number): string {
  if (!Number.isFinite(durationMs) || durationMs < 0) return '–'
  const totalSeconds = Math.floor(durationMs / 1000)
  const days = Math.floor(totalSeconds / 86_400)
  const hours = Math.floor((totalSeconds % 86_400) / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (days > 0) return `${days}d ${hours}h`
  if (hours > 0) return `${hours}h ${minutes}m`
  if (minutes > 0) return `${minutes}m ${seconds}s`
  return `${seconds}s`
}

/** Epoch milliseconds as an ISO-like local timestamp "2026-11-28 02:37:05". */
export function formatTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '–'
  const d = new Date(epochMs)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
