// The file operations the store uses, behind one interface so tests can inject failures (a full disk, a
// failing fsync) without touching the real file system. Reads and writes are positional and synchronous:
// page-cache copies that never wait for the disk; only fdatasync goes to the thread pool.

import fs from 'node:fs'

export interface StoreIo {
  openSync(path: string, flags: string): number
  closeSync(fd: number): void
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number
  /** Flushes file data to the device on the thread pool. */
  fdatasync(fd: number): Promise<void>
  fdatasyncSync(fd: number): void
  ftruncateSync(fd: number, length: number): void
  fileSizeSync(fd: number): number
  /** Writes `length` zero bytes from `position` on the thread pool (segment warm-up). */
  writeZeros(fd: number, position: number, length: number): Promise<void>
  unlinkSync(path: string): void
  renameSync(from: string, to: string): void
  mkdirSync(path: string): void
  readdirSync(path: string): string[]
  existsSync(path: string): boolean
  readFileSync(path: string): Buffer
  /** Disk usage of the file system holding `path`, as a fraction 0..1. */
  diskUsedRatio(path: string): number
}

const ZERO_CHUNK_BYTES = 8 * 1024 * 1024
let zeroChunk: Buffer | undefined

export const nodeStoreIo: StoreIo = {
  openSync: (path, flags) => fs.openSync(path, flags, 0o644),
  closeSync: (fd) => fs.closeSync(fd),
  writeSync: (fd, buf, offset, length, position) => fs.writeSync(fd, buf, offset, length, position),
  readSync: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  fdatasync: (fd) =>
    new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fileSizeSync: (fd) => fs.fstatSync(fd).size,
  async writeZeros(fd, position, length) {
    zeroChunk ??= Buffer.alloc(ZERO_CHUNK_BYTES)
    const chunk = zeroChunk
    for (let done = 0; done < length;) {
      const n = Math.min(chunk.length, length - done)
      await new Promise<void>((resolve, reject) =>
        fs.write(fd, chunk, 0, n, position + done, (err) => (err ? reject(err) : resolve())),
      )
      done += n
    }
  },
  unlinkSync: (path) => fs.unlinkSync(path),
  renameSync: (from, to) => fs.renameSync(from, to),
  mkdirSync: (path) => void fs.mkdirSync(path, { recursive: true }),
  readdirSync: (path) => fs.readdirSync(path),
  existsSync: (path) => fs.existsSync(path),
  readFileSync: (path) => fs.readFileSync(path),
  diskUsedRatio(path) {
    // As RocketMQ computes it (UtilAll.getDiskPartitionSpaceUsedPercent): (total - free) / total.
    const s = fs.statfsSync(path)
    return s.blocks > 0 ? 1 - s.bfree / s.blocks : 0
  },
}

/** An I/O error with the bytes that did reach the file before it failed. */
export class PartialWriteError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly writtenBytes: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'PartialWriteError'
  }
}

/** Writes all `length` bytes, looping on short writes; throws PartialWriteError saying how much landed. */
export function writeFully(
  io: StoreIo,
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): void {
  let written = 0
  try {
    while (written < length) {
      const n = io.writeSync(fd, buf, offset + written, length - written, position + written)
      if (n <= 0) throw new Error('write returned no progress')
      written += n
    }
  } catch (err) {
    throw new PartialWriteError(err, written)
  }
}

/** Reads exactly `length` bytes or returns how many were available before end of file. */
export function readFully(
  io: StoreIo,
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): number {
  let read = 0
  while (read < length) {
    const n = io.readSync(fd, buf, offset + read, length - read, position + read)
    if (n <= 0) break
    read += n
  }
  return read
}

/** The errno code of an I/O failure (ENOSPC, EIO, ...), or 'UNKNOWN'. */
export function errnoCode(err: unknown): string {
  const inner = err instanceof PartialWriteError ? err.cause : err
  if (inner && typeof inner === 'object' && 'code' in inner && typeof inner.code === 'string')
    return inner.code
  return 'UNKNOWN'
}

/** 20-digit zero-padded decimal, RocketMQ's file name for an offset (UtilAll.offset2FileName). */
export function offsetToFileName(offset: number): string {
  return String(offset).padStart(20, '0')
}

export const SEGMENT_NAME_PATTERN = /^\d{20}$/
