// The CommitLog: one append-only log of records for all topics, split into fixed-size segments named by their
// start offset. Records are encoded straight into an in-memory staging buffer and reach the file with one
// write() per batch (a page-cache copy), then fdatasync on the thread pool makes them durable.
//
// Positions are CommitLog offsets (bytes): wrote ≥ committed ≥ flushed. [committed, wrote) sits in staging.

import path from 'node:path'
import { assertInvariant, StoreCorruptionError } from '../common/engine-error'
import { END_FILE_MIN_BLANK_LENGTH } from './message-constants'
import { writeBlankMarker } from './message-codec'
import { RecentBytes } from './recent-bytes'
import { removeUnfinishedFiles, SegmentFile } from './segment-file'
import { offsetToFileName, SEGMENT_NAME_PATTERN, type StoreIo } from './store-io'

const WARM_SUFFIX = '.warm'

export interface CommitLogOptions {
  readonly dir: string
  readonly segmentBytes: number
  readonly writeBufferBytes: number
  /** The newest committed bytes kept in memory for reads (0: none). */
  readonly readCacheBytes: number
  readonly warmSegments: boolean
  readonly io: StoreIo
}

export class CommitLog {
  readonly segments: SegmentFile[] = []
  private readonly staging: Buffer
  private readonly recent: RecentBytes
  /** CommitLog offset of staging[0]; always equal to committedPosition. */
  private stagingStart = 0
  private wrote = 0
  private committed = 0
  private flushed = 0
  private warming: Promise<void> | undefined
  /** Start offset of the last segment a warm-up was started for (each is warmed at most once). */
  private warmedOffset = -1

  constructor(private readonly options: CommitLogOptions) {
    // Filled at once so its memory is committed when the store opens, not during the first appends.
    this.staging = Buffer.allocUnsafe(options.writeBufferBytes).fill(0)
    this.recent = new RecentBytes(options.readCacheBytes)
  }

  get wrotePosition(): number {
    return this.wrote
  }
  get committedPosition(): number {
    return this.committed
  }
  get flushedPosition(): number {
    return this.flushed
  }
  get minOffset(): number {
    return this.segments[0]?.fileFromOffset ?? 0
  }
  get segmentBytes(): number {
    return this.options.segmentBytes
  }

  /** Opens the segment files in the directory; positions are set afterwards by recovery. */
  load(): void {
    const { io, dir, segmentBytes } = this.options
    io.mkdirSync(dir)
    removeUnfinishedFiles(io, dir)
    const names = io.readdirSync(dir).sort()
    for (const name of names) {
      if (name.endsWith(WARM_SUFFIX)) {
        io.unlinkSync(path.join(dir, name)) // an unfinished warm-up; it never held data
        continue
      }
      if (!SEGMENT_NAME_PATTERN.test(name)) continue
      const fileFromOffset = Number(name)
      const segment = SegmentFile.open(io, dir, fileFromOffset, segmentBytes)
      const size = io.fileSizeSync(segment.fd)
      const previous = this.segments.at(-1)
      if (size !== segmentBytes) {
        segment.close()
        throw new StoreCorruptionError(
          segment.path,
          0,
          `segment size ${size} != mappedFileSizeCommitLog ${segmentBytes}`,
        )
      }
      if (
        fileFromOffset % segmentBytes !== 0 ||
        (previous && previous.fileFromOffset + segmentBytes !== fileFromOffset)
      ) {
        segment.close()
        throw new StoreCorruptionError(segment.path, 0, 'segment name does not follow the previous segment')
      }
      this.segments.push(segment)
    }
  }

  /** Sets all positions to `offset` after recovery has verified the log up to it. */
  resetPositions(offset: number): void {
    this.wrote = this.committed = this.flushed = this.stagingStart = offset
    this.recent.reset(offset)
  }

  segmentFor(offset: number): SegmentFile | undefined {
    const first = this.segments[0]
    if (!first || offset < first.fileFromOffset) return undefined
    return this.segments[Math.floor((offset - first.fileFromOffset) / this.options.segmentBytes)]
  }

  // ---- appending --------------------------------------------------------------------------------------

  /** True when a record of `size` bytes (plus room for a blank marker) does not fit in the current segment. */
  needsRoll(size: number): boolean {
    const current = this.segmentFor(this.wrote)
    if (!current) return true
    return this.wrote + size + END_FILE_MIN_BLANK_LENGTH > current.fileFromOffset + current.fileSize
  }

  /** Bytes appended and not yet committed. */
  stagedBytes(): number {
    return this.wrote - this.stagingStart
  }

  /** Bytes left in staging for new records. */
  stagingRoom(): number {
    return this.staging.length - (this.wrote - this.stagingStart)
  }

  /** The segment the next record goes to, creating it when needed. Throws when it cannot be created. */
  ensureWritableSegment(): SegmentFile {
    const existing = this.segmentFor(this.wrote)
    if (existing) return existing
    const fileFromOffset =
      this.segments.length === 0 ? this.wrote - (this.wrote % this.options.segmentBytes) : this.wrote
    const segment = this.createSegment(fileFromOffset)
    this.segments.push(segment)
    return segment
  }

