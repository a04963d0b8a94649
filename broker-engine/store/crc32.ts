// CRC32 (IEEE, the one java.util.zip.CRC32 computes, as RocketMQ's BODYCRC uses). @node-rs/crc32's SIMD code
// is about twice Node's zlib.crc32 on 1 KiB bodies (0.38 vs 0.80 µs here), the largest single cost of an
// append; where its prebuilt binary cannot load, zlib.crc32 gives the same values.

import { createRequire } from 'node:module'
import zlib from 'node:zlib'

type Crc32 = (data: Uint8Array, initial?: number) => number

function loadNative(): Crc32 | undefined {
  try {
    const mod = createRequire(import.meta.url)('@node-rs/crc32') as {
      crc32?: (input: Uint8Array, initial?: number | null) => number
    }
    const fn = mod.crc32
    // Check it is the IEEE polynomial before trusting it: CRC32("123456789") = 0xCBF43926.
    if (typeof fn !== 'function' || fn(Buffer.from('123456789')) >>> 0 !== 0xcbf43926) return undefined
    return (data, initial) => fn(data, initial ?? 0)
  } catch {
    return undefined
  }
}

const zlibCrc = (zlib as unknown as { crc32?: Crc32 }).crc32
const native = loadNative()
if (!native && typeof zlibCrc !== 'function') {
  throw new Error('no CRC32 implementation: install @node-rs/crc32 or use Node >= 20.15 (zlib.crc32)')
}

/** CRC32 of `data`, continuing from `initial` (0 for a fresh checksum). */
export const crc32: Crc32 = native ?? ((data, initial) => zlibCrc!(data, initial ?? 0))
