// Transactional messages (RocketMQ's TransactionalMessageService): a half message waits in
// RMQ_SYS_TRANS_HALF_TOPIC, invisible to consumers; commit puts the real message, rollback drops it, and either
// writes an op record to RMQ_SYS_TRANS_OP_HALF_TOPIC. Half messages with no second phase are checked back with
// their producer group after transactionTimeOut (or CHECK_IMMUNITY_TIME_IN_SECONDS), at most transactionCheckMax
// times, then discarded to TRANS_CHECK_MAX_TIME_TOPIC. All state lives in those topics plus one progress offset,
// so pending half messages and their check counts survive a restart.

import { setRepeatingTimer, type Clock, type TimerHandle } from '../common/clock'
import {
  PROPERTY_REAL_QUEUE_ID,
  PROPERTY_REAL_TOPIC,
  PROPERTY_UNIQ_KEY,
  SYSFLAG_TRANSACTION_COMMIT_TYPE,
  SYSFLAG_TRANSACTION_TYPE_MASK,
} from '../store/message-constants'
import type { DecodedMessage } from '../store/message-codec'
import { findProperty } from '../store/message-properties'
import type { MessageStore } from '../store/message-store'
import type { MessageToStore, PutMessageResult } from '../store/store-types'
import { editProperties } from './message-rewrite'

export const TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC'
export const TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC'
export const TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC'
export const PROPERTY_TRANSACTION_PREPARED = 'TRAN_MSG'
export const PROPERTY_PRODUCER_GROUP = 'PGROUP'
export const PROPERTY_TRANSACTION_ID = '__transactionId__'
export const PROPERTY_TRANSACTION_CHECK_TIMES = 'TRANSACTION_CHECK_TIMES'
export const PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS = 'CHECK_IMMUNITY_TIME_IN_SECONDS'
/** Tag of op records that mark a half message resolved. */
const OP_REMOVE_TAG = 'd'

export type TransactionState = 'COMMIT' | 'ROLLBACK' | 'UNKNOWN'

export interface TransactionCheck {
  readonly producerGroup: string
  readonly transactionId: string
  /** The half message as the producer sent it (real topic and queue restored). */
  readonly message: DecodedMessage
  /** Where to point END_TRANSACTION: the half copy's CommitLog offset and half-queue offset. */
  readonly commitLogOffset: number
  readonly tranStateTableOffset: number
  readonly checkTimes: number
}

export interface EndTransactionRequest {
  readonly producerGroup: string
  readonly commitLogOffset: number
  readonly tranStateTableOffset: number
  readonly state: TransactionState
  readonly fromTransactionCheck: boolean
}

export type EndTransactionResult =
  | { readonly status: 'COMMITTED'; readonly put: PutMessageResult }
  | { readonly status: 'ROLLED_BACK' | 'IGNORED' }
  | { readonly status: 'ILLEGAL'; readonly reason: string }

export interface PendingHalfMessage {
  readonly transactionId: string
  readonly topic: string
  readonly producerGroup: string
  readonly commitLogOffset: number
  readonly tranStateTableOffset: number
  readonly bornTimestampMs: number
  readonly ageMs: number
  readonly checkTimes: number
  readonly nextCheckAtMs: number
}

export interface TransactionSettings {
  readonly transactionTimeOut: number
  readonly transactionCheckMax: number
  readonly transactionCheckInterval: number
}

export interface TransactionProgressTable {
  load(): number
  save(halfQueueOffset: number): void
}

export interface TransactionServiceDeps {
  readonly store: MessageStore
  readonly clock: Clock
  readonly settings: TransactionSettings
  /** The broker's put path. */
  put(msg: MessageToStore): Promise<PutMessageResult>
  /** Asks a live producer of the group to check; false when none is there. */
  check(request: TransactionCheck): boolean
  readonly progress: TransactionProgressTable
  readonly log: (message: string) => void
}

const PENDING_LIST_MAX = 10_000

export class TransactionService {
  /** Half-queue offsets that have an op record (resolved), at or above `progress`. */
  private readonly resolved = new Set<number>()
  private progress = 0
  private opScanned = 0
  private timer: TimerHandle | undefined
  private checking: Promise<void> | undefined
  /** When the repeating timer runs the next check round (a half message is asked about in a round, not before). */
  private nextRoundAtMs = 0

