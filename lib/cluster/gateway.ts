// The console's one interface to a RocketMQ cluster (ClusterGateway) and the plain data it returns. Two
// implementations: the embedded engine (in-process) and RemoteGateway (any Apache RocketMQ cluster over remoting).
//
// Rules every implementation keeps, so pages and server actions never care which one they hold:
// - Values are plain serialisable data (no Maps, Buffers, Dates or class instances): server components render them
//   and TanStack Query caches them as JSON. Times are epoch milliseconds; bodies are base64 strings.
// - Reads that fan out over brokers return PartialResult: what the answering brokers said, `partial: true` and one
//   failure per broker that did not answer in time. A page shows the data with a "partial" banner instead of
//   failing whole. A read throws only when nothing at all could be read (no NameServer reachable, ...).
// - Expected outcomes are values (discriminated unions): a message that is not there, a group that is offline, a
//   capability the cluster lacks (`{ supported: false, reason }`). Failures throw, and lib/errors.ts maps them.
// - Every method is implementable over remoting with a bounded number of calls per cluster, never one per topic
//   × group; each method's comment names its cost on a remote cluster.
// - Inputs are validated at the edge with the zod schemas in gateway-schemas.ts (both implementations parse them).
// Types only (no runtime code), so client components may `import type` from here.

/** A broker (or NameServer) that did not answer, and why, in words fit for a banner. */
export interface BrokerFailure {
  /** The broker name, or "host:port" when the name is unknown (a NameServer, an address from a message id). */
  readonly broker: string
  readonly reason: string
}

