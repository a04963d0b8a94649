// One broker (RocketMQ's BrokerController): the message store plus topic, group and offset tables, the put path
// (auto-created topics, delay levels), pulls with long polling, retry/DLQ, client heartbeats, orderly locks,
// NameServer registration, and the periodic persistence that makes all of it survive a restart.

import path from 'node:path'
import { setRepeatingTimer, systemClock, type Clock, type TimerHandle } from '../common/clock'
import { EngineError } from '../common/engine-error'
import { MessageStore } from '../store/message-store'
import {
  SCHEDULE_TOPIC,
  SYSFLAG_TRANSACTION_PREPARED_TYPE,
  SYSFLAG_TRANSACTION_TYPE_MASK,
} from '../store/message-constants'
import { findProperty } from '../store/message-properties'
import { parseDelayLevels } from '../store/store-config'
import type { StoreIo } from '../store/store-io'
import type { MessageToStore, PutMessageResult } from '../store/store-types'
import {
  brokerAddr,
  configDirOf,
  resolveBrokerConfig,
  storeConfigOf,
  type BrokerConfig,
} from './broker-config'
import { ClientRegistry, type ConsumerConnection } from './client-registry'
import { ConsumerRunningInfoTable } from './consumer-running-info'
import { loadJsonConfig, persistJsonConfig } from './config-file'
import { listDlqMessages, resendDlqMessage, type DlqMessage, type ResendResult } from './dlq'
import { consumerSendMsgBack, type SendBackRequest, type SendBackResult } from './consumer-send-back'
import { ConsumerOffsetManager } from './consumer-offset-manager'
import { parkDelayedMessage } from './message-rewrite'
import { PullHoldService } from './pull-hold-service'
import { PullMessageProcessor, type PullMessageResult } from './pull-message-processor'
import { QueueLockManager, type LockedQueue } from './queue-lock-manager'
import { ScheduleMessageService, type DelayOffsetTable } from './schedule-message-service'
import { parseSubscription } from './subscription-filter'
import {
  SubscriptionGroupManager,
  type SubscriptionGroupConfig,
  type SubscriptionGroupInput,
} from './subscription-group-manager'
import {
  isReadable,
  isWritable,
  TopicConfigManager,
  type TopicConfig,
  type TopicConfigInput,
} from './topic-config-manager'
import {
  PROPERTY_TRANSACTION_PREPARED,
  TRANS_HALF_TOPIC,
  TransactionService,
  type EndTransactionRequest,
  type EndTransactionResult,
  type PendingHalfMessage,
  type TransactionCheck,
} from './transaction-service'
import type { UpsertManyResult } from './versioned-config-table'

/** The part of a NameServer a broker talks to (the in-process RouteRegistry, or later a remoting client). */
export interface NameServerLink {
  registerBroker(request: {
    clusterName: string
    brokerAddr: string
    brokerName: string
    brokerId: number
    topicConfigs: readonly TopicConfig[]
    dataVersion: { timestamp: number; counter: number; stateVersion: number }
    incremental?: boolean
  }): unknown
  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): unknown
}

export interface BrokerControllerOptions {
  readonly config: Partial<BrokerConfig> & { readonly storePathRootDir: string }
  readonly clock?: Clock
  readonly io?: StoreIo
  readonly log?: (message: string) => void
  readonly nameServers?: readonly NameServerLink[]
  readonly random?: () => number
}

export interface SendMessageRequest {
  readonly producerGroup?: string
  readonly topic: string
  /** Queue to write; a negative id lets the broker pick one at random. */
  readonly queueId: number
  readonly body: Uint8Array
  readonly propertiesString?: string
  readonly flag?: number
  readonly sysFlag?: number
  readonly bornTimestampMs?: number
  readonly bornHost?: MessageToStore['bornHost']
  readonly reconsumeTimes?: number
  /** Topic to create a missing topic from (TBW102), with the client's default queue count. */
  readonly defaultTopic?: string
  readonly defaultTopicQueueNums?: number
  readonly remoteAddr?: string
}

export type SendErrorCode =
  'TOPIC_NOT_EXIST' | 'NO_PERMISSION' | 'MESSAGE_ILLEGAL' | 'SERVICE_NOT_AVAILABLE' | 'SYSTEM_ERROR'

