// RemoteGateway: the console's ClusterGateway for any Apache RocketMQ cluster, given its NameServer addresses.
// It speaks RocketMQ's remoting protocol through the engine's client (lib/cluster/remote/*: one file per operation
// family), with optional ACL signing, at most `concurrency` requests in flight, a deadline on every request,
// briefly cached routes, and partial results when a broker does not answer. Every input is parsed with the
// gateway's zod schemas and every failure leaves through toAppError().
import 'server-only'
import { randomInt } from 'node:crypto'
import { z } from 'zod'
import type { RemotingClient } from '@/broker-engine/index'
import { toAppError } from '@/lib/errors'
import type {
  BrokerRef,
  Capability,
  ClusterGateway,
  ClusterInfo,
  ConsumeStats,
  ConsumerConnections,
  ConsumerGroupDetail,
  ConsumerGroupInput,
  ConsumerGroupSummary,
  ConsumerRunningInfo,
  DlqBrowseQuery,
  DlqPage,
  DlqResendRequest,
  DlqResendResult,
  DlqSummary,
  EndTransactionOutcome,
  EndTransactionRequest,
  KeyQuery,
  MessageDetail,
  MessageIdQuery,
  MessagePage,
  MessageView,
  MutationOutcome,
  NameServerStatus,
  OffsetResetOutcome,
  OffsetResetPreview,
  OffsetResetRequest,
  PartialResult,
  PendingTransaction,
  ProducerConnection,
  ProducerGroupInfo,
  SendMessageInput,
  SendOutcome,
  TimeRangeQuery,
  TopicConfigInput,
  TopicConsumer,
  TopicRoute,
  TopicStats,
  TopicSummary,
} from './gateway'
import {
  brokerRefSchema,
  consumerGroupInputSchema,
  dlqBrowseQuerySchema,
  dlqResendRequestSchema,
  endTransactionRequestSchema,
  clientIdSchema,
  groupName,
  keyQuerySchema,
  messageIdQuerySchema,
  offsetResetRequestSchema,
  sendMessageInputSchema,
  timeRangeQuerySchema,
  topicConfigInputSchema,
  topicConsumersOptionsSchema,
  topicName,
} from './gateway-schemas'
import type { AclCredentials } from './remote/acl-signer'
import * as clusterOps from './remote/cluster-info'
import { getConsumerRunningInfo } from './remote/consumer-running-info'
import * as dlqOps from './remote/dlq'
import * as groupOps from './remote/group-admin'
import * as messageOps from './remote/message-query'
import { getMessageDetail } from './remote/message-track'
import * as offsetOps from './remote/offset-reset'
import { ADMIN_PRODUCER_GROUP, type RemoteContext } from './remote/remote-context'
import { newUniqKeyGenerator } from './remote/uniq-key'
import { RemoteClusterError } from './remote/remote-error'
import { RemoteTransport, type RemoteTransportOptions } from './remote/remote-transport'
import { ROUTE_TTL_MS_DEFAULT, RouteCache } from './remote/route-cache'
import { sendTestMessage } from './remote/send-message'
import * as topicOps from './remote/topic-admin'
import * as txOps from './remote/transactions'

export interface RemoteGatewayOptions extends Omit<RemoteTransportOptions, 'namesrvAddrs' | 'client'> {
  /** "host:port" list, or RocketMQ's form: "10.0.0.1:9876;10.0.0.2:9876". */
  readonly namesrvAddrs: string | readonly string[]
  readonly credentials?: AclCredentials
  /** How long NameServer answers (cluster info, routes) are reused (default 10 s). */
  readonly routeTtlMs?: number
  /** Producer group of test messages and DLQ resends (default MQDECK_ADMIN_PRODUCER). */
  readonly producerGroup?: string
  /** Injected for tests. */
  readonly client?: RemotingClient
  readonly nowMs?: () => number
}

const NAMESRV_ADDR_PATTERN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/
export const NAMESRV_ADDRS_MAX = 32

/** Splits RocketMQ's "a:9876;b:9876" (commas and spaces also separate) and checks each host:port. */
export function parseNamesrvAddrs(value: string | readonly string[]): string[] {
  const parts = (typeof value === 'string' ? [value] : value)
    .flatMap((v) => v.split(/[;,\s]+/))
    .map((v) => v.trim())
    .filter((v) => v !== '')
  const schema = z
    .array(
      z.string().refine((addr) => {
        const port = Number(NAMESRV_ADDR_PATTERN.exec(addr)?.[2])
        return port >= 1 && port <= 65535
      }, 'a NameServer address is host:port'),
    )
    .min(1, 'at least one NameServer address is needed')
    .max(NAMESRV_ADDRS_MAX)
  return [...new Set(schema.parse(parts))]
}

