// The in-process push consumer (DefaultMQPushConsumer's behaviour, built on pull with long polling): joins its
// group on every broker of its topics, splits the queues with the other members (clustering) or takes them all
// (broadcasting), pulls each assigned queue, hands messages to the listener, gives failed ones back for retry,
// and commits the offset below the oldest message still in flight. Orderly consumers lock each queue at the
// broker and consume it one message at a time.

import { setRepeatingTimer, systemClock, type Clock, type TimerHandle } from '../common/clock'
import { EngineError } from '../common/engine-error'
import type { BrokerController } from '../broker/broker-controller'
import type { MessageModel } from '../broker/client-registry'
import type { ConsumerRunningInfoReport } from '../broker/consumer-running-info'
import { loadJsonConfig, persistJsonConfig } from '../broker/config-file'
import { isReadable } from '../broker/topic-config-manager'
import { retryTopicOf } from '../broker/topic-validator'
import type { ClientTransport } from '../cluster/embedded-cluster'
import { ReceivedMessage, withReconsumeTimes, type ConsumedMessage } from './received-message'
import { allocateAveragely } from './rebalance/allocate-averagely'
import type { AllocateStrategy } from './rebalance/allocate-strategy'
import { messageQueueKey, sortMessageQueues, type MessageQueue } from './rebalance/message-queue'

export type { ConsumedMessage }

export type ConsumeConcurrentlyStatus = 'CONSUME_SUCCESS' | 'RECONSUME_LATER'
export type ConsumeOrderlyStatus = 'SUCCESS' | 'SUSPEND_CURRENT_QUEUE_A_MOMENT'
export type ConsumeFromWhere =
  'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP'

export type ConcurrentListener = (
  msg: ConsumedMessage,
) => ConsumeConcurrentlyStatus | Promise<ConsumeConcurrentlyStatus>
export type OrderlyListener = (msg: ConsumedMessage) => ConsumeOrderlyStatus | Promise<ConsumeOrderlyStatus>

export interface PushConsumerOptions {
  readonly group: string
  readonly clientId: string
  readonly messageModel?: MessageModel
  readonly allocateStrategy?: AllocateStrategy
  readonly consumeFromWhere?: ConsumeFromWhere
  readonly consumeTimestampMs?: number
  readonly pullBatchSize?: number
  /** How long a pull waits at the broker for new messages (RocketMQ: 15 s). */
  readonly suspendTimeoutMs?: number
  readonly rebalanceIntervalMs?: number
  readonly persistOffsetIntervalMs?: number
  readonly heartbeatIntervalMs?: number
  /** Retries before a message goes to the DLQ (the group's retryMaxTimes when unset: 16). */
  readonly maxReconsumeTimes?: number
  /** Orderly: wait before retrying a failed message of a locked queue. */
  readonly suspendCurrentQueueTimeMs?: number
  readonly clock?: Clock
  readonly log?: (message: string) => void
  /**
   * Broadcasting only: where this client keeps its offsets between runs (RocketMQ keeps them under
   * ~/.rocketmq_offsets). Without it they live in memory for the consumer's lifetime.
   */
  readonly localOffsetFile?: string
}

type Mode =
  | { readonly orderly: false; readonly listener: ConcurrentListener }
  | { readonly orderly: true; readonly listener: OrderlyListener }

interface QueueState {
  readonly mq: MessageQueue
  nextOffset: number
  /** Queue offsets pulled and not yet consumed. */
  readonly inFlight: Set<number>
  dropped: boolean
  committed: number
  /** Orderly consumers hold the queue's broker lock. */
  locked: boolean
  lastPullTimestampMs: number
  lastConsumeTimestampMs: number
}

const PULL_RETRY_AFTER_ERROR_MS = 3000
const LOCK_RENEW_INTERVAL_MS = 20_000

export class PushConsumer {
  private readonly clock: Clock
  private readonly log: (message: string) => void
  private readonly model: MessageModel
  private readonly subscriptions = new Map<string, string>()
  private readonly queues = new Map<string, QueueState>()
  /** Broadcasting keeps its offsets here; clustering commits them to the brokers. */
  private readonly localOffsets = new Map<string, number>()
  private mode: Mode | undefined
  private timers: TimerHandle[] = []
  private running = false
  private consumed = 0

