// Test kit for the ali-ons peer tests: a standalone broker + NameServer in a temp dir, ali-ons clients with
// short (RocketMQ-legal) intervals, and waits with deadlines driven by client events; everything closes after.

import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { BrokerConfig } from '../../../broker-engine/broker/broker-config'
import {
  startStandaloneBroker,
  type StandaloneBroker,
} from '../../../broker-engine/standalone/standalone-broker'
import type {
  AliOnsClientOptions,
  AliOnsConsumer,
  AliOnsConsumerOptions,
  AliOnsHandler,
  AliOnsHttpClient,
  AliOnsLogger,
  AliOnsMessage,
  AliOnsMQClientClass,
  AliOnsModule,
  AliOnsProducer,
  AliOnsPullResult,
} from './ali-ons-types'

const require = createRequire(import.meta.url)
export const aliOns = require('ali-ons') as AliOnsModule
const MQClient = require('ali-ons/lib/mq_client') as AliOnsMQClientClass

/**
 * Delay levels for the broker (broker.conf `messageDelayLevel`): level 2 is the 2 s the delayed-message test
 * uses; every other level is 1 s so the retry levels (3 + reconsumeTimes) keep the DLQ test within seconds.
 */
export const TEST_DELAY_LEVELS = '1s 2s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s'
export const DELAY_LEVEL_2_MS = 2000

/** Client timers, shortened the way RocketMQ users may (defaults: 30 s, 30 s, 10 s, 5 s). */
const FAST_INTERVALS = {
  pollNameServerInteval: 500,
  heartbeatBrokerInterval: 1000,
  rebalanceInterval: 500,
  persistConsumerOffsetInterval: 300,
} as const

/** ali-ons asserts an http client is given; with `nameSrv` set it never calls it, which this one proves. */
const NO_HTTP: AliOnsHttpClient = {
  request: (url) => Promise.reject(new Error(`ali-ons unexpectedly fetched ${url}: nameSrv is set`)),
}

export interface ClientError {
  readonly client: string
  readonly error: Error
}

export interface ConsumerSpec {
  /** Distinguishes clients in the client id; two consumers of one group in one process need two. */
  readonly name: string
  readonly group: string
  readonly isBroadcast?: boolean
  readonly maxReconsumeTimes?: number
}

export interface AliOnsHarness {
  readonly broker: StandaloneBroker
  readonly nameSrv: string
  /** Every `error` event of every client. */
  readonly errors: ClientError[]
  /** Every warning and error ali-ons logged, and every line the broker logged. */
  readonly logs: string[]
  producer(name: string, group: string): Promise<AliOnsProducer>
  /** A consumer reading each new queue from its first offset; subscribe it, then `await c.ready()`. */
  consumer(spec: ConsumerSpec): AliOnsConsumer
  /** Closes one client now (it is not closed again by `close`). */
  closeClient(client: AliOnsProducer | AliOnsConsumer): Promise<void>
  /** Closes every client (newest first), ali-ons' inner producer, then the broker, and removes the dir. */
  close(): Promise<void>
}

export async function startAliOnsHarness(config: Partial<BrokerConfig> = {}): Promise<AliOnsHarness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mqdeck-ali-ons-'))
  const logs: string[] = []
  const errors: ClientError[] = []
  let broker: StandaloneBroker
  try {
    broker = await startStandaloneBroker({
      config: { storePathRootDir: dir, listenPort: 0, messageDelayLevel: TEST_DELAY_LEVELS, ...config },
      namesrvPort: 0,
      log: (m) => logs.push(`[broker] ${m}`),
    })
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const nameSrv = broker.namesrvAddr ?? ''
  // Client ids are <ip>@<instanceName> and ali-ons shares one MQClient per id across the process.
  const idPrefix = `peer-${randomBytes(3).toString('hex')}`
  const open: (AliOnsProducer | AliOnsConsumer)[] = []

  const logger = (client: string): AliOnsLogger => ({
    info: () => undefined,
    debug: () => undefined,
    warn: (...args) => logs.push(`[${client} warn] ${args.map(String).join(' ')}`),
    error: (...args) => logs.push(`[${client} error] ${args.map(String).join(' ')}`),
  })
  const base = (name: string): AliOnsClientOptions => ({
    nameSrv,
    httpclient: NO_HTTP,
    accessKeyId: 'mqdeck-test-ak',
    accessKeySecret: 'mqdeck-test-sk',
    instanceName: `${idPrefix}-${name}`,
    logger: logger(name),
    ...FAST_INTERVALS,
  })
  const track = <C extends AliOnsProducer | AliOnsConsumer>(name: string, client: C): C => {
    client.on('error', (error: Error) => errors.push({ client: name, error }))
    open.push(client)
    return client
  }

  // Every ali-ons consumer and producer first creates a process-wide inner producer (its send-back fallback)
  // from its own options and keeps it forever. Created here with its own client id, it cannot share an
  // MQClient with a test's client, and closing it after the test keeps one broker's address from leaking
  // into the next test.
  let inner: AliOnsProducer
  try {
    inner = await aliOns.Producer.getDefaultProducer(base('inner'))
  } catch (err) {
    aliOns.Producer.defaultProducer = null
    await broker.close()
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  inner.on('error', (error: Error) => errors.push({ client: 'inner', error }))

  let closing: Promise<void> | undefined
  return {
    broker,
    nameSrv,
    errors,
    logs,
    async producer(name, group) {
      const producer = track(name, new aliOns.Producer({ ...base(name), producerGroup: group }))
      await producer.ready()
      return producer
    },
    consumer(spec) {
      const options: AliOnsConsumerOptions = {
        ...base(spec.name),
        consumerGroup: spec.group,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        ...(spec.isBroadcast !== undefined && { isBroadcast: spec.isBroadcast }),
        ...(spec.maxReconsumeTimes !== undefined && { maxReconsumeTimes: spec.maxReconsumeTimes }),
      }
      return track(spec.name, new aliOns.Consumer(options))
    },
    async closeClient(client) {
      const at = open.indexOf(client)
      if (at < 0) return
      open.splice(at, 1)
      await client.close()
    },
    close: () =>
      (closing ??= (async () => {
        const failures: unknown[] = []
        for (const client of open.splice(0).reverse()) {
          await client.close().catch((err: unknown) => failures.push(err))
        }
        await inner.close().catch((err: unknown) => failures.push(err))
        aliOns.Producer.defaultProducer = null
        await broker.close().catch((err: unknown) => failures.push(err))
        await rm(dir, { recursive: true, force: true })
        if (failures.length > 0) throw new AggregateError(failures, 'closing the ali-ons harness failed')
      })()),
  }
}

/** Items arriving from handlers; waits resolve on arrival, or fail at their deadline with what did arrive. */
export class Inbox<T> {
  readonly items: T[] = []
  private readonly arrived = new EventEmitter()

  push(item: T): void {
    this.items.push(item)
    this.arrived.emit('item')
  }

  waitForCount(count: number, timeoutMs: number, what: string): Promise<T[]> {
    return waitForEvent(
      [this.arrived],
      'item',
      () => this.items.length >= count,
      timeoutMs,
      () => {
        return `${what}: ${this.items.length} of ${count} arrived within ${timeoutMs} ms`
      },
    ).then(() => this.items)
  }
}

/** Anything with `on`/`off`: Node emitters and ali-ons clients (sdk-base emitters). */
export interface EventSource {
  on(event: string, listener: () => void): unknown
  off(event: string, listener: () => void): unknown
}

/**
 * Resolves once `done()` holds, checking now and on each `event` of each source; rejects at the deadline.
 * Used where a client announces the change (message arrival, queue reassignment).
 */
export function waitForEvent(
  sources: readonly EventSource[],
  event: string,
  done: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve()
    const check = (): void => {
      if (!done()) return
      finish()
      resolve()
    }
    const timer = setTimeout(() => {
      finish()
      reject(new Error(describe()))
    }, timeoutMs)
    const finish = (): void => {
      clearTimeout(timer)
      for (const s of sources) s.off(event, check)
    }
    for (const s of sources) s.on(event, check)
  })
}

