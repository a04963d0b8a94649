// A cluster made of plain numbers behind a ClusterGateway, for the sampler's tests and benchmark: topics whose
// offsets grow at a set rate when the test advances its clock, consumer groups that consume some of them with a
// set lag, %DLQ% topics, and a counter of every gateway call. Only the reads the sampler uses are implemented.
import type {
  BrokerSummary,
  ClusterGateway,
  ConsumerGroupSummary,
  PartialResult,
  PendingTransaction,
  TopicKind,
  TopicStats,
  TopicSummary,
} from '@/lib/cluster/gateway'

export interface FakeClusterOptions {
  /** Topics some group consumes: topic i is consumed by group i % groups. */
  readonly consumedTopics: number
  readonly groups: number
  /** Topics no group consumes. */
  readonly idleTopics?: number
  /** Groups 0..dlqGroups-1 have a %DLQ% topic. */
  readonly dlqGroups?: number
  readonly brokers?: number
  /** Messages per second put to a topic (by name); 1 by default. */
  readonly tpsOf?: (topic: string) => number
  /** A group's lag; 5 by default. */
  readonly lagOf?: (group: string) => number
}

export class FakeCluster {
  /** Gateway method → calls so far. */
  readonly calls = new Map<string, number>()
  nowMs = 1_700_000_000_000
  /** Topic → Σ max offsets. */
  readonly offsets = new Map<string, number>()
  readonly dlqCounts = new Map<string, number>()
  readonly lags = new Map<string, number>()
  /** Brokers listed as not answering: results are partial and miss their share. */
  readonly down = new Set<string>()
  pendingHalfMessages: number | undefined = undefined
  /** Makes every call fail with this message. */
  failWith: string | undefined
  /** Each call waits on this before answering (tests hold a pass open with it). */
  gate: Promise<void> | undefined
  readonly gateway: ClusterGateway
  readonly topics: readonly { topic: string; kind: TopicKind }[]
  readonly groupNames: readonly string[]
  readonly brokerNames: readonly string[]
  private readonly tps = new Map<string, number>()
  private readonly consumedBy = new Map<string, string[]>()

  constructor(readonly options: FakeClusterOptions) {
    this.brokerNames = Array.from({ length: options.brokers ?? 2 }, (_, i) => `broker-${i}`)
    this.groupNames = Array.from({ length: options.groups }, (_, i) => `group-${i}`)
    const topics: { topic: string; kind: TopicKind }[] = []
    for (let i = 0; i < options.consumedTopics; i++) {
      const topic = `topic-${i}`
      topics.push({ topic, kind: 'NORMAL' })
      const group = this.groupNames[i % options.groups]!
      this.consumedBy.set(group, [...(this.consumedBy.get(group) ?? []), topic])
    }
    for (let i = 0; i < (options.idleTopics ?? 0); i++) topics.push({ topic: `idle-${i}`, kind: 'NORMAL' })
    for (let i = 0; i < (options.dlqGroups ?? 0); i++) {
      topics.push({ topic: `%DLQ%group-${i}`, kind: 'DLQ' })
      this.dlqCounts.set(`group-${i}`, 0)
    }
    this.topics = topics
    for (const { topic, kind } of topics) {
      this.offsets.set(topic, 1000)
      if (kind !== 'DLQ') this.tps.set(topic, options.tpsOf?.(topic) ?? 1)
    }
    for (const group of this.groupNames) this.lags.set(group, options.lagOf?.(group) ?? 5)
    this.gateway = this.buildGateway()
  }

  /** Moves the clock; every topic gains tps × seconds messages. */
  advance(seconds: number): void {
    this.nowMs += seconds * 1000
    for (const [topic, tps] of this.tps) this.offsets.set(topic, this.offsets.get(topic)! + tps * seconds)
  }

  setTps(topic: string, tps: number): void {
    this.tps.set(topic, tps)
  }

  callCount(): number {
    let n = 0
    for (const c of this.calls.values()) n += c
    return n
  }

  /** The share of a topic's offsets the answering brokers hold. */
  private answeringShare(): number {
    return (this.brokerNames.length - this.down.size) / this.brokerNames.length
  }