  constructor(
    private readonly transport: ClientTransport,
    private readonly options: PushConsumerOptions,
  ) {
    if (!options.group || !options.clientId)
      throw new EngineError('ARGUMENT_INVALID', 'a consumer needs a group and a clientId')
    this.clock = options.clock ?? systemClock
    this.log = options.log ?? ((m) => console.warn(`[mqdeck consumer ${options.clientId}] ${m}`))
    this.model = options.messageModel ?? 'CLUSTERING'
  }

  get consumedCount(): number {
    return this.consumed
  }

  /** Queues this consumer currently owns, as "topic@broker@queueId". */
  get assignedQueues(): string[] {
    return [...this.queues.keys()].sort()
  }

  subscribe(topic: string, subExpression = '*'): this {
    if (this.running) throw new EngineError('ARGUMENT_INVALID', 'subscribe before start()')
    this.subscriptions.set(topic, subExpression)
    return this
  }

  /** Starts consuming concurrently: messages of a queue may be processed in parallel. */
  start(listener: ConcurrentListener): Promise<void> {
    return this.begin({ orderly: false, listener })
  }

  /** Starts consuming orderly: each queue is locked at its broker and consumed one message at a time. */
  startOrderly(listener: OrderlyListener): Promise<void> {
    return this.begin({ orderly: true, listener })
  }

  private async begin(mode: Mode): Promise<void> {
    if (this.running) return
    if (this.subscriptions.size === 0)
      throw new EngineError('ARGUMENT_INVALID', 'subscribe to at least one topic first')
    // Clustering consumers also receive their group's retried messages.
    if (this.model === 'CLUSTERING') this.subscriptions.set(retryTopicOf(this.options.group), '*')
    this.mode = mode
    this.running = true
    this.loadLocalOffsets()
    // Membership changes reach us at once (NOTIFY_CONSUMER_IDS_CHANGED); the timer below is the safety net.
    for (const broker of this.brokersOfSubscriptions()) {
      broker.watchConsumerIds(this.options.group, this.options.clientId, () => this.rebalance())
      broker.runningInfo.register(this.options.group, this.options.clientId, () => this.runningInfo())
    }
    this.heartbeat()
    this.rebalance()
    this.timers.push(
      setRepeatingTimer(this.clock, this.options.heartbeatIntervalMs ?? 30_000, () => this.heartbeat()),
    )
    this.timers.push(
      setRepeatingTimer(this.clock, this.options.rebalanceIntervalMs ?? 20_000, () => this.rebalance()),
    )
    this.timers.push(
      setRepeatingTimer(this.clock, this.options.persistOffsetIntervalMs ?? 5000, () =>
        this.persistOffsets(),
      ),
    )
    if (mode.orderly)
      this.timers.push(setRepeatingTimer(this.clock, LOCK_RENEW_INTERVAL_MS, () => this.renewLocks()))
    await Promise.resolve()
  }

  /** Stops pulling, commits offsets, releases locks and leaves the group. */
  shutdown(): Promise<void> {
    if (this.running) {
      this.running = false
      for (const t of this.timers) t.cancel()
      this.timers = []
      for (const state of this.queues.values()) this.dropQueue(state)
      this.queues.clear()
      this.saveLocalOffsets()
      for (const broker of this.brokersOfSubscriptions()) {
        broker.clients.unregisterConsumer(this.options.group, this.options.clientId)
        broker.runningInfo.unregister(this.options.group, this.options.clientId)
      }
    }
    return Promise.resolve()
  }

  // ---- membership ---------------------------------------------------------------------------------------

  private heartbeat(): void {
    const subscriptions = [...this.subscriptions].map(([topic, subString]) => ({ topic, subString }))
    for (const broker of this.brokersOfSubscriptions()) {
      try {
        broker.consumerHeartbeat({
          clientId: this.options.clientId,
          group: this.options.group,
          language: 'NODE',
          version: 401,
          clientAddr: 'in-process',
          messageModel: this.model,
          consumeType: 'CONSUME_PASSIVELY',
          consumeFromWhere: this.options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET',
          subscriptions,
        })
      } catch (err) {
        this.log(`heartbeat to ${broker.addr} failed: ${String(err)}`)
      }
    }
  }

