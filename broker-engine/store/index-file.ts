// One IndexFile, RocketMQ's on-disk hash index from keys to CommitLog offsets (PROTOCOL.md 5.2):
//
//   header (40) | hash slots (maxHashSlotNum × 4) | entries (maxIndexNum × 20)
//   header: beginTimestamp i64, endTimestamp i64, beginPhyOffset i64, endPhyOffset i64,
//           hashSlotCount i32, indexCount i32 (starts at 1; entry 0 is never used)
//   slot:   i32 number of the newest entry whose key hashes to the slot (0 = empty)
//   entry:  keyHash i32 | phyOffset i64 | timeDiff i32 (s since beginTimestamp) | prevIndex i32
//
// The active file keeps its slot array in memory (fixed size, it never grows with messages) and writes the
// changed pages at each checkpoint; entries are appended through a small staging buffer.

import path from 'node:path'
import { readInt64BE, setInt64, writeInt64BE } from './message-codec'
import { createFullSize } from './segment-file'
import { readFully, writeFully, type StoreIo } from './store-io'

export const INDEX_HEADER_BYTES = 40
export const INDEX_SLOT_BYTES = 4
export const INDEX_ENTRY_BYTES = 20
const SLOT_PAGE_BYTES = 4096
const STAGING_ENTRIES = 4096
const INT32_MAX = 2147483647

export type PutKeyOutcome = 'OK' | 'FULL' | 'IO_FAILED'

export class IndexFile {
  beginTimestamp = 0
  endTimestamp = 0
  beginPhyOffset = 0
  endPhyOffset = 0
  hashSlotCount = 0
  indexCount = 1
  private slots: Buffer | undefined
  private dirtySlotPages: Uint8Array | undefined
  private readonly staging = Buffer.allocUnsafe(STAGING_ENTRIES * INDEX_ENTRY_BYTES)
  private readonly stagingView = new DataView(
    this.staging.buffer,
    this.staging.byteOffset,
    this.staging.byteLength,
  )
  private slotsView: DataView | undefined
  /** Entries below this number are in the file; the rest are staged. */
  private committedCount = 1
  private readonly scratch = Buffer.allocUnsafe(INDEX_ENTRY_BYTES)
  private readonly entriesAt: number

  private constructor(
    private readonly io: StoreIo,
    readonly path: string,
    private readonly fd: number,
    readonly slotNum: number,
    readonly indexNum: number,
  ) {
    this.entriesAt = INDEX_HEADER_BYTES + slotNum * INDEX_SLOT_BYTES
  }

  static fileBytes(slotNum: number, indexNum: number): number {
    return INDEX_HEADER_BYTES + slotNum * INDEX_SLOT_BYTES + indexNum * INDEX_ENTRY_BYTES
  }

  /** Creates an empty index file (sparse) whose slots live in memory. */
  static create(io: StoreIo, filePath: string, slotNum: number, indexNum: number): IndexFile {
    const fd = createFullSize(io, filePath, IndexFile.fileBytes(slotNum, indexNum))
    const file = new IndexFile(io, filePath, fd, slotNum, indexNum)
    // Fill (not just allocate) the slot array: keys hash to every page of it within the first messages, so its
    // memory is a fixed cost of an open store, committed here rather than while messages arrive.
    file.setSlots(Buffer.allocUnsafe(slotNum * INDEX_SLOT_BYTES).fill(0))
    file.dirtySlotPages = new Uint8Array(Math.ceil((slotNum * INDEX_SLOT_BYTES) / SLOT_PAGE_BYTES))
    file.writeHeader()
    return file
  }

  /** Opens an existing file; `active` loads its slot array into memory so it can take new keys. */
  static open(io: StoreIo, filePath: string, slotNum: number, indexNum: number, active: boolean): IndexFile {
    const fd = io.openSync(filePath, 'r+')
    const file = new IndexFile(io, filePath, fd, slotNum, indexNum)
    const header = Buffer.alloc(INDEX_HEADER_BYTES)
    readFully(io, fd, header, 0, INDEX_HEADER_BYTES, 0)
    file.beginTimestamp = readInt64BE(header, 0)
    file.endTimestamp = readInt64BE(header, 8)
    file.beginPhyOffset = readInt64BE(header, 16)
    file.endPhyOffset = readInt64BE(header, 24)
    file.hashSlotCount = header.readInt32BE(32)
    file.indexCount = Math.max(1, Math.min(header.readInt32BE(36), indexNum))
    file.committedCount = file.indexCount
    if (active) file.loadSlots()
    return file
  }

