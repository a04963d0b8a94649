// A real engine and database for the DLQ services' tests and bench: a standalone broker + NameServer on a temp
// dir, registered as a cluster connection in a migrated SQLite file, and a remote harness that dead-letters
// messages as a consumer's send-back does.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import type { Actor } from '@/lib/auth/session'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import type { PacingClock } from '@/lib/dlq/rate-limiter'
import { migrateFreshDatabase } from '../../helpers/migrate'
import { eventually, type GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'

export const OPERATOR: Actor = { userId: 1, username: 'olga', role: 'operator' }
export const VIEWER: Actor = { userId: 2, username: 'vic', role: 'viewer' }

export interface DlqFixture {
  readonly dir: string
  readonly cluster: string
  readonly broker: StandaloneBroker
  readonly harness: GatewayHarness
  readonly gateway: ClusterGateway
  /** A fresh topic and group with `count` messages sent to the topic and dead-lettered; ids are the DLQ copies. */
  deadLetters(count: number, prefix?: string): Promise<{ topic: string; group: string; dlqMsgIds: string[] }>
  /** Messages now stored in `topic` (sum of its queues' max offsets). */
  messageCount(topic: string): Promise<number>
  close(): Promise<void>
}

let seq = 0
const unique = (prefix: string) => `${prefix}_${process.pid}_${Date.now().toString(36)}_${++seq}`

/** Sets DATABASE_URL before lib/db.ts is first used, so call it before any lib import touches the database. */
export async function startDlqFixture(options: { parallelism?: number } = {}): Promise<DlqFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mqdeck-dlq-'))
  process.env.DATABASE_URL = migrateFreshDatabase(dir)
  // As the server does at start (instrumentation.ts): SQLite in WAL mode.
  await (await import('@/lib/db')).prepareDatabase()
  const broker = await startStandaloneBroker({
    config: { storePathRootDir: path.join(dir, 'store'), listenPort: 0, brokerName: 'broker-a' },
    namesrvPort: 0,
    log: () => undefined,
  })
  const harness = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr ?? ''], routeTtlMs: 0 })
  const { addClusterConnection, getGateway } = await import('@/lib/cluster/registry')
  const cluster = `dlq-${seq++}-${process.pid}`
  await addClusterConnection({ id: cluster, name: cluster, namesrvAddrs: broker.namesrvAddr ?? '' })
  const gateway = await getGateway(cluster)
  const parallelism = options.parallelism ?? 32

  return {
    dir,
    cluster,
    broker,
    harness,
    gateway,
    deadLetters: (count, prefix = 'dlq') => seedDeadLetters(harness, count, { prefix, parallelism, gateway }),
    async messageCount(topic) {
      return (await gateway.getTopicStats(topic)).data?.messageCount ?? 0
    },
    async close() {
      await harness.close()
      await broker.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface SeedDeadLettersOptions {
  /** Start of the topic and group names (each gets a unique suffix). */
  readonly prefix?: string
  /** Sends and send-backs in flight at once. */
  readonly parallelism?: number
  /** The gateway the DLQ is browsed through until every copy is there; the harness's by default. */
  readonly gateway?: ClusterGateway
}

/**
 * A fresh topic (4 queues) and group with `count` messages (tags Even/Odd, keys k<i>) sent to the topic and
 * dead-lettered as a consumer's send-back does; resolves once the group's DLQ holds every copy. Needs a harness
 * with deadLetter() (remoteHarness has it), so it works on any broker reached over remoting.
 */
export async function seedDeadLetters(
  harness: GatewayHarness,
  count: number,
  options: SeedDeadLettersOptions = {},
): Promise<{ topic: string; group: string; dlqMsgIds: string[] }> {
  const prefix = options.prefix ?? 'dlq'
  const parallelism = options.parallelism ?? 32
  const gateway = options.gateway ?? harness.gateway
  if (!harness.deadLetter) throw new Error('the harness cannot dead-letter messages')
  const deadLetter = harness.deadLetter.bind(harness)

  async function inParallel<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
    const out = new Array<T>(n)
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(parallelism, n) }, async () => {
        while (next < n) {
          const i = next++
          out[i] = await fn(i)
        }
      }),
    )
    return out
  }

  const topic = unique(`${prefix}_topic`)
  const group = unique(`${prefix}_group`)
  await harness.gateway.createOrUpdateTopic({ topic, readQueueNums: 4, writeQueueNums: 4, perm: 6 })
  await harness.gateway.createOrUpdateConsumerGroup({ group })
  const sent = await inParallel(count, (i) =>
    harness.gateway.sendMessage({
      topic,
      body: `dead ${i}`,
      tag: i % 2 === 0 ? 'Even' : 'Odd',
      keys: [`k${i}`],
    }),
  )
  await inParallel(count, (i) => deadLetter({ group, topic, msgId: sent[i]!.msgId }))
  const dlqMsgIds: string[] = []
  await eventually(
    async () => {
      dlqMsgIds.length = 0
      let cursor: string | undefined
      do {
        const page = await gateway.browseDlq({ group, pageSize: 500, cursor, bodyBytesMax: 0 })
        dlqMsgIds.push(...page.data.messages.map((m) => m.msgId))
        cursor = page.data.nextCursor
      } while (cursor)
      return dlqMsgIds.length
    },
    (n) => n === count,
  )
  return { topic, group, dlqMsgIds: [...dlqMsgIds] }
}

/**
 * A simulated clock for pacing: sleeps are timers the test fires in time order (advance / runUntil), so a job's
 * sends can be counted per simulated second, or held at a point, without waiting on the wall clock.
 */
export class SimClock implements PacingClock {
  t = 1_000_000
  private timers: { atMs: number; resolve: () => void }[] = []
  private onTimer: (() => void) | undefined

  nowMs(): number {
    return this.t
  }

  sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer)
        resolve()
      }
      const timer = {
        atMs: this.t + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      this.timers.push(timer)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.onTimer?.()
    })
  }

  get pending(): number {
    return this.timers.length
  }

  /** Resolves once at least one timer is pending (or `other` settles). */
  async nextTimer(other: Promise<unknown>): Promise<boolean> {
    if (this.timers.length > 0) return true
    const timer = new Promise<true>((resolve) => (this.onTimer = () => resolve(true)))
    const settled = await Promise.race([timer, other.then(() => false as const)])
    this.onTimer = undefined
    return settled || this.timers.length > 0
  }

  /** Fires the earliest timer, moving time to it. */
  fireNext(): void {
    this.timers.sort((a, b) => a.atMs - b.atMs)
    const timer = this.timers.shift()
    if (!timer) return
    this.t = Math.max(this.t, timer.atMs)
    timer.resolve()
  }

  /** Fires timers in order until `until` settles. */
  async runUntil(until: Promise<unknown>): Promise<void> {
    let done = false
    void until.finally(() => (done = true))
    while (!done) {
      if (!(await this.nextTimer(until))) break
      this.fireNext()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}