  constructor(private readonly deps: TransactionServiceDeps) {}

  start(): void {
    this.progress = this.deps.progress.load()
    this.readOpRecords()
    if (this.timer) return
    const intervalMs = this.deps.settings.transactionCheckInterval
    this.nextRoundAtMs = this.deps.clock.nowMs() + intervalMs
    this.timer = setRepeatingTimer(this.deps.clock, intervalMs, () => {
      this.nextRoundAtMs = this.deps.clock.nowMs() + intervalMs
      void this.checkNow()
    })
  }

  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.deps.progress.save(this.progress)
  }

  /** Stores a half message: real topic and queue saved, parked in the half topic where consumers cannot see it. */
  async prepare(
    msg: MessageToStore,
    producerGroup: string,
  ): Promise<PutMessageResult & { readonly transactionId?: string }> {
    const properties = msg.propertiesString ?? ''
    const transactionId = findProperty(properties, PROPERTY_UNIQ_KEY) ?? this.deps.store.nextUniqKey()
    const result = await this.deps.put({
      ...msg,
      topic: TRANS_HALF_TOPIC,
      queueId: 0,
      // Type NOT: the half record is dispatched into the half topic's queue, which the check service reads.
      sysFlag: (msg.sysFlag ?? 0) & ~SYSFLAG_TRANSACTION_TYPE_MASK,
      propertiesString: editProperties(properties, {
        [PROPERTY_UNIQ_KEY]: transactionId,
        [PROPERTY_TRANSACTION_PREPARED]: 'true',
        [PROPERTY_PRODUCER_GROUP]: producerGroup,
        [PROPERTY_TRANSACTION_ID]: transactionId,
        [PROPERTY_REAL_TOPIC]: msg.topic,
        [PROPERTY_REAL_QUEUE_ID]: String(msg.queueId),
      }),
    })
    return 'reason' in result ? result : { ...result, transactionId }
  }

  /** END_TRANSACTION: commit delivers the message once, rollback drops it; unknown waits for a check. */
  async end(req: EndTransactionRequest): Promise<EndTransactionResult> {
    if (req.state === 'UNKNOWN') return { status: 'IGNORED' }
    const half = this.deps.store.lookMessageByOffset(req.commitLogOffset)
    if (!half || half.topic !== TRANS_HALF_TOPIC)
      return { status: 'ILLEGAL', reason: `no half message at CommitLog offset ${req.commitLogOffset}` }
    if (half.queueOffset !== req.tranStateTableOffset)
      return { status: 'ILLEGAL', reason: 'tranStateTableOffset does not match the half message' }
    if (findProperty(half.propertiesString, PROPERTY_PRODUCER_GROUP) !== req.producerGroup) {
      return { status: 'ILLEGAL', reason: `the half message belongs to another producer group` }
    }
    this.readOpRecords()
    if (this.isResolved(half.queueOffset)) {
      return { status: 'ILLEGAL', reason: 'the transaction was already committed or rolled back' }
    }
    if (req.state === 'ROLLBACK') {
      await this.markResolved(half.queueOffset)
      return { status: 'ROLLED_BACK' }
    }
    const put = await this.deps.put(realMessageOf(half))
    if ('reason' in put)
      return { status: 'ILLEGAL', reason: `committing failed: ${put.status}: ${put.reason}` }
    await this.markResolved(half.queueOffset)
    return { status: 'COMMITTED', put }
  }

  /** Half messages still waiting for their second phase, oldest first. */
  listPending(): PendingHalfMessage[] {
    this.readOpRecords()
    const now = this.deps.clock.nowMs()
    const out: PendingHalfMessage[] = []
    const max = this.deps.store.getMaxOffsetInQueue(TRANS_HALF_TOPIC, 0)
    for (let offset = this.progress; offset < max && out.length < PENDING_LIST_MAX; offset++) {
      if (this.isResolved(offset)) continue
      const half = this.halfAt(offset)
      if (!half) continue
      const checkTimes = checkTimesOf(half)
      out.push({
        transactionId: findProperty(half.propertiesString, PROPERTY_TRANSACTION_ID) ?? '',
        topic: findProperty(half.propertiesString, PROPERTY_REAL_TOPIC) ?? '',
        producerGroup: findProperty(half.propertiesString, PROPERTY_PRODUCER_GROUP) ?? '',
        commitLogOffset: half.commitLogOffset,
        tranStateTableOffset: half.queueOffset,
        bornTimestampMs: half.bornTimestampMs,
        ageMs: now - half.bornTimestampMs,
        checkTimes,
        // Due once the check delay has passed, and asked at the first round after that.
        nextCheckAtMs: nextRoundAtOrAfter(
          half.bornTimestampMs + this.firstCheckDelayMs(half),
          this.nextRoundAtMs,
          this.deps.settings.transactionCheckInterval,
        ),
      })
    }
    return out
  }

  /** One check round over the half queue (also run every transactionCheckInterval). */
  checkNow(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = undefined
    })
    return this.checking
  }

  private async runCheck(): Promise<void> {
    this.readOpRecords()
    const { transactionCheckMax } = this.deps.settings
    const now = this.deps.clock.nowMs()
    // Copies re-appended during this round are checked in the next one.
    const end = this.deps.store.getMaxOffsetInQueue(TRANS_HALF_TOPIC, 0)
    for (let offset = this.progress; offset < end; offset++) {
      // Resolving an offset advances `progress` and forgets the resolved offsets it passes, so an offset below
      // `progress` is resolved even though `resolved` no longer holds it.
      if (this.isResolved(offset)) continue
      const half = this.halfAt(offset)
      if (!half) continue
      const checkTimes = checkTimesOf(half)
      if (checkTimes >= transactionCheckMax) {
        this.deps.log(
          `transaction ${findProperty(half.propertiesString, PROPERTY_TRANSACTION_ID)} checked ${checkTimes} times: rolled back`,
        )
        await this.deps.put({
          ...realMessageOf(half),
          topic: TRANS_CHECK_MAX_TIME_TOPIC,
          queueId: 0,
          sysFlag: 0,
        })
        await this.markResolved(offset)
        continue
      }
      if (now - half.bornTimestampMs < this.firstCheckDelayMs(half)) continue
      // Re-append a copy with one more check, retire this one, and ask the producer about the copy.
      const copy = await this.deps.put({
        topic: TRANS_HALF_TOPIC,
        queueId: 0,
        body: half.body,
        flag: half.flag,
        sysFlag: half.sysFlag,
        bornTimestampMs: half.bornTimestampMs,
        bornHost: half.bornHost,
        propertiesString: editProperties(half.propertiesString, {
          [PROPERTY_TRANSACTION_CHECK_TIMES]: String(checkTimes + 1),
        }),
      })
      if ('reason' in copy) {
        this.deps.log(
          `transaction check: re-appending a half message failed (${copy.status}); retrying next round`,
        )
        break
      }
      if (this.isResolved(offset)) {
        // The producer ended the transaction while the copy was being written: retire the copy unchecked, or a
        // COMMIT answer to its check would commit the message a second time.
        await this.markResolved(copy.queueOffset)
        continue
      }
      await this.markResolved(offset)
      const stored = this.deps.store.lookMessageByOffset(copy.commitLogOffset)
      if (!stored) continue
      this.deps.check({
        producerGroup: findProperty(half.propertiesString, PROPERTY_PRODUCER_GROUP) ?? '',
        transactionId: findProperty(half.propertiesString, PROPERTY_TRANSACTION_ID) ?? '',
        message: {
          ...stored,
          topic: findProperty(stored.propertiesString, PROPERTY_REAL_TOPIC) ?? stored.topic,
        },
        commitLogOffset: copy.commitLogOffset,
        tranStateTableOffset: copy.queueOffset,
        checkTimes: checkTimes + 1,
      })
    }
    this.advanceProgress()
  }

  private firstCheckDelayMs(half: DecodedMessage): number {
    const immunityS = Number(findProperty(half.propertiesString, PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS))
    const timeout = this.deps.settings.transactionTimeOut
    return Number.isFinite(immunityS) && immunityS > 0 && checkTimesOf(half) === 0
      ? Math.max(immunityS * 1000, timeout)
      : timeout
  }

  private halfAt(offset: number): DecodedMessage | undefined {
    const unit = this.deps.store.getQueueUnit(TRANS_HALF_TOPIC, 0, offset)
    return unit ? this.deps.store.lookMessageByOffset(unit.commitLogOffset) : undefined
  }

  /** Committed, rolled back or superseded by a checked copy. */
  private isResolved(halfQueueOffset: number): boolean {
    return halfQueueOffset < this.progress || this.resolved.has(halfQueueOffset)
  }

  private async markResolved(halfQueueOffset: number): Promise<void> {
    this.resolved.add(halfQueueOffset)
    const op = await this.deps.put({
      topic: TRANS_OP_HALF_TOPIC,
      queueId: 0,
      body: Buffer.from(`${halfQueueOffset},`),
      propertiesString: `TAGS\u0001${OP_REMOVE_TAG}`,
    })
    if ('reason' in op)
      this.deps.log(
        `writing a transaction op record failed (${op.status}); the half message may be checked again`,
      )
    this.advanceProgress()
  }

  /** Reads op records not seen yet and notes the half offsets they resolve. */
  private readOpRecords(): void {
    const store = this.deps.store
    const max = store.getMaxOffsetInQueue(TRANS_OP_HALF_TOPIC, 0)
    let offset = Math.max(this.opScanned, store.getMinOffsetInQueue(TRANS_OP_HALF_TOPIC, 0))
    while (offset < max) {
      const got = store.getMessage({
        topic: TRANS_OP_HALF_TOPIC,
        queueId: 0,
        queueOffset: offset,
        maxMsgNums: 256,
      })
      if (got.status !== 'FOUND') break
      for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos)) {
        const bodyLength = got.records.readInt32BE(pos + 84)
        const text = got.records.toString('latin1', pos + 88, pos + 88 + bodyLength)
        for (const part of text.split(','))
          if (/^\d+$/.test(part) && Number(part) >= this.progress) this.resolved.add(Number(part))
      }
      offset = got.nextBeginOffset
    }
    this.opScanned = offset
    this.advanceProgress()
  }

  private advanceProgress(): void {
    const before = this.progress
    while (this.resolved.has(this.progress)) this.resolved.delete(this.progress++)
    if (this.progress !== before) this.deps.progress.save(this.progress)
  }
}