export class RemoteGateway implements ClusterGateway {
  private readonly ctx: RemoteContext
  private closed = false

  /** Throws an AppError (VALIDATION_FAILED) for unusable NameServer addresses. */
  constructor(options: RemoteGatewayOptions) {
    let namesrvAddrs: string[]
    try {
      namesrvAddrs = parseNamesrvAddrs(options.namesrvAddrs)
    } catch (err) {
      throw toAppError(err)
    }
    const transport = new RemoteTransport({ ...options, namesrvAddrs })
    const nowMs = options.nowMs ?? Date.now
    this.ctx = {
      transport,
      routes: new RouteCache(transport, options.routeTtlMs ?? ROUTE_TTL_MS_DEFAULT, nowMs),
      producerGroup: options.producerGroup ?? ADMIN_PRODUCER_GROUP,
      nowMs,
      uniqKeys: newUniqKeyGenerator(nowMs),
      // A random first queue, as RocketMQ's producers start (ThreadLocalIndex): one-shot gateways (the CLI, a
      // request handler) would otherwise send every message to the same queue.
      queueCursor: { value: randomInt(1_000_000) },
    }
  }

  /** The NameServers this gateway asks, in order. */
  get namesrvAddrs(): readonly string[] {
    return this.ctx.transport.namesrvAddrs
  }