  /**
   * Writes the blank marker that pads the current segment; the caller then commits and calls rollSegment().
   * The next segment is created first so a failure leaves the log unchanged.
   */
  padSegmentEnd(): void {
    const current = this.segmentFor(this.wrote)
    assertInvariant(current !== undefined, 'padSegmentEnd without a current segment')
    const segmentEnd = current.fileFromOffset + current.fileSize
    const next = this.segmentFor(segmentEnd) ?? this.createSegment(segmentEnd)
    if (!this.segments.includes(next)) this.segments.push(next)
    writeBlankMarker(this.staging, this.wrote - this.stagingStart, segmentEnd - this.wrote)
    this.wrote += END_FILE_MIN_BLANK_LENGTH
  }

  /** After the padded segment is committed: continue at the start of the next segment. */
  rollSegment(): void {
    const current = this.segmentFor(this.committed - 1)
    assertInvariant(
      current !== undefined && this.committed === this.wrote,
      'rollSegment with uncommitted bytes',
    )
    const segmentEnd = current.fileFromOffset + current.fileSize
    this.wrote = this.committed = this.stagingStart = segmentEnd
  }

  /** Staging buffer and position where the next record of `size` bytes is to be encoded. */
  get stagingBuffer(): Buffer {
    return this.staging
  }
  get stagingWritePosition(): number {
    return this.wrote - this.stagingStart
  }

  /** Marks `size` bytes encoded at stagingWritePosition as appended. */
  advance(size: number): void {
    this.wrote += size
  }

  /**
   * Writes staged bytes to the segment (one write). Returns the committed range as a view into staging that
   * stays valid until the next append. On failure nothing counts as committed and the error is rethrown; the
   * caller decides whether to discard the staged records.
   */
  commit(): { readonly buf: Buffer; readonly start: number; readonly end: number } | undefined {
    const length = this.wrote - this.stagingStart
    if (length === 0) return undefined
    const segment = this.segmentFor(this.stagingStart)
    assertInvariant(segment !== undefined, `no segment for committed offset ${this.stagingStart}`)
    assertInvariant(
      this.wrote <= segment.fileFromOffset + segment.fileSize,
      'staged bytes cross a segment end',
    )
    segment.write(this.staging, 0, length, this.stagingStart - segment.fileFromOffset)
    const start = this.stagingStart
    this.recent.append(this.staging, 0, length, start)
    this.committed = this.wrote
    this.stagingStart = this.wrote
    // Half way through a segment, start pre-writing the next one: late enough not to compete with the
    // flushes of a fresh store, early enough to be ready before the roll at any append rate we reach.
    if (this.committed - segment.fileFromOffset >= segment.fileSize / 2) this.warmNextSegment()
    return { buf: this.staging, start, end: this.committed }
  }

  /** Drops staged records after a failed commit, zeroing any part of them that reached the file. */
  discardStaged(partiallyWrittenBytes: number): void {
    if (partiallyWrittenBytes > 0) {
      const segment = this.segmentFor(this.stagingStart)
      if (segment) {
        try {
          segment.write(
            Buffer.alloc(partiallyWrittenBytes),
            0,
            partiallyWrittenBytes,
            this.stagingStart - segment.fileFromOffset,
          )
        } catch {
          // Recovery still rejects these bytes: they are not followed by a valid record chain from a checkpoint.
        }
      }
    }
    this.wrote = this.stagingStart
  }

  /** fdatasync every segment holding bytes in [flushed, committed). Resolves with the new flushed offset. */
  async flush(): Promise<number> {
    const target = this.committed
    if (target <= this.flushed) return this.flushed
    const first = this.segmentFor(this.flushed) ?? this.segmentFor(this.flushed - 1)
    const last = this.segmentFor(target - 1)
    const from = first ? this.segments.indexOf(first) : 0
    const to = last ? this.segments.indexOf(last) : this.segments.length - 1
    for (let i = from; i <= to; i++) await this.segments[i]?.datasync()
    if (target > this.flushed) this.flushed = target
    return this.flushed
  }

  // ---- reading ----------------------------------------------------------------------------------------

  /** Copies `length` bytes at `offset` (within one segment) into `target`; false when not available. */
  read(offset: number, length: number, target: Buffer, targetOffset: number): boolean {
    if (offset < this.minOffset || offset + length > this.wrote) return false
    if (offset >= this.stagingStart) {
      this.staging.copy(target, targetOffset, offset - this.stagingStart, offset - this.stagingStart + length)
      return true
    }
    if (this.recent.read(offset, length, target, targetOffset)) return true
    const segment = this.segmentFor(offset)
    if (!segment || offset + length > segment.fileFromOffset + segment.fileSize) return false
    if (offset + length > this.stagingStart) {
      const fromFile = this.stagingStart - offset
      if (segment.read(target, targetOffset, fromFile, offset - segment.fileFromOffset) !== fromFile)
        return false
      this.staging.copy(target, targetOffset + fromFile, 0, length - fromFile)
      return true
    }
    return segment.read(target, targetOffset, length, offset - segment.fileFromOffset) === length
  }