/**
 * Resolves once `done()` holds, polling every 20 ms; for broker-side state no client announces (committed
 * offsets, DLQ contents). Rejects at the deadline with `describe()`.
 */
export async function waitUntil(
  done: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${describe()} (after ${timeoutMs} ms)`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** One pull response as ali-ons decoded it. */
export interface ObservedPull {
  readonly consumerGroup: string
  readonly topic: string
  readonly queueId: number
  readonly result: AliOnsPullResult
}

/**
 * Records every pull response any ali-ons client decodes, without changing it: the tag-filter test needs to
 * see what the broker sent, because ali-ons filters by tag again after the pull and would hide a broker that
 * does not. Returns the records, an emitter firing `pull` per response, and the function that restores ali-ons.
 */
export function observePulls(): { pulls: ObservedPull[]; events: EventEmitter; restore: () => void } {
  const proto = MQClient.prototype
  const original = proto.pullMessage
  const pulls: ObservedPull[] = []
  const events = new EventEmitter()
  proto.pullMessage = async function (this: unknown, brokerAddr, header, timeoutMs) {
    const result = await original.call(this, brokerAddr, header, timeoutMs)
    pulls.push({ consumerGroup: header.consumerGroup, topic: header.topic, queueId: header.queueId, result })
    events.emit('pull')
    return result
  }
  return { pulls, events, restore: () => void (proto.pullMessage = original) }
}

/** The consumer's current queues of one topic, as queue ids. */
export function queuesOf(consumer: AliOnsConsumer, topic: string): number[] {
  return [...consumer.processQueueTable.values()]
    .map((e) => e.messageQueue)
    .filter((mq) => mq.topic === topic)
    .map((mq) => mq.queueId)
    .sort((a, b) => a - b)
}

/**
 * ali-ons asserts `is.asyncFunction(handler)` on subscribe, so a handler must be a real async function; this
 * wraps a synchronous one. `action` is what ali-ons gets back (ACTION_RETRY asks for a redelivery).
 */
export function asyncHandler(handle: (msg: AliOnsMessage) => symbol | undefined): AliOnsHandler {
  return async (msg) => Promise.resolve(handle(msg))
}

export function bodyText(msg: AliOnsMessage): string {
  return msg.body.toString('utf8')
}

/**
 * The group's committed offset has reached the end of every queue that holds messages. (An empty queue is
 * skipped: ali-ons commits nothing meaningful for it, and there is nothing to consume again.)
 */
export function allCommitted(
  broker: StandaloneBroker,
  group: string,
  topic: string,
  queueIds: number[],
): boolean {
  return queueIds.every((q) => {
    const max = broker.broker.store.getMaxOffsetInQueue(topic, q)
    return max === 0 || broker.broker.offsets.queryOffset(group, topic, q) === max
  })
}

export function describeOffsets(
  broker: StandaloneBroker,
  group: string,
  topic: string,
  queueIds: number[],
): string {
  return queueIds
    .map(
      (q) =>
        `q${q}: committed ${broker.broker.offsets.queryOffset(group, topic, q)} / max ${broker.broker.store.getMaxOffsetInQueue(topic, q)}`,
    )
    .join(', ')
}