export type SendMessageResult =
  | {
      readonly status: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT'
      /** The client's message id (UNIQ_KEY). */
      readonly msgId: string
      /** The broker's offset message id. */
      readonly offsetMsgId: string
      readonly topic: string
      readonly queueId: number
      readonly queueOffset: number
      readonly commitLogOffset: number
      readonly storeTimestampMs: number
      readonly wroteBytes: number
    }
  | { readonly status: 'ERROR'; readonly code: SendErrorCode; readonly reason: string }

export interface PullRequestInput {
  readonly consumerGroup: string
  readonly topic: string
  readonly queueId: number
  readonly queueOffset: number
  readonly maxMsgNums: number
  readonly subExpression?: string
  /** 0 answers at once; otherwise how long to hold the pull when nothing is new. */
  readonly suspendTimeoutMs: number
  /** The consumer's committed offset for this queue, piggybacked on the pull (RocketMQ's commitOffset flag). */
  readonly commitOffset?: number
}

export type PullResponse =
  | PullMessageResult
  | {
      readonly status: 'ERROR'
      readonly code: 'SUBSCRIPTION_GROUP_NOT_EXIST' | 'NO_PERMISSION' | 'TOPIC_NOT_EXIST' | 'QUEUE_ID_INVALID'
      readonly reason: string
    }

const DELAY_OFFSET_FILE = 'delayOffset.json'
/** Messages in one SEND_BATCH_MESSAGE. */
const BATCH_MESSAGES_MAX = 1024
const TRANSACTION_PROGRESS_FILE = 'transactionProgress.json'

/** Asks a producer of a group about a transaction (the in-process form of CHECK_TRANSACTION_STATE). */
export type TransactionChecker = (check: TransactionCheck) => void

/**
 * broker.conf keys that may change while the broker runs (UPDATE_BROKER_CONFIG): each is read per request, so
 * the new value applies to the next one. Everything else (ports, paths, store layout) needs a restart.
 */
export const RUNTIME_UPDATABLE_BROKER_KEYS: readonly (keyof BrokerConfig)[] = [
  'brokerPermission',
  'rejectTransactionMessage',
  'longPollingEnable',
  'shortPollingTimeMills',
  'notifyConsumerIdsChangedEnable',
  'maxTransferCountOnMessageInMemory',
  'maxTransferBytesOnMessageInMemory',
  'defaultQueryMaxNum',
]

export class BrokerController {
  private current: BrokerConfig
  readonly addr: string
  readonly topics: TopicConfigManager
  readonly groups: SubscriptionGroupManager
  readonly offsets: ConsumerOffsetManager
  readonly clients: ClientRegistry
  /** In-process consumers' answers to GET_CONSUMER_RUNNING_INFO (remoting clients answer on their connection). */
  readonly runningInfo = new ConsumerRunningInfoTable()
  readonly locks: QueueLockManager
  private readonly clock: Clock
  private readonly log: (message: string) => void
  private readonly random: () => number
  private readonly nameServers: readonly NameServerLink[]
  private readonly delayLevelCount: number
  private readonly hold: PullHoldService
  private pulls!: PullMessageProcessor
  private schedule!: ScheduleMessageService
  private transactions!: TransactionService
  private readonly checkers = new Map<string, Map<string, TransactionChecker>>()
  private readonly consumerIdWatchers = new Map<string, Map<string, (clientIds: readonly string[]) => void>>()
  private timers: TimerHandle[] = []
  private stopping: Promise<void> | undefined

  private constructor(
    readonly store: MessageStore,
    opts: BrokerControllerOptions,
    config: BrokerConfig,
  ) {
    this.current = config
    this.addr = brokerAddr(config)
    this.clock = opts.clock ?? systemClock
    this.log = opts.log ?? ((m) => console.warn(`[mqdeck broker ${config.brokerName}] ${m}`))
    this.random = opts.random ?? Math.random
    this.nameServers = opts.nameServers ?? []
    this.delayLevelCount = parseDelayLevels(config.messageDelayLevel)!.length
    const configDir = configDirOf(config)
    const common = { configDir, brokerConfig: config, clock: this.clock, log: this.log, io: opts.io }
    this.topics = new TopicConfigManager(common)
    this.groups = new SubscriptionGroupManager(common)
    this.offsets = new ConsumerOffsetManager({ configDir, clock: this.clock, log: this.log, io: opts.io })
    this.clients = new ClientRegistry(this.clock, config.channelExpiredTimeout, {
      onConsumerIdsChanged: (group, ids) => this.notifyConsumerIdsChanged(group, ids),
    })
    this.locks = new QueueLockManager(this.clock)
    this.hold = new PullHoldService(this.clock)
  }