  /** Recomputes which queues this consumer owns and starts or stops pulling them. */
  rebalance(): void {
    if (!this.running) return
    const wanted = new Map<string, MessageQueue>()
    for (const topic of this.subscriptions.keys()) {
      const mqAll = this.readableQueues(topic)
      if (mqAll.length === 0) continue
      let mine = mqAll
      if (this.model === 'CLUSTERING') {
        const cidAll = this.consumerIdsOf(topic)
        mine = cidAll.includes(this.options.clientId)
          ? (this.options.allocateStrategy ?? allocateAveragely).allocate(
              this.options.group,
              this.options.clientId,
              mqAll,
              cidAll,
            )
          : []
      }
      for (const mq of mine) wanted.set(messageQueueKey(mq), mq)
    }
    for (const [key, state] of this.queues) {
      if (wanted.has(key)) continue
      this.dropQueue(state)
      this.queues.delete(key)
    }
    for (const [key, mq] of wanted) {
      if (this.queues.has(key)) continue
      const broker = this.masterOf(mq)
      if (!broker) continue
      if (
        this.mode?.orderly &&
        broker.lockBatch(this.options.group, [mq], this.options.clientId).length === 0
      )
        continue
      const start = this.startOffset(broker, mq)
      const state: QueueState = {
        mq,
        nextOffset: start,
        inFlight: new Set(),
        dropped: false,
        committed: start,
        locked: this.mode?.orderly === true,
        lastPullTimestampMs: 0,
        lastConsumeTimestampMs: 0,
      }
      this.queues.set(key, state)
      void this.pullLoop(state)
    }
  }

  private consumerIdsOf(topic: string): string[] {
    const ids = new Set<string>()
    for (const broker of this.brokersOf(topic))
      for (const id of broker.clients.consumerIds(this.options.group)) ids.add(id)
    return [...ids].sort()
  }

  private renewLocks(): void {
    for (const state of this.queues.values()) {
      const broker = this.masterOf(state.mq)
      if (broker && broker.lockBatch(this.options.group, [state.mq], this.options.clientId).length === 0) {
        this.dropQueue(state)
        this.queues.delete(messageQueueKey(state.mq))
      }
    }
  }

  // ---- pulling and consuming ----------------------------------------------------------------------------

  private async pullLoop(state: QueueState): Promise<void> {
    const { mq } = state
    while (this.running && !state.dropped) {
      const broker = this.masterOf(mq)
      if (!broker) return this.dropAfterError(state, `no master for ${mq.brokerName}`)
      const result = await broker.pullMessage({
        consumerGroup: this.options.group,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: state.nextOffset,
        maxMsgNums: this.options.pullBatchSize ?? 32,
        subExpression: this.subscriptions.get(mq.topic) ?? '*',
        suspendTimeoutMs: this.options.suspendTimeoutMs ?? 15_000,
      })
      if (state.dropped || !this.running) return
      state.lastPullTimestampMs = this.clock.nowMs()
      if (result.status === 'ERROR') {
        this.log(`pull ${messageQueueKey(mq)} failed: ${result.reason}`)
        await this.sleep(PULL_RETRY_AFTER_ERROR_MS)
        continue
      }
      if (result.status === 'OFFSET_ILLEGAL') {
        state.nextOffset = result.nextBeginOffset
        this.commitLocal(state, result.nextBeginOffset)
        continue
      }
      if (result.status !== 'FOUND') {
        state.nextOffset = result.nextBeginOffset
        if (state.inFlight.size === 0) this.commitLocal(state, state.nextOffset)
        continue
      }
      const messages: ConsumedMessage[] = []
      for (let pos = 0; pos < result.records.length; pos += result.records.readInt32BE(pos))
        messages.push(new ReceivedMessage(result.records, pos, mq))
      state.nextOffset = result.nextBeginOffset
      for (const m of messages) state.inFlight.add(m.queueOffset)
      if (this.mode?.orderly) await this.consumeOrderly(state, broker, messages)
      else void this.consumeConcurrently(state, broker, messages)
    }
  }

