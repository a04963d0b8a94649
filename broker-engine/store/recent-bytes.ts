// The newest committed CommitLog bytes, kept in a fixed ring. Consumers that keep up read messages a moment after
// they were written; serving those from memory turns a pull's one read() per record into a memcpy, which is what
// RocketMQ gets from its page-cache mappings. Older bytes come from the segment files as before.
//
// Ring position = CommitLog offset % capacity, so a contiguous run of offsets needs no bookkeeping beyond the
// range held: [start, end).

export class RecentBytes {
  private readonly ring: Buffer
  private start = 0
  private end = 0

  constructor(capacityBytes: number) {
    // Filled at once so its memory is committed when the store opens, not during the first appends.
    this.ring = Buffer.allocUnsafe(Math.max(0, capacityBytes)).fill(0)
  }

  /** Forgets everything held; the next append starts a new run at `offset`. */
  reset(offset: number): void {
    this.start = this.end = offset
  }

  /** Records that src[srcStart, srcEnd) was committed at CommitLog `offset`. A gap starts a new run. */
  append(src: Buffer, srcStart: number, srcEnd: number, offset: number): void {
    const capacity = this.ring.length
    if (capacity === 0) return
    if (offset !== this.end) this.reset(offset)
    let from = srcStart
    let at = offset
    if (srcEnd - from > capacity) {
      at += srcEnd - from - capacity
      from = srcEnd - capacity
    }
    while (from < srcEnd) {
      const pos = at % capacity
      const n = Math.min(srcEnd - from, capacity - pos)
      src.copy(this.ring, pos, from, from + n)
      from += n
      at += n
    }
    this.end = at
    if (this.end - this.start > capacity) this.start = this.end - capacity
  }

  /** Copies [offset, offset + length) into target when all of it is held; false otherwise. */
  read(offset: number, length: number, target: Buffer, targetOffset: number): boolean {
    if (offset < this.start || offset + length > this.end) return false
    const capacity = this.ring.length
    const pos = offset % capacity
    const first = Math.min(length, capacity - pos)
    this.ring.copy(target, targetOffset, pos, pos + first)
    if (first < length) this.ring.copy(target, targetOffset + first, 0, length - first)
    return true
  }
}