  /** Opens (or recovers) the broker's store and tables and starts its background work. */
  /** The broker's configuration (replaced as a whole by updateRuntimeConfig). */
  get config(): BrokerConfig {
    return this.current
  }

  /**
   * Changes runtime-updatable keys (RUNTIME_UPDATABLE_BROKER_KEYS), validated like broker.conf; any other key is
   * refused with CONFIG_INVALID naming it. A permission change is announced to the NameServers at once.
   */
  updateRuntimeConfig(changes: Partial<BrokerConfig>): BrokerConfig {
    for (const key of Object.keys(changes) as (keyof BrokerConfig)[]) {
      if (!RUNTIME_UPDATABLE_BROKER_KEYS.includes(key))
        throw new EngineError(
          'CONFIG_INVALID',
          `${key} cannot be changed while the broker runs; restart with it set`,
        )
    }
    const next = resolveBrokerConfig({ ...this.current, ...changes })
    const permissionChanged = next.brokerPermission !== this.current.brokerPermission
    this.current = next
    if (permissionChanged) {
      this.topics.touchVersion()
      this.registerWithNameServers(false)
    }
    return next
  }

  static async start(opts: BrokerControllerOptions): Promise<BrokerController> {
    const config = resolveBrokerConfig(opts.config)
    const store = await MessageStore.open(storeConfigOf(config), {
      clock: opts.clock,
      io: opts.io,
      log: opts.log,
    })
    const broker = new BrokerController(store, opts, config)
    try {
      broker.init()
    } catch (err) {
      await store.shutdown()
      throw err
    }
    return broker
  }

  private init(): void {
    this.topics.load()
    this.groups.load()
    this.offsets.load()
    const levels = parseDelayLevels(this.config.messageDelayLevel)!
    this.schedule = new ScheduleMessageService(
      this.store,
      this.clock,
      levels,
      this.delayOffsetTable(),
      (m) => this.putMessage(m),
      this.log,
    )
    this.pulls = new PullMessageProcessor(this.store, this.hold, this.clock)
    const progressFile = path.join(configDirOf(this.config), TRANSACTION_PROGRESS_FILE)
    this.transactions = new TransactionService({
      store: this.store,
      clock: this.clock,
      settings: this.config,
      put: (m) => this.putMessage(m),
      check: (request) => this.askProducer(request),
      progress: {
        load: () => {
          const json = loadJsonConfig(progressFile, this.log) as { halfQueueOffset?: unknown } | undefined
          const offset = json?.halfQueueOffset
          return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : 0
        },
        save: (halfQueueOffset) => persistJsonConfig(progressFile, { halfQueueOffset }),
      },
      log: this.log,
    })
    this.store.setDispatchListener((topic, queueId, maxOffset) => {
      this.hold.notifyMessageArriving(topic, queueId, maxOffset)
      if (topic === SCHEDULE_TOPIC) this.schedule.notifyArrived(queueId)
    })
    this.hold.start()
    this.clients.start()
    if (this.config.brokerRole !== 'SLAVE') {
      this.schedule.start()
      this.transactions.start()
    }
    this.timers.push(
      setRepeatingTimer(this.clock, this.config.flushConsumerOffsetInterval, () => this.persistOffsets()),
    )
    this.timers.push(
      setRepeatingTimer(this.clock, this.config.flushDelayOffsetInterval, () => this.schedule.persist()),
    )
    this.registerWithNameServers(false)
    this.timers.push(
      setRepeatingTimer(this.clock, this.config.registerNameServerPeriod, () =>
        this.registerWithNameServers(false),
      ),
    )
  }