/** The data the answering brokers gave; `partial` is true when `failures` is not empty. */
export interface PartialResult<T> {
  readonly data: T
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

/** Something a cluster may not offer (a 4.x broker lacks some admin codes; nothing lists half messages remotely). */
export type Capability<T> =
  { readonly supported: true; readonly value: T } | { readonly supported: false; readonly reason: string }

// ---------------------------------------------------------------------------------------------------------------
// Clusters, brokers, NameServers

export type BrokerRole = 'MASTER' | 'SLAVE'

/** The figures of GET_BROKER_RUNTIME_INFO the console shows; `table` keeps every key for the detail page. */
export interface BrokerRuntime {
  /** e.g. "V4_9_4". */
  readonly version: string | undefined
  readonly bootTimestampMs: number | undefined
  /** Messages put per second over the last 10 s window. */
  readonly putTps: number
  /** Messages delivered to consumers per second over the last 10 s window. */
  readonly getTps: number
  readonly msgPutTotalTodayNow: number
  readonly msgGetTotalTodayNow: number
  readonly msgPutTotalYesterday: number
  readonly msgGetTotalYesterday: number
  /** Used fraction (0..1) of the disk holding the CommitLog. */
  readonly commitLogDiskRatio: number | undefined
  readonly commitLogMinOffset: number | undefined
  readonly commitLogMaxOffset: number | undefined
  readonly dispatchBehindBytes: number | undefined
  /** Store time of the oldest message the broker still holds. */
  readonly earliestMessageTimestampMs: number | undefined
  /** Every runtime key, verbatim (values are strings, as RocketMQ sends them). */
  readonly table: Readonly<Record<string, string>>
}

export interface BrokerSummary {
  readonly clusterName: string
  readonly brokerName: string
  /** 0 = master. */
  readonly brokerId: number
  readonly addr: string
  readonly role: BrokerRole
  /** undefined when the broker did not answer (the result's failures say why). */
  readonly runtime: BrokerRuntime | undefined
  /** From the broker config: ASYNC_FLUSH / SYNC_FLUSH. */
  readonly flushDiskType: string | undefined
  /** From the broker config: ASYNC_MASTER / SYNC_MASTER / SLAVE. */
  readonly brokerRole: string | undefined
  /** Time since the NameServer last heard from the broker; remote NameServers do not expose it (undefined). */
  readonly heartbeatAgeMs: number | undefined
}

export interface ClusterSummary {
  readonly clusterName: string
  readonly brokerNames: readonly string[]
}

export interface ClusterInfo {
  readonly clusters: readonly ClusterSummary[]
  readonly brokers: readonly BrokerSummary[]
}

export interface NameServerStatus {
  readonly addr: string
  readonly reachable: boolean
  readonly latencyMs: number | undefined
  readonly error: string | undefined
}

/** A broker by name (its master unless brokerId says otherwise) or by address. */
export type BrokerRef =
  { readonly brokerName: string; readonly brokerId?: number } | { readonly addr: string }

// ---------------------------------------------------------------------------------------------------------------
// Topics

/** Where a topic belongs: user topics, a group's %RETRY% or %DLQ% topic, or RocketMQ's own topics. */
export type TopicKind = 'NORMAL' | 'RETRY' | 'DLQ' | 'SYSTEM'

/** The `message.type` topic attribute (5.x); 4.x topics have none (UNSPECIFIED) unless `order` makes them FIFO. */
export type TopicMessageType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION' | 'MIXED' | 'UNSPECIFIED'

/** One broker's TopicConfig. */
export interface TopicBrokerConfig {
  readonly brokerName: string
  readonly readQueueNums: number
  readonly writeQueueNums: number
  /** PermName bits: 4 read, 2 write, 1 inherit, 8 priority. */
  readonly perm: number
  readonly order: boolean
  readonly topicSysFlag: number
  readonly topicFilterType: string
  readonly attributes: Readonly<Record<string, string>>
}

export interface TopicSummary {
  readonly topic: string
  readonly kind: TopicKind
  readonly messageType: TopicMessageType
  /** Per broker that holds the topic; empty when only a NameServer knows it (its broker did not answer). */
  readonly brokers: readonly TopicBrokerConfig[]
  /** Sums over brokers. */
  readonly readQueueNums: number
  readonly writeQueueNums: number
}

export interface TopicRouteBroker {
  readonly brokerName: string
  readonly clusterName: string
  /** brokerId → "host:port"; id 0 is the master. */
  readonly addrs: Readonly<Record<string, string>>
}

export interface TopicRouteQueue {
  readonly brokerName: string
  readonly readQueueNums: number
  readonly writeQueueNums: number
  readonly perm: number
  readonly topicSysFlag: number
}

export interface TopicRoute {
  readonly topic: string
  readonly brokers: readonly TopicRouteBroker[]
  readonly queues: readonly TopicRouteQueue[]
  /** e.g. "broker-a:4;broker-b:4" for ordered topics. */
  readonly orderTopicConf: string | undefined
}

export interface QueueOffsets {
  readonly brokerName: string
  readonly queueId: number
  readonly minOffset: number
  /** Next queue offset to be written (the message count since the queue began). */
  readonly maxOffset: number
  /** Store time of the newest message (0 when the queue is empty). */
  readonly lastUpdateTimestampMs: number
}

export interface TopicStats {
  readonly topic: string
  readonly queues: readonly QueueOffsets[]
  /** Σ(maxOffset − minOffset): messages currently held. */
  readonly messageCount: number
}

/** A group that consumes a topic, with its progress on that topic. */
export interface TopicConsumer {
  readonly group: string
  readonly lag: number
  readonly consumeTps: number
  /** Newest store time among the messages the group has consumed (0 when none). */
  readonly lastConsumeTimestampMs: number
}

export interface TopicConfigInput {
  readonly topic: string
  readonly readQueueNums: number
  readonly writeQueueNums: number
  readonly perm: number
  readonly order?: boolean
  /** Written as the `message.type` attribute; 4.x brokers ignore it. */
  readonly messageType?: Exclude<TopicMessageType, 'UNSPECIFIED'>
  /** Where to create it: every master of this cluster ... */
  readonly clusterName?: string
  /** ... or these brokers' masters. Neither: every master of the only cluster (an error with several). */
  readonly brokerNames?: readonly string[]
}

/** The brokers a mutation was applied on. Failures in PartialResult name the ones it was not. */
export interface MutationOutcome {
  readonly brokerNames: readonly string[]
}

// ---------------------------------------------------------------------------------------------------------------
// Consumer groups and producers

/** A SubscriptionGroupConfig: retry policy and consumption switches of a group. */
export interface ConsumerGroupConfig {
  readonly group: string
  readonly consumeEnable: boolean
  readonly consumeBroadcastEnable: boolean
  readonly consumeMessageOrderly: boolean
  readonly consumeFromMinEnable: boolean
  /** Retries before a message goes to the group's DLQ (16 by default). */
  readonly retryMaxTimes: number
  readonly retryQueueNums: number
  readonly brokerId: number
  readonly whichBrokerWhenConsumeSlowly: number
  readonly notifyConsumerIdsChangedEnable: boolean
  /** Brokers that hold this config. */
  readonly brokerNames: readonly string[]
}

export interface QueueConsumeProgress {
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  /** The queue's max offset. */
  readonly brokerOffset: number
  /** The group's committed offset (0 when none). */
  readonly consumerOffset: number
  /** Where the group's last pull will continue; brokers before 5.x do not report it. */
  readonly pullOffset: number | undefined
  readonly lag: number
  /** Store time of the last consumed message (0 when none). */
  readonly lastTimestampMs: number
}

export interface ConsumeStats {
  readonly group: string
  readonly consumeTps: number
  readonly lag: number
  readonly queues: readonly QueueConsumeProgress[]
}

/** A group's progress on one topic, summed over queues. */
export interface GroupTopicProgress {
  readonly topic: string
  readonly brokerOffset: number
  readonly consumerOffset: number
  readonly lag: number
  readonly lastTimestampMs: number
}

export interface ConsumerGroupSummary {
  readonly group: string
  /** RocketMQ's own groups (TOOLS_CONSUMER, CID_RMQ_SYS_*, ...). */
  readonly system: boolean
  /** undefined when no answering broker holds a config for it (a group known only from its offsets). */
  readonly config: ConsumerGroupConfig | undefined
  readonly lag: number
  readonly consumeTps: number
  readonly topics: readonly GroupTopicProgress[]
}

export interface ConsumerMember {
  readonly clientId: string
  readonly clientAddr: string
  readonly language: string
  /** The client's MQVersion ordinal (401 = V4_9_4). */
  readonly version: number
}

export interface SubscriptionInfo {
  readonly topic: string
  /** "*" or "TagA || TagB" or an SQL92 expression. */
  readonly expression: string
  readonly expressionType: string
  readonly tags: readonly string[]
  readonly subVersion: number
}

export interface ConsumerConnections {
  readonly group: string
  readonly online: boolean
  /** CONSUME_PASSIVELY (push), CONSUME_ACTIVELY (pull), CONSUME_POP. */
  readonly consumeType: string | undefined
  /** CLUSTERING or BROADCASTING. */
  readonly messageModel: string | undefined
  readonly consumeFromWhere: string | undefined
  readonly members: readonly ConsumerMember[]
  readonly subscriptions: readonly SubscriptionInfo[]
}

/** One queue a consumer holds right now, as the client itself reports it. */
export interface ConsumerQueueHolding {
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  /** The offset the client will commit next. */
  readonly commitOffset: number
  /** Messages pulled and not yet consumed (the client's process queue). */
  readonly cachedMsgCount: number
  readonly cachedMsgSizeInMiB: number
  /** Orderly consumers hold a broker lock on each queue they consume. */
  readonly locked: boolean
  /** The client is giving the queue up (rebalanced away). */
  readonly dropped: boolean
  readonly lastPullTimestampMs: number
  readonly lastConsumeTimestampMs: number
}

/** A consumer's own view of itself (ConsumerRunningInfo): its settings and the queues it holds. */
export interface ConsumerRunningInfo {
  readonly group: string
  readonly clientId: string
  /** The broker that relayed the question. */
  readonly brokerName: string
  /** The client's settings as it reports them (PROP_CONSUME_TYPE, PROP_THREADPOOL_CORE_SIZE, ...). */
  readonly properties: Readonly<Record<string, string>>
  readonly queues: readonly ConsumerQueueHolding[]
}

export interface ConsumerGroupDetail {
  readonly group: string
  readonly config: ConsumerGroupConfig | undefined
  readonly stats: ConsumeStats
  readonly connections: ConsumerConnections
}

export interface ConsumerGroupInput {
  readonly group: string
  readonly consumeEnable?: boolean
  readonly consumeBroadcastEnable?: boolean
  readonly consumeMessageOrderly?: boolean
  readonly retryMaxTimes?: number
  readonly retryQueueNums?: number
  readonly clusterName?: string
  readonly brokerNames?: readonly string[]
}

export interface ProducerConnection {
  readonly producerGroup: string
  readonly clientId: string
  readonly clientAddr: string
  readonly language: string
  readonly version: number
  /** Last heartbeat (only GET_ALL_PRODUCER_INFO reports it). */
  readonly lastUpdateTimestampMs: number | undefined
}

export interface ProducerGroupInfo {
  readonly producerGroup: string
  readonly connections: readonly ProducerConnection[]
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/** How the stored body was compressed; the view's body is decompressed when `bodyDecoded` is true. */
export type BodyCompression = 'NONE' | 'ZLIB' | 'LZ4' | 'ZSTD'

export interface MessageView {
  /** The offset message id (store host + CommitLog offset): what VIEW_MESSAGE_BY_ID resolves. */
  readonly msgId: string
  /** The producer's id (UNIQ_KEY property), when set. */
  readonly uniqKey: string | undefined
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  readonly queueOffset: number
  readonly commitLogOffset: number
  readonly storeTimestampMs: number
  readonly bornTimestampMs: number
  /** "ip:port". */
  readonly bornHost: string
  readonly storeHost: string
  readonly sysFlag: number
  readonly flag: number
  readonly reconsumeTimes: number
  readonly tags: string | undefined
  readonly keys: readonly string[]
  readonly properties: Readonly<Record<string, string>>
  /** Size of the body as the producer sent it (decompressed when that was possible). */
  readonly bodySizeBytes: number
  /** base64 of the body, cut at the query's bodyBytesMax. */
  readonly bodyBase64: string
  readonly bodyTruncated: boolean
  readonly compression: BodyCompression
  /** False when the body is compressed with a codec this server cannot decode (then bodyBase64 is raw). */
  readonly bodyDecoded: boolean
}

/** Narrowing applied while scanning (server-side, within the scan budget). */
export interface MessageFilter {
  /** Exact tag. */
  readonly tag?: string
  /** One of the message's KEYS. */
  readonly key?: string
  /** A property by name; with `value`, that exact value. */
  readonly property?: { readonly name: string; readonly value?: string }
  /** A substring of the body decoded as UTF-8. */
  readonly bodyContains?: string
}

export interface MessageIdQuery {
  /** An offset message id or a UNIQ_KEY (PROTOCOL.md 4.2 resolution order). */
  readonly msgId: string
  /** Needed to resolve a UNIQ_KEY (the index is per topic); an offset id resolves without it. */
  readonly topic?: string
  readonly bodyBytesMax?: number
}

export interface KeyQuery {
  readonly topic: string
  readonly key: string
  readonly beginMs?: number
  readonly endMs?: number
  readonly tag?: string
  /** Per broker; RocketMQ caps it (64 by default). */
  readonly maxNum?: number
  readonly bodyBytesMax?: number
}

export interface TimeRangeQuery {
  readonly topic: string
  readonly beginMs: number
  readonly endMs: number
  readonly pageSize: number
  /** From the previous page's nextCursor; opaque, URL-safe. */
  readonly cursor?: string
  readonly filter?: MessageFilter
  /** Most messages one call reads before it returns a short page with a cursor (the scan budget). */
  readonly scanMax?: number
  readonly bodyBytesMax?: number
}

/** One page of a time-range scan, ordered by store time (then broker, queue, queue offset). */
export interface MessagePage {
  readonly messages: readonly MessageView[]
  /** undefined when the range is exhausted. */
  readonly nextCursor: string | undefined
  /** Messages read by this call, matching or not. */
  readonly scanned: number
  /** Messages read since the first page ("scanned N of M" shows scannedTotal of totalInRange). */
  readonly scannedTotal: number
  /** Messages stored in the range, from the brokers' time index (exact to about one message per queue). */
  readonly totalInRange: number
}

export type DeliveryState =
  | 'CONSUMED'
  | 'NOT_CONSUMED_YET'
  | 'CONSUMED_BUT_FILTERED'
  | 'IN_RETRY'
  | 'IN_DLQ'
  /** The group's progress could not be read. */
  | 'UNKNOWN'

export interface GroupDelivery {
  readonly group: string
  readonly state: DeliveryState
  /** undefined when unknown. */
  readonly online: boolean | undefined
  /** Offset ids of the message's copies in the group's %RETRY% topic. */
  readonly retryMsgIds: readonly string[]
  /** Offset ids of its copies in the group's %DLQ% topic. */
  readonly dlqMsgIds: readonly string[]
}

export interface MessageDetail {
  readonly message: MessageView
  readonly deliveries: readonly GroupDelivery[]
}

// ---------------------------------------------------------------------------------------------------------------
// Dead-letter queues

export interface DlqSummary {
  readonly group: string
  /** %DLQ%<group>. */
  readonly topic: string
  readonly messageCount: number
  /** Store time of the newest dead message (0 when none). */
  readonly lastUpdateTimestampMs: number
}

export interface DlqBrowseQuery {
  readonly group: string
  readonly beginMs?: number
  readonly endMs?: number
  readonly pageSize: number
  readonly cursor?: string
  readonly filter?: MessageFilter
  readonly bodyBytesMax?: number
}

export interface DlqMessage extends MessageView {
  /** The topic the message was first sent to (RETRY_TOPIC / DLQ_ORIGIN_TOPIC), if recorded. */
  readonly originTopic: string | undefined
  /** The id of the original message (ORIGIN_MESSAGE_ID / DLQ_ORIGIN_MESSAGE_ID), if recorded. */
  readonly originMsgId: string | undefined
}

export interface DlqPage extends Omit<MessagePage, 'messages'> {
  readonly messages: readonly DlqMessage[]
}

/**
 * Where a resend goes: the original topic (every group subscribed to it sees the message again) or the group's
 * %RETRY% topic (only that group does).
 */
export type DlqResendTarget = 'ORIGIN_TOPIC' | 'RETRY_TOPIC'

export interface DlqResendRequest {
  readonly group: string
  /** Offset message ids of the DLQ copies. */
  readonly msgIds: readonly string[]
  readonly target: DlqResendTarget
  /**
   * The UNIQ_KEY each copy gets, aligned with `msgIds`; generated when absent. A caller that records the key before
   * sending can later find the copy by it (query by UNIQ_KEY) and so tell whether a send it lost track of happened.
   */
  readonly uniqKeys?: readonly string[]
}

/**
 * One DLQ message's outcome. A resend is a new message published through a producer (no consumer needs to be
 * online); it carries the RESENT_FROM_DLQ_MSG_ID property naming the DLQ copy, which stays in the DLQ.
 */
export type DlqResendResult =
  | {
      readonly msgId: string
      readonly status: 'SENT'
      readonly topic: string
      readonly newMsgId: string
      readonly newUniqKey: string
      readonly brokerName: string
      readonly queueId: number
      readonly queueOffset: number
    }
  | {
      readonly msgId: string
      readonly status: 'NOT_FOUND' | 'NOT_A_DLQ_MESSAGE' | 'FAILED'
      readonly reason: string
    }

// ---------------------------------------------------------------------------------------------------------------
// Consumer offsets

export type OffsetResetTarget =
  | { readonly kind: 'TIMESTAMP'; readonly timestampMs: number }
  | { readonly kind: 'EARLIEST' }
  | { readonly kind: 'LATEST' }
  | {
      readonly kind: 'EXPLICIT'
      readonly offsets: readonly {
        readonly brokerName: string
        readonly queueId: number
        readonly queueOffset: number
      }[]
    }

export interface OffsetResetRequest {
  readonly group: string
  readonly topic: string
  readonly target: OffsetResetTarget
}

export interface QueueOffsetChange {
  readonly brokerName: string
  readonly queueId: number
  readonly currentOffset: number
  readonly newOffset: number
  readonly minOffset: number
  readonly maxOffset: number
  /** Messages the group will not consume (new > current). */
  readonly skipped: number
  /** Messages the group will consume again (new < current). */
  readonly replayed: number
  /** An explicit offset outside [minOffset, maxOffset] was clamped. */
  readonly clamped: boolean
}

export interface OffsetResetPreview {
  readonly group: string
  readonly topic: string
  readonly consumerOnline: boolean
  readonly queues: readonly QueueOffsetChange[]
  readonly skippedTotal: number
  readonly replayedTotal: number
}

export type OffsetResetOutcome =
  | {
      readonly status: 'APPLIED'
      /**
       * BROKER_RESET: the broker reset the group (telling online consumers; RocketMQ 5 brokers also record it for
       * offline groups); OFFSET_UPDATE: the stored offsets were overwritten (a group a 4.x broker reports offline).
       */
      readonly method: 'BROKER_RESET' | 'OFFSET_UPDATE'
      readonly queues: readonly QueueOffsetChange[]
    }
  | { readonly status: 'REFUSED'; readonly reason: string }

// ---------------------------------------------------------------------------------------------------------------
// Sending and transactions

export interface SendMessageInput {
  readonly topic: string
  readonly body: string
  readonly bodyEncoding?: 'utf8' | 'base64'
  readonly tag?: string
  readonly keys?: readonly string[]
  /** User properties (reserved RocketMQ names are refused). */
  readonly properties?: Readonly<Record<string, string>>
  /** 1..18 (1 s .. 2 h); absent = deliver now. */
  readonly delayLevel?: number
  readonly producerGroup?: string
}

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'

export interface SendOutcome {
  readonly status: SendStatus
  /** Offset message id. */
  readonly msgId: string
  readonly uniqKey: string
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  readonly queueOffset: number
}

export interface PendingTransaction {
  readonly topic: string
  readonly producerGroup: string
  /** Offset id of the half message. */
  readonly msgId: string
  readonly uniqKey: string | undefined
  readonly keys: readonly string[]
  readonly bornTimestampMs: number
  readonly checkTimes: number
  /** When the broker will next ask the producer (undefined when unknown). */
  readonly nextCheckMs: number | undefined
}

export interface EndTransactionRequest {
  /** Offset id of the half message (from listPendingTransactions). */
  readonly msgId: string
  readonly action: 'COMMIT' | 'ROLLBACK'
}

export type EndTransactionOutcome =
  | { readonly status: 'DONE' }
  | { readonly status: 'NOT_FOUND' | 'NOT_A_HALF_MESSAGE' | 'FAILED'; readonly reason: string }

// ---------------------------------------------------------------------------------------------------------------

export interface ClusterGateway {
  // Clusters and brokers --------------------------------------------------------------------------------------

