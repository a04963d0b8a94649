// The engine's only public entry: lib/ and tests import from here, never from deeper paths.

export { setRepeatingTimer, systemClock, type Clock, type TimerHandle } from './common/clock'
export { EngineError, StoreCorruptionError, type EngineErrorCode } from './common/engine-error'
export { javaStringHashCode } from './common/java-hash'
export { MessageStore, type MessageStoreDeps, type PutCallback } from './store/message-store'
export { DEFAULT_STORE_CONFIG, resolveStoreConfig, type MessageStoreConfig } from './store/store-config'
export { decodeRecord, type DecodedMessage } from './store/message-codec'
export { createOffsetMsgId, decodeOffsetMsgId, offsetMsgIdPrefix } from './store/message-id'
export { findProperty, formatProperties, parseProperties } from './store/message-properties'
export * from './store/message-constants'
export type * from './store/store-types'

import { MessageStore, type MessageStoreDeps } from './store/message-store'
import type { MessageStoreConfig } from './store/store-config'

/** Opens (creating or recovering) a message store. */
export function openMessageStore(
  config: Partial<MessageStoreConfig> & { storePathRootDir: string },
  deps?: MessageStoreDeps,
): Promise<MessageStore> {
  return MessageStore.open(config, deps)
}

// Clustering-mode rebalance: the queue allocation strategies and the sorted inputs they take.
export type { AllocateStrategy } from './client/rebalance/allocate-strategy'
export { CONSUMER_GROUP_LENGTH_MAX } from './client/rebalance/allocate-strategy'
export { allocateAveragely } from './client/rebalance/allocate-averagely'
export { allocateAveragelyByCircle } from './client/rebalance/allocate-averagely-by-circle'
export {
  allocateConsistentHash,
  RING_VIRTUAL_NODES_MAX,
  VIRTUAL_NODE_COUNT_DEFAULT,
  VIRTUAL_NODE_COUNT_MAX,
} from './client/rebalance/allocate-consistent-hash'
export { allocateByConfig } from './client/rebalance/allocate-by-config'
export {
  allocateByMachineRoom,
  CONSUME_IDCS_MAX,
  IDC_NAME_LENGTH_MAX,
  machineRoomOf,
} from './client/rebalance/allocate-by-machine-room'
export {
  BROKER_NAME_LENGTH_MAX,
  compareMessageQueues,
  MESSAGE_QUEUES_MAX,
  messageQueueKey,
  sortMessageQueues,
  type MessageQueue,
} from './client/rebalance/message-queue'
export { CLIENT_ID_LENGTH_MAX, CLIENT_IDS_MAX, sortClientIds } from './client/rebalance/client-id'

// NameServer: the route registry brokers register with and clients ask for routes.
export { RouteRegistry, MASTER_ID, type RouteRegistryDeps } from './namesrv/route-registry'
export {
  DEFAULT_ROUTE_REGISTRY_CONFIG,
  resolveRouteRegistryConfig,
  type RouteRegistryConfig,
} from './namesrv/route-registry-config'
export {
  PERM_INHERIT,
  PERM_MASK,
  PERM_PRIORITY,
  PERM_READ,
  PERM_WRITE,
  isInherited,
  isReadable,
  isWriteable,
} from './namesrv/perm-name'
// DataVersion, TopicConfig and TopicFilterType are left to broker/ (data-version.ts, topic-config-manager.ts),
// whose types are assignable to the namesrv ones: one exported name per concept.
export type {
  BrokerData,
  BrokerIdentity,
  BrokerLiveInfo,
  ClusterInfo,
  DeleteTopicScope,
  QueueData,
  RegisterBrokerRequest,
  RegisterBrokerResult,
  TopicList,
  TopicRouteData,
} from './namesrv/route-types'

// Broker metadata: broker.conf, the topic and group tables, consumer offsets, and their JSON config files.
// The perm bits are exported once, from namesrv/perm-name above.
export {
  brokerAddr,
  BROKER_ID_MAX,
  configDirOf,
  DEFAULT_BROKER_CONFIG,
  formatBrokerConf,
  parseBrokerConf,
  parseJavaProperties,
  resolveBrokerConfig,
  storeConfigOf,
  type BrokerConfig,
  type BrokerRole,
  type ParsedBrokerConf,
} from './broker/broker-config'
export {
  CONFIG_FILE_BYTES_MAX,
  loadJsonConfig,
  parseConfigJson,
  persistJsonConfig,
  type LoadJsonConfigOptions,
} from './broker/config-file'
export {
  compareDataVersion,
  dataVersionEquals,
  dataVersionJson,
  initialDataVersion,
  nextDataVersion,
  parseDataVersion,
  type DataVersion,
} from './broker/data-version'
export * from './broker/topic-validator'
export {
  isValidPerm,
  isWritable,
  permToString,
  TOPIC_ATTRIBUTES_MAX,
  TOPIC_COUNT_MAX,
  topicConfigJson,
  TopicConfigManager,
  TOPICS_JSON_FILE,
  type TopicConfig,
  type TopicConfigInput,
  type TopicConfigManagerOptions,
  type TopicConfigSerializeWrapper,
  type TopicFilterType,
} from './broker/topic-config-manager'
export {
  CONSUME_TIMEOUT_MINUTE_MAX,
  RETRY_MAX_TIMES_MAX,
  SUBSCRIPTION_GROUP_COUNT_MAX,
  SUBSCRIPTION_GROUP_DEFAULTS,
  SUBSCRIPTION_GROUP_JSON_FILE,
  SubscriptionGroupManager,
  subscriptionGroupJson,
  type SubscriptionGroupConfig,
  type SubscriptionGroupInput,
  type SubscriptionGroupManagerOptions,
  type SubscriptionGroupWrapper,
} from './broker/subscription-group-manager'
export { CONFIG_BATCH_COUNT_MAX, type UpsertManyResult } from './broker/versioned-config-table'
export {
  CONSUMER_OFFSET_JSON_FILE,
  ConsumerOffsetManager,
  OFFSET_TABLE_KEYS_MAX,
  TOPIC_GROUP_SEPARATOR,
  type ConsumerOffsetManagerOptions,
  type ConsumerOffsetSerializeWrapper,
} from './broker/consumer-offset-manager'

