// The NameServer's route registry (RocketMQ's RouteInfoManager): which brokers are alive, which clusters and
// broker names they form, and which queues each topic has on each broker name; answers route and cluster queries.

import { setRepeatingTimer, systemClock, type Clock, type TimerHandle } from '../common/clock'
import { EngineError, assertInvariant } from '../common/engine-error'
import { resolveRouteRegistryConfig, type RouteRegistryConfig } from './route-registry-config'
import type {
  BrokerData,
  BrokerIdentity,
  BrokerLiveInfo,
  ClusterInfo,
  DataVersion,
  DeleteTopicScope,
  QueueData,
  RegisterBrokerRequest,
  RegisterBrokerResult,
  TopicConfig,
  TopicList,
  TopicRouteData,
} from './route-types'
import {
  validateBrokerId,
  validateHostPort,
  validateName,
  validateRegisterBrokerRequest,
  validateTopic,
  type ValidRegisterBrokerRequest,
} from './route-validation'

/** MixAll.MASTER_ID: only the master's topic configs become queue data. */
export const MASTER_ID = 0

export interface RouteRegistryDeps {
  readonly clock?: Clock
  /** Where expiry and removal notices go; defaults to console.warn. */
  readonly log?: (message: string) => void
}

/** A broker name's members: brokerId → address. */
interface BrokerAddrEntry {
  readonly cluster: string
  readonly brokerName: string
  readonly brokerAddrs: Map<number, string>
}

/** What the registry knows about one registered address (RocketMQ's BrokerLiveInfo plus who it is). */
interface LiveEntry {
  readonly clusterName: string
  readonly brokerName: string
  readonly brokerId: number
  readonly haServerAddr: string | undefined
  readonly dataVersion: DataVersion
  readonly lastUpdateTimestampMs: number
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function dataVersionEquals(a: DataVersion, b: DataVersion): boolean {
  return (
    a.timestamp === b.timestamp && a.counter === b.counter && (a.stateVersion ?? 0) === (b.stateVersion ?? 0)
  )
}

function toQueueData(brokerName: string, config: TopicConfig): QueueData {
  // Keys in fastjson's alphabetical order, so JSON.stringify writes what a Java NameServer writes.
  return {
    brokerName,
    perm: config.perm,
    readQueueNums: config.readQueueNums,
    topicSysFlag: config.topicSysFlag,
    writeQueueNums: config.writeQueueNums,
  }
}

function brokerLabel(identity: BrokerIdentity): string {
  return `${identity.clusterName}/${identity.brokerName}/${identity.brokerId}@${identity.brokerAddr}`
}

/**
 * One NameServer's view of its brokers. Several brokers and clusters share one registry (the engine hosts
 * broker-a master and slave and broker-b in one process). Every method is synchronous and either completes
 * or throws before changing anything, so a bad call never leaves the tables half-updated.
 */
export class RouteRegistry {
  readonly config: RouteRegistryConfig
  private readonly clock: Clock
  private readonly log: (message: string) => void
  /** clusterName → broker names. */
  private readonly clusterAddrTable = new Map<string, Set<string>>()
  /** brokerName → its cluster and members. */
  private readonly brokerAddrTable = new Map<string, BrokerAddrEntry>()
  /** topic → brokerName → queues, built from each broker name's master. */
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>()
  /** brokerAddr → liveness. An address belongs to one (cluster, brokerName, brokerId) at a time. */
  private readonly brokerLiveTable = new Map<string, LiveEntry>()
  private scanTimer: TimerHandle | undefined

  constructor(config: Partial<RouteRegistryConfig> = {}, deps: RouteRegistryDeps = {}) {
    this.config = resolveRouteRegistryConfig(config)
    this.clock = deps.clock ?? systemClock
    this.log = deps.log ?? ((m) => console.warn(`[mqdeck namesrv] ${m}`))
  }

  /** Starts the expiry scan every scanNotActiveBrokerIntervalMs. Calling it again while running does nothing. */
  start(): void {
    if (this.scanTimer) return
    this.scanTimer = setRepeatingTimer(this.clock, this.config.scanNotActiveBrokerIntervalMs, () => {
      this.scanNotActiveBrokers()
    })
  }

  /** Cancels the expiry scan; the tables stay as they are. */
  stop(): void {
    this.scanTimer?.cancel()
    this.scanTimer = undefined
  }