  get name(): string {
    return path.basename(this.path)
  }
  get isFull(): boolean {
    return this.indexCount >= this.indexNum
  }
  get isActive(): boolean {
    return this.slots !== undefined
  }

  /** Adds one key (its non-negative hash) for the record at `phyOffset` stored at `storeTimestampMs`. */
  putKey(keyHash: number, phyOffset: number, storeTimestampMs: number): PutKeyOutcome {
    const slots = this.slots
    if (!slots || this.indexCount >= this.indexNum) return 'FULL'
    if (this.indexCount - this.committedCount >= STAGING_ENTRIES) {
      try {
        this.commitEntries()
      } catch {
        return 'IO_FAILED'
      }
    }
    const slotPos = (keyHash % this.slotNum) * INDEX_SLOT_BYTES
    let prev = this.slotsView!.getInt32(slotPos)
    if (prev <= 0 || prev >= this.indexCount) prev = 0
    if (this.indexCount <= 1) {
      this.beginTimestamp = storeTimestampMs
      this.beginPhyOffset = phyOffset
    }
    let timeDiffSec = Math.floor((storeTimestampMs - this.beginTimestamp) / 1000)
    if (timeDiffSec < 0) timeDiffSec = 0
    else if (timeDiffSec > INT32_MAX) timeDiffSec = INT32_MAX
    const pos = (this.indexCount - this.committedCount) * INDEX_ENTRY_BYTES
    const dv = this.stagingView
    dv.setInt32(pos, keyHash)
    setInt64(dv, pos + 4, phyOffset)
    dv.setInt32(pos + 12, timeDiffSec)
    dv.setInt32(pos + 16, prev)
    this.slotsView!.setInt32(slotPos, this.indexCount)
    this.dirtySlotPages![slotPos >>> 12] = 1
    if (prev === 0) this.hashSlotCount++
    this.indexCount++
    this.endPhyOffset = phyOffset
    this.endTimestamp = storeTimestampMs
    return 'OK'
  }

  /** Writes staged entries (one write). Throws on I/O failure, keeping them staged. */
  commitEntries(): void {
    const count = this.indexCount - this.committedCount
    if (count === 0) return
    writeFully(
      this.io,
      this.fd,
      this.staging,
      0,
      count * INDEX_ENTRY_BYTES,
      this.entriesAt + this.committedCount * INDEX_ENTRY_BYTES,
    )
    this.committedCount = this.indexCount
  }

  /** Checkpoint step: entries, then changed slot pages, then the header, all written to the file. */
  writeCheckpoint(): void {
    this.commitEntries()
    const slots = this.slots
    const dirty = this.dirtySlotPages
    if (slots && dirty) {
      for (let page = 0; page < dirty.length;) {
        if (dirty[page] === 0) {
          page++
          continue
        }
        let end = page
        while (end < dirty.length && dirty[end] === 1) dirty[end++] = 0
        const from = page * SLOT_PAGE_BYTES
        const to = Math.min(end * SLOT_PAGE_BYTES, slots.length)
        writeFully(this.io, this.fd, slots, from, to - from, INDEX_HEADER_BYTES + from)
        page = end
      }
    }
    this.writeHeader()
  }

  datasync(): Promise<void> {
    return this.io.fdatasync(this.fd)
  }

  /** A full file: write everything, sync, and drop the in-memory slots (lookups then read the file). */
  finalize(): void {
    this.writeCheckpoint()
    this.io.fdatasyncSync(this.fd)
    this.setSlots(undefined)
    this.dirtySlotPages = undefined
  }

  /** True when this file may hold entries stored within [beginMs, endMs]. */
  isTimeMatched(beginMs: number, endMs: number): boolean {
    if (this.indexCount <= 1) return false
    return this.beginTimestamp <= endMs && this.endTimestamp >= beginMs
  }

  /**
   * Collects CommitLog offsets of entries with this key hash stored in [beginMs, endMs], newest first, up to
   * `maxNum` in `out`. Times are whole seconds from beginTimestamp, so the window is widened by one second
   * and the caller checks exact store times on the records.
   */
  lookup(keyHash: number, maxNum: number, beginMs: number, endMs: number, out: number[]): void {
    const from = beginMs - 1000
    let index = this.readSlot(keyHash % this.slotNum)
    while (index > 0 && index < this.indexCount && out.length < maxNum) {
      if (!this.readEntry(index)) return
      const e = this.scratch
      const timeMs = this.beginTimestamp + e.readInt32BE(12) * 1000
      if (e.readInt32BE(0) === keyHash && timeMs >= from && timeMs <= endMs) out.push(readInt64BE(e, 4))
      const prev = e.readInt32BE(16)
      if (prev <= 0 || prev >= index || timeMs < from) return
      index = prev
    }
  }