  private async consumeConcurrently(
    state: QueueState,
    broker: BrokerController,
    messages: ConsumedMessage[],
  ): Promise<void> {
    const mode = this.mode
    if (!mode || mode.orderly) return
    // Listeners that answer synchronously are handled in a plain loop; only promises are awaited (together).
    const waiting: Promise<void>[] = []
    for (const m of messages) {
      let answer: ConsumeConcurrentlyStatus | Promise<ConsumeConcurrentlyStatus>
      try {
        answer = mode.listener(m)
      } catch {
        answer = 'RECONSUME_LATER'
      }
      if (typeof answer === 'string') {
        if (answer === 'RECONSUME_LATER' && this.model === 'CLUSTERING')
          waiting.push(this.finishFailed(state, broker, m))
        else this.finishConsumed(state, m)
      } else {
        waiting.push(
          answer.then(
            (status) =>
              status === 'RECONSUME_LATER' && this.model === 'CLUSTERING'
                ? this.finishFailed(state, broker, m)
                : this.finishConsumed(state, m),
            () =>
              this.model === 'CLUSTERING'
                ? this.finishFailed(state, broker, m)
                : this.finishConsumed(state, m),
          ),
        )
      }
    }
    if (waiting.length > 0) await Promise.all(waiting)
    this.commitLocal(state, state.inFlight.size > 0 ? Math.min(...state.inFlight) : state.nextOffset)
  }

  private finishConsumed(state: QueueState, m: ConsumedMessage): void {
    this.consumed++
    state.inFlight.delete(m.queueOffset)
    state.lastConsumeTimestampMs = this.clock.nowMs()
  }

  private async finishFailed(state: QueueState, broker: BrokerController, m: ConsumedMessage): Promise<void> {
    await this.giveBack(broker, m)
    this.finishConsumed(state, m)
  }

  private async consumeOrderly(
    state: QueueState,
    broker: BrokerController,
    messages: ConsumedMessage[],
  ): Promise<void> {
    const mode = this.mode
    if (!mode?.orderly) return
    const maxReconsumeTimes = this.options.maxReconsumeTimes ?? 16
    for (const m of messages) {
      let attempts = 0
      for (;;) {
        if (state.dropped || !this.running) return
        let status: ConsumeOrderlyStatus
        try {
          status = await mode.listener(
            attempts === 0 ? m : withReconsumeTimes(m, m.reconsumeTimes + attempts),
          )
        } catch {
          status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT'
        }
        if (status === 'SUCCESS') break
        attempts++
        if (attempts > maxReconsumeTimes) {
          // Orderly consumers send an exhausted message straight to the DLQ and move on.
          await broker.consumerSendMsgBack({
            group: this.options.group,
            commitLogOffset: m.commitLogOffset,
            delayLevel: -1,
          })
          break
        }
        await this.sleep(this.options.suspendCurrentQueueTimeMs ?? 1000)
      }
      this.consumed++
      state.inFlight.delete(m.queueOffset)
      this.commitLocal(state, m.queueOffset + 1)
    }
  }

  /** A failed message goes back to the broker; if that fails too it is retried here after a pause. */
  private async giveBack(broker: BrokerController, m: ConsumedMessage): Promise<void> {
    for (;;) {
      const result = await broker.consumerSendMsgBack({
        group: this.options.group,
        commitLogOffset: m.commitLogOffset,
        delayLevel: 0,
        maxReconsumeTimes: this.options.maxReconsumeTimes,
      })
      if (result.status !== 'PUT_FAILED' || !this.running) return
      this.log(`send-back of ${m.msgId} failed: ${result.reason}; retrying`)
      await this.sleep(PULL_RETRY_AFTER_ERROR_MS)
    }
  }

  // ---- offsets ------------------------------------------------------------------------------------------

  private startOffset(broker: BrokerController, mq: MessageQueue): number {
    const key = messageQueueKey(mq)
    if (this.model === 'BROADCASTING') {
      const local = this.localOffsets.get(key)
      if (local !== undefined) return local
    } else {
      const stored = broker.queryConsumerOffset(this.options.group, mq.topic, mq.queueId)
      if (stored >= 0) return stored
    }
    if (mq.topic.startsWith('%RETRY%')) return 0
    switch (this.options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET') {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return broker.store.getMinOffsetInQueue(mq.topic, mq.queueId)
      case 'CONSUME_FROM_TIMESTAMP':
        return broker.store.getOffsetInQueueByTime(
          mq.topic,
          mq.queueId,
          this.options.consumeTimestampMs ?? this.clock.nowMs() - 30 * 60_000,
        )
      case 'CONSUME_FROM_LAST_OFFSET':
        return broker.store.getMaxOffsetInQueue(mq.topic, mq.queueId)
    }
  }

  private commitLocal(state: QueueState, offset: number): void {
    if (offset > state.committed) state.committed = offset
  }

