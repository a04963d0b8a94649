// A ConsumeQueue: the per-topic, per-queue index of the CommitLog. Unit n (queue offset n) sits at byte n×20
// of the queue's files, so a lookup by queue offset is one positional read.
//
//   unit (20 bytes, big-endian)
//   0               8        12               20
//   +---------------+--------+----------------+
//   | commitLogOff  |  size  |   tagsCode     |
//   |    int64      | int32  |    int64       |
//   +---------------+--------+----------------+
//
// Files are named by their start byte offset. Units are staged in memory and written in batches; a unit whose
// size is 0 was never written (files are created zero-filled).

import path from 'node:path'
import { assertInvariant, StoreCorruptionError } from '../common/engine-error'
import { topicIndexPrefixHash } from './index-service'
import { readInt64BE, setInt64, writeInt64BE } from './message-codec'
import { removeUnfinishedFiles, SegmentFile } from './segment-file'
import { SEGMENT_NAME_PATTERN, type StoreIo } from './store-io'

export const CQ_UNIT_BYTES = 20
/** Units staged per queue before a write; bounds the memory of each queue. */
const STAGING_UNITS = 256

export class ConsumeQueue {
  private readonly files: SegmentFile[] = []
  private staging: Buffer | undefined
  private stagingView: DataView | undefined
  /** Queue offset of staging[0]; units below it are in the files. */
  private stagingStartUnit = 0
  private minUnit = 0
  private maxUnit = 0
  private readonly dirtyFiles = new Set<SegmentFile>()
  /** Next queue offset handed to an append; ahead of maxUnit while records wait to be dispatched. */
  nextQueueOffset = 0
  /** The store's checkpoint epoch in which this queue was last listed as dirty. */
  dirtyEpoch = 0
  /** Waiting to be reported to the store's dispatch listener (long polling). */
  notifyPending = false
  /** Java hash of `topic#`, the prefix of every index key of this topic. */
  readonly indexKeyPrefixHash: number
  /** Scratch for reads of single units. */
  readonly unitScratch = Buffer.allocUnsafe(CQ_UNIT_BYTES)

  constructor(
    private readonly io: StoreIo,
    private readonly dir: string,
    readonly topic: string,
    readonly queueId: number,
    private readonly fileBytes: number,
  ) {
    this.indexKeyPrefixHash = topicIndexPrefixHash(topic)
  }

  get minOffset(): number {
    return this.minUnit
  }
  /** Number of units written (the next queue offset to be dispatched). */
  get maxOffset(): number {
    return this.maxUnit
  }
  get fileCount(): number {
    return this.files.length
  }