// Brokers, the embedded cluster (NameServer + brokers in one process), and the in-process clients.
export {
  BrokerController,
  type BrokerControllerOptions,
  type NameServerLink,
  type PullRequestInput,
  type PullResponse,
  type SendErrorCode,
  type SendMessageRequest,
  type SendMessageResult,
  type TransactionChecker,
} from './broker/broker-controller'
export {
  EmbeddedCluster,
  type ClientTransport,
  type EmbeddedClusterOptions,
} from './cluster/embedded-cluster'
export {
  brokerRuntimeStats,
  consumeStats,
  topicStats,
  trackMessage,
  type BrokerRuntimeStats,
  type ConsumeStats,
  type DeliveryState,
  type MessageTrack,
  type QueueConsumeStats,
  type QueueTopicStats,
} from './broker/broker-stats'
export { type DlqMessage, type ResendResult } from './broker/dlq'
export { type SendBackRequest, type SendBackResult } from './broker/consumer-send-back'
export {
  type PendingHalfMessage,
  type EndTransactionResult,
  type TransactionState,
} from './broker/transaction-service'
export { type ClientConnection, type ConsumerConnection, type MessageModel } from './broker/client-registry'
export {
  Producer,
  SendError,
  type OutgoingMessage,
  type ProducerOptions,
  type QueueSelector,
  type SendResult,
} from './client/producer'
export {
  PushConsumer,
  type ConsumedMessage,
  type ConsumeConcurrentlyStatus,
  type ConsumeFromWhere,
  type ConsumeOrderlyStatus,
  type PushConsumerOptions,
} from './client/push-consumer'
export {
  TransactionProducer,
  type LocalTransactionState,
  type TransactionProducerOptions,
} from './client/transaction-producer'

// Remoting: RocketMQ's TCP protocol (frames, commands, client and server).
export {
  REQUEST_CODE,
  RESPONSE_CODE,
  LANGUAGE_CODES,
  ENGINE_REMOTING_VERSION,
  requestCodeName,
  type RequestCodeName,
  type ResponseCodeName,
} from './remoting/remoting-codes'
export {
  FLAG_ONEWAY,
  FLAG_RESPONSE,
  createRequest,
  createResponse,
  extField,
  isOneway,
  isResponse,
  type CommandParts,
  type ExtFields,
  type RemotingCommand,
  type SerializeType,
} from './remoting/remoting-command'
export { DEFAULT_REMOTING_LIMITS, RemotingFrameError, type RemotingLimits } from './remoting/remoting-limits'
export { FrameDecoder, decodeFrame, encodeCommand } from './remoting/frame-codec'
export {
  RemotingConnection,
  RemotingConnectionClosedError,
  RemotingTimeoutError,
  type RequestHandler,
} from './remoting/remoting-connection'
export { RemotingClient, RemotingConnectError, type RemotingClientOptions } from './remoting/remoting-client'
export { RemotingServer, type RemotingServerOptions } from './remoting/remoting-server'
export * from './remoting/fastjson'
export { messageQueueJsonKey, toFastjson } from './remoting/fastjson-writer'
export { DEFAULT_NAMESRV_CONFIG, type NamesrvConfig } from './remoting/namesrv/namesrv-config'
export { KvConfigTable, NAMESPACE_ORDER_TOPIC_CONFIG } from './remoting/namesrv/kv-config-table'
export {
  registerNameServerProcessors,
  type NameServerProcessorOptions,
  type NameServerProcessors,
} from './remoting/namesrv/namesrv-processor'
export {
  NameServerRemoteLink,
  type NameServerCallOutcome,
  type NameServerRemoteLinkOptions,
} from './remoting/namesrv/namesrv-remote-link'
export {
  RELAY_TIMEOUT_MS,
  registerBrokerAdminProcessors,
  type BrokerAdminOptions,
  type BrokerAdminProcessors,
} from './remoting/broker/admin/admin-processors'
export { RUNTIME_CONFIG_KEYS } from './remoting/broker/admin/config-admin'
export { type BrokerConfigUpdater, type ClientChannelLookup } from './remoting/broker/admin/admin-context'
export {
  registerBrokerProcessors,
  type BrokerProcessors,
  type BrokerProcessorsOptions,
} from './remoting/broker/broker-processors'
export {
  startStandaloneBroker,
  type StandaloneBroker,
  type StandaloneBrokerOptions,
} from './standalone/standalone-broker'
export { UniqKeyGenerator } from './store/message-id'
export {
  PROPERTY_DLQ_ORIGIN_MESSAGE_ID,
  PROPERTY_DLQ_ORIGIN_TOPIC,
  PROPERTY_ORIGIN_MESSAGE_ID,
  PROPERTY_RETRY_TOPIC,
} from './broker/consumer-send-back'
export { PROPERTY_RESENT_FROM_DLQ_MSG_ID } from './broker/dlq'
