// Message bodies rendered in the browser from their base64: UTF-8 text, pretty JSON (only when it parses), a hex
// dump and the base64 itself. Pure functions, so the same bytes always render the same way; nothing here builds
// HTML (React escapes every string it is given).

export type BodyView = 'text' | 'json' | 'hex' | 'base64'
export const BODY_VIEWS: readonly BodyView[] = ['text', 'json', 'hex', 'base64']

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** The body as UTF-8, and whether it was valid UTF-8 (a cut body may end inside a character: that is allowed). */
export function decodeUtf8(bytes: Uint8Array, truncated: boolean): { text: string; valid: boolean } {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated })
    return { text, valid: true }
  } catch {
    return { text, valid: false }
  }
}

/** Indented JSON when the text parses as JSON (objects and arrays only: "42" is text), else undefined. */
export function prettyJson(text: string): string | undefined {
  const trimmed = text.trim()
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2)
  } catch {
    return undefined
  }
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** A classic dump: offset, 16 bytes in hex (two groups of 8), and the printable ASCII column. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = []
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16)
    let hex = ''
    let ascii = ''
    for (let i = 0; i < 16; i++) {
      const b = row[i]
      hex += (b === undefined ? '  ' : HEX[b]!) + (i === 7 ? '  ' : ' ')
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
    }
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`)
  }
  return lines.join('\n')
}

/** The view a body opens in: JSON when it parses, text when it is UTF-8, else hex. */
export function defaultBodyView(bytes: Uint8Array, truncated: boolean): BodyView {
  const { text, valid } = decodeUtf8(bytes, truncated)
  if (!valid) return 'hex'
  return prettyJson(text) !== undefined ? 'json' : 'text'
}

/** A one-line preview for result tables: control characters shown as "·". */
export function bodyPreview(base64: string): string {
  if (base64 === '') return ''
  const { text } = decodeUtf8(base64ToBytes(base64), true)
  return text.replace(/[\u0000-\u001f\u007f\ufffd]+/g, '·')
}