  /** Clusters and their brokers with runtime figures. Remote: 1 NameServer call + 2 per broker. */
  getClusterInfo(): Promise<PartialResult<ClusterInfo>>

  /** Each configured NameServer's reachability and round trip. Remote: 1 call per NameServer. */
  listNameServers(): Promise<readonly NameServerStatus[]>

  /** A broker's full configuration (broker + store keys). Remote: 1 call. undefined: no such broker. */
  getBrokerConfig(broker: BrokerRef): Promise<Readonly<Record<string, string>> | undefined>

  // Topics ----------------------------------------------------------------------------------------------------

  /** Every topic with its kind and per-broker config. Remote: 1 call per master + 1 NameServer call. */
  listTopics(): Promise<PartialResult<readonly TopicSummary[]>>

  /** One topic's config on each broker; undefined when no broker has it. Remote: 1 route call + 1 per broker. */
  getTopicConfig(topic: string): Promise<PartialResult<TopicSummary | undefined>>

  /** undefined when the NameServer knows no route. Remote: 1 call (cached briefly). */
  getTopicRoute(topic: string): Promise<TopicRoute | undefined>

  /** Per-queue min/max offsets. Remote: 1 route call + 1 per broker in the route. */
  getTopicStats(topic: string): Promise<PartialResult<TopicStats | undefined>>

