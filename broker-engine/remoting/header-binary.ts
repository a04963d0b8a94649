// The ROCKETMQ binary header (serialize type 1, PROTOCOL.md 1.3): code (int16), language (byte), version (int16),
// opaque, flag, remark and extFields as length-prefixed UTF-8. Every length is checked against what is left.

import { LANGUAGE_CODES } from './remoting-codes'
import type { ExtFields, RemotingCommand } from './remoting-command'
import { RemotingFrameError, type RemotingLimits } from './remoting-limits'

export function decodeBinaryHeader(
  buf: Buffer,
  start: number,
  end: number,
  limits: RemotingLimits,
): Omit<RemotingCommand, 'body' | 'serializeType'> {
  if (end - start < 21) throw new RemotingFrameError('binary header is shorter than 21 bytes')
  const code = buf.readInt16BE(start)
  const languageByte = buf[start + 2]!
  const version = buf.readInt16BE(start + 3)
  const opaque = buf.readInt32BE(start + 5)
  const flag = buf.readInt32BE(start + 9)
  let p = start + 13
  const remarkLength = buf.readInt32BE(p)
  p += 4
  if (remarkLength < 0 || remarkLength > end - p || remarkLength > limits.remarkBytesMax)
    throw new RemotingFrameError('binary header remark length is out of range')
  const remark = remarkLength > 0 ? buf.toString('utf8', p, p + remarkLength) : undefined
  p += remarkLength
  if (end - p < 4) throw new RemotingFrameError('binary header ends before its extFields length')
  const extLength = buf.readInt32BE(p)
  p += 4
  if (extLength < 0 || extLength !== end - p)
    throw new RemotingFrameError('binary header extFields length does not match the header length')
  return {
    code,
    language: LANGUAGE_CODES[languageByte] ?? 'OTHER',
    version,
    opaque,
    flag,
    remark,
    extFields: extLength > 0 ? decodeExtMap(buf, p, end, limits) : undefined,
  }
}

function decodeExtMap(buf: Buffer, p: number, end: number, limits: RemotingLimits): ExtFields {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  let count = 0
  while (p < end) {
    if (++count > limits.extFieldsMax) throw new RemotingFrameError('binary header has too many extFields')
    if (end - p < 2) throw new RemotingFrameError('binary header extFields entry is truncated')
    const keyLength = buf.readInt16BE(p)
    p += 2
    if (keyLength < 0 || keyLength > end - p || keyLength > limits.extFieldNameBytesMax)
      throw new RemotingFrameError('binary header extFields key length is out of range')
    const key = buf.toString('utf8', p, p + keyLength)
    p += keyLength
    if (end - p < 4) throw new RemotingFrameError('binary header extFields entry is truncated')
    const valueLength = buf.readInt32BE(p)
    p += 4
    if (valueLength < 0 || valueLength > end - p || valueLength > limits.extFieldValueBytesMax)
      throw new RemotingFrameError('binary header extFields value length is out of range')
    if (keyLength > 0) out[key] = buf.toString('utf8', p, p + valueLength)
    p += valueLength
  }
  return out
}

/** Encodes the binary header of `cmd`. */
export function encodeBinaryHeader(cmd: RemotingCommand, opaque = cmd.opaque, flag = cmd.flag): Buffer {
  const remark = cmd.remark !== undefined ? Buffer.from(cmd.remark, 'utf8') : undefined
  const entries: [Buffer, Buffer][] = []
  let extBytes = 0
  for (const name in cmd.extFields ?? {}) {
    const k = Buffer.from(name, 'utf8')
    const v = Buffer.from(cmd.extFields![name]!, 'utf8')
    entries.push([k, v])
    extBytes += 2 + k.length + 4 + v.length
  }
  const out = Buffer.allocUnsafe(21 + (remark?.length ?? 0) + extBytes)
  out.writeInt16BE(cmd.code, 0)
  const language = LANGUAGE_CODES.indexOf(cmd.language as (typeof LANGUAGE_CODES)[number])
  out[2] = language >= 0 ? language : 0
  out.writeInt16BE(cmd.version, 3)
  out.writeInt32BE(opaque, 5)
  out.writeInt32BE(flag, 9)
  let p = 13
  out.writeInt32BE(remark?.length ?? 0, p)
  p += 4
  if (remark) p += remark.copy(out, p)
  out.writeInt32BE(extBytes, p)
  p += 4
  for (const [k, v] of entries) {
    out.writeInt16BE(k.length, p)
    p += 2 + k.copy(out, p + 2)
    out.writeInt32BE(v.length, p)
    p += 4 + v.copy(out, p + 4)
  }
  return out
}
