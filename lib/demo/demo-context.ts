// What every demo service shares: the cluster, clock, randomness and log, client ids, a consumer factory, and
// the producer heartbeat that lists the demo's producer groups on the console's Producers page.
import 'server-only'
import {
  PushConsumer,
  setRepeatingTimer,
  type ConsumedMessage,
  type ConsumeConcurrentlyStatus,
  type ConsumeOrderlyStatus,
  type Clock,
  type EmbeddedCluster,
} from '@/broker-engine/index'
import type { Db } from '@/lib/db'

export interface DemoContext {
  readonly cluster: EmbeddedCluster
  readonly clock: Clock
  readonly random: () => number
  readonly log: (message: string) => void
  /** The database for runOnce (the points service's dedupe); default: the console's (lib/db.ts db()). */
  readonly db?: Db
}

/** Demo consumers commit offsets every second (RocketMQ: 5 s) so the console's lag is fresh. */
const OFFSET_PERSIST_INTERVAL_MS = 1000
/** The in-process producers send no heartbeats of their own; this one stands in for RocketMQ's 30 s heartbeat. */
const PRODUCER_HEARTBEAT_INTERVAL_MS = 30_000
/** One line per failing operation at most this often, with a count of the ones held back. */
const ERROR_LOG_INTERVAL_MS = 30_000

/** RocketMQ's client id shape, ip@instanceName; the pid keeps two consoles on one machine apart. */
export function clientIdOf(service: string): string {
  return `127.0.0.1@mqdeck-demo-${service}-${process.pid}`
}

export type DemoListener =
  | {
      readonly orderly: false
      readonly onMessage: (
        msg: ConsumedMessage,
      ) => ConsumeConcurrentlyStatus | Promise<ConsumeConcurrentlyStatus>
    }
  | { readonly orderly: true; readonly onMessage: (msg: ConsumedMessage) => ConsumeOrderlyStatus }

/** Starts a clustering-mode push consumer of `group` on `topic` (tags `subExpression`). */
export async function startDemoConsumer(
  ctx: DemoContext,
  group: string,
  topic: string,
  subExpression: string,
  listener: DemoListener,
): Promise<PushConsumer> {
  const consumer = new PushConsumer(ctx.cluster, {
    group,
    clientId: clientIdOf(group),
    clock: ctx.clock,
    log: ctx.log,
    persistOffsetIntervalMs: OFFSET_PERSIST_INTERVAL_MS,
  }).subscribe(topic, subExpression)
  if (listener.orderly) await consumer.startOrderly(listener.onMessage)
  else await consumer.start(listener.onMessage)
  return consumer
}

/** Registers producer groups with every master now and every 30 s, until stopped. */
export function startProducerHeartbeat(ctx: DemoContext, groups: readonly string[]): { stop(): void } {
  const beat = (): void => {
    for (const broker of ctx.cluster.brokers) {
      if (broker.config.brokerId !== 0) continue
      for (const group of groups) {
        broker.clients.registerProducer({
          clientId: clientIdOf(group),
          group,
          language: 'NODE',
          version: 401,
          clientAddr: 'in-process',
        })
      }
    }
  }
  beat()
  const timer = setRepeatingTimer(ctx.clock, PRODUCER_HEARTBEAT_INTERVAL_MS, beat)
  return {
    stop() {
      timer.cancel()
      for (const broker of ctx.cluster.brokers)
        for (const group of groups) broker.clients.unregisterProducer(group, clientIdOf(group))
    },
  }
}

/**
 * Logs an operation's failures without flooding the console: the first one at once, later ones at most every
 * 30 s with how many were held back (a stopping broker fails every send until the demo stops too).
 */
export function throttledErrorLog(ctx: DemoContext, what: string): (err: unknown) => void {
  let lastAtMs = -Infinity
  let heldBack = 0
  return (err) => {
    const now = ctx.clock.nowMs()
    if (now - lastAtMs < ERROR_LOG_INTERVAL_MS) {
      heldBack++
      return
    }
    const more = heldBack > 0 ? ` (${heldBack} more since the last report)` : ''
    ctx.log(`${what} failed: ${err instanceof Error ? err.message : String(err)}${more}`)
    lastAtMs = now
    heldBack = 0
  }
}
