// The message store: RocketMQ's DefaultMessageStore in one place. It appends records to the CommitLog, builds
// ConsumeQueues and the key index from them (dispatch), makes them durable by the configured flush policy,
// checkpoints, recovers after a crash, and serves reads by queue offset, by key and by message id.
//
// Everything runs on the caller's event loop: appends encode into a staging buffer; at the end of the turn one
// write() commits the batch, dispatch adds ConsumeQueue units and index entries, and the appends are answered
// (ASYNC_FLUSH) or handed to the group commit that answers them after fdatasync (SYNC_FLUSH).

import path from 'node:path'
import { randomInt } from 'node:crypto'
import { setRepeatingTimer, systemClock, type Clock, type TimerHandle } from '../common/clock'
import { EngineError, StoreCorruptionError } from '../common/engine-error'
import { Checkpoint, type CheckpointData } from './checkpoint'
import { CommitLog } from './commit-log'
import { ConsumeQueue, CQ_UNIT_BYTES } from './consume-queue'
import { computeTagsCode, parseForDispatch, scanCommitLog } from './dispatcher'
import { IndexService, topicIndexPrefixHash } from './index-service'
import { IndexFile } from './index-file'
import {
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  PROPERTIES_LENGTH_MAX,
  PROPERTY_KEYS,
  PROPERTY_UNIQ_KEY,
  QUEUE_ID_MAX,
  SYSFLAG_BORNHOST_V6,
  SYSFLAG_STOREHOST_V6,
  SYSFLAG_TRANSACTION_PREPARED_TYPE,
  SYSFLAG_TRANSACTION_ROLLBACK_TYPE,
  SYSFLAG_TRANSACTION_TYPE_MASK,
  TOPIC_LENGTH_MAX,
  TOPIC_PATTERN,
} from './message-constants'
import {
  bodyCrc32,
  decodeRecord,
  readInt64BE,
  recordLength,
  writeRecord,
  type DecodedMessage,
} from './message-codec'
import { createOffsetMsgId, decodeOffsetMsgId, offsetMsgIdPrefix, UniqKeyGenerator } from './message-id'
import { appendProperty, findProperty } from './message-properties'
import {
  parseDelayLevels,
  parseDeleteWhen,
  parseIpv4OrIpv6,
  resolveStoreConfig,
  type MessageStoreConfig,
} from './store-config'
import { errnoCode, nodeStoreIo, PartialWriteError, type StoreIo } from './store-io'
import { StoreLock } from './store-lock'
import type {
  GetMessageRequest,
  GetMessageResult,
  HostAddress,
  MessageToStore,
  PutMessageFailed,
  PutMessageOk,
  PutMessageResult,
  RecoveryReport,
  StoreRuntimeStats,
} from './store-types'

export type PutCallback = (result: PutMessageResult) => void

export interface QueueUnit {
  readonly commitLogOffset: number
  readonly size: number
  readonly tagsCode: number
}

/** Told, once per commit batch, which queues got messages and their new max queue offset (long polling). */
export type DispatchListener = (topic: string, queueId: number, maxOffset: number) => void

export interface MessageStoreDeps {
  readonly clock?: Clock
  readonly io?: StoreIo
  /** Where the store reports what recovery did and background failures. Defaults to console.warn. */
  readonly log?: (message: string) => void
}

const RECORD_OVERHEAD_MAX_BYTES = 64 * 1024
const PULL_BYTES_DEFAULT = 256 * 1024
/** Units a single getMessage scans when a filter skips messages (RocketMQ maxFilterMessageCount). */
const FILTER_SCAN_UNITS_MAX = 16_000
const QUERY_MAX_NUM_MAX = 64 * 1024
const BLANK_UNIT_SIZE = 0x7fffffff

const TPS_WINDOW_SECONDS = 5

function failed(status: PutMessageFailed['status'], reason: string): PutMessageFailed {
  return { status, reason }
}

export class MessageStore {
  readonly config: MessageStoreConfig
  private readonly clock: Clock
  private readonly io: StoreIo
  private readonly log: (message: string) => void
  private readonly commitLog: CommitLog
  private readonly queues = new Map<string, Map<number, ConsumeQueue>>()
  private readonly index: IndexService | undefined
  private checkpoint!: Checkpoint
  private lock!: StoreLock
  private readonly storeHost: HostAddress
  private readonly storeHostV6: boolean
  private readonly msgIdPrefix: string
  private readonly uniqKeys: UniqKeyGenerator
  private readonly delayLevelsMs: readonly number[]
  private readonly deleteHours: ReadonlySet<number>
  private readonly maxRecordBytes: number
  private timers: TimerHandle[] = []
  private lastValidTopic: string | undefined

  // Appended since the last commit, in CommitLog order (parallel arrays: no object per message).
  private pendCount = 0
  private readonly pendQueue: ConsumeQueue[] = []
  private readonly pendQueueOffset: number[] = []
  private readonly pendPhy: number[] = []
  private readonly pendSize: number[] = []
  private readonly pendTagsCode: number[] = []
  private readonly pendStoreTs: number[] = []
  private readonly pendKeys: (string | undefined)[] = []
  private readonly pendUniq: string[] = []
  private readonly pendSysFlag: number[] = []
  private readonly pendCallback: (PutCallback | undefined)[] = []

  // Committed and waiting for fdatasync (SYNC_FLUSH), oldest first from flushHead.
  private flushHead = 0
  private readonly flushWaitEnd: number[] = []
  private readonly flushWaitSinceMs: number[] = []
  private readonly flushWaitResult: PutMessageOk[] = []
  private readonly flushWaitCallback: PutCallback[] = []

  // Answers ready to deliver. Callbacks never run inside an append (they may append again), only from the tick.
  private ackCallbacks: PutCallback[] = []
  private ackResults: PutMessageResult[] = []

  private commitScheduled = false
  private flushInFlight: Promise<void> | undefined
  private checkpointInFlight: Promise<void> | undefined
  /** CommitLog offset up to which queues and index are built; behind `committed` only while dispatch is stalled. */
  private dispatched = 0
  private dispatchStalled = false
  private dirtyEpoch = 1
  private dispatchListener: DispatchListener | undefined
  private notifyQueues: ConsumeQueue[] = []
  private dirtyQueues: ConsumeQueue[] = []
  private closed = false
  private shutdownPromise: Promise<void> | undefined
  private lastFlushError: string | undefined

