// CRC32 (IEEE, the one java.util.zip.CRC32 computes) from Node's zlib binding: about 6x a JS table on 1 KiB.

import zlib from 'node:zlib'

type Crc32 = (data: Uint8Array | string, value?: number) => number

const native = (zlib as unknown as { crc32?: Crc32 }).crc32
if (typeof native !== 'function') {
  throw new Error('zlib.crc32 is missing: mqdeck needs Node >= 20.15 (see package.json engines)')
}

export const zlibCrc32: Crc32 = native