  private persistOffsets(): void {
    for (const state of this.queues.values()) this.persistOffset(state)
    this.saveLocalOffsets()
  }

  private loadLocalOffsets(): void {
    const file = this.options.localOffsetFile
    if (this.model !== 'BROADCASTING' || !file) return
    const json = loadJsonConfig(file, this.log) as { offsetTable?: Record<string, unknown> } | undefined
    for (const [key, offset] of Object.entries(json?.offsetTable ?? {})) {
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0)
        this.localOffsets.set(key, offset)
    }
  }

  private saveLocalOffsets(): void {
    const file = this.options.localOffsetFile
    if (this.model !== 'BROADCASTING' || !file) return
    try {
      persistJsonConfig(file, { offsetTable: Object.fromEntries(this.localOffsets) })
    } catch (err) {
      this.log(`saving broadcasting offsets to ${file} failed: ${String(err)}`)
    }
  }

  private persistOffset(state: QueueState): void {
    const key = messageQueueKey(state.mq)
    if (this.model === 'BROADCASTING') {
      this.localOffsets.set(key, state.committed)
      return
    }
    this.masterOf(state.mq)?.commitOffset(
      this.options.group,
      state.mq.topic,
      state.mq.queueId,
      state.committed,
    )
  }

  /** What this consumer reports to GET_CONSUMER_RUNNING_INFO: its settings and the queues it holds now. */
  runningInfo(): ConsumerRunningInfoReport {
    return {
      properties: {
        PROP_CONSUME_TYPE: 'CONSUME_PASSIVELY',
        PROP_CONSUMEORDERLY: String(this.mode?.orderly === true),
        PROP_MESSAGE_MODEL: this.model,
        PROP_CONSUME_FROM_WHERE: this.options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET',
        PROP_CLIENT_VERSION: 'mqdeck-engine',
      },
      subscriptions: [...this.subscriptions].map(([topic, subString]) => ({ topic, subString })),
      queues: [...this.queues.values()].map((state) => ({
        mq: state.mq,
        commitOffset: state.committed,
        cachedMsgCount: state.inFlight.size,
        locked: state.locked,
        dropped: state.dropped,
        lastPullTimestampMs: state.lastPullTimestampMs,
        lastConsumeTimestampMs: state.lastConsumeTimestampMs,
      })),
    }
  }

  private dropQueue(state: QueueState): void {
    state.locked = false
    state.dropped = true
    this.persistOffset(state)
    if (this.mode?.orderly)
      this.masterOf(state.mq)?.unlockBatch(this.options.group, [state.mq], this.options.clientId)
  }

  private dropAfterError(state: QueueState, reason: string): void {
    this.log(`stopped pulling ${messageQueueKey(state.mq)}: ${reason}`)
    this.dropQueue(state)
    this.queues.delete(messageQueueKey(state.mq))
  }

  // ---- routes -------------------------------------------------------------------------------------------

  private readableQueues(topic: string): MessageQueue[] {
    const route = this.transport.routeOf(topic)
    if (!route) return []
    const out: MessageQueue[] = []
    for (const qd of route.queueDatas) {
      if (!isReadable(qd.perm)) continue
      for (let queueId = 0; queueId < qd.readQueueNums; queueId++)
        out.push({ topic, brokerName: qd.brokerName, queueId })
    }
    return sortMessageQueues(out)
  }

  private masterOf(mq: MessageQueue): BrokerController | undefined {
    const addr = this.transport.routeOf(mq.topic)?.brokerDatas.find((b) => b.brokerName === mq.brokerName)
      ?.brokerAddrs[0]
    return addr ? this.transport.broker(addr) : undefined
  }

  private brokersOf(topic: string): BrokerController[] {
    const route = this.transport.routeOf(topic)
    const out: BrokerController[] = []
    for (const bd of route?.brokerDatas ?? []) {
      const addr = bd.brokerAddrs[0]
      const broker = addr ? this.transport.broker(addr) : undefined
      if (broker) out.push(broker)
    }
    return out
  }

  private brokersOfSubscriptions(): BrokerController[] {
    const seen = new Map<string, BrokerController>()
    for (const topic of this.subscriptions.keys()) for (const b of this.brokersOf(topic)) seen.set(b.addr, b)
    return [...seen.values()]
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve))
  }
}