  private readonly startedAtMs: number
  private recovery: RecoveryReport | undefined
  private putCount = 0
  private putBytes = 0
  private readonly tpsSamples: number[] = []

  private constructor(config: MessageStoreConfig, deps: MessageStoreDeps) {
    this.config = config
    this.clock = deps.clock ?? systemClock
    this.io = deps.io ?? nodeStoreIo
    this.log = deps.log ?? ((m) => console.warn(`[mqdeck store] ${m}`))
    const address = parseIpv4OrIpv6(config.brokerIP1)!
    this.storeHost = { address, port: config.listenPort }
    this.storeHostV6 = address.length === 16
    this.msgIdPrefix = offsetMsgIdPrefix(this.storeHost)
    this.delayLevelsMs = parseDelayLevels(config.messageDelayLevel)!
    this.deleteHours = parseDeleteWhen(config.deleteWhen)!
    this.maxRecordBytes = config.maxMessageSize + RECORD_OVERHEAD_MAX_BYTES
    const ipv4 = address.length === 4 ? address : Uint8Array.of(127, 0, 0, 1)
    this.uniqKeys = new UniqKeyGenerator(this.clock, ipv4, process.pid, randomInt(0, 2 ** 31))
    this.commitLog = new CommitLog({
      dir: path.join(config.storePathRootDir, 'commitlog'),
      segmentBytes: config.mappedFileSizeCommitLog,
      writeBufferBytes: config.commitLogWriteBufferBytes + this.maxRecordBytes + 8,
      readCacheBytes: config.commitLogReadCacheBytes,
      warmSegments: config.warmMappedFileEnable,
      io: this.io,
    })
    if (config.messageIndexEnable) {
      this.index = new IndexService(
        this.io,
        path.join(config.storePathRootDir, 'index'),
        config.maxHashSlotNum,
        config.maxIndexNum,
        this.clock,
      )
    }
    this.startedAtMs = this.clock.nowMs()
  }

  /** Opens (creating or recovering) the store in `storePathRootDir`. */
  static async open(
    input: Partial<MessageStoreConfig> & { storePathRootDir: string },
    deps: MessageStoreDeps = {},
  ): Promise<MessageStore> {
    const store = new MessageStore(resolveStoreConfig(input), deps)
    await store.start()
    return store
  }

  // ---- put --------------------------------------------------------------------------------------------

