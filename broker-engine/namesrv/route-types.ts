// The NameServer's data shapes, field for field as RocketMQ serialises them (RemotingSerializable, fastjson
// with sorted keys): the remoting layer writes these objects straight onto the wire, so names must not drift.

/** A broker's topic-config version; the NameServer rebuilds queue data only when it changes. */
export interface DataVersion {
  timestamp: number
  counter: number
  /** 5.x controller mode only; absent (0) from 4.x brokers. Part of equality, as in DataVersion.equals. */
  stateVersion?: number
}

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG'

/** One topic as a broker registers it (TopicConfig.java; `attributes` is absent from 4.x brokers). */
export interface TopicConfig {
  topicName: string
  readQueueNums: number
  writeQueueNums: number
  /** PermName bits: PRIORITY 8, READ 4, WRITE 2, INHERIT 1. */
  perm: number
  topicSysFlag: number
  topicFilterType: TopicFilterType
  order: boolean
  attributes?: Record<string, string>
}

/** REGISTER_BROKER: the request header fields plus the topics of its RegisterBrokerBody. */
export interface RegisterBrokerRequest {
  clusterName: string
  /** host:port the broker serves clients on. */
  brokerAddr: string
  /** Master and slaves share a brokerName. */
  brokerName: string
  /** 0 is the master (MixAll.MASTER_ID); slaves are 1, 2, ... */
  brokerId: number
  /** host:port of the broker's HA service, handed to slaves that register after it. */
  haServerAddr?: string
  topicConfigs: readonly TopicConfig[]
  dataVersion: DataVersion
  /**
   * true when the body holds only the topics that just changed (the broker's registerIncrementBrokerData
   * after a topic create/update): those topics are added or updated and no other topic is dropped.
   * false (the default, the periodic registration) means the list is the broker's whole topic table.
   */
  incremental?: boolean
}

export type RegisterBrokerResult =
  | {
      status: 'REGISTERED'
      /** For a slave: the master's address, once the master is registered. */
      masterAddr?: string
      /** For a slave: the master's HA address, once the master is registered. */
      haServerAddr?: string
    }
  | {
      /**
       * An incremental registration from a broker the registry does not hold (never registered, expired or
       * unregistered): nothing was changed. RocketMQ answers SYSTEM_ERROR "register broker failed" here; the
       * broker's next full registration succeeds.
       */
      status: 'FULL_REGISTRATION_REQUIRED'
      reason: string
    }

/** One broker name's queues for a topic, as built from its master's TopicConfig. */
export interface QueueData {
  brokerName: string
  perm: number
  readQueueNums: number
  topicSysFlag: number
  writeQueueNums: number
}

/** A broker name and the address of each registered member; clients send to `brokerAddrs[0]`. */
export interface BrokerData {
  /** brokerId → host:port. JSON turns the keys into strings ("0"), which fastjson reads back as Long. */
  brokerAddrs: Record<number, string>
  brokerName: string
  cluster: string
}

/** GET_ROUTEINFO_BY_TOPIC body. */
export interface TopicRouteData {
  brokerDatas: BrokerData[]
  /** Filter servers were removed from RocketMQ; always {} but still serialised. */
  filterServerTable: Record<string, string[]>
  /** "broker-a:4;broker-b:4" from the ORDER_TOPIC_CONFIG KV namespace; this registry keeps no KV config. */
  orderTopicConf?: string
  queueDatas: QueueData[]
}

/** GET_BROKER_CLUSTER_INFO body. */
export interface ClusterInfo {
  /** brokerName → BrokerData. */
  brokerAddrTable: Record<string, BrokerData>
  /** clusterName → broker names (a Java Set, serialised as an array). */
  clusterAddrTable: Record<string, string[]>
}

/** GET_ALL_TOPIC_LIST_FROM_NAMESERVER / GET_TOPICS_BY_CLUSTER / GET_SYSTEM_TOPIC_LIST_FROM_NS body. */
export interface TopicList {
  topicList: string[]
  /** Only the system topic list names a broker to ask for its own system topics. */
  brokerAddr?: string
}

/** Who a registered address is. */
export interface BrokerIdentity {
  clusterName: string
  brokerName: string
  brokerId: number
  brokerAddr: string
}

/** One row of the console's cluster-health view: a plain snapshot, detached from the registry. */
export interface BrokerLiveInfo extends BrokerIdentity {
  haServerAddr?: string
  dataVersion: DataVersion
  lastUpdateTimestampMs: number
  /** Time since the last registration (heartbeat). */
  heartbeatAgeMs: number
  /** The broker is dropped at the first scan after lastUpdateTimestampMs + heartbeatTimeoutMs. */
  heartbeatTimeoutMs: number
}

/** Limits a topic deletion to one cluster's broker names (DELETE_TOPIC_IN_NAMESRV) or one broker name. */
export type DeleteTopicScope = { clusterName: string } | { brokerName: string }
