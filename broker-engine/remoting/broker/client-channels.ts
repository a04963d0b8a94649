// The broker's view of remote clients (RocketMQ's ClientChannelInfo tables and ClientHousekeepingService): which
// connection each client id speaks on, the subscriptions its heartbeats registered, and what happens when that
// connection closes (its producers and consumers are unregistered at once). It also carries the broker → client
// requests: NOTIFY_CONSUMER_IDS_CHANGED to a group's connections when its membership changes, and
// CHECK_TRANSACTION_STATE to one connection of a producer group.

import type { BrokerController } from '../../broker/broker-controller'
import type { TransactionCheck } from '../../broker/transaction-service'
import { REQUEST_CODE } from '../remoting-codes'
import { createRequest } from '../remoting-command'
import type { RemotingConnection } from '../remoting-connection'
import type { RegisteredSubscription } from './pull-processor'
import type { HeartbeatConsumerData } from './request-bodies'
import { checkTransactionStateRequest } from './transaction-check'

/**
 * The key remote consumers' membership watch has among BrokerController's in-process watchers; the NUL keeps it
 * apart from every real client id.
 */
const REMOTING_WATCHER_ID = '\u0000remoting'

type Kind = 'producer' | 'consumer'

interface Registration {
  readonly kind: Kind
  readonly group: string
  readonly clientId: string
}

/** What a client told about itself in its request header. */
export interface ClientIdentity {
  readonly clientId: string
  readonly language: string
  readonly version: number
}

export class ClientChannels {
  /** group → clientId → the connection it registered on. */
  private readonly producers = new Map<string, Map<string, RemotingConnection>>()
  private readonly consumers = new Map<string, Map<string, RemotingConnection>>()
  /** What each connection registered, keyed `kind group clientId`, to undo when it closes. */
  private readonly registrations = new Map<RemotingConnection, Map<string, Registration>>()
  /** consumer group → topic → subscription, from the latest full heartbeat (RocketMQ's subscriptionTable). */
  private readonly subscriptions = new Map<string, Map<string, RegisteredSubscription>>()
  /** consumer group → the heartbeat v2 fingerprint of its latest full heartbeat. */
  private readonly fingerprints = new Map<string, number>()
  private readonly watchedGroups = new Set<string>()
  private closed = false

  constructor(
    private readonly broker: BrokerController,
    private readonly log: (message: string) => void,
  ) {}

  /** The live connection a client of `group` (consumer or producer) registered on, for broker → client relays. */
  connectionOf(group: string, clientId: string): RemotingConnection | undefined {
    const connection = this.consumers.get(group)?.get(clientId) ?? this.producers.get(group)?.get(clientId)
    return connection && !connection.isClosed ? connection : undefined
  }

  /** The subscription heartbeats registered for a group's topic (remote ones, else in-process consumers'). */
  subscriptionOf(group: string, topic: string): RegisteredSubscription | undefined {
    const remote = this.subscriptions.get(group)?.get(topic)
    if (remote) return remote
    for (const consumer of this.broker.clients.consumerConnections(group)) {
      const sub = consumer.subscriptions.find((s) => s.topic === topic)
      if (sub) return { subString: sub.subString, expressionType: 'TAG' }
    }
    return undefined
  }

  /** The fingerprint last seen for a consumer group, then `fingerprint` remembered in its place. */
  swapFingerprint(group: string, fingerprint: number): number | undefined {
    const previous = this.fingerprints.get(group)
    this.fingerprints.set(group, fingerprint)
    return previous
  }

  registerProducer(connection: RemotingConnection, who: ClientIdentity, group: string): void {
    if (this.closed || connection.isClosed) return
    this.broker.clients.registerProducer({
      clientId: who.clientId,
      group,
      language: who.language,
      version: who.version,
      clientAddr: connection.remoteAddress,
    })
    const members = memberMap(this.producers, group)
    if (members.get(who.clientId) !== connection) {
      members.set(who.clientId, connection)
      this.broker.registerTransactionChecker(group, who.clientId, (check) =>
        this.sendCheck(connection, check),
      )
    }
    this.track(connection, 'producer', group, who.clientId)
  }

  /**
   * Registers a consumer from a heartbeat; `withoutSub` (heartbeat v2) keeps the subscriptions the client
   * registered before.
   */
  registerConsumer(
    connection: RemotingConnection,
    who: ClientIdentity,
    data: HeartbeatConsumerData,
    withoutSub: boolean,
  ): void {
    if (this.closed || connection.isClosed) return
    const group = data.groupName
    // Watch before registering: the membership change this heartbeat may cause is reported to the watchers
    // present at that moment.
    if (!this.watchedGroups.has(group)) {
      this.watchedGroups.add(group)
      this.broker.watchConsumerIds(group, REMOTING_WATCHER_ID, () => this.notifyConsumerIdsChanged(group))
    }
    const previous = this.broker.clients.consumerConnections(group).find((c) => c.clientId === who.clientId)
    const subscriptions =
      withoutSub && previous
        ? previous.subscriptions
        : data.subscriptions.map((s) => ({ topic: s.topic, subString: s.subString }))
    this.broker.consumerHeartbeat({
      clientId: who.clientId,
      group,
      language: who.language,
      version: who.version,
      clientAddr: connection.remoteAddress,
      messageModel: data.messageModel,
      consumeType: data.consumeType,
      consumeFromWhere: data.consumeFromWhere,
      subscriptions,
    })
    if (!withoutSub) {
      let table = this.subscriptions.get(group)
      if (!table) {
        table = new Map()
        this.subscriptions.set(group, table)
      }
      for (const s of data.subscriptions)
        table.set(s.topic, { subString: s.subString, expressionType: s.expressionType })
    }
    memberMap(this.consumers, group).set(who.clientId, connection)
    this.track(connection, 'consumer', group, who.clientId)
  }

