// The remoting frame (PROTOCOL.md 1.1): [int32 length][int32 serializeType<<24 | headerLength][header][body],
// where length counts everything after itself. FrameDecoder cuts a byte stream into commands without copying
// a frame that arrived whole, and copies a split frame once into a buffer of its final size (never O(n²)).

import { decodeBinaryHeader, encodeBinaryHeader } from './header-binary'
import { decodeJsonHeader, encodeJsonHeader } from './header-json'
import type { RemotingCommand } from './remoting-command'
import { DEFAULT_REMOTING_LIMITS, RemotingFrameError, type RemotingLimits } from './remoting-limits'

/** First allocation for a frame split across reads; grown by doubling up to its declared length. */
const PARTIAL_START_BYTES = 64 * 1024

/** The whole frame for `cmd`, length prefix included; a request is sent with its own opaque and flag. */
export function encodeCommand(cmd: RemotingCommand, opaque = cmd.opaque, flag = cmd.flag): Buffer {
  const body = cmd.body
  const bodyLength = body?.length ?? 0
  if (cmd.serializeType === 1) {
    const header = encodeBinaryHeader(cmd, opaque, flag)
    const out = Buffer.allocUnsafe(8 + header.length + bodyLength)
    out.writeInt32BE(4 + header.length + bodyLength, 0)
    out.writeInt32BE(((1 << 24) | header.length) >>> 0, 4)
    header.copy(out, 8)
    if (body) body.copy(out, 8 + header.length)
    return out
  }
  const header = encodeJsonHeader(cmd, opaque, flag)
  const headerLength = Buffer.byteLength(header, 'utf8')
  const out = Buffer.allocUnsafe(8 + headerLength + bodyLength)
  out.writeInt32BE(4 + headerLength + bodyLength, 0)
  out.writeInt32BE(headerLength, 4)
  out.write(header, 8, headerLength, 'utf8')
  if (body) body.copy(out, 8 + headerLength)
  return out
}

/** Decodes one frame's bytes after the length prefix: frame[start, end). */
export function decodeFrame(
  frame: Buffer,
  start: number,
  end: number,
  limits: RemotingLimits = DEFAULT_REMOTING_LIMITS,
): RemotingCommand {
  if (end - start < 4) throw new RemotingFrameError('frame is shorter than its header-length field')
  const word = frame.readUInt32BE(start)
  const serializeType = word >>> 24
  const headerLength = word & 0xffffff
  if (headerLength > end - start - 4) throw new RemotingFrameError('header length exceeds the frame')
  if (headerLength > limits.headerBytesMax) throw new RemotingFrameError('header is larger than allowed')
  const headerStart = start + 4
  const headerEnd = headerStart + headerLength
  const body = headerEnd < end ? frame.subarray(headerEnd, end) : undefined
  if (serializeType !== 0 && serializeType !== 1)
    throw new RemotingFrameError(`unknown serialize type ${serializeType}`)
  const h =
    serializeType === 0
      ? decodeJsonHeader(frame.toString('utf8', headerStart, headerEnd), limits)
      : decodeBinaryHeader(frame, headerStart, headerEnd, limits)
  // One object literal of a fixed shape (no spread): every command in the process shares its hidden class.
  return {
    code: h.code,
    language: h.language,
    version: h.version,
    opaque: h.opaque,
    flag: h.flag,
    remark: h.remark,
    extFields: h.extFields,
    body,
    serializeType,
  }
}

/**
 * Cuts a stream into commands. push() returns the commands completed by a chunk; after it throws, the stream is
 * out of step and the connection has to be closed.
 */
export class FrameDecoder {
  private readonly limits: RemotingLimits
  /** Up to 3 bytes of a length prefix split across chunks. */
  private prefix = Buffer.alloc(4)
  private prefixBytes = 0
  /** A frame being assembled from several chunks. */
  private partial: Buffer | undefined
  private partialBytes = 0
  /** The declared length of the frame being assembled. */
  private partialLength = 0

  constructor(limits: RemotingLimits = DEFAULT_REMOTING_LIMITS) {
    this.limits = limits
  }

  push(chunk: Buffer, onCommand: (cmd: RemotingCommand) => void): void {
    let p = 0
    while (p < chunk.length) {
      if (this.partial) {
        const n = Math.min(this.partialLength - this.partialBytes, chunk.length - p)
        if (this.partialBytes + n > this.partial.length) this.grow(this.partialBytes + n)
        chunk.copy(this.partial, this.partialBytes, p, p + n)
        this.partialBytes += n
        p += n
        if (this.partialBytes < this.partialLength) return
        const frame = this.partial
        this.partial = undefined
        this.partialBytes = 0
        onCommand(decodeFrame(frame, 0, this.partialLength, this.limits))
        continue
      }
      let length: number
      if (this.prefixBytes > 0 || chunk.length - p < 4) {
        const n = Math.min(4 - this.prefixBytes, chunk.length - p)
        chunk.copy(this.prefix, this.prefixBytes, p, p + n)
        this.prefixBytes += n
        p += n
        if (this.prefixBytes < 4) return
        this.prefixBytes = 0
        length = this.prefix.readInt32BE(0)
      } else {
        length = chunk.readInt32BE(p)
        p += 4
      }
      if (length < 4 || length > this.limits.frameBytesMax)
        throw new RemotingFrameError(`frame length ${length} is out of range`)
      if (chunk.length - p >= length) {
        onCommand(decodeFrame(chunk, p, p + length, this.limits))
        p += length
      } else {
        // Memory follows the bytes that arrived, not the length a peer declares: a frame claiming 16 MiB
        // that never comes costs what was sent (doubling keeps the copying linear).
        this.partialLength = length
        this.partial = Buffer.allocUnsafe(Math.min(length, Math.max(PARTIAL_START_BYTES, chunk.length - p)))
        this.partialBytes = 0
      }
    }
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(
      Math.min(this.partialLength, Math.max(needed, this.partial!.length * 2)),
    )
    this.partial!.copy(bigger, 0, 0, this.partialBytes)
    this.partial = bigger
  }

  /** Memory reserved for the frame being assembled: grows with the bytes received, never past its length. */
  get reservedBytes(): number {
    return this.partial?.length ?? 0
  }

  /** Bytes held for an incomplete frame (bounded by frameBytesMax). */
  get bufferedBytes(): number {
    return this.partialBytes + this.prefixBytes
  }
}