  /** Appends a message; resolves once it is written (ASYNC_FLUSH) or durable (SYNC_FLUSH). */
  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    return new Promise((resolve) => this.appendMessage(msg, resolve))
  }

  /**
   * Appends a message and calls `callback` with the outcome: after the batch's write() for ASYNC_FLUSH, after
   * fdatasync for SYNC_FLUSH, or at once when the message is rejected.
   */
  appendMessage(msg: MessageToStore, callback?: PutCallback): void {
    const rejection = this.tryAppend(msg, callback)
    if (rejection) callback?.(rejection)
  }

  private tryAppend(msg: MessageToStore, callback: PutCallback | undefined): PutMessageFailed | undefined {
    if (this.closed) return failed('SERVICE_NOT_AVAILABLE', 'the store is shut down')
    if (this.dispatchStalled)
      return failed(
        'SERVICE_NOT_AVAILABLE',
        'the store is not writable: consume queue or index writes are failing (disk full?)',
      )
    const { topic, queueId, body } = msg
    if (topic !== this.lastValidTopic) {
      if (
        typeof topic !== 'string' ||
        topic.length === 0 ||
        topic.length > TOPIC_LENGTH_MAX ||
        !TOPIC_PATTERN.test(topic)
      ) {
        return failed(
          'MESSAGE_ILLEGAL',
          `topic must match ${TOPIC_PATTERN.source} and be 1-${TOPIC_LENGTH_MAX} chars`,
        )
      }
      this.lastValidTopic = topic
    }
    if (!Number.isInteger(queueId) || queueId < 0 || queueId > QUEUE_ID_MAX) {
      return failed('MESSAGE_ILLEGAL', `queueId must be an integer from 0 to ${QUEUE_ID_MAX}`)
    }
    if (!(body instanceof Uint8Array)) return failed('MESSAGE_ILLEGAL', 'body must be bytes')
    if (body.length > this.config.maxMessageSize) {
      return failed(
        'MESSAGE_ILLEGAL',
        `body of ${body.length} bytes exceeds maxMessageSize ${this.config.maxMessageSize}`,
      )
    }
    let properties = msg.propertiesString ?? ''
    if (properties.indexOf('\0') >= 0)
      return failed('MESSAGE_ILLEGAL', 'properties must not contain NUL characters')
    let uniqKey = findProperty(properties, PROPERTY_UNIQ_KEY)
    if (!uniqKey) {
      uniqKey = this.uniqKeys.next()
      properties = appendProperty(properties, PROPERTY_UNIQ_KEY, uniqKey)
    }
    const propertiesBytes = Buffer.byteLength(properties, 'utf8')
    if (propertiesBytes > PROPERTIES_LENGTH_MAX) {
      return failed(
        'PROPERTIES_SIZE_EXCEEDED',
        `properties are ${propertiesBytes} bytes; the limit is ${PROPERTIES_LENGTH_MAX}`,
      )
    }
    const bornHost = msg.bornHost ?? this.storeHost
    if (bornHost.address.length !== 4 && bornHost.address.length !== 16)
      return failed('MESSAGE_ILLEGAL', 'bornHost must be IPv4 or IPv6')
    let sysFlag = (msg.sysFlag ?? 0) & ~(SYSFLAG_BORNHOST_V6 | SYSFLAG_STOREHOST_V6)
    if (bornHost.address.length === 16) sysFlag |= SYSFLAG_BORNHOST_V6
    if (this.storeHostV6) sysFlag |= SYSFLAG_STOREHOST_V6
    const size = recordLength(body.length, topic.length, propertiesBytes, sysFlag)

    const placed = this.makeRoom(size)
    if (placed) return placed

    const cq = this.queueFor(topic, queueId)
    const storeTs = this.clock.nowMs()
    // Half and rolled-back transaction records take no queue offset: they never enter a consume queue.
    const txType = sysFlag & SYSFLAG_TRANSACTION_TYPE_MASK
    const queueOffset =
      txType === SYSFLAG_TRANSACTION_PREPARED_TYPE || txType === SYSFLAG_TRANSACTION_ROLLBACK_TYPE
        ? 0
        : cq.nextQueueOffset++
    const phy = this.commitLog.wrotePosition
    writeRecord(
      this.commitLog.stagingBuffer,
      this.commitLog.stagingWritePosition,
      size,
      bodyCrc32(body),
      queueId,
      msg.flag ?? 0,
      queueOffset,
      phy,
      sysFlag,
      msg.bornTimestampMs ?? storeTs,
      bornHost,
      storeTs,
      this.storeHost,
      msg.reconsumeTimes ?? 0,
      msg.preparedTransactionOffset ?? 0,
      body,
      topic,
      topic.length,
      properties,
      propertiesBytes,
    )
    this.commitLog.advance(size)

    const i = this.pendCount++
    this.pendQueue[i] = cq
    this.pendQueueOffset[i] = queueOffset
    this.pendPhy[i] = phy
    this.pendSize[i] = size
    this.pendTagsCode[i] = computeTagsCode(topic, properties, storeTs, this.delayLevelsMs)
    this.pendStoreTs[i] = storeTs
    this.pendKeys[i] = findProperty(properties, PROPERTY_KEYS)
    this.pendUniq[i] = uniqKey
    this.pendSysFlag[i] = sysFlag
    this.pendCallback[i] = callback
    this.putCount++
    this.putBytes += size
    this.scheduleTick()
    return undefined
  }

  private scheduleTick(): void {
    if (!this.commitScheduled) {
      this.commitScheduled = true
      setImmediate(this.onCommitTick)
    }
  }

  /** Called (from the commit tick, never inside an append) with each queue that got new messages. */
  setDispatchListener(listener: DispatchListener | undefined): void {
    this.dispatchListener = listener
  }

  private collectDispatchedQueues(count: number): void {
    for (let i = 0; i < count; i++) {
      const cq = this.pendQueue[i]!
      if (cq.notifyPending) continue
      cq.notifyPending = true
      this.notifyQueues.push(cq)
    }
  }

  private deliverDispatchNotifications(): void {
    const listener = this.dispatchListener
    if (!listener || this.notifyQueues.length === 0) return
    const queues = this.notifyQueues
    this.notifyQueues = []
    for (const cq of queues) {
      cq.notifyPending = false
      listener(cq.topic, cq.queueId, cq.maxOffset)
    }
  }

  private deliverAcks(): void {
    const callbacks = this.ackCallbacks
    const results = this.ackResults
    if (callbacks.length === 0) return
    this.ackCallbacks = []
    this.ackResults = []
    for (let i = 0; i < callbacks.length; i++) callbacks[i]!(results[i]!)
  }

  /** Ensures the next `size` bytes fit in the current segment and in staging; rolls or commits as needed. */
  private makeRoom(size: number): PutMessageFailed | undefined {
    const log = this.commitLog
    if (!log.segmentFor(log.wrotePosition)) {
      try {
        log.ensureWritableSegment()
      } catch (err) {
        return failed('CREATE_MAPPED_FILE_FAILED', `cannot create a CommitLog segment: ${errnoCode(err)}`)
      }
    }
    if (log.needsRoll(size)) {
      if (log.stagingRoom() < 8 && !this.commitAndDispatch()) return this.lastCommitFailure
      try {
        log.padSegmentEnd()
      } catch (err) {
        return failed(
          'CREATE_MAPPED_FILE_FAILED',
          `cannot create the next CommitLog segment: ${errnoCode(err)}`,
        )
      }
      if (!this.commitAndDispatch()) return this.lastCommitFailure
      log.rollSegment()
    }
    // Commit in writes of about commitLogWriteBufferBytes (256 KiB writes are the page cache's sweet spot,
    // PERF.md 1.6); staging itself is larger so that the biggest record always fits.
    if (
      (log.stagingRoom() < size || log.stagedBytes() >= this.config.commitLogWriteBufferBytes) &&
      !this.commitAndDispatch()
    ) {
      return this.lastCommitFailure
    }
    return undefined
  }

  private lastCommitFailure: PutMessageFailed = failed('UNKNOWN_ERROR', 'commit failed')

  private readonly onCommitTick = (): void => {
    this.commitScheduled = false
    this.commitAndDispatch()
    this.deliverDispatchNotifications()
    this.deliverAcks()
    if (this.config.flushDiskType === 'SYNC_FLUSH') {
      if (this.flushWaitEnd.length > this.flushHead) void this.startFlush()
    } else if (
      this.commitLog.committedPosition - this.commitLog.flushedPosition >=
      this.config.flushCommitLogDirtyBytesMax
    ) {
      void this.startFlush()
    }
  }

  /**
   * Writes staged records (one write), dispatches them, and answers or parks their callbacks. On a write
   * failure the staged records are dropped and answered with the failure; the store stays consistent.
   */
  private commitAndDispatch(): boolean {
    let chunk: ReturnType<CommitLog['commit']>
    try {
      chunk = this.commitLog.commit()
    } catch (err) {
      const code = errnoCode(err)
      this.lastCommitFailure =
        code === 'ENOSPC'
          ? failed('SERVICE_NOT_AVAILABLE', 'disk full (ENOSPC): the message was not stored')
          : failed('UNKNOWN_ERROR', `CommitLog write failed (${code}): the message was not stored`)
      this.commitLog.discardStaged(err instanceof PartialWriteError ? err.writtenBytes : 0)
      this.failPending(this.lastCommitFailure)
      return false
    }
    if (!chunk) return true
    const count = this.pendCount
    this.pendCount = 0
    if (!this.dispatchStalled) {
      for (let i = 0; i < count; i++) {
        if (
          !this.dispatchOne(
            this.pendQueue[i]!,
            this.pendQueueOffset[i]!,
            this.pendPhy[i]!,
            this.pendSize[i]!,
            this.pendTagsCode[i]!,
            this.pendStoreTs[i]!,
            this.pendKeys[i],
            this.pendUniq[i],
            this.pendSysFlag[i]!,
          )
        ) {
          this.dispatchStalled = true
          this.log(
            `dispatch stalled at CommitLog offset ${this.dispatched}: consume queue or index write failed; retrying`,
          )
          break
        }
        this.dispatched = this.pendPhy[i]! + this.pendSize[i]!
      }
      if (!this.dispatchStalled) this.dispatched = chunk.end
      if (this.dispatchListener) this.collectDispatchedQueues(count)
    }
    const sync = this.config.flushDiskType === 'SYNC_FLUSH'
    const now = sync ? this.clock.nowMs() : 0
    for (let i = 0; i < count; i++) {
      const callback = this.pendCallback[i]
      this.pendCallback[i] = undefined
      this.pendQueue[i] = undefined as unknown as ConsumeQueue
      if (!callback) continue
      const result: PutMessageOk = {
        status: 'PUT_OK',
        commitLogOffset: this.pendPhy[i]!,
        queueOffset: this.pendQueueOffset[i]!,
        wroteBytes: this.pendSize[i]!,
        storeTimestampMs: this.pendStoreTs[i]!,
        uniqKey: this.pendUniq[i]!,
      }
      if (sync) {
        this.flushWaitEnd.push(result.commitLogOffset + result.wroteBytes)
        this.flushWaitSinceMs.push(now)
        this.flushWaitResult.push(result)
        this.flushWaitCallback.push(callback)
      } else {
        this.ackCallbacks.push(callback)
        this.ackResults.push(result)
      }
    }
    if (this.ackCallbacks.length > 0) this.scheduleTick()
    return true
  }

  private failPending(result: PutMessageFailed): void {
    const touched = new Set<ConsumeQueue>()
    for (let i = 0; i < this.pendCount; i++) {
      touched.add(this.pendQueue[i]!)
      this.putCount--
      this.putBytes -= this.pendSize[i]!
    }
    for (const cq of touched) cq.nextQueueOffset = cq.maxOffset
    for (let i = 0; i < this.pendCount; i++) {
      const callback = this.pendCallback[i]
      this.pendCallback[i] = undefined
      if (!callback) continue
      this.ackCallbacks.push(callback)
      this.ackResults.push(result)
    }
    this.pendCount = 0
    this.scheduleTick()
  }

  /** Adds one record's ConsumeQueue unit and index entries. False when a write failed (retry later). */
  private dispatchOne(
    cq: ConsumeQueue,
    queueOffset: number,
    phy: number,
    size: number,
    tagsCode: number,
    storeTs: number,
    keys: string | undefined,
    uniqKey: string | undefined,
    sysFlag: number,
  ): boolean {
    const txType = sysFlag & SYSFLAG_TRANSACTION_TYPE_MASK
    // Half (prepared) and rolled-back messages stay out of the consume queues; rolled-back ones out of the index.
    if (txType !== SYSFLAG_TRANSACTION_PREPARED_TYPE && txType !== SYSFLAG_TRANSACTION_ROLLBACK_TYPE) {
      if (!cq.putUnit(queueOffset, phy, size, tagsCode)) return false
      if (cq.dirtyEpoch !== this.dirtyEpoch) {
        cq.dirtyEpoch = this.dirtyEpoch
        this.dirtyQueues.push(cq)
      }
    }
    if (this.index && txType !== SYSFLAG_TRANSACTION_ROLLBACK_TYPE) {
      if (!this.index.putRecord(cq.indexKeyPrefixHash, keys, uniqKey, phy, storeTs)) return false
    }
    return true
  }

  /** Builds queues and index for the CommitLog range [from, to) by reading the records back. */
  private dispatchFromCommitLog(from: number, to: number): { count: number; stoppedAt: number } {
    let count = 0
    let stoppedAt = -1
    scanCommitLog(this.commitLog, from, this.maxRecordBytes, (buf, pos, offset) => {
      if (stoppedAt >= 0 || offset >= to) return
      const r = parseForDispatch(buf, pos, this.delayLevelsMs)
      const cq = this.queueFor(r.topic, r.queueId)
      if (
        !this.dispatchOne(
          cq,
          r.queueOffset,
          r.commitLogOffset,
          r.size,
          r.tagsCode,
          r.storeTimestampMs,
          r.keys,
          r.uniqKey,
          r.sysFlag,
        )
      ) {
        stoppedAt = offset
        return
      }
      count++
    })
    return { count, stoppedAt: stoppedAt >= 0 ? stoppedAt : to }
  }

  // ---- flush and checkpoint ---------------------------------------------------------------------------

  /** Group commit: one fdatasync in flight; whatever was committed meanwhile forms the next batch. */
  private startFlush(): Promise<void> {
    if (this.flushInFlight) return this.flushInFlight
    this.flushInFlight = this.commitLog
      .flush()
      .then(
        (flushed) => {
          this.lastFlushError = undefined
          this.answerFlushWaiters(flushed)
        },
        (err: unknown) => {
          this.lastFlushError = errnoCode(err)
          this.log(`CommitLog fdatasync failed (${this.lastFlushError}); will retry`)
        },
      )
      .finally(() => {
        this.flushInFlight = undefined
        if (this.flushWaitEnd.length > this.flushHead && !this.closed)
          setImmediate(() => void this.startFlush())
      })
    return this.flushInFlight
  }

  private answerFlushWaiters(flushed: number): void {
    let head = this.flushHead
    const end = this.flushWaitEnd.length
    while (head < end && this.flushWaitEnd[head]! <= flushed) {
      const callback = this.flushWaitCallback[head]!
      const result = this.flushWaitResult[head]!
      head++
      callback(result)
    }
    this.advanceFlushHead(head)
  }

  /** SYNC_FLUSH: puts not durable within syncFlushTimeout are answered FLUSH_DISK_TIMEOUT (they are stored). */
  private expireFlushWaiters(): void {
    const deadline = this.clock.nowMs() - this.config.syncFlushTimeout
    let head = this.flushHead
    while (head < this.flushWaitEnd.length && this.flushWaitSinceMs[head]! <= deadline) {
      const callback = this.flushWaitCallback[head]!
      callback({ ...this.flushWaitResult[head]!, status: 'FLUSH_DISK_TIMEOUT' })
      head++
    }
    this.advanceFlushHead(head)
  }

  private advanceFlushHead(head: number): void {
    this.flushHead = head
    if (head === this.flushWaitEnd.length) {
      this.flushHead = 0
      this.flushWaitEnd.length =
        this.flushWaitSinceMs.length =
        this.flushWaitResult.length =
        this.flushWaitCallback.length =
          0
    } else if (head > 4096 && head * 2 > this.flushWaitEnd.length) {
      for (const a of [
        this.flushWaitEnd,
        this.flushWaitSinceMs,
        this.flushWaitResult,
        this.flushWaitCallback,
      ] as unknown[][])
        a.splice(0, head)
      this.flushHead = 0
    }
  }

  /** Flushes the CommitLog now and resolves with the durable offset (admin and tests). */
  async flush(): Promise<number> {
    this.commitAndDispatch()
    this.deliverAcks()
    while (this.flushInFlight) await this.flushInFlight
    await this.startFlush()
    return this.commitLog.flushedPosition
  }

  /**
   * Makes ConsumeQueues and the index durable for everything dispatched so far, then records that offset in
   * the checkpoint: recovery after a crash re-dispatches only what follows it.
   */
  checkpointNow(): Promise<void> {
    if (this.checkpointInFlight) return this.checkpointInFlight
    this.checkpointInFlight = this.runCheckpoint().finally(() => {
      this.checkpointInFlight = undefined
    })
    return this.checkpointInFlight
  }

  private async runCheckpoint(clean = false): Promise<void> {
    this.commitAndDispatch()
    if (this.dispatchStalled) this.retryStalledDispatch()
    const dispatchedOffset = this.dispatched
    const queues = this.dirtyQueues
    this.dirtyQueues = []
    this.dirtyEpoch++
    try {
      for (const cq of queues) cq.commit()
      this.index?.writeCheckpoint()
    } catch (err) {
      for (const cq of queues) this.markDirty(cq)
      this.log(`checkpoint skipped: writing consume queues or index failed (${errnoCode(err)})`)
      return
    }
    try {
      for (const cq of queues) await cq.flush()
      await this.index?.flush()
      if (clean) await this.flush()
      const data: CheckpointData = {
        commitLogFlushedOffset: this.commitLog.flushedPosition,
        dispatchedOffset,
        commitLogEndOffset: clean ? this.commitLog.wrotePosition : 0,
        clean,
        savedAtMs: this.clock.nowMs(),
      }
      this.checkpoint.write(data)
      await this.checkpoint.flush()
    } catch (err) {
      for (const cq of queues) this.markDirty(cq)
      this.log(`checkpoint failed (${errnoCode(err)}); recovery will start from the previous one`)
      if (clean) throw err
    }
  }

  private markDirty(cq: ConsumeQueue): void {
    if (cq.dirtyEpoch !== this.dirtyEpoch) {
      cq.dirtyEpoch = this.dirtyEpoch
      this.dirtyQueues.push(cq)
    }
  }

  /** While dispatch is stalled, tries to write the backlog; the store is writable again once it catches up. */
  private retryStalledDispatch(): void {
    if (!this.dispatchStalled) return
    for (const byTopic of this.queues.values()) for (const cq of byTopic.values()) if (!cq.tryCommit()) return
    try {
      this.index?.commit()
    } catch {
      return
    }
    const { count, stoppedAt } = this.dispatchFromCommitLog(this.dispatched, this.commitLog.committedPosition)
    this.dispatched = stoppedAt
    if (stoppedAt >= this.commitLog.committedPosition) {
      this.dispatchStalled = false
      this.log(`dispatch caught up (${count} messages); the store is writable again`)
    }
  }

  // ---- start, recovery, shutdown ----------------------------------------------------------------------

  private async start(): Promise<void> {
    const root = this.config.storePathRootDir
    this.io.mkdirSync(root)
    this.lock = StoreLock.acquire(this.io, root)
    try {
      await this.loadAndRecover()
    } catch (err) {
      this.closeFiles()
      this.lock.release()
      throw err
    }
    await this.commitLog.prepareFirstSegment()
    this.index?.ensureActiveFile()
    const abortPath = path.join(root, 'abort')
    const fd = this.io.openSync(abortPath, 'w')
    this.io.closeSync(fd)
    this.startTimers()
  }

  private async loadAndRecover(): Promise<void> {
    const began = this.clock.nowMs()
    const root = this.config.storePathRootDir
    const abnormal = this.io.existsSync(path.join(root, 'abort'))
    this.commitLog.load()
    const opened = Checkpoint.open(this.io, path.join(root, 'checkpoint'))
    this.checkpoint = opened.checkpoint
    const saved = opened.data
    this.loadQueues()
    this.index?.load()

    const last = this.commitLog.segments.at(-1)
    const logEnd = last ? last.fileFromOffset + last.fileSize : 0
    if (!last && !saved) {
      this.recovery = {
        abnormal: false,
        scanFromOffset: 0,
        commitLogEndOffset: 0,
        redispatchedMessages: 0,
        durationMs: 0,
      }
      return // a new, empty store
    }
    if (
      !abnormal &&
      saved?.clean &&
      saved.commitLogEndOffset >= this.commitLog.minOffset &&
      saved.commitLogEndOffset <= logEnd
    ) {
      this.commitLog.resetPositions(saved.commitLogEndOffset)
      this.dispatched = saved.commitLogEndOffset
      this.correctQueueMinOffsets()
      this.recovery = {
        abnormal: false,
        scanFromOffset: saved.commitLogEndOffset,
        commitLogEndOffset: saved.commitLogEndOffset,
        redispatchedMessages: 0,
        durationMs: this.clock.nowMs() - began,
      }
      return
    }

    // Abnormal: verify the log from the checkpoint, cut a torn tail, rebuild what queues and index miss.
    const minOffset = this.commitLog.minOffset
    const dispatchedAt = Math.max(minOffset, saved?.dispatchedOffset ?? minOffset)
    const durable = saved?.commitLogFlushedOffset ?? 0
    const scanFrom = Math.max(minOffset, Math.min(dispatchedAt, saved ? durable : minOffset))
    const stop = scanCommitLog(this.commitLog, scanFrom, this.maxRecordBytes, undefined)
    if (stop.kind === 'CORRUPT' && stop.offset < durable) {
      // Bytes that were fdatasync'd are damaged: refuse to drop acknowledged messages silently.
      throw new StoreCorruptionError(
        stop.file,
        stop.fileOffset,
        `${stop.reason} (below the durable offset ${durable})`,
      )
    }
    if (stop.offset < durable) {
      const segment = this.commitLog.segmentFor(stop.offset)
      throw new StoreCorruptionError(
        segment?.path ?? path.join(root, 'commitlog'),
        stop.offset - (segment?.fileFromOffset ?? 0),
        `log ends before the durable offset ${durable}`,
      )
    }
    const end = stop.offset
    let truncated: RecoveryReport['truncated']
    if (stop.kind === 'CORRUPT') {
      truncated = { file: stop.file, fileOffset: stop.fileOffset, reason: stop.reason }
      this.log(`recovery: cut the CommitLog at ${stop.file} offset ${stop.fileOffset}: ${stop.reason}`)
    }
    this.commitLog.truncate(end, this.maxRecordBytes + 1024 * 1024)
    for (const byTopic of this.queues.values())
      for (const cq of byTopic.values()) cq.truncateByCommitLogOffset(end)
    const redispatchFrom = Math.min(dispatchedAt, end)
    this.index?.truncateTo(redispatchFrom)
    const { count, stoppedAt } = this.dispatchFromCommitLog(redispatchFrom, end)
    if (stoppedAt < end)
      throw new EngineError(
        'STORE_CORRUPT',
        `recovery could not rebuild queues from offset ${stoppedAt}: a write failed`,
      )
    this.dispatched = end
    this.correctQueueMinOffsets()
    this.recovery = {
      abnormal: true,
      scanFromOffset: scanFrom,
      commitLogEndOffset: end,
      truncated,
      redispatchedMessages: count,
      durationMs: this.clock.nowMs() - began,
    }
    await this.runCheckpoint()
  }

  private loadQueues(): void {
    const dir = path.join(this.config.storePathRootDir, 'consumequeue')
    this.io.mkdirSync(dir)
    for (const topic of this.io.readdirSync(dir)) {
      if (!TOPIC_PATTERN.test(topic)) continue
      for (const queueDir of this.io.readdirSync(path.join(dir, topic))) {
        if (!/^\d+$/.test(queueDir)) continue
        const cq = this.queueFor(topic, Number(queueDir))
        cq.load()
      }
    }
  }

  private correctQueueMinOffsets(): void {
    const min = this.commitLog.minOffset
    for (const byTopic of this.queues.values()) for (const cq of byTopic.values()) cq.correctMinOffset(min)
  }

  private startTimers(): void {
    const c = this.config
    if (c.flushDiskType === 'ASYNC_FLUSH') {
      this.timers.push(
        setRepeatingTimer(this.clock, c.flushIntervalCommitLog, () => {
          if (this.commitLog.committedPosition > this.commitLog.flushedPosition) void this.startFlush()
        }),
      )
    } else {
      this.timers.push(
        setRepeatingTimer(this.clock, Math.max(10, Math.min(1000, c.syncFlushTimeout / 4)), () =>
          this.expireFlushWaiters(),
        ),
      )
    }
    this.timers.push(
      setRepeatingTimer(this.clock, c.flushConsumeQueueInterval, () => void this.checkpointNow()),
    )
    this.timers.push(
      setRepeatingTimer(this.clock, c.cleanResourceInterval, () => this.deleteExpiredFiles(false)),
    )
    this.timers.push(
      setRepeatingTimer(this.clock, 1000, () => {
        this.tpsSamples.push(this.putCount)
        if (this.tpsSamples.length > TPS_WINDOW_SECONDS + 1) this.tpsSamples.shift()
      }),
    )
  }

  /** Stops taking messages, answers every pending put, flushes, checkpoints and closes. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown()
    return this.shutdownPromise
  }

  private async doShutdown(): Promise<void> {
    this.closed = true
    for (const t of this.timers) t.cancel()
    this.timers = []
    this.commitAndDispatch()
    this.deliverAcks()
    while (this.checkpointInFlight) await this.checkpointInFlight
    while (this.flushInFlight) await this.flushInFlight
    const clean = !this.dispatchStalled
    await this.runCheckpoint(clean)
    this.answerFlushWaiters(this.commitLog.flushedPosition)
    this.expireFlushWaiters()
    await this.commitLog.idle()
    this.closeFiles()
    if (clean) this.io.unlinkSync(path.join(this.config.storePathRootDir, 'abort'))
    this.lock.release()
  }

  private closeFiles(): void {
    this.commitLog.close()
    for (const byTopic of this.queues.values()) for (const cq of byTopic.values()) cq.close()
    this.index?.close()
    this.checkpoint?.close()
  }

  // ---- retention --------------------------------------------------------------------------------------

  /**
   * Deletes CommitLog segments older than fileReservedTime (at a deleteWhen hour, when the disk is fuller than
   * diskMaxUsedSpaceRatio, or when forced), then the queue and index files that only point into them.
   * A segment's age runs from its last write, taken as the store time of the next segment's first record.
   */
  deleteExpiredFiles(force: boolean): {
    deletedSegments: number
    deletedQueueFiles: number
    deletedIndexFiles: number
  } {
    const now = this.clock.nowMs()
    const hourDue = this.deleteHours.has(new Date(now).getHours())
    let diskFull = false
    try {
      diskFull =
        this.io.diskUsedRatio(this.config.storePathRootDir) * 100 >= this.config.diskMaxUsedSpaceRatio
    } catch {
      diskFull = false
    }
    const result = { deletedSegments: 0, deletedQueueFiles: 0, deletedIndexFiles: 0 }
    if (!force && !hourDue && !diskFull) return result
    const reservedMs = this.config.fileReservedTime * 3_600_000
    while (this.commitLog.segments.length > 1 && result.deletedSegments < 10) {
      const lastWriteMs = this.storeTimestampAt(this.commitLog.segments[1]!.fileFromOffset)
      if (lastWriteMs < 0 || now < lastWriteMs + reservedMs) break
      if (!this.commitLog.deleteOldestSegment()) break
      result.deletedSegments++
    }
    if (result.deletedSegments > 0) {
      const min = this.commitLog.minOffset
      for (const byTopic of this.queues.values())
        for (const cq of byTopic.values()) result.deletedQueueFiles += cq.deleteExpired(min)
      result.deletedIndexFiles = this.index?.deleteExpired(min) ?? 0
      this.log(`retention: deleted ${result.deletedSegments} CommitLog segment(s); min offset is now ${min}`)
    }
    return result
  }

  // ---- reads ------------------------------------------------------------------------------------------

  private queueFor(topic: string, queueId: number): ConsumeQueue {
    let byTopic = this.queues.get(topic)
    if (!byTopic) {
      byTopic = new Map()
      this.queues.set(topic, byTopic)
    }
    let cq = byTopic.get(queueId)
    if (!cq) {
      const dir = path.join(this.config.storePathRootDir, 'consumequeue', topic, String(queueId))
      cq = new ConsumeQueue(this.io, dir, topic, queueId, this.config.mappedFileSizeConsumeQueue)
      byTopic.set(queueId, cq)
    }
    return cq
  }

  private existingQueue(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.queues.get(topic)?.get(queueId)
  }

  /** Reads messages of one queue from `queueOffset`, as a pull does (RocketMQ's getMessage). */
  getMessage(req: GetMessageRequest): GetMessageResult {
    const cq = this.existingQueue(req.topic, req.queueId)
    const empty = (
      status: GetMessageResult['status'],
      next: number,
      min: number,
      max: number,
    ): GetMessageResult => ({
      status,
      nextBeginOffset: next,
      minOffset: min,
      maxOffset: max,
      messageCount: 0,
      records: Buffer.alloc(0),
      commitLogOffsets: [],
    })
    if (!cq) return empty('NO_MATCHED_LOGIC_QUEUE', 0, 0, 0)
    const min = cq.minOffset
    const max = cq.maxOffset
    const offset = req.queueOffset
    if (max === 0) return empty('NO_MESSAGE_IN_QUEUE', 0, min, max)
    if (offset < min) return empty('OFFSET_TOO_SMALL', min, min, max)
    if (offset === max) return empty('OFFSET_OVERFLOW_ONE', offset, min, max)
    if (offset > max) return empty('OFFSET_OVERFLOW_BADLY', min === 0 ? min : max, min, max)

    const maxMsgNums = Math.max(1, Math.min(req.maxMsgNums, 1024))
    const maxBytes = req.maxTotalBytes ?? PULL_BYTES_DEFAULT
    const scanLimit = req.tagsCodeFilter ? FILTER_SCAN_UNITS_MAX : maxMsgNums
    const unitBatch = Buffer.allocUnsafe(Math.min(scanLimit, 1024) * CQ_UNIT_BYTES)
    const picked: number[] = []
    const sizes: number[] = []
    let totalBytes = 0
    let scanned = 0
    let removing = false
    const clMin = this.commitLog.minOffset
    outer: while (scanned < scanLimit && offset + scanned < max) {
      const n = cq.readUnits(
        offset + scanned,
        Math.min(unitBatch.length / CQ_UNIT_BYTES, scanLimit - scanned),
        unitBatch,
      )
      if (n === 0) break
      for (let u = 0; u < n; u++) {
        const at = u * CQ_UNIT_BYTES
        const phy = readInt64BE(unitBatch, at)
        const size = unitBatch.readInt32BE(at + 8)
        if (size === BLANK_UNIT_SIZE || size <= 0) {
          scanned++
          continue
        }
        if (picked.length > 0 && (picked.length >= maxMsgNums || totalBytes + size > maxBytes)) break outer
        scanned++
        if (phy < clMin) {
          removing = true
          continue
        }
        if (req.tagsCodeFilter && !req.tagsCodeFilter(readInt64BE(unitBatch, at + 12))) continue
        picked.push(phy)
        sizes.push(size)
        totalBytes += size
      }
    }
    const records = Buffer.allocUnsafe(totalBytes)
    let pos = 0
    const offsets: number[] = []
    for (let i = 0; i < picked.length; i++) {
      if (!this.commitLog.read(picked[i]!, sizes[i]!, records, pos)) continue
      offsets.push(picked[i]!)
      pos += sizes[i]!
    }
    const status = offsets.length > 0 ? 'FOUND' : removing ? 'MESSAGE_WAS_REMOVING' : 'NO_MATCHED_MESSAGE'
    return {
      status,
      nextBeginOffset: offset + scanned,
      minOffset: min,
      maxOffset: max,
      messageCount: offsets.length,
      records: pos === totalBytes ? records : records.subarray(0, pos),
      commitLogOffsets: offsets,
    }
  }

  /** The raw record at a CommitLog offset (what VIEW_MESSAGE_BY_ID returns), or undefined. */
  readRecord(commitLogOffset: number): Buffer | undefined {
    const head = Buffer.allocUnsafe(8)
    if (!this.commitLog.read(commitLogOffset, 8, head, 0)) return undefined
    const size = head.readInt32BE(0)
    const magic = head.readInt32BE(4)
    if (
      size < 91 ||
      size > this.maxRecordBytes ||
      (magic !== MESSAGE_MAGIC_CODE_V1 && magic !== MESSAGE_MAGIC_CODE_V2)
    )
      return undefined
    const record = Buffer.allocUnsafe(size)
    if (!this.commitLog.read(commitLogOffset, size, record, 0)) return undefined
    if (readInt64BE(record, 28) !== commitLogOffset) return undefined
    return record
  }

  /** The message at a CommitLog offset, decoded. */
  lookMessageByOffset(commitLogOffset: number): DecodedMessage | undefined {
    const record = this.readRecord(commitLogOffset)
    return record ? decodeRecord(record, 0) : undefined
  }

  /** Resolves an offset message id written by this store (its host and port) to the message. */
  lookMessageByOffsetMsgId(offsetMsgId: string): DecodedMessage | undefined {
    const decoded = decodeOffsetMsgId(offsetMsgId)
    if (!decoded) return undefined
    const host = decoded.host
    if (
      host.port !== this.storeHost.port ||
      Buffer.compare(Buffer.from(host.address), Buffer.from(this.storeHost.address)) !== 0
    )
      return undefined
    return this.lookMessageByOffset(decoded.commitLogOffset)
  }

  /** A new UNIQ_KEY in MessageClientIDSetter's layout (for messages the broker builds itself). */
  nextUniqKey(): string {
    return this.uniqKeys.next()
  }

  offsetMsgIdOf(commitLogOffset: number): string {
    return createOffsetMsgId(this.msgIdPrefix, commitLogOffset)
  }

  /**
   * Messages of `topic` whose KEYS contain `key` or whose UNIQ_KEY equals it, stored within [beginMs, endMs],
   * newest first, up to `maxNum`. Index hash collisions are filtered out by checking the records.
   */
  queryMessage(topic: string, key: string, maxNum: number, beginMs: number, endMs: number): DecodedMessage[] {
    if (!this.index) return []
    if (!Number.isInteger(maxNum) || maxNum < 1 || maxNum > QUERY_MAX_NUM_MAX) {
      throw new EngineError('ARGUMENT_INVALID', `maxNum must be an integer from 1 to ${QUERY_MAX_NUM_MAX}`)
    }
    const prefixHash = topicIndexPrefixHash(topic)
    // Collisions can crowd out real matches, so look a little further than asked.
    const candidates = this.index.query(
      prefixHash,
      key,
      Math.min(maxNum * 4, QUERY_MAX_NUM_MAX),
      beginMs,
      endMs,
    )
    const out: DecodedMessage[] = []
    const seen = new Set<number>()
    for (const phy of candidates) {
      if (out.length >= maxNum) break
      if (seen.has(phy)) continue
      seen.add(phy)
      const msg = this.lookMessageByOffset(phy)
      if (!msg || msg.topic !== topic || msg.storeTimestampMs < beginMs || msg.storeTimestampMs > endMs)
        continue
      const keys = findProperty(msg.propertiesString, PROPERTY_KEYS)
      const uniq = findProperty(msg.propertiesString, PROPERTY_UNIQ_KEY)
      if (uniq === key || (keys !== undefined && keys.split(' ').includes(key))) out.push(msg)
    }
    return out
  }

  /** The message of `topic` with this UNIQ_KEY (newest copy if there are several), or undefined. */
  queryMessageByUniqKey(
    topic: string,
    uniqKey: string,
    beginMs = 0,
    endMs = Number.MAX_SAFE_INTEGER,
  ): DecodedMessage | undefined {
    return this.queryMessage(topic, uniqKey, 32, beginMs, endMs).find(
      (m) => findProperty(m.propertiesString, PROPERTY_UNIQ_KEY) === uniqKey,
    )
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.existingQueue(topic, queueId)?.minOffset ?? 0
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.existingQueue(topic, queueId)?.maxOffset ?? 0
  }

  /** CommitLog offset of the message at a queue offset, or -1. */
  getCommitLogOffsetInQueue(topic: string, queueId: number, queueOffset: number): number {
    const cq = this.existingQueue(topic, queueId)
    return cq?.readUnit(queueOffset) ? readInt64BE(cq.unitScratch, 0) : -1
  }

  /** The ConsumeQueue unit at a queue offset (for SCHEDULE_TOPIC_XXXX, tagsCode is the due time), or undefined. */
  getQueueUnit(topic: string, queueId: number, queueOffset: number): QueueUnit | undefined {
    const cq = this.existingQueue(topic, queueId)
    if (!cq?.readUnit(queueOffset)) return undefined
    const s = cq.unitScratch
    return { commitLogOffset: readInt64BE(s, 0), size: s.readInt32BE(8), tagsCode: readInt64BE(s, 12) }
  }

  /** Store time of the message at a queue offset, or -1. */
  getMessageStoreTimestamp(topic: string, queueId: number, queueOffset: number): number {
    const phy = this.getCommitLogOffsetInQueue(topic, queueId, queueOffset)
    if (phy < 0) return -1
    return this.storeTimestampAt(phy)
  }

  /**
   * The first queue offset whose message was stored at or after `timestampMs` (binary search over store
   * times); maxOffset when every message is older. Used to reset consumer offsets by time.
   */
  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    const cq = this.existingQueue(topic, queueId)
    if (!cq) return 0
    let lo = cq.minOffset
    let hi = cq.maxOffset
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      const ts = this.getMessageStoreTimestamp(topic, queueId, mid)
      if (ts >= 0 && ts < timestampMs) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Topics with their queue ids that have ConsumeQueues in this store. */
  listQueues(): { topic: string; queueIds: number[] }[] {
    return [...this.queues].map(([topic, byId]) => ({
      topic,
      queueIds: [...byId.keys()].sort((a, b) => a - b),
    }))
  }

  get recoveryReport(): RecoveryReport | undefined {
    return this.recovery
  }

  get commitLogMaxOffset(): number {
    return this.commitLog.wrotePosition
  }
  get commitLogMinOffset(): number {
    return this.commitLog.minOffset
  }

  getRuntimeStats(): StoreRuntimeStats {
    let consumeQueueCount = 0
    let queueFiles = 0
    for (const byTopic of this.queues.values()) {
      consumeQueueCount += byTopic.size
      for (const cq of byTopic.values()) queueFiles += cq.fileCount
    }
    const samples = this.tpsSamples
    const oldest = samples[0] ?? this.putCount
    const seconds = Math.max(1, samples.length)
    const c = this.config
    return {
      storePathRootDir: path.resolve(c.storePathRootDir),
      flushDiskType: c.flushDiskType,
      startedAtMs: this.startedAtMs,
      recoveredAbnormally: this.recovery?.abnormal ?? false,
      commitLogMinOffset: this.commitLog.minOffset,
      commitLogMaxOffset: this.commitLog.wrotePosition,
      commitLogFlushedOffset: this.commitLog.flushedPosition,
      dispatchedOffset: this.dispatched,
      commitLogSegmentCount: this.commitLog.segments.length,
      consumeQueueCount,
      indexFileCount: this.index?.files.length ?? 0,
      putMessageCount: this.putCount,
      putMessageBytes: this.putBytes,
      putTps: samples.length > 0 ? (this.putCount - oldest) / seconds : 0,
      diskUsedBytes:
        this.commitLog.segments.length * c.mappedFileSizeCommitLog +
        queueFiles * c.mappedFileSizeConsumeQueue +
        (this.index?.files.length ?? 0) * IndexFile.fileBytes(c.maxHashSlotNum, c.maxIndexNum),
      writable: !this.closed && !this.dispatchStalled,
    }
  }

  private storeTimestampAt(phy: number): number {
    const head = Buffer.allocUnsafe(80)
    if (!this.commitLog.read(phy, 80, head, 0)) return -1
    const bornV6 = (head.readInt32BE(36) & SYSFLAG_BORNHOST_V6) !== 0
    return readInt64BE(head, bornV6 ? 68 : 56)
  }

  /** Test seam: wait until background segment warm-up is idle. */
  async idle(): Promise<void> {
    await this.commitLog.idle()
  }
}
