// CSV for exports (RFC 4180: comma, CRLF, quoted when needed, quotes doubled), safe to open in a spreadsheet: a
// cell starting with = + - @ tab or CR would be run as a formula, so it gets a leading ' (OWASP's CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

export type CsvValue = string | number | boolean | null | undefined

/** One cell: formula-neutralized, then quoted if it holds a comma, quote or line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  // Numbers are data, not formulas ("-5" stays a number); only text is neutralized.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A whole document: the header row, then one row per record, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('')
}