  /**
   * Crash recovery: forgets entries for records at or beyond `phyOffsetLimit`, then repairs every slot that
   * pointed at a forgotten entry by following the chain back to the newest entry that stays.
   */
  truncateTo(phyOffsetLimit: number): void {
    if (!this.slots) this.loadSlots()
    const slots = this.slots!
    let lo = 1
    let hi = this.indexCount
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.readEntry(mid) && readInt64BE(this.scratch, 4) < phyOffsetLimit) lo = mid + 1
      else hi = mid
    }
    const validCount = lo
    let used = 0
    for (let pos = 0; pos < slots.length; pos += INDEX_SLOT_BYTES) {
      let index = slots.readInt32BE(pos)
      if (index === 0) continue
      let steps = 0
      while (index >= validCount && steps++ < this.indexNum) {
        // Entries reach the file before the slots that point at them, so the file has every link.
        index = this.readEntryFromFile(index) ? this.scratch.readInt32BE(16) : 0
      }
      if (index < 0 || index >= validCount) index = 0
      slots.writeInt32BE(index, pos)
      this.dirtySlotPages![pos >>> 12] = 1
      if (index > 0) used++
    }
    this.indexCount = this.committedCount = validCount
    this.hashSlotCount = used
    if (validCount > 1 && this.readEntry(validCount - 1)) {
      this.endPhyOffset = readInt64BE(this.scratch, 4)
      this.endTimestamp = this.beginTimestamp + this.scratch.readInt32BE(12) * 1000
    } else {
      this.beginTimestamp = this.endTimestamp = this.beginPhyOffset = this.endPhyOffset = 0
    }
    this.writeCheckpoint()
  }

  close(): void {
    this.io.closeSync(this.fd)
  }

  destroy(): void {
    this.close()
    this.io.unlinkSync(this.path)
  }

  private setSlots(slots: Buffer | undefined): void {
    this.slots = slots
    this.slotsView = slots ? new DataView(slots.buffer, slots.byteOffset, slots.byteLength) : undefined
  }

  private loadSlots(): void {
    this.setSlots(Buffer.alloc(this.slotNum * INDEX_SLOT_BYTES))
    this.dirtySlotPages = new Uint8Array(Math.ceil(this.slots!.length / SLOT_PAGE_BYTES))
    readFully(this.io, this.fd, this.slots!, 0, this.slots!.length, INDEX_HEADER_BYTES)
  }

  private readSlot(slot: number): number {
    if (this.slotsView) return this.slotsView.getInt32(slot * INDEX_SLOT_BYTES)
    const got = readFully(
      this.io,
      this.fd,
      this.scratch,
      0,
      INDEX_SLOT_BYTES,
      INDEX_HEADER_BYTES + slot * INDEX_SLOT_BYTES,
    )
    return got === INDEX_SLOT_BYTES ? this.scratch.readInt32BE(0) : 0
  }

  /** Reads entry `index` into scratch, from staging or the file. */
  private readEntry(index: number): boolean {
    if (index >= this.committedCount) {
      if (index >= this.indexCount) return false
      const pos = (index - this.committedCount) * INDEX_ENTRY_BYTES
      this.staging.copy(this.scratch, 0, pos, pos + INDEX_ENTRY_BYTES)
      return true
    }
    return this.readEntryFromFile(index)
  }

  private readEntryFromFile(index: number): boolean {
    if (index <= 0 || index >= this.indexNum) return false
    const at = this.entriesAt + index * INDEX_ENTRY_BYTES
    return readFully(this.io, this.fd, this.scratch, 0, INDEX_ENTRY_BYTES, at) === INDEX_ENTRY_BYTES
  }

  private writeHeader(): void {
    const header = Buffer.alloc(INDEX_HEADER_BYTES)
    writeInt64BE(header, 0, this.beginTimestamp)
    writeInt64BE(header, 8, this.endTimestamp)
    writeInt64BE(header, 16, this.beginPhyOffset)
    writeInt64BE(header, 24, this.endPhyOffset)
    header.writeInt32BE(this.hashSlotCount, 32)
    header.writeInt32BE(this.indexCount, 36)
    writeFully(this.io, this.fd, header, 0, INDEX_HEADER_BYTES, 0)
  }
}