  get running(): boolean {
    return this.scanTimer !== undefined
  }

  /**
   * REGISTER_BROKER, which is also the broker's heartbeat. A master (brokerId 0) that is new, or whose
   * dataVersion changed, has its queue data rebuilt from `topicConfigs`: a full registration replaces the
   * broker name's topics (topics it no longer lists lose its queues), an incremental one adds or updates only
   * the topics it carries. Slaves never change queue data. Any other re-registration only refreshes liveness.
   */
  registerBroker(request: RegisterBrokerRequest): RegisterBrokerResult {
    const req = validateRegisterBrokerRequest(request, this.config.registrationTopicsMax)
    const prevLive = this.brokerLiveTable.get(req.brokerAddr)
    const brokerEntry = this.brokerAddrTable.get(req.brokerName)
    this.checkIdentity(req, prevLive, brokerEntry)

    // Same address, same id: the broker is known and its previous dataVersion is meaningful. A slave switching
    // to master keeps its address but changes id, which counts as a first registration of the new role.
    const known = prevLive !== undefined && prevLive.brokerId === req.brokerId
    if (req.incremental && !known) {
      return {
        status: 'FULL_REGISTRATION_REQUIRED',
        reason:
          `${brokerLabel(req)} is not registered; an incremental registration (a subset of topics) ` +
          'must follow a full one',
      }
    }
    const replacedAddr = brokerEntry?.brokerAddrs.get(req.brokerId)
    const replacesMember = replacedAddr !== undefined && replacedAddr !== req.brokerAddr
    if (prevLive === undefined && !replacesMember && this.brokerLiveTable.size >= this.config.brokersMax) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `cannot register ${brokerLabel(req)}: the registry already holds brokersMax (${this.config.brokersMax}) brokers`,
        { field: 'brokerAddr' },
      )
    }
    const rebuild =
      req.brokerId === MASTER_ID && (!known || !dataVersionEquals(prevLive.dataVersion, req.dataVersion))
    if (rebuild) this.checkTopicCapacity(req)

    // Nothing below throws: the tables change together or not at all.
    let names = this.clusterAddrTable.get(req.clusterName)
    if (!names) {
      names = new Set()
      this.clusterAddrTable.set(req.clusterName, names)
    }
    names.add(req.brokerName)
    let entry = brokerEntry
    if (!entry) {
      entry = { cluster: req.clusterName, brokerName: req.brokerName, brokerAddrs: new Map() }
      this.brokerAddrTable.set(req.brokerName, entry)
    }
    // "The same IP:PORT must only have one record": a slave promoted to master drops its old id.
    for (const [id, addr] of entry.brokerAddrs) {
      if (addr === req.brokerAddr && id !== req.brokerId) entry.brokerAddrs.delete(id)
    }
    if (replacesMember) {
      this.brokerLiveTable.delete(replacedAddr)
      this.log(`${brokerLabel(req)} replaces ${replacedAddr} as ${req.brokerName} id ${req.brokerId}`)
    }
    entry.brokerAddrs.set(req.brokerId, req.brokerAddr)
    if (rebuild) this.rebuildQueueData(req.brokerName, req.topicConfigs, req.incremental)
    this.brokerLiveTable.set(req.brokerAddr, {
      clusterName: req.clusterName,
      brokerName: req.brokerName,
      brokerId: req.brokerId,
      haServerAddr: req.haServerAddr,
      dataVersion: req.dataVersion,
      lastUpdateTimestampMs: this.clock.nowMs(),
    })