  /**
   * Groups consuming the topic with their lag (topic detail, delete impact). Remote: 1 call per broker, then 1
   * per (group, broker) for the groups found, at most `groupsMax` (default 100) groups; beyond that, partial.
   */
  getTopicConsumers(
    topic: string,
    options?: { groupsMax?: number },
  ): Promise<PartialResult<readonly TopicConsumer[]>>

  /** Creates or updates a topic on the chosen masters. Remote: 1 call per master. */
  createOrUpdateTopic(input: TopicConfigInput): Promise<PartialResult<MutationOutcome>>

  /** Deletes a topic from its brokers and every NameServer. Remote: 1 call per broker + 1 per NameServer. */
  deleteTopic(topic: string, options?: { clusterName?: string }): Promise<PartialResult<MutationOutcome>>

  // Consumer groups -------------------------------------------------------------------------------------------

  /**
   * Every group with its config, lag and TPS; members are not counted here (see getConsumerConnections).
   * Remote: 2 calls per master (all group configs, all groups' consume stats), whatever the group count.
   */
  listConsumerGroups(): Promise<PartialResult<readonly ConsumerGroupSummary[]>>

  /** Per-queue broker/consumer offsets, lag and last consume time. Remote: 1 call per master. */
  getConsumeStats(group: string, topic?: string): Promise<PartialResult<ConsumeStats>>