  private delayOffsetTable(): DelayOffsetTable {
    const file = path.join(configDirOf(this.config), DELAY_OFFSET_FILE)
    return {
      load: () => {
        const json = loadJsonConfig(file, this.log) as { offsetTable?: Record<string, number> } | undefined
        const table = new Map<number, number>()
        for (const [level, offset] of Object.entries(json?.offsetTable ?? {})) {
          if (Number.isInteger(Number(level)) && Number.isInteger(offset) && offset >= 0)
            table.set(Number(level), offset)
        }
        return table
      },
      save: (offsets) =>
        persistJsonConfig(file, {
          offsetTable: Object.fromEntries(offsets),
          dataVersion: this.topics.dataVersion,
        }),
    }
  }

  private persistOffsets(): void {
    try {
      this.offsets.persist()
    } catch (err) {
      this.log(`persisting consumer offsets failed: ${String(err)}`)
    }
  }

  /** Registers the whole topic table (periodic) or just `changed` (after a topic create/update). */
  registerWithNameServers(incremental: boolean, changed?: readonly TopicConfig[]): void {
    const c = this.config
    const topics = incremental && changed ? changed : this.topics.list()
    // A broker that is not readable and writable announces its topics with its own permission masked in, as
    // RocketMQ does, so clients route around a read-only or write-only broker.
    const fullAccess = isReadable(c.brokerPermission) && isWritable(c.brokerPermission)
    const announced = fullAccess ? topics : topics.map((t) => ({ ...t, perm: t.perm & c.brokerPermission }))
    for (const ns of this.nameServers) {
      try {
        ns.registerBroker({
          clusterName: c.brokerClusterName,
          brokerAddr: this.addr,
          brokerName: c.brokerName,
          brokerId: c.brokerId,
          topicConfigs: announced,
          dataVersion: this.topics.dataVersion,
          incremental,
        })
      } catch (err) {
        this.log(`registering with a NameServer failed: ${String(err)}`)
      }
    }
  }

  // ---- produce ----------------------------------------------------------------------------------------