  /** Opens existing files and finds the last written unit by binary search (no full scan). */
  load(): void {
    if (!this.io.existsSync(this.dir)) return
    removeUnfinishedFiles(this.io, this.dir)
    const names = this.io
      .readdirSync(this.dir)
      .filter((n) => SEGMENT_NAME_PATTERN.test(n))
      .sort()
    for (const name of names) {
      const from = Number(name)
      const file = SegmentFile.open(this.io, this.dir, from, this.fileBytes)
      const size = this.io.fileSizeSync(file.fd)
      const previous = this.files.at(-1)
      if (
        size !== this.fileBytes ||
        from % this.fileBytes !== 0 ||
        (previous && previous.fileFromOffset + this.fileBytes !== from)
      ) {
        file.close()
        throw new StoreCorruptionError(
          file.path,
          0,
          `consume queue file size ${size} or name does not fit mappedFileSizeConsumeQueue ${this.fileBytes}`,
        )
      }
      this.files.push(file)
    }
    const first = this.files[0]
    const last = this.files.at(-1)
    if (!first || !last) return
    const unitsPerFile = this.fileBytes / CQ_UNIT_BYTES
    let lo = 0
    let hi = unitsPerFile
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.readUnitFromFile(last, mid) && this.unitScratch.readInt32BE(8) !== 0) lo = mid + 1
      else hi = mid
    }
    this.maxUnit = last.fileFromOffset / CQ_UNIT_BYTES + lo
    this.minUnit = first.fileFromOffset / CQ_UNIT_BYTES
    this.stagingStartUnit = this.maxUnit
    this.nextQueueOffset = this.maxUnit
  }

  /**
   * Adds the unit for `queueOffset`. Appending (queueOffset = maxOffset) is the normal case; a smaller offset
   * (re-dispatch after a crash) is checked against what is there and rewritten if it differs. Returns false
   * when staging is full and cannot be written out (the disk is failing).
   */
  putUnit(queueOffset: number, commitLogOffset: number, size: number, tagsCode: number): boolean {
    if (queueOffset < this.maxUnit) return this.repairUnit(queueOffset, commitLogOffset, size, tagsCode)
    assertInvariant(
      queueOffset === this.maxUnit,
      `${this.topic}/${this.queueId}: unit ${queueOffset} after max ${this.maxUnit}`,
    )
    if (!this.staging) {
      this.staging = Buffer.allocUnsafe(STAGING_UNITS * CQ_UNIT_BYTES)
      this.stagingView = new DataView(this.staging.buffer, this.staging.byteOffset, this.staging.byteLength)
    }
    if (this.maxUnit - this.stagingStartUnit >= STAGING_UNITS && !this.tryCommit()) return false
    const pos = (this.maxUnit - this.stagingStartUnit) * CQ_UNIT_BYTES
    const dv = this.stagingView!
    setInt64(dv, pos, commitLogOffset)
    dv.setInt32(pos + 8, size)
    setInt64(dv, pos + 12, tagsCode)
    this.maxUnit++
    if (this.nextQueueOffset < this.maxUnit) this.nextQueueOffset = this.maxUnit
    return true
  }

  /** Writes staged units to the files; false (staging kept) when the write fails. */
  tryCommit(): boolean {
    try {
      this.commit()
      return true
    } catch {
      return false
    }
  }

  /** Writes staged units to the files, creating files as needed. Throws on I/O failure, keeping the staging. */
  commit(): void {
    const staging = this.staging
    let unit = this.stagingStartUnit
    if (!staging || unit === this.maxUnit) return
    const unitsPerFile = this.fileBytes / CQ_UNIT_BYTES
    while (unit < this.maxUnit) {
      const file = this.fileForUnit(unit, true)!
      const fileEndUnit = file.fileFromOffset / CQ_UNIT_BYTES + unitsPerFile
      const end = Math.min(this.maxUnit, fileEndUnit)
      const from = (unit - this.stagingStartUnit) * CQ_UNIT_BYTES
      file.write(staging, from, (end - unit) * CQ_UNIT_BYTES, unit * CQ_UNIT_BYTES - file.fileFromOffset)
      this.dirtyFiles.add(file)
      unit = end
    }
    this.stagingStartUnit = this.maxUnit
  }

  /** fdatasync files written since the last flush. */
  async flush(): Promise<void> {
    const files = [...this.dirtyFiles]
    this.dirtyFiles.clear()
    for (const file of files) {
      if (this.files.includes(file)) await file.datasync()
    }
  }

  /**
   * Reads up to `count` units from `queueOffset` into `target` (20 bytes each); returns how many were read.
   * Units come from the files or from staging, whichever holds them.
   */
  readUnits(queueOffset: number, count: number, target: Buffer): number {
    if (queueOffset < this.minUnit || queueOffset >= this.maxUnit) return 0
    const wanted = Math.min(count, this.maxUnit - queueOffset, Math.floor(target.length / CQ_UNIT_BYTES))
    let done = 0
    while (done < wanted) {
      const unit = queueOffset + done
      if (unit >= this.stagingStartUnit) {
        const from = (unit - this.stagingStartUnit) * CQ_UNIT_BYTES
        const n = wanted - done
        this.staging!.copy(target, done * CQ_UNIT_BYTES, from, from + n * CQ_UNIT_BYTES)
        return wanted
      }
      const file = this.fileForUnit(unit, false)
      if (!file) return done
      const fileEndUnit = (file.fileFromOffset + file.fileSize) / CQ_UNIT_BYTES
      const n = Math.min(wanted - done, fileEndUnit - unit, this.stagingStartUnit - unit)
      const bytes = n * CQ_UNIT_BYTES
      if (
        file.read(target, done * CQ_UNIT_BYTES, bytes, unit * CQ_UNIT_BYTES - file.fileFromOffset) !== bytes
      )
        return done
      done += n
    }
    return done
  }

  /** Reads one unit into unitScratch; false when out of range. */
  readUnit(queueOffset: number): boolean {
    return this.readUnits(queueOffset, 1, this.unitScratch) === 1
  }

  /** Removes every unit pointing at or beyond `commitLogOffset` (CommitLog truncated after a crash). */
  truncateByCommitLogOffset(commitLogOffset: number): void {
    this.commit()
    let lo = this.minUnit
    let hi = this.maxUnit
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (this.readUnit(mid) && readInt64BE(this.unitScratch, 0) < commitLogOffset) lo = mid + 1
      else hi = mid
    }
    this.truncateUnits(lo)
  }

  /** Drops units from `queueOffset` on, zeroing them in the files. */
  truncateUnits(queueOffset: number): void {
    this.commit()
    if (queueOffset >= this.maxUnit) return
    const zeros = Buffer.alloc(64 * 1024)
    for (let unit = queueOffset; unit < this.maxUnit;) {
      const file = this.fileForUnit(unit, false)
      if (!file) break
      const fileEndUnit = (file.fileFromOffset + file.fileSize) / CQ_UNIT_BYTES
      const n = Math.min(this.maxUnit - unit, fileEndUnit - unit, zeros.length / CQ_UNIT_BYTES)
      file.write(zeros, 0, n * CQ_UNIT_BYTES, unit * CQ_UNIT_BYTES - file.fileFromOffset)
      this.dirtyFiles.add(file)
      unit += n
    }
    while (this.files.length > 1 && this.files.at(-1)!.fileFromOffset / CQ_UNIT_BYTES > queueOffset)
      this.files.pop()!.destroy()
    this.maxUnit = this.stagingStartUnit = this.nextQueueOffset = Math.max(queueOffset, this.minUnit)
  }

  /**
   * Retention: deletes files whose units all point below the CommitLog's min offset (never the last file) and
   * moves minOffset to the first unit that still points into the CommitLog.
   */
  deleteExpired(commitLogMinOffset: number): number {
    let deleted = 0
    const unitsPerFile = this.fileBytes / CQ_UNIT_BYTES
    while (this.files.length > 1) {
      const first = this.files[0]!
      const lastUnitOfFile = first.fileFromOffset / CQ_UNIT_BYTES + unitsPerFile - 1
      if (!this.readUnit(lastUnitOfFile) || readInt64BE(this.unitScratch, 0) >= commitLogMinOffset) break
      this.files.shift()
      this.dirtyFiles.delete(first)
      first.destroy()
      deleted++
      this.minUnit = Math.max(this.minUnit, first.fileFromOffset / CQ_UNIT_BYTES + unitsPerFile)
    }
    this.correctMinOffset(commitLogMinOffset)
    return deleted
  }

  /** Moves minOffset past units that point below `commitLogMinOffset`. */
  correctMinOffset(commitLogMinOffset: number): void {
    let lo = this.minUnit
    let hi = this.maxUnit
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (this.readUnit(mid) && readInt64BE(this.unitScratch, 0) < commitLogMinOffset) lo = mid + 1
      else hi = mid
    }
    this.minUnit = lo
  }

  close(): void {
    for (const file of this.files) file.close()
  }

  /** Deletes the queue's files and directory (topic deletion). */
  destroy(): void {
    for (const file of this.files) file.destroy()
    this.files.length = 0
  }

  private repairUnit(queueOffset: number, commitLogOffset: number, size: number, tagsCode: number): boolean {
    if (!this.readUnit(queueOffset)) return true // below minOffset: expired, nothing to repair
    const s = this.unitScratch
    if (readInt64BE(s, 0) === commitLogOffset && s.readInt32BE(8) === size && readInt64BE(s, 12) === tagsCode)
      return true
    writeInt64BE(s, 0, commitLogOffset)
    s.writeInt32BE(size, 8)
    writeInt64BE(s, 12, tagsCode)
    if (queueOffset >= this.stagingStartUnit) {
      s.copy(this.staging!, (queueOffset - this.stagingStartUnit) * CQ_UNIT_BYTES)
      return true
    }
    const file = this.fileForUnit(queueOffset, false)!
    file.write(s, 0, CQ_UNIT_BYTES, queueOffset * CQ_UNIT_BYTES - file.fileFromOffset)
    this.dirtyFiles.add(file)
    return true
  }

  private readUnitFromFile(file: SegmentFile, unitInFile: number): boolean {
    return file.read(this.unitScratch, 0, CQ_UNIT_BYTES, unitInFile * CQ_UNIT_BYTES) === CQ_UNIT_BYTES
  }

  private fileForUnit(unit: number, create: boolean): SegmentFile | undefined {
    const byteOffset = unit * CQ_UNIT_BYTES
    const fileFrom = byteOffset - (byteOffset % this.fileBytes)
    const first = this.files[0]
    if (first) {
      if (fileFrom < first.fileFromOffset) return undefined
      const found = this.files[(fileFrom - first.fileFromOffset) / this.fileBytes]
      if (found) return found
    }
    if (!create) return undefined
    assertInvariant(
      !first || this.files.at(-1)!.fileFromOffset + this.fileBytes === fileFrom,
      `${path.basename(this.dir)}: consume queue file gap`,
    )
    this.io.mkdirSync(this.dir)
    const file = SegmentFile.create(this.io, this.dir, fileFrom, this.fileBytes)
    this.files.push(file)
    return file
  }
}