  /** Online members and their subscriptions (merged over brokers). Remote: 1 call per master. */
  getConsumerConnections(group: string): Promise<PartialResult<ConsumerConnections>>

  /**
   * What one member says about itself (GET_CONSUMER_RUNNING_INFO, relayed by a broker to the client): the queues
   * it holds with its progress on each. Unsupported when the client cannot answer (not connected, an in-process
   * or non-Java client that does not implement it). Remote: 1 call per master until one relays an answer.
   */
  getConsumerRunningInfo(group: string, clientId: string): Promise<Capability<ConsumerRunningInfo>>

  /** Config, stats and connections together. Remote: 3 calls per master. */
  getConsumerGroup(group: string): Promise<PartialResult<ConsumerGroupDetail>>

  /** Creates or updates a group's config (retry policy, broadcast, orderly). Remote: 1 call per master. */
  createOrUpdateConsumerGroup(input: ConsumerGroupInput): Promise<PartialResult<MutationOutcome>>

  /**
   * Deletes a group's config (and with removeOffsets its offsets; with deleteRetryAndDlqTopics its %RETRY% and
   * %DLQ% topics, as mqadmin deleteSubGroup does). Remote: 1-3 calls per master + 1 per NameServer.
   */
  deleteConsumerGroup(
    group: string,
    options?: { removeOffsets?: boolean; deleteRetryAndDlqTopics?: boolean },
  ): Promise<PartialResult<MutationOutcome>>

