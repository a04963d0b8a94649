// The in-process producer (DefaultMQProducer's behaviour): finds the topic's route, picks a queue round-robin or
// with a selector, sends to the queue's master, and on failure retries on another queue (another broker when
// there is one). A topic with no route is sent through TBW102 so the broker can create it.

import { systemClock, type Clock } from '../common/clock'
import { EngineError } from '../common/engine-error'
import type { SendMessageResult } from '../broker/broker-controller'
import { isWritable } from '../broker/topic-config-manager'
import type { ClientTransport } from '../cluster/embedded-cluster'
import { isPropertyTextValid } from '../store/message-properties'
import { PROPERTY_NAME_VALUE_SEPARATOR as NV, PROPERTY_SEPARATOR as SEP } from '../store/message-constants'
import type { TopicRouteData } from '../namesrv/route-types'
import type { MessageQueue } from './rebalance/message-queue'

export type { MessageQueue }

export interface OutgoingMessage {
  readonly topic: string
  readonly body: Uint8Array | string
  readonly tags?: string
  /** Business keys (indexed); several are joined with spaces. */
  readonly keys?: string | readonly string[]
  /** 1..18: deliver after that delay level. */
  readonly delayLevel?: number
  readonly properties?: Readonly<Record<string, string>>
  readonly flag?: number
}

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT'

export interface SendResult {
  readonly sendStatus: SendStatus
  /** Where the broker stored it (for a half message: in the half topic; END_TRANSACTION points here). */
  readonly commitLogOffset: number
  readonly brokerName: string
  readonly msgId: string
  readonly offsetMsgId: string
  readonly messageQueue: MessageQueue
  readonly queueOffset: number
}

export type QueueSelector = (
  queues: readonly MessageQueue[],
  msg: OutgoingMessage,
  arg: unknown,
) => MessageQueue

export interface ProducerOptions {
  readonly group: string
  readonly clientId?: string
  /** Extra attempts on other queues after a failed sync send (RocketMQ default 2). */
  readonly retryTimesWhenSendFailed?: number
  readonly defaultTopicQueueNums?: number
  readonly createTopicKey?: string
  /** How long a topic route is reused before it is looked up again (RocketMQ: pollNameServerInterval, 30 s). */
  readonly routeRefreshIntervalMs?: number
  readonly clock?: Clock
}

/** Properties the client may not set itself. */
const RESERVED = new Set([
  'KEYS',
  'TAGS',
  'UNIQ_KEY',
  'DELAY',
  'TRAN_MSG',
  'PGROUP',
  'REAL_TOPIC',
  'REAL_QID',
  'RETRY_TOPIC',
  'WAIT',
])

interface TopicPublishInfo {
  readonly queues: readonly MessageQueue[]
  readonly viaDefaultTopic: boolean
  /** Master address per broker name. */
  readonly masters: ReadonlyMap<string, string>
  readonly atMs: number
}

export class SendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'SendError'
  }
}

export class Producer {
  private readonly retries: number
  private readonly counters = new Map<string, number>()
  /** Per topic: its writable queues and masters, from the NameServer route (TopicPublishInfo). */
  private readonly publishInfos = new Map<string, TopicPublishInfo>()
  private readonly clock: Clock

  constructor(
    protected readonly transport: ClientTransport,
    protected readonly options: ProducerOptions,
  ) {
    if (!options.group) throw new EngineError('ARGUMENT_INVALID', 'a producer needs a group')
    this.retries = options.retryTimesWhenSendFailed ?? 2
    this.clock = options.clock ?? systemClock
  }

  /**
   * Where a topic can be sent, reused for routeRefreshIntervalMs. A topic without a route of its own is sent
   * through the default topic's brokers, and that answer is not cached so the new topic's route is picked up
   * as soon as a broker has created it.
   */
  private publishInfoOf(topic: string): TopicPublishInfo {
    const now = this.clock.nowMs()
    const cached = this.publishInfos.get(topic)
    if (cached && now - cached.atMs < (this.options.routeRefreshIntervalMs ?? 30_000)) return cached
    let route = this.transport.routeOf(topic)
    let viaDefaultTopic = false
    if (!route || route.queueDatas.length === 0) {
      route = this.transport.routeOf(this.options.createTopicKey ?? 'TBW102')
      viaDefaultTopic = true
    }
    const masters = new Map<string, string>()
    for (const bd of route?.brokerDatas ?? []) {
      const addr = bd.brokerAddrs[0]
      if (addr) masters.set(bd.brokerName, addr)
    }
    const info = { queues: route ? queuesOf(topic, route) : [], viaDefaultTopic, masters, atMs: now }
    if (viaDefaultTopic) this.publishInfos.delete(topic)
    else this.publishInfos.set(topic, info)
    return info
  }