  /** UNREGISTER_CLIENT: the client leaves the named groups. */
  unregister(
    connection: RemotingConnection,
    clientId: string,
    producerGroup?: string,
    consumerGroup?: string,
  ): void {
    const regs = this.registrations.get(connection)
    if (producerGroup !== undefined) {
      regs?.delete(keyOf('producer', producerGroup, clientId))
      this.dropProducer(producerGroup, clientId, undefined)
    }
    if (consumerGroup !== undefined) {
      regs?.delete(keyOf('consumer', consumerGroup, clientId))
      this.dropConsumer(consumerGroup, clientId, undefined)
    }
  }

  /** Forgets every remote client (the processors are being removed). */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const connection of [...this.registrations.keys()]) this.onConnectionClosed(connection)
    for (const group of this.watchedGroups) this.broker.unwatchConsumerIds(group, REMOTING_WATCHER_ID)
    this.watchedGroups.clear()
  }

  private track(connection: RemotingConnection, kind: Kind, group: string, clientId: string): void {
    let regs = this.registrations.get(connection)
    if (!regs) {
      regs = new Map()
      this.registrations.set(connection, regs)
      connection.onClose(() => this.onConnectionClosed(connection))
    }
    regs.set(keyOf(kind, group, clientId), { kind, group, clientId })
  }

  /** The connection is gone: its clients leave their groups now, not at channel expiry. */
  private onConnectionClosed(connection: RemotingConnection): void {
    const regs = this.registrations.get(connection)
    if (!regs) return
    this.registrations.delete(connection)
    for (const reg of regs.values()) {
      if (reg.kind === 'producer') this.dropProducer(reg.group, reg.clientId, connection)
      else this.dropConsumer(reg.group, reg.clientId, connection)
    }
  }

  /** Drops a producer registration; with `onlyOn`, only if the client is still on that connection. */
  private dropProducer(group: string, clientId: string, onlyOn: RemotingConnection | undefined): void {
    const members = this.producers.get(group)
    const connection = members?.get(clientId)
    if (onlyOn && connection !== onlyOn) return
    if (connection) {
      members!.delete(clientId)
      if (members!.size === 0) this.producers.delete(group)
      this.broker.unregisterTransactionChecker(group, clientId)
    }
    this.broker.clients.unregisterProducer(group, clientId)
  }

  private dropConsumer(group: string, clientId: string, onlyOn: RemotingConnection | undefined): void {
    const members = this.consumers.get(group)
    const connection = members?.get(clientId)
    if (onlyOn && connection !== onlyOn) return
    if (connection) {
      members!.delete(clientId)
      // RocketMQ drops a group's subscription table with its last consumer.
      if (members!.size === 0) {
        this.consumers.delete(group)
        this.subscriptions.delete(group)
        this.fingerprints.delete(group)
      }
    }
    this.broker.clients.unregisterConsumer(group, clientId)
  }

  /** NOTIFY_CONSUMER_IDS_CHANGED (oneway) to every live connection of the group, once per connection. */
  private notifyConsumerIdsChanged(group: string): void {
    const members = this.consumers.get(group)
    if (!members || this.closed) return
    const live = new Set(this.broker.clients.consumerIds(group))
    const notified = new Set<RemotingConnection>()
    for (const [clientId, connection] of members) {
      if (connection.isClosed || !live.has(clientId) || notified.has(connection)) continue
      notified.add(connection)
      connection.invokeOneway(
        createRequest(REQUEST_CODE.NOTIFY_CONSUMER_IDS_CHANGED, { extFields: { consumerGroup: group } }),
      )
    }
  }

  private sendCheck(connection: RemotingConnection, check: TransactionCheck): void {
    if (connection.isClosed) {
      this.log(`transaction check for ${check.transactionId}: the producer's connection is closed`)
      return
    }
    connection.invokeOneway(
      checkTransactionStateRequest(
        check,
        this.broker.store.offsetMsgIdOf(check.commitLogOffset),
        this.broker.config.brokerName,
      ),
    )
  }
}

function keyOf(kind: Kind, group: string, clientId: string): string {
  return `${kind}\u0000${group}\u0000${clientId}`
}

function memberMap(
  table: Map<string, Map<string, RemotingConnection>>,
  group: string,
): Map<string, RemotingConnection> {
  let members = table.get(group)
  if (!members) {
    members = new Map()
    table.set(group, members)
  }
  return members
}
