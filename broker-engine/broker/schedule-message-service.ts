// Delay levels (RocketMQ's ScheduleMessageService): messages parked in SCHEDULE_TOPIC_XXXX queue level-1 are
// delivered to their real topic, in order per level, no earlier than the due time their ConsumeQueue tag code
// holds. Progress per level is persisted, so a restart resumes where delivery stopped (at least once).

import type { Clock, TimerHandle } from '../common/clock'
import { SCHEDULE_TOPIC } from '../store/message-constants'
import type { MessageStore } from '../store/message-store'
import type { MessageToStore, PutMessageResult } from '../store/store-types'
import { restoreDelayedMessage } from './message-rewrite'

/** Messages put per level before waiting for their acknowledgements. */
const DELIVER_BATCH_MAX = 256
/** Wait after a failed put before retrying the same message (RocketMQ waits 10 s). */
const RETRY_AFTER_FAILURE_MS = 1000
/** First delivery pass after start (RocketMQ: 1 s). */
const FIRST_DELAY_MS = 1000

export interface DelayOffsetTable {
  load(): ReadonlyMap<number, number>
  save(offsets: ReadonlyMap<number, number>): void
}

export interface ScheduleStats {
  readonly level: number
  readonly delayMs: number
  /** Next queue offset to deliver. */
  readonly deliverOffset: number
  /** Messages waiting at this level. */
  readonly pending: number
}

export class ScheduleMessageService {
  private readonly offsets = new Map<number, number>()
  private readonly timers = new Map<number, TimerHandle>()
  private readonly running = new Set<number>()
  private readonly waitingForMessages = new Set<number>()
  private dirty = false
  private stopped = true
  private delivered = 0

  constructor(
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private readonly delayLevelsMs: readonly number[],
    private readonly offsetTable: DelayOffsetTable,
    private readonly put: (msg: MessageToStore) => Promise<PutMessageResult>,
    private readonly log: (message: string) => void,
  ) {}

  get deliveredCount(): number {
    return this.delivered
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    for (const [level, offset] of this.offsetTable.load()) this.offsets.set(level, offset)
    for (let level = 1; level <= this.delayLevelsMs.length; level++) this.wakeAfter(level, FIRST_DELAY_MS)
  }

  /** The store dispatched into SCHEDULE_TOPIC_XXXX queue `queueId`: wake that level if it is idle. */
  notifyArrived(queueId: number): void {
    const level = queueId + 1
    if (this.stopped || !this.waitingForMessages.has(level)) return
    this.waitingForMessages.delete(level)
    this.wakeAfter(level, 0)
  }

  /** Persists progress if it changed. */
  persist(): void {
    if (!this.dirty) return
    this.dirty = false
    this.offsetTable.save(new Map(this.offsets))
  }

  stop(): void {
    this.stopped = true
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
    this.persist()
  }

  stats(): ScheduleStats[] {
    return this.delayLevelsMs.map((delayMs, i) => {
      const level = i + 1
      const deliverOffset = this.offsets.get(level) ?? 0
      const max = this.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, level - 1)
      return { level, delayMs, deliverOffset, pending: Math.max(0, max - deliverOffset) }
    })
  }

  private wakeAfter(level: number, delayMs: number): void {
    this.timers.get(level)?.cancel()
    this.timers.set(
      level,
      this.clock.setTimer(delayMs, () => {
        this.timers.delete(level)
        void this.deliverDue(level)
      }),
    )
  }

  /** Delivers every due message of one level, then waits for the next due time or for new messages. */
  private async deliverDue(level: number): Promise<void> {
    if (this.stopped || this.running.has(level)) return
    this.running.add(level)
    try {
      const queueId = level - 1
      for (;;) {
        if (this.stopped) return
        let offset = Math.max(
          this.offsets.get(level) ?? 0,
          this.store.getMinOffsetInQueue(SCHEDULE_TOPIC, queueId),
        )
        const max = this.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, queueId)
        if (offset >= max) {
          this.setOffset(level, offset)
          this.waitingForMessages.add(level)
          return
        }
        const now = this.clock.nowMs()
        const batchStart = offset
        const batch: Promise<PutMessageResult>[] = []
        let nextDueMs = -1
        for (; offset < max && batch.length < DELIVER_BATCH_MAX; offset++) {
          const unit = this.store.getQueueUnit(SCHEDULE_TOPIC, queueId, offset)
          if (!unit) break
          // A due time further out than the level's delay means the clock moved back: deliver it a delay from now.
          const dueMs = Math.min(unit.tagsCode, now + (this.delayLevelsMs[level - 1] ?? 0))
          if (dueMs > now) {
            nextDueMs = dueMs
            break
          }
          const record = this.store.lookMessageByOffset(unit.commitLogOffset)
          const msg = record && restoreDelayedMessage(record)
          if (!msg) {
            this.log(`delay level ${level}: skipped queue offset ${offset}: no deliverable record`)
            batch.push(Promise.resolve({ status: 'PUT_OK' } as PutMessageResult))
            continue
          }
          batch.push(this.put(msg))
        }
        if (batch.length === 0) {
          // Nothing due yet: come back when the first message is (measured from now, not from the pass start).
          this.wakeAfter(level, nextDueMs >= 0 ? nextDueMs - this.clock.nowMs() : RETRY_AFTER_FAILURE_MS)
          return
        }
        const results = await Promise.all(batch)
        const firstFailure = results.findIndex(
          (r) => r.status !== 'PUT_OK' && r.status !== 'FLUSH_DISK_TIMEOUT',
        )
        const done = firstFailure < 0 ? results.length : firstFailure
        this.delivered += done
        this.setOffset(level, batchStart + done)
        if (firstFailure >= 0) {
          const r = results[firstFailure]!
          this.log(
            `delay level ${level}: redelivery failed (${r.status}); retrying in ${RETRY_AFTER_FAILURE_MS} ms`,
          )
          this.wakeAfter(level, RETRY_AFTER_FAILURE_MS)
          return
        }
      }
    } finally {
      this.running.delete(level)
    }
  }

  private setOffset(level: number, offset: number): void {
    if (this.offsets.get(level) === offset) return
    this.offsets.set(level, offset)
    this.dirty = true
  }
}
