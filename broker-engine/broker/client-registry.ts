// Producer and consumer connections a broker knows from heartbeats (RocketMQ's ProducerManager and
// ConsumerManager): who is in which group, with what subscriptions, since when; silent clients expire.

import { setRepeatingTimer, type Clock, type TimerHandle } from '../common/clock'
import { EngineError } from '../common/engine-error'

export type MessageModel = 'CLUSTERING' | 'BROADCASTING'
export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY'

export interface SubscriptionData {
  readonly topic: string
  readonly subString: string
}

export interface ClientConnection {
  readonly clientId: string
  readonly group: string
  readonly language: string
  readonly version: number
  readonly clientAddr: string
  readonly lastHeartbeatMs: number
}

export interface ConsumerConnection extends ClientConnection {
  readonly messageModel: MessageModel
  readonly consumeType: ConsumeType
  readonly consumeFromWhere: string
  readonly subscriptions: readonly SubscriptionData[]
}

export const CLIENT_ID_LENGTH_MAX = 255
const CLIENTS_PER_GROUP_MAX = 10_000
const SCAN_INTERVAL_MS = 10_000

export interface ClientRegistryEvents {
  /** A consumer group's membership changed (join, leave, expiry): rebalance triggers. */
  onConsumerIdsChanged?(group: string, clientIds: readonly string[]): void
  onProducerGone?(group: string, clientId: string): void
}

export class ClientRegistry {
  private readonly producers = new Map<string, Map<string, ClientConnection>>()
  private readonly consumers = new Map<string, Map<string, ConsumerConnection>>()
  private timer: TimerHandle | undefined

  constructor(
    private readonly clock: Clock,
    private readonly channelExpiredTimeoutMs: number,
    private readonly events: ClientRegistryEvents = {},
  ) {}

  start(): void {
    this.timer ??= setRepeatingTimer(this.clock, SCAN_INTERVAL_MS, () => this.scanExpired())
  }

  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  registerProducer(conn: Omit<ClientConnection, 'lastHeartbeatMs'>): void {
    validate(conn.group, conn.clientId)
    const group = this.groupMap(this.producers, conn.group)
    group.set(conn.clientId, { ...conn, lastHeartbeatMs: this.clock.nowMs() })
  }

  /** Registers or refreshes a consumer; reports a membership change when it is new. */
  registerConsumer(conn: Omit<ConsumerConnection, 'lastHeartbeatMs'>): void {
    validate(conn.group, conn.clientId)
    const group = this.groupMap(this.consumers, conn.group)
    const isNew = !group.has(conn.clientId)
    group.set(conn.clientId, { ...conn, lastHeartbeatMs: this.clock.nowMs() })
    if (isNew) this.events.onConsumerIdsChanged?.(conn.group, this.consumerIds(conn.group))
  }

  unregisterProducer(group: string, clientId: string): void {
    if (this.producers.get(group)?.delete(clientId)) this.events.onProducerGone?.(group, clientId)
  }

  unregisterConsumer(group: string, clientId: string): void {
    if (this.consumers.get(group)?.delete(clientId))
      this.events.onConsumerIdsChanged?.(group, this.consumerIds(group))
  }

  /** Live consumer client ids of a group, sorted (clients allocate queues in this order). */
  consumerIds(group: string): string[] {
    return [...(this.consumers.get(group)?.keys() ?? [])].sort()
  }

  consumerConnections(group: string): ConsumerConnection[] {
    return [...(this.consumers.get(group)?.values() ?? [])]
  }

  producerConnections(group: string): ClientConnection[] {
    return [...(this.producers.get(group)?.values() ?? [])]
  }

  producerGroups(): string[] {
    return [...this.producers.keys()].filter((g) => (this.producers.get(g)?.size ?? 0) > 0)
  }

  consumerGroups(): string[] {
    return [...this.consumers.keys()].filter((g) => (this.consumers.get(g)?.size ?? 0) > 0)
  }

  /** Drops clients silent for longer than channelExpiredTimeout (RocketMQ: 120 s, scanned every 10 s). */
  scanExpired(): void {
    const deadline = this.clock.nowMs() - this.channelExpiredTimeoutMs
    for (const [group, members] of this.producers) {
      for (const [id, c] of members) if (c.lastHeartbeatMs < deadline) this.unregisterProducer(group, id)
    }
    for (const [group, members] of this.consumers) {
      for (const [id, c] of members) if (c.lastHeartbeatMs < deadline) this.unregisterConsumer(group, id)
    }
  }

  private groupMap<T>(table: Map<string, Map<string, T>>, group: string): Map<string, T> {
    let members = table.get(group)
    if (!members) {
      members = new Map()
      table.set(group, members)
    }
    if (members.size >= CLIENTS_PER_GROUP_MAX) {
      throw new EngineError('ARGUMENT_INVALID', `group ${group} already has ${CLIENTS_PER_GROUP_MAX} clients`)
    }
    return members
  }
}

function validate(group: string, clientId: string): void {
  if (!group || group.length > 255)
    throw new EngineError('ARGUMENT_INVALID', 'group must be 1-255 characters')
  if (!clientId || clientId.length > CLIENT_ID_LENGTH_MAX) {
    throw new EngineError('ARGUMENT_INVALID', `clientId must be 1-${CLIENT_ID_LENGTH_MAX} characters`)
  }
}
