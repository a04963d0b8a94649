// How CLI commands print: aligned text tables (numbers right-aligned), key/value blocks, times as ISO 8601 in
// UTC (unambiguous in logs and tickets), and JSON for --json.
import 'server-only'

/** Where a command writes; the entry script passes process streams, tests collect strings. */
export interface CliIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
}

export type Cell = string | number | boolean | undefined

export interface Column {
  readonly header: string
  readonly align?: 'left' | 'right'
}

function cellText(cell: Cell): string {
  if (cell === undefined) return '-'
  return String(cell)
}

/** Columns padded to their widest cell, two spaces apart; numeric columns right-aligned. */
export function formatTable(
  columns: readonly (string | Column)[],
  rows: readonly (readonly Cell[])[],
): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c))
  const texts = rows.map((row) => cols.map((_, i) => cellText(row[i])))
  const aligns = cols.map(
    (c, i) =>
      c.align ?? (rows.length > 0 && rows.every((row) => typeof row[i] === 'number') ? 'right' : 'left'),
  )
  const widths = cols.map((c, i) => Math.max(c.header.length, ...texts.map((t) => t[i]!.length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((text, i) => (aligns[i] === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(cols.map((c) => c.header)), ...texts.map(line)].join('\n') + '\n'
}

/** "key: value" lines, keys padded to align the values. */
export function formatFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length))
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${cellText(value)}`).join('\n') + '\n'
}

export function formatTime(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return undefined
  return new Date(ms).toISOString()
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}
