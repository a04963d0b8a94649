// The JSON header (serialize type 0). Reading is tolerant the way a Java server is: ali-ons writes extFields
// values as JSON numbers and booleans, so every scalar is coerced to a string; unknown keys are ignored.
// Writing follows fastjson's shape: fields sorted by name, null fields left out, every ext value a string.

import type { ExtFields, RemotingCommand, SerializeType } from './remoting-command'
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

function extFieldsOf(v: unknown, limits: RemotingLimits): ExtFields | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v))
    throw new RemotingFrameError('header extFields is not an object')
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  let count = 0
  for (const [name, raw] of Object.entries(v as Record<string, unknown>)) {
    if (++count > limits.extFieldsMax) throw new RemotingFrameError('header has too many extFields')
    if (name.length > limits.extFieldNameBytesMax)
      throw new RemotingFrameError('an extFields name is too long')
    if (raw === null || raw === undefined) continue
    const value =
      typeof raw === 'string'
        ? raw
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : JSON.stringify(raw)
    if (value.length > limits.extFieldValueBytesMax)
      throw new RemotingFrameError(`extFields ${name} is too long`)
    out[name] = value
  }
  return out
}

/** The header as fastjson writes it: fields by name, nulls left out. */
export function encodeJsonHeader(cmd: RemotingCommand): string {
  let out = '{"code":' + cmd.code
  if (cmd.extFields) {
    out += ',"extFields":{'
    let first = true
    for (const name in cmd.extFields) {
      out += (first ? '' : ',') + JSON.stringify(name) + ':' + JSON.stringify(cmd.extFields[name])
      first = false
    }
    out += '}'
  }
  out += ',"flag":' + cmd.flag + ',"language":' + JSON.stringify(cmd.language) + ',"opaque":' + cmd.opaque
  if (cmd.remark !== undefined) out += ',"remark":' + JSON.stringify(cmd.remark)
  return out + ',"serializeTypeCurrentRPC":"JSON","version":' + cmd.version + '}'
}

export const JSON_HEADER: SerializeType = 0