  /** Sync send: resolves once the broker stored the message, retrying other queues on failure. */
  send(msg: OutgoingMessage, selector?: QueueSelector, arg?: unknown): Promise<SendResult> {
    let properties: string
    try {
      properties = buildProperties(msg)
    } catch (err) {
      // Bad input rejects the returned promise like any other send failure.
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    return this.sendWith(msg, properties, selector, arg)
  }

  /** Sends with a properties string already built (the transaction producer adds TRAN_MSG and PGROUP). */
  protected async sendWith(
    msg: OutgoingMessage,
    properties: string,
    selector?: QueueSelector,
    arg?: unknown,
  ): Promise<SendResult> {
    const body = typeof msg.body === 'string' ? Buffer.from(msg.body) : msg.body
    let lastError: SendError | undefined
    let avoidBroker: string | undefined
    for (let attempt = 0; attempt <= (selector ? 0 : this.retries); attempt++) {
      const { queues, viaDefaultTopic, masters } = this.publishInfoOf(msg.topic)
      if (queues.length === 0) throw new SendError('TOPIC_NOT_EXIST', `no route for topic ${msg.topic}`)
      const mq = selector ? selector(queues, msg, arg) : this.nextQueue(msg.topic, queues, avoidBroker)
      const addr = masters.get(mq.brokerName)
      const broker = addr ? this.transport.broker(addr) : undefined
      if (!broker) {
        lastError = new SendError('SERVICE_NOT_AVAILABLE', `broker ${mq.brokerName} has no master`)
        avoidBroker = mq.brokerName
        continue
      }
      const result: SendMessageResult = await broker.sendMessage({
        producerGroup: this.options.group,
        topic: msg.topic,
        queueId: mq.queueId,
        body,
        propertiesString: properties,
        flag: msg.flag,
        defaultTopic: viaDefaultTopic ? (this.options.createTopicKey ?? 'TBW102') : undefined,
        defaultTopicQueueNums: this.options.defaultTopicQueueNums ?? 4,
      })
      if (result.status !== 'ERROR') {
        return {
          commitLogOffset: result.commitLogOffset,
          brokerName: mq.brokerName,
          sendStatus: result.status,
          msgId: result.msgId,
          offsetMsgId: result.offsetMsgId,
          messageQueue: mq,
          queueOffset: result.queueOffset,
        }
      }
      lastError = new SendError(result.code, result.reason)
      if (result.code === 'MESSAGE_ILLEGAL' || result.code === 'TOPIC_NOT_EXIST') break
      this.publishInfos.delete(msg.topic) // the route may be stale
      avoidBroker = mq.brokerName
    }
    throw lastError ?? new SendError('SYSTEM_ERROR', 'send failed')
  }

  /** Async send: the callback gets the result or the error. */
  sendAsync(msg: OutgoingMessage, callback: (err: Error | undefined, result?: SendResult) => void): void {
    this.send(msg).then(
      (r) => callback(undefined, r),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    )
  }

  /** One-way send: no result, no retry (the least reliable mode, as in RocketMQ). */
  sendOneway(msg: OutgoingMessage): void {
    void this.send(msg).catch(() => undefined)
  }

  private nextQueue(
    topic: string,
    queues: readonly MessageQueue[],
    avoidBroker: string | undefined,
  ): MessageQueue {
    const start = this.counters.get(topic) ?? Math.floor(Math.random() * queues.length)
    this.counters.set(topic, start + 1)
    for (let i = 0; i < queues.length; i++) {
      const mq = queues[(start + i) % queues.length]!
      if (mq.brokerName !== avoidBroker) return mq
    }
    return queues[start % queues.length]!
  }
}

/** The writable queues of a route (masters only, write queue count per broker name), sorted. */
export function queuesOf(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = []
  for (const qd of [...route.queueDatas].sort((a, b) => a.brokerName.localeCompare(b.brokerName))) {
    if (!isWritable(qd.perm)) continue
    for (let queueId = 0; queueId < qd.writeQueueNums; queueId++)
      out.push({ topic, brokerName: qd.brokerName, queueId })
  }
  return out
}

/** The properties string of a message (user properties, then TAGS, KEYS, DELAY, WAIT), validated. */
export function buildProperties(msg: OutgoingMessage): string {
  let out = ''
  if (msg.properties) {
    for (const name of Object.keys(msg.properties)) {
      const value = msg.properties[name]!
      if (RESERVED.has(name))
        throw new EngineError(
          'ARGUMENT_INVALID',
          `property ${name} is reserved; use the message field instead`,
        )
      if (!isPropertyTextValid(name) || !isPropertyTextValid(value))
        throw new EngineError('ARGUMENT_INVALID', `property ${name} contains a separator character`)
      out += name + NV + value + SEP
    }
  }
  const keys = typeof msg.keys === 'string' || msg.keys === undefined ? msg.keys : msg.keys.join(' ')
  if (msg.tags !== undefined) {
    if (!isPropertyTextValid(msg.tags))
      throw new EngineError('ARGUMENT_INVALID', 'TAGS contains a separator character')
    out += 'TAGS' + NV + msg.tags + SEP
  }
  if (keys !== undefined) {
    if (!isPropertyTextValid(keys))
      throw new EngineError('ARGUMENT_INVALID', 'KEYS contains a separator character')
    if (keys) out += 'KEYS' + NV + keys + SEP
  }
  if (msg.delayLevel !== undefined) {
    if (!Number.isInteger(msg.delayLevel) || msg.delayLevel < 1)
      throw new EngineError('ARGUMENT_INVALID', 'delayLevel must be a positive integer')
    out += 'DELAY' + NV + msg.delayLevel + SEP
  }
  return out + 'WAIT' + NV + 'true'
}