    if (req.brokerId === MASTER_ID) return { status: 'REGISTERED' }
    const masterAddr = entry.brokerAddrs.get(MASTER_ID)
    const masterLive = masterAddr === undefined ? undefined : this.brokerLiveTable.get(masterAddr)
    if (masterAddr === undefined || !masterLive) return { status: 'REGISTERED' }
    return masterLive.haServerAddr === undefined
      ? { status: 'REGISTERED', masterAddr }
      : { status: 'REGISTERED', masterAddr, haServerAddr: masterLive.haServerAddr }
  }

  /**
   * UNREGISTER_BROKER (sent on broker shutdown). Removes the address if it is registered as exactly this
   * broker; the last member of a broker name takes the name's queue data and cluster membership with it, and
   * topics left without queues disappear. Returns false when nothing matched.
   */
  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): boolean {
    const identity: BrokerIdentity = {
      clusterName: validateName(clusterName, 'clusterName'),
      brokerAddr: validateHostPort(brokerAddr, 'brokerAddr'),
      brokerName: validateName(brokerName, 'brokerName'),
      brokerId: validateBrokerId(brokerId, 'brokerId'),
    }
    const live = this.brokerLiveTable.get(identity.brokerAddr)
    if (
      !live ||
      live.clusterName !== identity.clusterName ||
      live.brokerName !== identity.brokerName ||
      live.brokerId !== identity.brokerId
    ) {
      return false
    }
    this.removeBroker(identity.brokerAddr, live)
    this.log(`unregistered ${brokerLabel(identity)}`)
    return true
  }

  /** A broker's connection closed (BrokerHousekeepingService): drop it at once, whoever it was registered as. */
  unregisterBrokerByAddr(brokerAddr: string): BrokerIdentity | undefined {
    const addr = validateHostPort(brokerAddr, 'brokerAddr')
    const live = this.brokerLiveTable.get(addr)
    if (!live) return undefined
    const identity = this.removeBroker(addr, live)
    this.log(`channel closed, unregistered ${brokerLabel(identity)}`)
    return identity
  }

  /**
   * Drops every broker not heard from for more than brokerChannelExpiredTimeoutMs (RocketMQ compares
   * `lastUpdate + timeout < now`, so a broker is still alive at exactly the timeout). Returns who was dropped.
   */
  scanNotActiveBrokers(): BrokerIdentity[] {
    const nowMs = this.clock.nowMs()
    const expired: [string, LiveEntry][] = []
    for (const [addr, live] of this.brokerLiveTable) {
      if (live.lastUpdateTimestampMs + this.config.brokerChannelExpiredTimeoutMs < nowMs)
        expired.push([addr, live])
    }
    return expired.map(([addr, live]) => {
      const identity = this.removeBroker(addr, live)
      this.log(
        `broker expired: ${brokerLabel(identity)} silent for ${nowMs - live.lastUpdateTimestampMs} ms ` +
          `(timeout ${this.config.brokerChannelExpiredTimeoutMs} ms)`,
      )
      return identity
    })
  }

  /**
   * GET_ROUTEINFO_BY_TOPIC: the topic's queues on each broker name and those names' registered members, or
   * undefined when no registered broker serves it (RocketMQ answers TOPIC_NOT_EXIST, 17).
   */
  getRouteInfoByTopic(topic: string): TopicRouteData | undefined {
    const queueDataMap = this.topicQueueTable.get(validateTopic(topic, 'topic'))
    if (!queueDataMap) return undefined
    const brokerNames = [...queueDataMap.keys()].sort(byText)
    const brokerDatas: BrokerData[] = []
    const queueDatas: QueueData[] = []
    for (const brokerName of brokerNames) {
      const entry = this.brokerAddrTable.get(brokerName)
      assertInvariant(
        entry !== undefined,
        `topic ${topic} has queues on unregistered broker name ${brokerName}`,
      )
      brokerDatas.push(this.toBrokerData(entry))
      queueDatas.push({ ...(queueDataMap.get(brokerName) as QueueData) })
    }
    if (brokerDatas.length === 0) return undefined
    return { brokerDatas, filterServerTable: {}, queueDatas }
  }

  /** GET_BROKER_CLUSTER_INFO: every broker name with its members, and every cluster's broker names. */
  getClusterInfo(): ClusterInfo {
    const brokerAddrTable: Record<string, BrokerData> = {}
    for (const name of [...this.brokerAddrTable.keys()].sort(byText)) {
      brokerAddrTable[name] = this.toBrokerData(this.brokerAddrTable.get(name) as BrokerAddrEntry)
    }
    const clusterAddrTable: Record<string, string[]> = {}
    for (const cluster of [...this.clusterAddrTable.keys()].sort(byText)) {
      clusterAddrTable[cluster] = [...(this.clusterAddrTable.get(cluster) as Set<string>)].sort(byText)
    }
    return { brokerAddrTable, clusterAddrTable }
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER. */
  getAllTopicList(): TopicList {
    return { topicList: [...this.topicQueueTable.keys()].sort(byText) }
  }

  /** GET_TOPICS_BY_CLUSTER: topics with queues on any of the cluster's broker names (none for an unknown cluster). */
  getTopicsByCluster(clusterName: string): TopicList {
    const names = this.clusterAddrTable.get(validateName(clusterName, 'clusterName'))
    if (!names) return { topicList: [] }
    const topicList: string[] = []
    for (const [topic, queueDataMap] of this.topicQueueTable) {
      for (const name of names) {
        if (queueDataMap.has(name)) {
          topicList.push(topic)
          break
        }
      }
    }
    return { topicList: topicList.sort(byText) }
  }

  /**
   * GET_SYSTEM_TOPIC_LIST_FROM_NS: every cluster name and broker name (brokers create a topic named after
   * each), plus one broker address to ask for the rest of its system topics.
   */
  getSystemTopicList(): TopicList {
    const topics = new Set<string>()
    for (const [cluster, names] of this.clusterAddrTable) {
      topics.add(cluster)
      for (const name of names) topics.add(name)
    }
    const list: TopicList = { topicList: [...topics].sort(byText) }
    const firstName = [...this.brokerAddrTable.keys()].sort(byText)[0]
    const first = firstName === undefined ? undefined : this.brokerAddrTable.get(firstName)
    if (first) {
      const lowestId = Math.min(...first.brokerAddrs.keys())
      const addr = first.brokerAddrs.get(lowestId)
      if (addr !== undefined) list.brokerAddr = addr
    }
    return list
  }

  /**
   * DELETE_TOPIC_IN_NAMESRV: removes the topic's queues everywhere, or only on one cluster's broker names, or
   * only on one broker name; the topic disappears once no broker name has queues for it. Returns false when
   * nothing was removed. A master re-registering with an unchanged dataVersion does not bring it back.
   */
  deleteTopic(topic: string, scope?: DeleteTopicScope): boolean {
    const name = validateTopic(topic, 'topic')
    let brokerNames: ReadonlySet<string> | undefined
    if (scope !== undefined) {
      if (typeof scope !== 'object' || scope === null) {
        throw new EngineError('ARGUMENT_INVALID', 'scope must be { clusterName } or { brokerName }', {
          field: 'scope',
        })
      }
      if ('clusterName' in scope) {
        brokerNames =
          this.clusterAddrTable.get(validateName(scope.clusterName, 'scope.clusterName')) ?? new Set()
      } else if ('brokerName' in scope) {
        brokerNames = new Set([validateName(scope.brokerName, 'scope.brokerName')])
      } else {
        throw new EngineError('ARGUMENT_INVALID', 'scope must be { clusterName } or { brokerName }', {
          field: 'scope',
        })
      }
    }
    const queueDataMap = this.topicQueueTable.get(name)
    if (!queueDataMap) return false
    if (!brokerNames) return this.topicQueueTable.delete(name)
    let removed = false
    for (const brokerName of brokerNames) removed = queueDataMap.delete(brokerName) || removed
    if (queueDataMap.size === 0) this.topicQueueTable.delete(name)
    return removed
  }

  /** The console's cluster-health view: every registered address, sorted by cluster, broker name and id. */
  getBrokerLiveInfo(): BrokerLiveInfo[] {
    const nowMs = this.clock.nowMs()
    const rows: BrokerLiveInfo[] = []
    for (const [brokerAddr, live] of this.brokerLiveTable) {
      const row: BrokerLiveInfo = {
        clusterName: live.clusterName,
        brokerName: live.brokerName,
        brokerId: live.brokerId,
        brokerAddr,
        dataVersion: { ...live.dataVersion },
        lastUpdateTimestampMs: live.lastUpdateTimestampMs,
        heartbeatAgeMs: nowMs - live.lastUpdateTimestampMs,
        heartbeatTimeoutMs: this.config.brokerChannelExpiredTimeoutMs,
      }
      if (live.haServerAddr !== undefined) row.haServerAddr = live.haServerAddr
      rows.push(row)
    }
    return rows.sort(
      (a, b) =>
        byText(a.clusterName, b.clusterName) || byText(a.brokerName, b.brokerName) || a.brokerId - b.brokerId,
    )
  }

  /**
   * An address belongs to one broker name in one cluster, and a broker name to one cluster; a registration
   * that contradicts either is refused rather than guessed at (unregister the old identity first).
   */
  private checkIdentity(
    req: ValidRegisterBrokerRequest,
    prevLive: LiveEntry | undefined,
    brokerEntry: BrokerAddrEntry | undefined,
  ): void {
    if (prevLive && (prevLive.clusterName !== req.clusterName || prevLive.brokerName !== req.brokerName)) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `brokerAddr ${req.brokerAddr} is registered as ${prevLive.clusterName}/${prevLive.brokerName}/` +
          `${prevLive.brokerId}; unregister it before registering it as ${req.clusterName}/${req.brokerName}`,
        { field: 'brokerAddr' },
      )
    }
    if (brokerEntry && brokerEntry.cluster !== req.clusterName) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `brokerName ${req.brokerName} belongs to cluster ${brokerEntry.cluster}, not ${req.clusterName}`,
        { field: 'clusterName' },
      )
    }
  }

  /** Refuses a rebuild that would take the route table past topicsMax, counting topics it would free. */
  private checkTopicCapacity(req: ValidRegisterBrokerRequest): void {
    const listed = new Set(req.topicConfigs.map((c) => c.topicName))
    let added = 0
    for (const topic of listed) if (!this.topicQueueTable.has(topic)) added++
    let freed = 0
    if (!req.incremental) {
      for (const [topic, queueDataMap] of this.topicQueueTable) {
        if (queueDataMap.size === 1 && queueDataMap.has(req.brokerName) && !listed.has(topic)) freed++
      }
    }
    const total = this.topicQueueTable.size + added - freed
    if (total > this.config.topicsMax) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `cannot register ${brokerLabel(req)}: the route table would hold ${total} topics, above topicsMax ` +
          `(${this.config.topicsMax})`,
        { field: 'topicConfigs' },
      )
    }
  }

  private rebuildQueueData(
    brokerName: string,
    topicConfigs: readonly TopicConfig[],
    incremental: boolean,
  ): void {
    if (!incremental) {
      const listed = new Set(topicConfigs.map((c) => c.topicName))
      for (const [topic, queueDataMap] of this.topicQueueTable) {
        if (listed.has(topic) || !queueDataMap.delete(brokerName)) continue
        if (queueDataMap.size === 0) this.topicQueueTable.delete(topic)
      }
    }
    for (const config of topicConfigs) {
      let queueDataMap = this.topicQueueTable.get(config.topicName)
      if (!queueDataMap) {
        queueDataMap = new Map()
        this.topicQueueTable.set(config.topicName, queueDataMap)
      }
      queueDataMap.set(brokerName, toQueueData(brokerName, config))
    }
  }

  /** Forgets one address; the last member of a broker name takes the name, its queues and empty topics along. */
  private removeBroker(brokerAddr: string, live: LiveEntry): BrokerIdentity {
    this.brokerLiveTable.delete(brokerAddr)
    const entry = this.brokerAddrTable.get(live.brokerName)
    assertInvariant(
      entry !== undefined && entry.brokerAddrs.get(live.brokerId) === brokerAddr,
      `live broker ${brokerAddr} missing from brokerAddrTable[${live.brokerName}][${live.brokerId}]`,
    )
    entry.brokerAddrs.delete(live.brokerId)
    if (entry.brokerAddrs.size === 0) {
      this.brokerAddrTable.delete(live.brokerName)
      const names = this.clusterAddrTable.get(live.clusterName)
      names?.delete(live.brokerName)
      if (names?.size === 0) this.clusterAddrTable.delete(live.clusterName)
      for (const [topic, queueDataMap] of this.topicQueueTable) {
        if (queueDataMap.delete(live.brokerName) && queueDataMap.size === 0)
          this.topicQueueTable.delete(topic)
      }
    }
    return {
      clusterName: live.clusterName,
      brokerName: live.brokerName,
      brokerId: live.brokerId,
      brokerAddr,
    }
  }

  private toBrokerData(entry: BrokerAddrEntry): BrokerData {
    const brokerAddrs: Record<number, string> = {}
    // Master first, then slaves by id: the order a Java HashMap<Long, String> of small ids prints.
    for (const [id, addr] of [...entry.brokerAddrs].sort((a, b) => a[0] - b[0])) brokerAddrs[id] = addr
    return { brokerAddrs, brokerName: entry.brokerName, cluster: entry.cluster }
  }
}