  /** The broker's put path for messages that are already addressed (delay parking applies). */
  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    return this.store.putMessage(parkDelayedMessage(msg, this.delayLevelCount))
  }

  /** SEND_MESSAGE: checks the broker, topic and queue, creates the topic from TBW102 if allowed, stores. */
  sendMessage(req: SendMessageRequest): Promise<SendMessageResult> {
    let admitted: ReturnType<BrokerController['admitSend']>
    try {
      admitted = this.admitSend(req)
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    if ('status' in admitted) return Promise.resolve(admitted)
    const { message, parked } = admitted
    // A plain send is answered straight from the store's callback: no extra promise per message.
    if (parked)
      return new Promise((resolve) =>
        this.store.appendMessage(parked, (result) => resolve(this.sendResultOf(result, parked))),
      )
    return this.transactions
      .prepare(message, req.producerGroup!)
      .then((result) => this.sendResultOf(result, undefined))
  }

  /** The checks a send passes before it is stored, and the record it stores (a delayed one parked). */
  private admitSend(
    req: SendMessageRequest,
  ): SendMessageResult | { readonly message: MessageToStore; readonly parked: MessageToStore | undefined } {
    if (this.stopping)
      return sendError('SERVICE_NOT_AVAILABLE', `broker ${this.config.brokerName} is shutting down`)
    if (this.config.brokerRole === 'SLAVE')
      return sendError(
        'SERVICE_NOT_AVAILABLE',
        `broker ${this.config.brokerName} is a slave: send to its master`,
      )
    if (!isWritable(this.config.brokerPermission))
      return sendError('NO_PERMISSION', `broker ${this.config.brokerName} is not writable`)
    const half =
      ((req.sysFlag ?? 0) & SYSFLAG_TRANSACTION_TYPE_MASK) === SYSFLAG_TRANSACTION_PREPARED_TYPE ||
      findProperty(req.propertiesString ?? '', PROPERTY_TRANSACTION_PREPARED) === 'true'
    if (half && this.config.rejectTransactionMessage) {
      return sendError(
        'NO_PERMISSION',
        `broker ${this.config.brokerName} does not accept transactional messages`,
      )
    }
    if (half && !req.producerGroup)
      return sendError('MESSAGE_ILLEGAL', 'a transactional message needs its producer group')
    let topicConfig: TopicConfig | undefined
    try {
      topicConfig =
        this.topics.get(req.topic) ??
        this.topics.createTopicInSendMessageMethod(
          req.topic,
          req.defaultTopic ?? 'TBW102',
          req.remoteAddr,
          req.defaultTopicQueueNums ?? 4,
          0,
        )
    } catch (err) {
      return sendError('MESSAGE_ILLEGAL', err instanceof Error ? err.message : String(err))
    }
    if (!topicConfig)
      return sendError(
        'TOPIC_NOT_EXIST',
        `topic ${req.topic} does not exist on broker ${this.config.brokerName} and cannot be created here`,
      )
    if (this.topics.has(req.topic) && topicConfig.topicName === req.topic && this.justCreated(topicConfig))
      this.registerWithNameServers(true, [topicConfig])
    if (!isWritable(topicConfig.perm)) return sendError('NO_PERMISSION', `topic ${req.topic} is not writable`)
    const queueId = req.queueId < 0 ? Math.floor(this.random() * topicConfig.writeQueueNums) : req.queueId
    if (!Number.isInteger(queueId) || queueId >= topicConfig.writeQueueNums) {
      return sendError(
        'SYSTEM_ERROR',
        `queueId ${req.queueId} is illegal: topic ${req.topic} has ${topicConfig.writeQueueNums} write queues`,
      )
    }
    const message: MessageToStore = {
      topic: req.topic,
      queueId,
      body: req.body,
      propertiesString: req.propertiesString,
      flag: req.flag,
      sysFlag: req.sysFlag,
      bornTimestampMs: req.bornTimestampMs,
      bornHost: req.bornHost,
      reconsumeTimes: req.reconsumeTimes,
    }
    // Where the record really goes (a delayed message waits in SCHEDULE_TOPIC_XXXX), reported back as RocketMQ does.
    return { message, parked: half ? undefined : parkDelayedMessage(message, this.delayLevelCount) }
  }

  private sendResultOf(result: PutMessageResult, parked: MessageToStore | undefined): SendMessageResult {
    if ('reason' in result) {
      const code: SendErrorCode =
        result.status === 'MESSAGE_ILLEGAL' || result.status === 'PROPERTIES_SIZE_EXCEEDED'
          ? 'MESSAGE_ILLEGAL'
          : result.status === 'SERVICE_NOT_AVAILABLE'
            ? 'SERVICE_NOT_AVAILABLE'
            : 'SYSTEM_ERROR'
      return sendError(code, `${result.status}: ${result.reason}`)
    }
    return {
      status: result.status === 'PUT_OK' ? 'SEND_OK' : 'FLUSH_DISK_TIMEOUT',
      msgId: result.uniqKey,
      offsetMsgId: this.store.offsetMsgIdOf(result.commitLogOffset),
      topic: parked?.topic ?? TRANS_HALF_TOPIC,
      queueId: parked?.queueId ?? 0,
      queueOffset: result.queueOffset,
      commitLogOffset: result.commitLogOffset,
      storeTimestampMs: result.storeTimestampMs,
      wroteBytes: result.wroteBytes,
    }
  }

  /**
   * SEND_BATCH_MESSAGE: messages for one topic stored in one queue with consecutive queue offsets (they are
   * appended in one turn, so nothing interleaves). Batches may not hold delayed or transactional messages.
   */
  async sendBatch(
    req: Omit<SendMessageRequest, 'body' | 'propertiesString'> & {
      readonly messages: readonly { readonly body: Uint8Array; readonly propertiesString?: string }[]
    },
  ): Promise<SendMessageResult[]> {
    if (req.messages.length === 0 || req.messages.length > BATCH_MESSAGES_MAX) {
      return [sendError('MESSAGE_ILLEGAL', `a batch holds 1 to ${BATCH_MESSAGES_MAX} messages`)]
    }
    for (const m of req.messages) {
      const props = m.propertiesString ?? ''
      if (
        findProperty(props, 'DELAY') ||
        findProperty(props, PROPERTY_TRANSACTION_PREPARED) === 'true' ||
        req.topic.startsWith('%RETRY%')
      ) {
        return [
          sendError('MESSAGE_ILLEGAL', 'batches may not contain delayed, transactional or retry messages'),
        ]
      }
    }
    // One queue for the whole batch, and every append issued before any is awaited: consecutive offsets.
    const queueId =
      req.queueId >= 0
        ? req.queueId
        : Math.floor(this.random() * (this.topics.get(req.topic)?.writeQueueNums ?? 1))
    return Promise.all(
      req.messages.map((m) =>
        this.sendMessage({ ...req, queueId, body: m.body, propertiesString: m.propertiesString }),
      ),
    )
  }

  private readonly announced = new Set<string>()
  /** A topic created by a send is announced to the NameServers once. */
  private justCreated(config: TopicConfig): boolean {
    if (this.announced.has(config.topicName)) return false
    this.announced.add(config.topicName)
    return true
  }

  // ---- topics and groups (admin) ------------------------------------------------------------------------

  /** Creates or updates a topic and announces it to the NameServers. */
  upsertTopic(input: TopicConfigInput): TopicConfig {
    const config = this.topics.upsert(input)
    this.announced.add(config.topicName)
    this.registerWithNameServers(true, [config])
    return config
  }

  /**
   * Creates or updates many topics at once (UPDATE_AND_CREATE_TOPIC_LIST): one write of topics.json, one version
   * bump, and one incremental registration carrying the changed topics, as RocketMQ 5's registerIncrementBrokerData
   * does for a list. Nothing changes when any entry is refused (TopicConfigManager.upsertMany).
   */
  upsertTopics(inputs: readonly TopicConfigInput[]): UpsertManyResult<TopicConfig> {
    const result = this.topics.upsertMany(inputs)
    for (const config of result.configs) this.announced.add(config.topicName)
    if (result.changed.length > 0) this.registerWithNameServers(true, result.changed)
    return result
  }

  /** Creates or updates a consumer group (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP); groups are not routed. */
  upsertGroup(input: SubscriptionGroupInput): SubscriptionGroupConfig {
    return this.groups.upsert(input)
  }

  /**
   * Creates or updates many groups at once (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST): one write of
   * subscriptionGroup.json and one version bump; nothing changes when any entry is refused.
   */
  upsertGroups(inputs: readonly SubscriptionGroupInput[]): UpsertManyResult<SubscriptionGroupConfig> {
    return this.groups.upsertMany(inputs)
  }

  deleteTopic(topic: string): boolean {
    const deleted = this.topics.delete(topic)
    if (deleted) {
      this.offsets.removeTopic(topic)
      this.registerWithNameServers(false)
    }
    return deleted
  }

  // ---- consume ----------------------------------------------------------------------------------------

  /** PULL_MESSAGE: checks group, topic and queue, stores a piggybacked offset, reads or holds. */
  async pullMessage(req: PullRequestInput): Promise<PullResponse> {
    const group = this.groups.findOrCreate(req.consumerGroup)
    if (!group)
      return {
        status: 'ERROR',
        code: 'SUBSCRIPTION_GROUP_NOT_EXIST',
        reason: `subscription group ${req.consumerGroup} does not exist`,
      }
    if (!group.consumeEnable)
      return {
        status: 'ERROR',
        code: 'NO_PERMISSION',
        reason: `group ${req.consumerGroup} may not consume now`,
      }
    if (!isReadable(this.config.brokerPermission))
      return {
        status: 'ERROR',
        code: 'NO_PERMISSION',
        reason: `broker ${this.config.brokerName} is not readable`,
      }
    const topic = this.topics.get(req.topic)
    if (!topic)
      return { status: 'ERROR', code: 'TOPIC_NOT_EXIST', reason: `topic ${req.topic} does not exist` }
    if (!isReadable(topic.perm))
      return { status: 'ERROR', code: 'NO_PERMISSION', reason: `topic ${req.topic} is not readable` }
    if (!Number.isInteger(req.queueId) || req.queueId < 0 || req.queueId >= topic.readQueueNums) {
      return {
        status: 'ERROR',
        code: 'QUEUE_ID_INVALID',
        reason: `queueId ${req.queueId} is illegal: topic ${req.topic} has ${topic.readQueueNums} read queues`,
      }
    }
    if (req.commitOffset !== undefined && req.commitOffset >= 0) {
      this.offsets.commitOffset(req.consumerGroup, req.topic, req.queueId, req.commitOffset)
    }
    // A server-side reset answers the next pull with the new offset (OFFSET_MOVED).
    const reset = this.offsets.takeResetOffset(req.consumerGroup, req.topic, req.queueId)
    if (reset !== undefined) {
      return {
        status: 'OFFSET_ILLEGAL',
        nextBeginOffset: reset,
        minOffset: this.store.getMinOffsetInQueue(req.topic, req.queueId),
        maxOffset: this.store.getMaxOffsetInQueue(req.topic, req.queueId),
        messageCount: 0,
        records: Buffer.alloc(0),
      }
    }
    const suspendTimeoutMs = this.config.longPollingEnable
      ? req.suspendTimeoutMs
      : Math.min(req.suspendTimeoutMs, this.config.shortPollingTimeMills)
    const result = await this.pulls.pull({
      topic: req.topic,
      queueId: req.queueId,
      queueOffset: req.queueOffset,
      maxMsgNums: Math.min(req.maxMsgNums, this.config.maxTransferCountOnMessageInMemory),
      maxTotalBytes: this.config.maxTransferBytesOnMessageInMemory,
      subscription: parseSubscription(req.subExpression),
      suspendTimeoutMs,
    })
    this.offsets.recordPullOffset(req.consumerGroup, req.topic, req.queueId, result.nextBeginOffset)
    return result
  }

  commitOffset(group: string, topic: string, queueId: number, offset: number): boolean {
    return this.offsets.commitOffset(group, topic, queueId, offset)
  }

  /**
   * QUERY_CONSUMER_OFFSET: the stored offset; for a group with none, 0 while the queue still starts at 0
   * (RocketMQ answers a new group that way), else -1 so the client applies its consumeFromWhere.
   */
  queryConsumerOffset(group: string, topic: string, queueId: number): number {
    const stored = this.offsets.queryOffset(group, topic, queueId)
    if (stored >= 0) return stored
    return this.store.getMinOffsetInQueue(topic, queueId) <= 0 ? 0 : -1
  }

  /** Sets a group's offsets on a topic to the first message stored at or after `timestampMs`. */
  resetOffsetByTime(group: string, topic: string, timestampMs: number): Map<number, number> {
    const config = this.topics.get(topic)
    if (!config) throw new EngineError('TOPIC_INVALID', `topic ${topic} does not exist`)
    const offsets = new Map<number, number>()
    for (let q = 0; q < config.readQueueNums; q++)
      offsets.set(q, this.store.getOffsetInQueueByTime(topic, q, timestampMs))
    // Stored at once; each queue's next pull answers OFFSET_MOVED with it (server-side reset, as in 5.x).
    this.offsets.resetOffsets(group, topic, offsets)
    return offsets
  }

  /** CONSUMER_SEND_MSG_BACK: a failed message goes to %RETRY%group with a growing delay, or to the DLQ. */
  consumerSendMsgBack(req: SendBackRequest): Promise<SendBackResult> {
    return consumerSendMsgBack(
      {
        store: this.store,
        findGroup: (g) => this.groups.findOrCreate(g),
        ensureTopic: (topic, queueNums) => {
          const group = topic.replace(/^%(RETRY|DLQ)%/, '')
          const created = topic.startsWith('%DLQ%')
            ? this.topics.getOrCreateDlqTopic(group)
            : this.topics.getOrCreateRetryTopic(group, queueNums)
          if (this.justCreated(created)) this.registerWithNameServers(true, [created])
        },
        put: (m) => this.putMessage(m),
        random: this.random,
        levelCount: this.delayLevelCount,
      },
      req,
    )
  }

  // ---- clients ----------------------------------------------------------------------------------------

  /** HEART_BEAT from a consumer: registers it, its group (auto-created) and the group's retry topic. */
  consumerHeartbeat(conn: Omit<ConsumerConnection, 'lastHeartbeatMs'>): void {
    const group = this.groups.findOrCreate(conn.group)
    if (!group) throw new EngineError('ARGUMENT_INVALID', `subscription group ${conn.group} does not exist`)
    // A group with no retry queues drops failed messages (RocketMQ); it needs no %RETRY% topic.
    if (group.retryQueueNums > 0) {
      const retry = this.topics.getOrCreateRetryTopic(conn.group, group.retryQueueNums)
      if (this.justCreated(retry)) this.registerWithNameServers(true, [retry])
    }
    this.clients.registerConsumer(conn)
  }

  lockBatch(group: string, queues: readonly LockedQueue[], clientId: string): LockedQueue[] {
    return this.locks.tryLockBatch(group, queues, clientId)
  }

  /**
   * A consumer asks to be told when its group's membership changes (the in-process NOTIFY_CONSUMER_IDS_CHANGED),
   * so it rebalances at once instead of at its next periodic rebalance.
   */
  watchConsumerIds(group: string, clientId: string, listener: (clientIds: readonly string[]) => void): void {
    let byClient = this.consumerIdWatchers.get(group)
    if (!byClient) {
      byClient = new Map()
      this.consumerIdWatchers.set(group, byClient)
    }
    byClient.set(clientId, listener)
  }

  unwatchConsumerIds(group: string, clientId: string): void {
    this.consumerIdWatchers.get(group)?.delete(clientId)
  }

  private notifyConsumerIdsChanged(group: string, clientIds: readonly string[]): void {
    if (!this.config.notifyConsumerIdsChangedEnable) return
    if (this.groups.get(group)?.notifyConsumerIdsChangedEnable === false) return
    const watchers = [...(this.consumerIdWatchers.get(group)?.values() ?? [])]
    // Like the oneway notification, it arrives after the heartbeat that caused it has been handled.
    if (watchers.length > 0) setImmediate(() => watchers.forEach((w) => w(clientIds)))
  }

  unlockBatch(group: string, queues: readonly LockedQueue[], clientId: string): void {
    this.locks.unlockBatch(group, queues, clientId)
  }

  // ---- dead letters ------------------------------------------------------------------------------------

  listDlq(group: string, fromQueueOffset = 0, limit = 100): DlqMessage[] {
    return listDlqMessages(this.store, group, fromQueueOffset, limit)
  }

  /** Resends a DLQ message to its original topic (a new message; the DLQ copy stays). */
  resendDlqMessage(commitLogOffset: number): Promise<ResendResult> {
    return resendDlqMessage(
      this.store,
      commitLogOffset,
      (topic) => {
        const config = this.topics.get(topic)
        return config && isWritable(config.perm)
          ? Math.floor(this.random() * config.writeQueueNums)
          : undefined
      },
      (m) => this.putMessage(m),
    )
  }

  // ---- transactions -------------------------------------------------------------------------------------

  /** A producer of `group` answers transaction checks; `clientId` identifies it among the group's producers. */
  registerTransactionChecker(group: string, clientId: string, checker: TransactionChecker): void {
    let byClient = this.checkers.get(group)
    if (!byClient) {
      byClient = new Map()
      this.checkers.set(group, byClient)
    }
    byClient.set(clientId, checker)
  }

  unregisterTransactionChecker(group: string, clientId: string): void {
    this.checkers.get(group)?.delete(clientId)
  }

  private askProducer(request: TransactionCheck): boolean {
    const byClient = this.checkers.get(request.producerGroup)
    if (!byClient || byClient.size === 0) return false
    const all = [...byClient.values()]
    const checker = all[Math.floor(this.random() * all.length)]!
    // Like the oneway CHECK_TRANSACTION_STATE, the answer comes back later as END_TRANSACTION.
    queueMicrotask(() => checker(request))
    return true
  }

  endTransaction(req: EndTransactionRequest): Promise<EndTransactionResult> {
    return this.transactions.end(req)
  }

  listPendingTransactions(): PendingHalfMessage[] {
    return this.transactions.listPending()
  }

  /** Runs a check round now (it also runs every transactionCheckInterval). */
  checkTransactionsNow(): Promise<void> {
    return this.transactions.checkNow()
  }

  // ---- lifecycle --------------------------------------------------------------------------------------

  /** Stops taking requests, answers held pulls, persists tables, unregisters, and closes the store. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) t.cancel()
      this.timers = []
      this.hold.shutdown()
      this.schedule.stop()
      this.transactions.stop()
      this.clients.stop()
      this.persistOffsets()
      for (const ns of this.nameServers) {
        try {
          ns.unregisterBroker(
            this.config.brokerClusterName,
            this.addr,
            this.config.brokerName,
            this.config.brokerId,
          )
        } catch (err) {
          this.log(`unregistering from a NameServer failed: ${String(err)}`)
        }
      }
      await this.store.shutdown()
    })()
    return this.stopping
  }
}

function sendError(code: SendErrorCode, reason: string): SendMessageResult {
  return { status: 'ERROR', code, reason }
}
