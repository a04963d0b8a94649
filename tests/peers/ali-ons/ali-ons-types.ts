// Minimal TypeScript shapes of the parts of ali-ons 3.12.0 (an untyped CommonJS package) that the peer tests
// touch: the Producer, the push Consumer, Message, and the MQClient pull call the tag-filter test observes.

/** ali-ons asserts an http client exists even when `nameSrv` is given; it only calls it to look up `onsAddr`. */
export interface AliOnsHttpClient {
  request(url: string, options: { readonly timeout: number }): Promise<{ status: number; data: Buffer }>
}

export interface AliOnsLogger {
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
  debug(...args: unknown[]): void
}

/** Options common to producers and consumers (`client_config.js`, `remoting_client.js`, `channel.js`). */
export interface AliOnsClientOptions {
  readonly nameSrv: string
  readonly httpclient: AliOnsHttpClient
  /** Aliyun credentials: ali-ons signs every request with them; a plain RocketMQ server ignores the fields. */
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** Part of the client id (`<ip>@<instanceName>`); clients with the same id share one connection set. */
  readonly instanceName: string
  readonly logger: AliOnsLogger
  /** Spelled this way in ali-ons (RocketMQ's pollNameServerInterval). */
  readonly pollNameServerInteval?: number
  readonly heartbeatBrokerInterval?: number
  readonly persistConsumerOffsetInterval?: number
  readonly rebalanceInterval?: number
}

export interface AliOnsProducerOptions extends AliOnsClientOptions {
  readonly producerGroup: string
}

export type AliOnsConsumeFromWhere =
  'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP'

export interface AliOnsConsumerOptions extends AliOnsClientOptions {
  readonly consumerGroup: string
  readonly isBroadcast?: boolean
  readonly consumeFromWhere?: AliOnsConsumeFromWhere
  /** Sent in CONSUMER_SEND_MSG_BACK; beyond it the broker moves the message to %DLQ%<group>. */
  readonly maxReconsumeTimes?: number
  /** Messages of one queue handled at once; 1 (the default) handles each queue's messages in offset order. */
  readonly parallelConsumeLimit?: number
  readonly pullBatchSize?: number
}

/** A message to send, or one received (then the store fields are filled in). */
export interface AliOnsMessage {
  topic: string
  body: Buffer
  flag: number
  properties: Record<string, string | null>
  get tags(): string | null
  set tags(value: string | null)
  /** Read: the KEYS property (space separated). Write: an array, joined with spaces. */
  get keys(): string | undefined
  set keys(value: readonly string[])
  get delayTimeLevel(): number
  set delayTimeLevel(value: number)
  get shardingKey(): string | undefined
  set shardingKey(value: string)
  readonly originMessageId: string | undefined
  readonly retryTopic: string | undefined
  /** Received messages: the offset message id (store host + CommitLog offset), upper-case hex. */
  readonly msgId: string
  readonly queueId: number
  readonly queueOffset: number
  readonly commitLogOffset: number
  readonly reconsumeTimes: number
  readonly bornTimestamp: number
  readonly storeTimestamp: number
  readonly storeHost: string
}

export interface AliOnsMessageQueue {
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  readonly key: string
}

export interface AliOnsSendResult {
  readonly sendStatus: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'
  /** The broker's msgId field of the SEND_MESSAGE_V2 response (RocketMQ: the offset message id). */
  readonly msgId: string
  /**
   * Built from the response header as received: RocketMQ's extFields are JSON strings, and ali-ons does not
   * convert `queueId`, so it is a string here (unlike the route-built queues of a consumer).
   */
  readonly messageQueue: Omit<AliOnsMessageQueue, 'queueId'> & { readonly queueId: string }
  readonly queueOffset: number
}

interface AliOnsEmitter {
  ready(): Promise<void>
  on(event: 'error', listener: (err: Error) => void): this
  on(event: string, listener: () => void): this
  off(event: string, listener: (...args: never[]) => void): this
}

export interface AliOnsProducer extends AliOnsEmitter {
  send(msg: AliOnsMessage): Promise<AliOnsSendResult>
  close(): Promise<void>
}

/**
 * What a handler returns: ACTION_RETRY asks for redelivery; anything else (or nothing) acknowledges; a throw
 * also asks for redelivery. (ali-ons' %RETRY% wrapper drops the return value, so on a redelivered message only
 * a throw counts as a failure.)
 */
export type AliOnsHandler = (msg: AliOnsMessage) => Promise<symbol | undefined>

export interface AliOnsConsumer extends AliOnsEmitter {
  subscribe(topic: string, subExpression: string, handler: AliOnsHandler): void
  close(): Promise<void>
  /** The queues this consumer currently pulls, keyed by `MessageQueue.key`. */
  readonly processQueueTable: ReadonlyMap<string, { readonly messageQueue: AliOnsMessageQueue }>
}

export interface AliOnsPullResult {
  readonly pullStatus: 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL'
  readonly nextBeginOffset: number
  readonly msgFoundList: AliOnsMessage[]
}

export interface AliOnsPullRequestHeader {
  readonly consumerGroup: string
  readonly topic: string
  readonly queueId: number
}

/** `lib/mq_client.js`: the pull call the tag-filter test wraps to see what the broker returned. */
export interface AliOnsMQClientClass {
  prototype: {
    pullMessage: (
      this: unknown,
      brokerAddr: string,
      requestHeader: AliOnsPullRequestHeader,
      timeoutMs: number,
    ) => Promise<AliOnsPullResult>
  }
}

export interface AliOnsModule {
  readonly Producer: {
    new (options: AliOnsProducerOptions): AliOnsProducer
    /** The client-internal producer every consumer creates on start (for its send-back fallback). */
    getDefaultProducer(options: AliOnsClientOptions): Promise<AliOnsProducer>
    defaultProducer: AliOnsProducer | null | undefined
  }
  readonly Consumer: {
    new (options: AliOnsConsumerOptions): AliOnsConsumer
    readonly ACTION_RETRY: symbol
  }
  readonly Message: new (topic: string, tags: string | null, body: string | Buffer) => AliOnsMessage
}
