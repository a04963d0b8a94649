// RocketMQ's BrokerHousekeepingService for wire-registered brokers: which connection each broker address
// registered through, so that a broker is unregistered the moment that connection closes.

import type { RouteRegistry } from '../../namesrv/route-registry'
import type { RemotingConnection } from '../remoting-connection'

/**
 * Which connection each wire-registered broker address came through (RocketMQ keeps the channel in
 * BrokerLiveInfo). A broker that re-registers over a new connection moves to it, so the old connection closing
 * later does not drop it.
 */
export class BrokerChannelTable {
  private readonly ownerByAddr = new Map<string, RemotingConnection>()
  private readonly addrsByConnection = new Map<RemotingConnection, Set<string>>()

  constructor(
    private readonly registry: RouteRegistry,
    private readonly log: (message: string) => void,
  ) {}

  get size(): number {
    return this.ownerByAddr.size
  }

  registeredThrough(brokerAddr: string, conn: RemotingConnection): void {
    const previous = this.ownerByAddr.get(brokerAddr)
    if (previous === conn) return
    if (previous) this.addrsByConnection.get(previous)?.delete(brokerAddr)
    this.ownerByAddr.set(brokerAddr, conn)
    let addrs = this.addrsByConnection.get(conn)
    if (!addrs) {
      addrs = new Set()
      this.addrsByConnection.set(conn, addrs)
      conn.onClose(() => this.connectionClosed(conn))
    }
    addrs.add(brokerAddr)
    // Addresses the registry expired stay here until their connection closes; prune them before they pile up.
    if (this.ownerByAddr.size > 2 * this.registry.config.brokersMax) this.pruneExpired()
  }

  forget(brokerAddr: string): void {
    const owner = this.ownerByAddr.get(brokerAddr)
    if (!owner) return
    this.ownerByAddr.delete(brokerAddr)
    this.addrsByConnection.get(owner)?.delete(brokerAddr)
  }

  private connectionClosed(conn: RemotingConnection): void {
    const addrs = this.addrsByConnection.get(conn)
    this.addrsByConnection.delete(conn)
    for (const addr of addrs ?? []) {
      if (this.ownerByAddr.get(addr) !== conn) continue
      this.ownerByAddr.delete(addr)
      try {
        const gone = this.registry.unregisterBrokerByAddr(addr)
        if (gone)
          this.log(
            `connection ${conn.remoteAddress} closed: unregistered broker ${gone.brokerName} at ${addr}`,
          )
      } catch (err) {
        this.log(
          `connection ${conn.remoteAddress} closed: unregistering ${addr} failed: ${errorMessage(err)}`,
        )
      }
    }
  }

  private pruneExpired(): void {
    const live = new Set(this.registry.getBrokerLiveInfo().map((row) => row.brokerAddr))
    for (const addr of [...this.ownerByAddr.keys()]) if (!live.has(addr)) this.forget(addr)
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
