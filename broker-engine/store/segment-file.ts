// One fixed-size file named by its start offset: a CommitLog segment or a ConsumeQueue file. Created at full
// size up front (RocketMQ's MappedFile), so appends never grow the file.

import path from 'node:path'
import { offsetToFileName, readFully, writeFully, type StoreIo } from './store-io'

export class SegmentFile {
  readonly path: string
  private closed = false

  private constructor(
    private readonly io: StoreIo,
    dir: string,
    readonly fileFromOffset: number,
    readonly fileSize: number,
    readonly fd: number,
  ) {
    this.path = path.join(dir, offsetToFileName(fileFromOffset))
  }

  /** Opens an existing segment. */
  static open(io: StoreIo, dir: string, fileFromOffset: number, fileSize: number): SegmentFile {
    const fd = io.openSync(path.join(dir, offsetToFileName(fileFromOffset)), 'r+')
    return new SegmentFile(io, dir, fileFromOffset, fileSize, fd)
  }

  /**
   * Creates a new segment at full size (sparse) under a temporary name and renames it into place, so a crash
   * never leaves a short file under a segment name. Throws on failure, leaving no file behind.
   */
  static create(io: StoreIo, dir: string, fileFromOffset: number, fileSize: number): SegmentFile {
    const filePath = path.join(dir, offsetToFileName(fileFromOffset))
    const fd = createFullSize(io, filePath, fileSize)
    return new SegmentFile(io, dir, fileFromOffset, fileSize, fd)
  }

  write(buf: Uint8Array, offset: number, length: number, filePosition: number): void {
    writeFully(this.io, this.fd, buf, offset, length, filePosition)
  }

  read(buf: Uint8Array, offset: number, length: number, filePosition: number): number {
    return readFully(this.io, this.fd, buf, offset, length, filePosition)
  }

  datasync(): Promise<void> {
    return this.io.fdatasync(this.fd)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.io.closeSync(this.fd)
  }

  /** Closes and deletes the file. */
  destroy(): void {
    this.close()
    this.io.unlinkSync(this.path)
  }
}

/** Suffix of a file being created; a leftover one is deleted at load. */
export const CREATING_SUFFIX = '.creating'

/** Creates `filePath` at `fileSize` bytes via a temporary name and rename; returns the open fd. */
export function createFullSize(io: StoreIo, filePath: string, fileSize: number): number {
  const temp = filePath + CREATING_SUFFIX
  if (io.existsSync(filePath)) throw Object.assign(new Error(`EEXIST: ${filePath}`), { code: 'EEXIST' })
  const fd = io.openSync(temp, 'wx+')
  try {
    io.ftruncateSync(fd, fileSize)
    io.renameSync(temp, filePath)
  } catch (err) {
    io.closeSync(fd)
    if (io.existsSync(temp)) io.unlinkSync(temp)
    throw err
  }
  return fd
}

/** Deletes files a crash left half-created in `dir`. */
export function removeUnfinishedFiles(io: StoreIo, dir: string): void {
  for (const name of io.readdirSync(dir))
    if (name.endsWith(CREATING_SUFFIX)) io.unlinkSync(path.join(dir, name))
}
