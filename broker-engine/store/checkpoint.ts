// The store checkpoint: where recovery may start. Two copies alternate in one 4 KiB file, each with a sequence
// number and a CRC, so a write torn by a crash always leaves the previous copy readable.
//
//   copy (at 0 and 2048): magic u32 'MQCP' | version u32 | sequence i64 | commitLogFlushedOffset i64 |
//                         dispatchedOffset i64 | commitLogEndOffset i64 | clean u32 | savedAtMs i64 | crc32 u32

import { crc32 } from './crc32'
import { readInt64BE, writeInt64BE } from './message-codec'
import { readFully, writeFully, type StoreIo } from './store-io'

const MAGIC = 0x4d514350 // 'MQCP'
const VERSION = 1
const COPY_BYTES = 2048
const BODY_BYTES = 4 + 4 + 8 + 8 + 8 + 8 + 4 + 8
const FILE_BYTES = 4096

export interface CheckpointData {
  /** CommitLog bytes known durable. */
  readonly commitLogFlushedOffset: number
  /** ConsumeQueues and the index are complete and durable for every record below this offset. */
  readonly dispatchedOffset: number
  /** Exact end of the CommitLog; meaningful only when `clean`. */
  readonly commitLogEndOffset: number
  /** Written by a clean shutdown: everything was flushed and nothing follows commitLogEndOffset. */
  readonly clean: boolean
  readonly savedAtMs: number
}

export class Checkpoint {
  private sequence = 0
  private readonly buf = Buffer.alloc(COPY_BYTES)

  private constructor(
    private readonly io: StoreIo,
    private readonly fd: number,
  ) {}

  static open(io: StoreIo, filePath: string): { checkpoint: Checkpoint; data: CheckpointData | undefined } {
    const exists = io.existsSync(filePath)
    const fd = io.openSync(filePath, exists ? 'r+' : 'w+')
    const checkpoint = new Checkpoint(io, fd)
    if (!exists) io.ftruncateSync(fd, FILE_BYTES)
    let best: { sequence: number; data: CheckpointData } | undefined
    for (const at of [0, COPY_BYTES]) {
      const copy = checkpoint.readCopy(at)
      if (copy && (!best || copy.sequence > best.sequence)) best = copy
    }
    checkpoint.sequence = best?.sequence ?? 0
    return { checkpoint, data: best?.data }
  }

  /** Writes the next copy (to the slot the newest copy is not in). Durable after flush()/flushSync(). */
  write(data: CheckpointData): void {
    this.sequence++
    const b = this.buf
    b.writeUInt32BE(MAGIC, 0)
    b.writeUInt32BE(VERSION, 4)
    writeInt64BE(b, 8, this.sequence)
    writeInt64BE(b, 16, data.commitLogFlushedOffset)
    writeInt64BE(b, 24, data.dispatchedOffset)
    writeInt64BE(b, 32, data.commitLogEndOffset)
    b.writeUInt32BE(data.clean ? 1 : 0, 40)
    writeInt64BE(b, 44, data.savedAtMs)
    b.writeUInt32BE(crc32(b.subarray(0, BODY_BYTES)) >>> 0, BODY_BYTES)
    writeFully(this.io, this.fd, b, 0, BODY_BYTES + 4, (this.sequence % 2) * COPY_BYTES)
  }

  flush(): Promise<void> {
    return this.io.fdatasync(this.fd)
  }

  flushSync(): void {
    this.io.fdatasyncSync(this.fd)
  }

  close(): void {
    this.io.closeSync(this.fd)
  }

  private readCopy(at: number): { sequence: number; data: CheckpointData } | undefined {
    const b = Buffer.alloc(BODY_BYTES + 4)
    if (readFully(this.io, this.fd, b, 0, b.length, at) !== b.length) return undefined
    if (b.readUInt32BE(0) !== MAGIC || b.readUInt32BE(4) !== VERSION) return undefined
    if (crc32(b.subarray(0, BODY_BYTES)) >>> 0 !== b.readUInt32BE(BODY_BYTES)) return undefined
    return {
      sequence: readInt64BE(b, 8),
      data: {
        commitLogFlushedOffset: readInt64BE(b, 16),
        dispatchedOffset: readInt64BE(b, 24),
        commitLogEndOffset: readInt64BE(b, 32),
        clean: b.readUInt32BE(40) === 1,
        savedAtMs: readInt64BE(b, 44),
      },
    }
  }
}
