// The JSON header (serialize type 0). Reading is tolerant the way a Java server is: ali-ons writes extFields
// values as JSON numbers and booleans, so every scalar is coerced to a string; unknown keys are ignored.
// Writing follows fastjson's shape: fields sorted by name, null fields left out, every ext value a string.

import type { ExtFields, RemotingCommand } from './remoting-command'
import { RemotingFrameError, type RemotingLimits } from './remoting-limits'

export function decodeJsonHeader(
  text: string,
  limits: RemotingLimits,
): Omit<RemotingCommand, 'body' | 'serializeType'> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new RemotingFrameError('header is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new RemotingFrameError('header is not a JSON object')
  const h = parsed as Record<string, unknown>
  return {
    code: int32Field(h, 'code', true),
    language: typeof h.language === 'string' ? h.language : 'JAVA',
    version: int32Field(h, 'version', false),
    opaque: int32Field(h, 'opaque', false),
    flag: int32Field(h, 'flag', false),
    remark: remarkOf(h.remark, limits),
    extFields: extFieldsOf(h.extFields, limits),
  }
}

function int32Field(h: Record<string, unknown>, name: string, required: boolean): number {
  const v = h[name]
  if (v === undefined || v === null) {
    if (required) throw new RemotingFrameError(`header has no ${name}`)
    return 0
  }
  const n = typeof v === 'string' && /^-?\d{1,10}$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff)
    throw new RemotingFrameError(`header ${name} is not a 32-bit integer`)
  return n | 0
}

function remarkOf(v: unknown, limits: RemotingLimits): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new RemotingFrameError('header remark is not a string')
  if (v.length > limits.remarkBytesMax) throw new RemotingFrameError('header remark is too long')
  return v
}

/**
 * The ext table, coerced in place: JSON.parse already made a fresh object with own properties only (a
 * "__proto__" key included), so it is reused rather than copied — this runs for every request.
 */
function extFieldsOf(v: unknown, limits: RemotingLimits): ExtFields | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v))
    throw new RemotingFrameError('header extFields is not an object')
  const table = v as Record<string, unknown>
  let count = 0
  for (const name in table) {
    if (++count > limits.extFieldsMax) throw new RemotingFrameError('header has too many extFields')
    if (name.length > limits.extFieldNameBytesMax)
      throw new RemotingFrameError('an extFields name is too long')
    let value = table[name]
    if (typeof value !== 'string') {
      if (value === null) {
        delete table[name]
        continue
      }
      value = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
      table[name] = value
    }
    if ((value as string).length > limits.extFieldValueBytesMax)
      throw new RemotingFrameError(`extFields ${name} is too long`)
  }
  return table as ExtFields
}

/** JSON string literal of `text`; plain text (the usual header value) skips JSON.stringify. */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text)
  }
  return '"' + text + '"'
}

/** The header as fastjson writes it: fields by name, nulls left out. */
export function encodeJsonHeader(cmd: RemotingCommand, opaque = cmd.opaque, flag = cmd.flag): string {
  let out = '{"code":' + cmd.code
  if (cmd.extFields) {
    out += ',"extFields":{'
    let first = true
    for (const name in cmd.extFields) {
      out += (first ? '' : ',') + quote(name) + ':' + quote(cmd.extFields[name]!)
      first = false
    }
    out += '}'
  }
  out += ',"flag":' + flag + ',"language":' + quote(cmd.language) + ',"opaque":' + opaque
  if (cmd.remark !== undefined) out += ',"remark":' + quote(cmd.remark)
  return out + ',"serializeTypeCurrentRPC":"JSON","version":' + cmd.version + '}'
}
