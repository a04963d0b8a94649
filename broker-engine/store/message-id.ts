// Message ids (PROTOCOL.md 4): the offset message id the broker derives from its address and a CommitLog offset,
// and the UNIQ_KEY a producer sets (or the store generates when the producer sent none).

import type { Clock } from '../common/clock'
import type { HostAddress } from './store-types'

/** Two uppercase hex digits for each byte value: building ids from a table beats toString(16) by far. */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).toUpperCase().padStart(2, '0'),
)

function bytesToHex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += BYTE_HEX[b]!
  return out
}

function int32ToHex(value: number, byteCount: number): string {
  let out = ''
  for (let shift = (byteCount - 1) * 8; shift >= 0; shift -= 8) out += BYTE_HEX[(value >>> shift) & 0xff]!
  return out
}

/** The host part (address + port) of offset message ids, precomputed once per store. */
export function offsetMsgIdPrefix(host: HostAddress): string {
  return bytesToHex(host.address) + int32ToHex(host.port, 4)
}

/** storeHost (4 or 16 bytes) + port (4) + commitLogOffset (8), uppercase hex: 32 chars for IPv4. */
export function createOffsetMsgId(prefix: string, commitLogOffset: number): string {
  return prefix + commitLogOffset.toString(16).toUpperCase().padStart(16, '0')
}

export interface DecodedOffsetMsgId {
  readonly host: HostAddress
  readonly commitLogOffset: number
}

/** Decodes an offset message id; undefined when it is not 32 (IPv4) or 56 (IPv6) hex chars. */
export function decodeOffsetMsgId(id: string): DecodedOffsetMsgId | undefined {
  if ((id.length !== 32 && id.length !== 56) || !/^[0-9a-fA-F]+$/.test(id)) return undefined
  const bytes = Buffer.from(id, 'hex')
  const addressLength = id.length === 32 ? 4 : 16
  const hi = bytes.readUInt32BE(addressLength + 4)
  const lo = bytes.readUInt32BE(addressLength + 8)
  if (hi >= 0x200000) return undefined // beyond 2^53: not an offset this store can have written
  return {
    host: {
      address: Uint8Array.prototype.slice.call(bytes, 0, addressLength),
      port: bytes.readInt32BE(addressLength),
    },
    commitLogOffset: hi * 4294967296 + lo,
  }
}

/**
 * Generates UNIQ_KEYs in MessageClientIDSetter's layout: ip (4) + pid (2) + a per-instance random (4, where
 * Java puts a class loader hash) + ms since the start of the month (4) + a counter (2), as 32 hex chars.
 */
export class UniqKeyGenerator {
  private readonly fixedPrefix: string
  private monthStartMs = 0
  private nextMonthStartMs = 0
  private counter = 0
  private lastMs = -1
  private lastTimeHex = ''

  constructor(
    private readonly clock: Clock,
    ipv4: Uint8Array,
    pid: number,
    instanceRandom: number,
  ) {
    this.fixedPrefix = bytesToHex(ipv4.subarray(0, 4)) + int32ToHex(pid, 2) + int32ToHex(instanceRandom, 4)
  }

  next(): string {
    const now = this.clock.nowMs()
    if (now >= this.nextMonthStartMs || now < this.monthStartMs) {
      const d = new Date(now)
      this.monthStartMs = new Date(d.getFullYear(), d.getMonth(), 1).getTime()
      this.nextMonthStartMs = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime()
    }
    if (now !== this.lastMs) {
      this.lastMs = now
      this.lastTimeHex = this.fixedPrefix + int32ToHex(now - this.monthStartMs, 4)
    }
    this.counter = (this.counter + 1) & 0xffff
    return this.lastTimeHex + BYTE_HEX[this.counter >>> 8]! + BYTE_HEX[this.counter & 0xff]!
  }
}