  // ---- recovery and retention -------------------------------------------------------------------------

  /**
   * Cuts the log at `offset`: zeroes what follows in that segment and deletes later segments, so no stale
   * record can ever be read back after new appends. Written bytes are contiguous from the segment start, so
   * a zero run longer than the largest record (`zeroRunBytes`) marks the end of anything ever written there.
   */
  truncate(offset: number, zeroRunBytes: number): void {
    const segment = this.segmentFor(offset) ?? this.segmentFor(offset - 1)
    if (segment) {
      const chunkBytes = 1024 * 1024
      const chunk = Buffer.allocUnsafe(chunkBytes)
      const zeros = Buffer.alloc(chunkBytes)
      const end = segment.fileFromOffset + segment.fileSize
      let zeroRun = 0
      for (let pos = offset; pos < end && zeroRun < zeroRunBytes; pos += chunkBytes) {
        const n = Math.min(chunkBytes, end - pos)
        const got = segment.read(chunk, 0, n, pos - segment.fileFromOffset)
        if (chunk.subarray(0, got).equals(zeros.subarray(0, got))) {
          zeroRun += got
          continue
        }
        zeroRun = 0
        segment.write(zeros, 0, n, pos - segment.fileFromOffset)
      }
    }
    while ((this.segments.at(-1)?.fileFromOffset ?? -1) > offset) this.segments.pop()!.destroy()
    this.resetPositions(offset)
  }

  /** Removes the oldest segment (retention). Never the one being written. */
  deleteOldestSegment(): SegmentFile | undefined {
    if (this.segments.length <= 1) return undefined
    const oldest = this.segments[0]!
    if (oldest.fileFromOffset + oldest.fileSize > this.wrote) return undefined
    this.segments.shift()
    oldest.destroy()
    return oldest
  }

  close(): void {
    for (const segment of this.segments) segment.close()
  }

  /**
   * A new store: create the first segment pre-written (when warming is on) before the first append, so the
   * first gigabyte is not written into holes.
   */
  async prepareFirstSegment(): Promise<void> {
    if (this.segments.length > 0 || !this.options.warmSegments) return
    await this.warming
    this.warmSegmentAt(this.wrote - (this.wrote % this.options.segmentBytes))
    await this.warming
  }

  /** Waits for a background warm-up to finish (tests, shutdown). */
  async idle(): Promise<void> {
    await this.warming
  }

  private createSegment(fileFromOffset: number): SegmentFile {
    const { io, dir, segmentBytes } = this.options
    const warmPath = path.join(dir, offsetToFileName(fileFromOffset) + WARM_SUFFIX)
    const finalPath = path.join(dir, offsetToFileName(fileFromOffset))
    // A segment the warmer finished is renamed into place; otherwise create it sparse now.
    if (!io.existsSync(finalPath) && io.existsSync(warmPath) && !this.warming)
      io.renameSync(warmPath, finalPath)
    if (io.existsSync(finalPath)) return SegmentFile.open(io, dir, fileFromOffset, segmentBytes)
    return SegmentFile.create(io, dir, fileFromOffset, segmentBytes)
  }

  /**
   * Pre-writes the segment after the current one under a temporary name on the thread pool, then renames it
   * into place. Overwriting written blocks makes fdatasync cheaper than filling holes (PERF.md 1.2); a roll
   * that comes before the warm-up finishes simply creates the segment sparse, and the warm file is dropped.
   */
  private warmNextSegment(): void {
    if (!this.options.warmSegments || this.warming) return
    const current = this.segmentFor(this.wrote)
    if (!current) return
    const nextOffset = current.fileFromOffset + current.fileSize
    if (nextOffset === this.warmedOffset) return
    this.warmedOffset = nextOffset
    this.warmSegmentAt(nextOffset)
  }

  private warmSegmentAt(fileFromOffset: number): void {
    const { io, dir, segmentBytes } = this.options
    const finalPath = path.join(dir, offsetToFileName(fileFromOffset))
    if (io.existsSync(finalPath)) return
    const warmPath = finalPath + WARM_SUFFIX
    this.warming = (async () => {
      let fd: number | undefined
      try {
        fd = io.openSync(warmPath, 'w+')
        await io.writeZeros(fd, 0, segmentBytes)
        await io.fdatasync(fd)
        io.closeSync(fd)
        fd = undefined
        if (io.existsSync(finalPath)) io.unlinkSync(warmPath)
        else io.renameSync(warmPath, finalPath)
      } catch {
        // Warm-up is an optimization: on any failure the segment is created sparse when needed.
        if (fd !== undefined) io.closeSync(fd)
        if (io.existsSync(warmPath)) io.unlinkSync(warmPath)
      } finally {
        this.warming = undefined
      }
    })()
  }
}