  private result<T>(data: T): PartialResult<T> {
    const failures = [...this.down].map((broker) => ({ broker, reason: 'timeout' }))
    return { data, partial: failures.length > 0, failures }
  }

  private buildGateway(): ClusterGateway {
    const count = async (method: string) => {
      this.calls.set(method, (this.calls.get(method) ?? 0) + 1)
      if (this.gate) await this.gate
      if (this.failWith) throw new Error(this.failWith)
    }
    const implemented: Partial<ClusterGateway> = {
      getClusterInfo: async () => {
        await count('getClusterInfo')
        const brokers: BrokerSummary[] = this.brokerNames.map((brokerName) => ({
          clusterName: 'FakeCluster',
          brokerName,
          brokerId: 0,
          addr: `10.0.0.1:${brokerName}`,
          role: 'MASTER',
          runtime: this.down.has(brokerName)
            ? undefined
            : {
                version: 'V4_9_4',
                bootTimestampMs: 0,
                putTps: 100,
                getTps: 50,
                msgPutTotalTodayNow: 0,
                msgGetTotalTodayNow: 0,
                msgPutTotalYesterday: 0,
                msgGetTotalYesterday: 0,
                commitLogDiskRatio: 0.5,
                commitLogMinOffset: 0,
                commitLogMaxOffset: 0,
                dispatchBehindBytes: 0,
                earliestMessageTimestampMs: 0,
                table: {},
              },
          flushDiskType: 'ASYNC_FLUSH',
          brokerRole: 'ASYNC_MASTER',
          heartbeatAgeMs: undefined,
        }))
        return this.result({
          clusters: [{ clusterName: 'FakeCluster', brokerNames: this.brokerNames }],
          brokers,
        })
      },
      listConsumerGroups: async () => {
        await count('listConsumerGroups')
        const share = this.answeringShare()
        const groups: ConsumerGroupSummary[] = this.groupNames.map((group) => {
          const lag = this.lags.get(group)! * share
          return {
            group,
            system: false,
            config: undefined,
            lag,
            consumeTps: lag > 0 ? 2 : 0,
            topics: (this.consumedBy.get(group) ?? []).map((topic) => ({
              topic,
              brokerOffset: this.offsets.get(topic)! * share,
              consumerOffset: 0,
              lag,
              lastTimestampMs: 0,
            })),
          }
        })
        return this.result(groups)
      },
      listTopics: async () => {
        await count('listTopics')
        const topics: TopicSummary[] = this.topics.map(({ topic, kind }) => ({
          topic,
          kind,
          messageType: 'UNSPECIFIED',
          brokers: [],
          readQueueNums: 8,
          writeQueueNums: 8,
        }))
        return this.result(topics)
      },
      getTopicStats: async (topic) => {
        await count('getTopicStats')
        const offset = this.offsets.get(topic)
        if (offset === undefined) return this.result<TopicStats | undefined>(undefined)
        const dlq = topic.startsWith('%DLQ%') ? this.dlqCounts.get(topic.slice(5))! : undefined
        const share = this.answeringShare()
        const max = (dlq ?? offset) * share
        return this.result<TopicStats | undefined>({
          topic,
          queues: [
            { brokerName: 'broker-0', queueId: 0, minOffset: 0, maxOffset: max, lastUpdateTimestampMs: 0 },
          ],
          messageCount: max,
        })
      },
      listPendingTransactions: async () => {
        await count('listPendingTransactions')
        if (this.pendingHalfMessages === undefined)
          return { supported: false, reason: 'a remote cluster cannot list half messages' }
        const pending: PendingTransaction[] = Array.from({ length: this.pendingHalfMessages }, (_, i) => ({
          topic: 'tx-topic',
          producerGroup: 'tx-group',
          msgId: `HALF${i}`,
          uniqKey: undefined,
          keys: [],
          bornTimestampMs: 0,
          checkTimes: 0,
          nextCheckMs: undefined,
        }))
        return { supported: true, value: this.result(pending) }
      },
      close: () => Promise.resolve(),
    }
    return new Proxy(implemented as ClusterGateway, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver)
        if (value === undefined && typeof prop === 'string' && prop !== 'then')
          return () => Promise.reject(new Error(`the metrics sampler must not call ${prop}`))
        return value
      },
    })
  }
}