  /** Most requests that were in flight at once (diagnostics; bounded by the concurrency option). */
  get concurrencyPeak(): number {
    return this.ctx.transport.limiter.peak
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      if (this.closed) throw new RemoteClusterError('UNREACHABLE', 'the remote gateway is closed')
      return await operation()
    } catch (err) {
      throw toAppError(err)
    }
  }

  getClusterInfo(): Promise<PartialResult<ClusterInfo>> {
    return this.run(() => clusterOps.getClusterInfo(this.ctx))
  }

  listNameServers(): Promise<readonly NameServerStatus[]> {
    return this.run(() => clusterOps.listNameServers(this.ctx))
  }

  getBrokerConfig(broker: BrokerRef): Promise<Readonly<Record<string, string>> | undefined> {
    return this.run(() => clusterOps.getBrokerConfigOf(this.ctx, brokerRefSchema.parse(broker)))
  }

  listTopics(): Promise<PartialResult<readonly TopicSummary[]>> {
    return this.run(() => topicOps.listTopics(this.ctx))
  }

  getTopicConfig(topic: string): Promise<PartialResult<TopicSummary | undefined>> {
    return this.run(() => topicOps.getTopicConfig(this.ctx, topicName.parse(topic)))
  }

  getTopicRoute(topic: string): Promise<TopicRoute | undefined> {
    return this.run(() => topicOps.getTopicRoute(this.ctx, topicName.parse(topic)))
  }

  getTopicStats(topic: string): Promise<PartialResult<TopicStats | undefined>> {
    return this.run(() => topicOps.getTopicStats(this.ctx, topicName.parse(topic)))
  }

  getTopicConsumers(
    topic: string,
    options?: { groupsMax?: number },
  ): Promise<PartialResult<readonly TopicConsumer[]>> {
    return this.run(() =>
      topicOps.getTopicConsumers(
        this.ctx,
        topicName.parse(topic),
        topicConsumersOptionsSchema.parse(options ?? {}).groupsMax,
      ),
    )
  }

  createOrUpdateTopic(input: TopicConfigInput): Promise<PartialResult<MutationOutcome>> {
    return this.run(() => topicOps.createOrUpdateTopic(this.ctx, topicConfigInputSchema.parse(input)))
  }

  deleteTopic(topic: string, options?: { clusterName?: string }): Promise<PartialResult<MutationOutcome>> {
    return this.run(() => {
      const clusterName = z.string().trim().min(1).max(255).optional().parse(options?.clusterName)
      return topicOps.deleteTopic(this.ctx, topicName.parse(topic), clusterName)
    })
  }

  listConsumerGroups(): Promise<PartialResult<readonly ConsumerGroupSummary[]>> {
    return this.run(() => groupOps.listConsumerGroups(this.ctx))
  }

  getConsumeStats(group: string, topic?: string): Promise<PartialResult<ConsumeStats>> {
    return this.run(() =>
      groupOps.getConsumeStats(
        this.ctx,
        groupName.parse(group),
        topic === undefined ? undefined : topicName.parse(topic),
      ),
    )
  }

  getConsumerConnections(group: string): Promise<PartialResult<ConsumerConnections>> {
    return this.run(() => groupOps.getConsumerConnections(this.ctx, groupName.parse(group)))
  }

  getConsumerRunningInfo(group: string, clientId: string): Promise<Capability<ConsumerRunningInfo>> {
    return this.run(() =>
      getConsumerRunningInfo(this.ctx, groupName.parse(group), clientIdSchema.parse(clientId)),
    )
  }

  getConsumerGroup(group: string): Promise<PartialResult<ConsumerGroupDetail>> {
    return this.run(() => groupOps.getConsumerGroup(this.ctx, groupName.parse(group)))
  }

  createOrUpdateConsumerGroup(input: ConsumerGroupInput): Promise<PartialResult<MutationOutcome>> {
    return this.run(() =>
      groupOps.createOrUpdateConsumerGroup(this.ctx, consumerGroupInputSchema.parse(input)),
    )
  }

  deleteConsumerGroup(
    group: string,
    options?: { removeOffsets?: boolean; deleteRetryAndDlqTopics?: boolean },
  ): Promise<PartialResult<MutationOutcome>> {
    return this.run(() => groupOps.deleteConsumerGroup(this.ctx, groupName.parse(group), options ?? {}))
  }

  listProducers(): Promise<Capability<PartialResult<readonly ProducerGroupInfo[]>>> {
    return this.run(() => groupOps.listProducers(this.ctx))
  }

  getProducerConnections(producerGroup: string): Promise<PartialResult<readonly ProducerConnection[]>> {
    return this.run(() => groupOps.getProducerConnections(this.ctx, groupName.parse(producerGroup)))
  }

  viewMessage(query: MessageIdQuery): Promise<PartialResult<readonly MessageView[]>> {
    return this.run(() => messageOps.viewMessage(this.ctx, messageIdQuerySchema.parse(query)))
  }

  queryMessagesByKey(query: KeyQuery): Promise<PartialResult<readonly MessageView[]>> {
    return this.run(() => messageOps.queryMessagesByKey(this.ctx, keyQuerySchema.parse(query)))
  }

  queryMessagesByTime(query: TimeRangeQuery): Promise<PartialResult<MessagePage>> {
    return this.run(() => messageOps.queryMessagesByTime(this.ctx, timeRangeQuerySchema.parse(query)))
  }

  getMessageDetail(query: MessageIdQuery): Promise<PartialResult<MessageDetail | undefined>> {
    return this.run(() => getMessageDetail(this.ctx, messageIdQuerySchema.parse(query)))
  }

  sendMessage(input: SendMessageInput): Promise<SendOutcome> {
    return this.run(() => sendTestMessage(this.ctx, sendMessageInputSchema.parse(input)))
  }

  listDlqs(): Promise<PartialResult<readonly DlqSummary[]>> {
    return this.run(() => dlqOps.listDlqs(this.ctx))
  }

  browseDlq(query: DlqBrowseQuery): Promise<PartialResult<DlqPage>> {
    return this.run(() => dlqOps.browseDlq(this.ctx, dlqBrowseQuerySchema.parse(query)))
  }

  resendDlqMessages(request: DlqResendRequest): Promise<readonly DlqResendResult[]> {
    return this.run(() => dlqOps.resendDlqMessages(this.ctx, dlqResendRequestSchema.parse(request)))
  }

  previewOffsetReset(request: OffsetResetRequest): Promise<PartialResult<OffsetResetPreview>> {
    return this.run(() => offsetOps.previewOffsetReset(this.ctx, offsetResetRequestSchema.parse(request)))
  }

  resetOffset(request: OffsetResetRequest): Promise<PartialResult<OffsetResetOutcome>> {
    return this.run(() => offsetOps.resetOffset(this.ctx, offsetResetRequestSchema.parse(request)))
  }

  listPendingTransactions(): Promise<Capability<PartialResult<readonly PendingTransaction[]>>> {
    return this.run(() => Promise.resolve(txOps.listPendingTransactions()))
  }

  endTransaction(request: EndTransactionRequest): Promise<Capability<EndTransactionOutcome>> {
    return this.run(() => txOps.endTransaction(this.ctx, endTransactionRequestSchema.parse(request)))
  }

  close(): Promise<void> {
    this.closed = true
    this.ctx.transport.close()
    return Promise.resolve()
  }
}
