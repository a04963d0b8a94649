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

  /** Creates a new segment at full size (sparse); throws on failure, leaving no file behind. */
  static create(io: StoreIo, dir: string, fileFromOffset: number, fileSize: number): SegmentFile {
    const filePath = path.join(dir, offsetToFileName(fileFromOffset))
    const fd = io.openSync(filePath, 'wx+')
    try {
      io.ftruncateSync(fd, fileSize)
    } catch (err) {
      io.closeSync(fd)
      io.unlinkSync(filePath)
      throw err
    }
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