  // Producers -------------------------------------------------------------------------------------------------

  /** Every producer group with its connections; brokers before 5.x cannot list them (unsupported). */
  listProducers(): Promise<Capability<PartialResult<readonly ProducerGroupInfo[]>>>

  /** The connections of one producer group. Remote: 1 call per master. */
  getProducerConnections(producerGroup: string): Promise<PartialResult<readonly ProducerConnection[]>>

  // Messages --------------------------------------------------------------------------------------------------

  /**
   * Finds a message by offset id or UNIQ_KEY: an offset id is viewed at the broker it names; failing that (or for
   * a UNIQ_KEY) the topic's index is queried on every broker of its route. Several copies may match (producer
   * retries). Remote: 1 call, or 1 route call + 1 per broker.
   */
  viewMessage(query: MessageIdQuery): Promise<PartialResult<readonly MessageView[]>>

  /** Messages whose KEYS contain `key` (exact), newest index first, sorted by store time. Remote: 1 per broker. */
  queryMessagesByKey(query: KeyQuery): Promise<PartialResult<readonly MessageView[]>>

  /**
   * A page of the topic's messages stored in [beginMs, endMs], ordered by store time, filtered server-side.
   * Remote: per queue 1-2 offset searches on the first page, then pulls of 32 messages as the merge needs them.
   */
  queryMessagesByTime(query: TimeRangeQuery): Promise<PartialResult<MessagePage>>