/** The first check round (rounds at `nextRoundAtMs` + k × interval) at or after `dueAtMs`. */
function nextRoundAtOrAfter(dueAtMs: number, nextRoundAtMs: number, intervalMs: number): number {
  if (nextRoundAtMs === 0 || intervalMs <= 0 || dueAtMs <= nextRoundAtMs)
    return Math.max(dueAtMs, nextRoundAtMs)
  return nextRoundAtMs + Math.ceil((dueAtMs - nextRoundAtMs) / intervalMs) * intervalMs
}

function checkTimesOf(half: DecodedMessage): number {
  const n = Number(findProperty(half.propertiesString, PROPERTY_TRANSACTION_CHECK_TIMES) ?? 0)
  return Number.isInteger(n) && n > 0 ? n : 0
}

/** The committed message: real topic and queue, the half-message bookkeeping removed, type COMMIT. */
function realMessageOf(half: DecodedMessage): MessageToStore {
  return {
    topic: findProperty(half.propertiesString, PROPERTY_REAL_TOPIC) ?? half.topic,
    queueId: Number(findProperty(half.propertiesString, PROPERTY_REAL_QUEUE_ID) ?? 0),
    body: half.body,
    flag: half.flag,
    sysFlag: (half.sysFlag & ~SYSFLAG_TRANSACTION_TYPE_MASK) | SYSFLAG_TRANSACTION_COMMIT_TYPE,
    bornTimestampMs: half.bornTimestampMs,
    bornHost: half.bornHost,
    preparedTransactionOffset: half.commitLogOffset,
    propertiesString: editProperties(half.propertiesString, {
      [PROPERTY_REAL_TOPIC]: undefined,
      [PROPERTY_REAL_QUEUE_ID]: undefined,
      [PROPERTY_TRANSACTION_PREPARED]: undefined,
      [PROPERTY_TRANSACTION_CHECK_TIMES]: undefined,
    }),
  }
}
