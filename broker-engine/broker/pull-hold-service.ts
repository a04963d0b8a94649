// Long polling: a pull that finds nothing new is held here and answered as soon as the store dispatches a
// message into its queue, or when its suspend timeout passes (RocketMQ's PullRequestHoldService).

import { setRepeatingTimer, type Clock, type TimerHandle } from '../common/clock'

export type WakeReason = 'NEW_MESSAGE' | 'TIMEOUT' | 'SHUTDOWN'

interface HeldPull {
  readonly queueOffset: number
  readonly deadlineMs: number
  readonly wake: (reason: WakeReason) => void
}

export interface PullHoldOptions {
  /** Most pulls held at once; beyond it a pull is answered at once (the client retries). */
  readonly heldPullsMax: number
  /** How often expired holds are answered. */
  readonly checkIntervalMs: number
}

export const DEFAULT_PULL_HOLD_OPTIONS: PullHoldOptions = { heldPullsMax: 65_536, checkIntervalMs: 200 }

export class PullHoldService {
  private readonly held = new Map<string, HeldPull[]>()
  private count = 0
  private timer: TimerHandle | undefined

  constructor(
    private readonly clock: Clock,
    private readonly options: PullHoldOptions = DEFAULT_PULL_HOLD_OPTIONS,
  ) {}

  get heldCount(): number {
    return this.count
  }

  start(): void {
    this.timer ??= setRepeatingTimer(this.clock, this.options.checkIntervalMs, () => this.expire())
  }

  /**
   * Holds a pull waiting for messages at or after `queueOffset`. Returns false (not held) when the service is
   * full or stopped; the caller then answers the pull as "no new message".
   */
  hold(
    topic: string,
    queueId: number,
    queueOffset: number,
    timeoutMs: number,
    wake: (reason: WakeReason) => void,
  ): boolean {
    if (!this.timer || this.count >= this.options.heldPullsMax) return false
    const key = `${topic}@${queueId}`
    let list = this.held.get(key)
    if (!list) {
      list = []
      this.held.set(key, list)
    }
    list.push({ queueOffset, deadlineMs: this.clock.nowMs() + Math.max(0, timeoutMs), wake })
    this.count++
    return true
  }

  /** The store dispatched messages into a queue: wake every pull waiting below its new max offset. */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number): void {
    const key = `${topic}@${queueId}`
    const list = this.held.get(key)
    if (!list) return
    const keep: HeldPull[] = []
    const woken: HeldPull[] = []
    for (const pull of list) (pull.queueOffset < maxOffset ? woken : keep).push(pull)
    if (woken.length === 0) return
    if (keep.length > 0) this.held.set(key, keep)
    else this.held.delete(key)
    this.count -= woken.length
    for (const pull of woken) pull.wake('NEW_MESSAGE')
  }

  /** Answers every hold whose suspend timeout has passed. */
  expire(): void {
    const now = this.clock.nowMs()
    const expired: HeldPull[] = []
    for (const [key, list] of this.held) {
      const keep = list.filter((p) => p.deadlineMs > now)
      if (keep.length === list.length) continue
      for (const p of list) if (p.deadlineMs <= now) expired.push(p)
      if (keep.length > 0) this.held.set(key, keep)
      else this.held.delete(key)
    }
    this.count -= expired.length
    for (const pull of expired) pull.wake('TIMEOUT')
  }

  /** Stops holding: every held pull is answered now. */
  shutdown(): void {
    this.timer?.cancel()
    this.timer = undefined
    const all = [...this.held.values()].flat()
    this.held.clear()
    this.count = 0
    for (const pull of all) pull.wake('SHUTDOWN')
  }
}
