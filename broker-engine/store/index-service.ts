// The set of IndexFiles: adds every message's keys and unique id, answers key queries across files newest
// first, rolls to a new file when one is full, and removes files that only point at deleted CommitLog.

import path from 'node:path'
import type { Clock } from '../common/clock'
import { IndexFile } from './index-file'
import { removeUnfinishedFiles } from './segment-file'
import type { StoreIo } from './store-io'

const INDEX_FILE_NAME = /^\d{17}$/

/** Continues a Java String.hashCode over `text[from, to)` from `hash`. */
function continueJavaHash(hash: number, text: string, from: number, to: number): number {
  let h = hash
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0
  return h
}

/** RocketMQ's indexKeyHashMethod: |hashCode|, with Integer.MIN_VALUE mapped to 0. */
function nonNegative(hash: number): number {
  return hash === -2147483648 ? 0 : Math.abs(hash)
}

/** Java hash of `topic#`: every index key of a topic starts with it, so it is computed once per topic. */
export function topicIndexPrefixHash(topic: string): number {
  return continueJavaHash(0, topic + '#', 0, topic.length + 1)
}

export function indexKeyHash(topicPrefixHash: number, key: string): number {
  return nonNegative(continueJavaHash(topicPrefixHash, key, 0, key.length))
}

function formatIndexFileName(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}${p(d.getMilliseconds(), 3)}`
}

export class IndexService {
  readonly files: IndexFile[] = []

  constructor(
    private readonly io: StoreIo,
    private readonly dir: string,
    private readonly slotNum: number,
    private readonly indexNum: number,
    private readonly clock: Clock,
  ) {}

  load(): void {
    this.io.mkdirSync(this.dir)
    removeUnfinishedFiles(this.io, this.dir)
    const names = this.io
      .readdirSync(this.dir)
      .filter((n) => INDEX_FILE_NAME.test(n))
      .sort()
    names.forEach((name, i) => {
      const active = i === names.length - 1
      this.files.push(IndexFile.open(this.io, path.join(this.dir, name), this.slotNum, this.indexNum, active))
    })
  }

  /** A new store starts with its first index file, so its fixed memory is there from the start. */
  ensureActiveFile(): void {
    if (this.files.length === 0) this.rollFile(undefined)
  }

  /**
   * Indexes one record under its unique id and each space-separated key. Returns false when the index could
   * not take them (I/O failure); the caller retries the record later.
   */
  putRecord(
    topicPrefixHash: number,
    keys: string | undefined,
    uniqKey: string | undefined,
    phyOffset: number,
    storeTimestampMs: number,
  ): boolean {
    if (uniqKey && !this.putHash(indexKeyHash(topicPrefixHash, uniqKey), phyOffset, storeTimestampMs))
      return false
    if (!keys) return true
    let from = 0
    while (from < keys.length) {
      let to = keys.indexOf(' ', from)
      if (to < 0) to = keys.length
      if (
        to > from &&
        !this.putHash(
          nonNegative(continueJavaHash(topicPrefixHash, keys, from, to)),
          phyOffset,
          storeTimestampMs,
        )
      ) {
        return false
      }
      from = to + 1
    }
    return true
  }

  /** CommitLog offsets whose key matches `topic#key` (by hash; callers verify), newest first. */
  query(topicPrefixHash: number, key: string, maxNum: number, beginMs: number, endMs: number): number[] {
    const hash = indexKeyHash(topicPrefixHash, key)
    const out: number[] = []
    for (let i = this.files.length - 1; i >= 0 && out.length < maxNum; i--) {
      const file = this.files[i]!
      if (file.isTimeMatched(beginMs - 1000, endMs)) file.lookup(hash, maxNum, beginMs, endMs, out)
    }
    return out
  }

  get lastUpdateTimestamp(): number {
    return this.files.at(-1)?.endTimestamp ?? 0
  }
  get lastUpdatePhyOffset(): number {
    return this.files.at(-1)?.endPhyOffset ?? 0
  }

  /** Writes staged entries of the active file; throws on I/O failure. */
  commit(): void {
    this.files.at(-1)?.commitEntries()
  }

  /** Checkpoint step 1 (synchronous): everything the active file holds goes to the file. */
  writeCheckpoint(): void {
    this.files.at(-1)?.writeCheckpoint()
  }

  /** Checkpoint step 2: make it durable. */
  async flush(): Promise<void> {
    await this.files.at(-1)?.datasync()
  }

  /** Crash recovery: forget entries for records at or beyond `phyOffsetLimit`. */
  truncateTo(phyOffsetLimit: number): void {
    while (this.files.length > 0) {
      const last = this.files.at(-1)!
      if (last.indexCount > 1 && last.beginPhyOffset >= phyOffsetLimit && this.files.length > 1) {
        this.files.pop()
        last.destroy()
        continue
      }
      break
    }
    // The active file is always repaired: a crash in the middle of a checkpoint can leave slots written that
    // point past the header's entry count while the header still says its end is below the limit.
    for (let i = this.files.length - 1; i >= 0; i--) {
      const file = this.files[i]!
      if (i === this.files.length - 1 || (file.indexCount > 1 && file.endPhyOffset >= phyOffsetLimit)) {
        file.truncateTo(phyOffsetLimit)
      } else break
    }
  }

  /** Retention: deletes files whose newest entry points below the CommitLog's min offset (never the last). */
  deleteExpired(commitLogMinOffset: number): number {
    let deleted = 0
    while (this.files.length > 1 && this.files[0]!.endPhyOffset < commitLogMinOffset) {
      this.files.shift()!.destroy()
      deleted++
    }
    return deleted
  }

  close(): void {
    for (const file of this.files) file.close()
  }

  private putHash(hash: number, phyOffset: number, storeTimestampMs: number): boolean {
    let file = this.files.at(-1)
    if (!file || file.isFull) {
      try {
        file = this.rollFile(file)
      } catch {
        return false
      }
    }
    return file.putKey(hash, phyOffset, storeTimestampMs) === 'OK'
  }

  private rollFile(full: IndexFile | undefined): IndexFile {
    full?.finalize()
    let ms = this.clock.nowMs()
    const lastName = this.files.at(-1)?.name
    let name = formatIndexFileName(ms)
    while (lastName !== undefined && name <= lastName) name = formatIndexFileName(++ms)
    const file = IndexFile.create(this.io, path.join(this.dir, name), this.slotNum, this.indexNum)
    this.files.push(file)
    return file
  }
}