  /**
   * A message (by offset id or UNIQ_KEY, as viewMessage) with its delivery state for every group consuming its
   * topic. Remote: viewMessage + per group ≤ 4 calls, for at most 50 groups. undefined: not found.
   */
  getMessageDetail(query: MessageIdQuery): Promise<PartialResult<MessageDetail | undefined>>

  /** Sends a test message through a producer. Remote: 1 route call + 1 send. */
  sendMessage(input: SendMessageInput): Promise<SendOutcome>

  // Dead-letter queues ----------------------------------------------------------------------------------------

  /** Groups with a DLQ and how many dead messages each holds. Remote: listTopics + 1 call per DLQ topic. */
  listDlqs(): Promise<PartialResult<readonly DlqSummary[]>>

  /** A page of a group's DLQ (see queryMessagesByTime), with each message's origin. */
  browseDlq(query: DlqBrowseQuery): Promise<PartialResult<DlqPage>>

  /** Republishes DLQ messages through a producer, one result per message. Remote: ≤ 3 calls per message. */
  resendDlqMessages(request: DlqResendRequest): Promise<readonly DlqResendResult[]>

  // Consumer offsets ------------------------------------------------------------------------------------------

  /** Old and new offset per queue, and what will be skipped or replayed. Works for offline groups. */
  previewOffsetReset(request: OffsetResetRequest): Promise<PartialResult<OffsetResetPreview>>

  /**
   * Applies a reset through the broker (so online consumers pick it up), overwriting the stored offsets where the
   * broker cannot (an offline group on RocketMQ 4.x). An explicit per-queue reset of an online group is REFUSED
   * (stop it first). Remote: 1 call per broker (per queue for explicit offsets), + 1 per queue written.
   */
  resetOffset(request: OffsetResetRequest): Promise<PartialResult<OffsetResetOutcome>>

  // Transactions ----------------------------------------------------------------------------------------------

  /** Half messages waiting for commit or rollback. Remote clusters cannot list them cheaply: unsupported. */
  listPendingTransactions(): Promise<Capability<PartialResult<readonly PendingTransaction[]>>>

  /** Commits or rolls back one half message. */
  endTransaction(request: EndTransactionRequest): Promise<Capability<EndTransactionOutcome>>

  /** Releases connections; the gateway is unusable afterwards. */
  close(): Promise<void>
}
