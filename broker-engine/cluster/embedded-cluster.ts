// Several brokers and a NameServer in one process: what the console embeds and what tests drive. Clients
// reach brokers by address through it, the way they would over the network.

import type { Clock } from '../common/clock'
import { EngineError } from '../common/engine-error'
import { BrokerController, type NameServerLink } from '../broker/broker-controller'
import type { BrokerConfig } from '../broker/broker-config'
import { RouteRegistry } from '../namesrv/route-registry'
import type { TopicRouteData } from '../namesrv/route-types'
import type { StoreIo } from '../store/store-io'

/** How clients find routes and brokers (in process here; over remoting later). */
export interface ClientTransport {
  routeOf(topic: string): TopicRouteData | undefined
  broker(addr: string): BrokerController | undefined
}

export interface EmbeddedClusterOptions {
  readonly brokers: readonly (Partial<BrokerConfig> & {
    readonly storePathRootDir: string
    readonly brokerName: string
  })[]
  readonly clock?: Clock
  readonly io?: StoreIo
  readonly log?: (message: string) => void
  readonly random?: () => number
  /** NameServers outside this process the brokers also register with (over remoting). */
  readonly nameServers?: readonly NameServerLink[]
}

export class EmbeddedCluster implements ClientTransport {
  private readonly byAddr = new Map<string, BrokerController>()

  private constructor(readonly namesrv: RouteRegistry) {}

  static async start(opts: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
    if (opts.brokers.length === 0)
      throw new EngineError('CONFIG_INVALID', 'an embedded cluster needs at least one broker')
    const namesrv = new RouteRegistry({}, { clock: opts.clock, log: opts.log })
    namesrv.start()
    const cluster = new EmbeddedCluster(namesrv)
    try {
      for (const config of opts.brokers) {
        const broker = await BrokerController.start({
          config,
          clock: opts.clock,
          io: opts.io,
          log: opts.log,
          random: opts.random,
          nameServers: [namesrv, ...(opts.nameServers ?? [])],
        })
        if (cluster.byAddr.has(broker.addr)) {
          await broker.shutdown()
          throw new EngineError(
            'CONFIG_INVALID',
            `two brokers share the address ${broker.addr}: give each its own listenPort`,
          )
        }
        cluster.byAddr.set(broker.addr, broker)
      }
    } catch (err) {
      await cluster.shutdown()
      throw err
    }
    return cluster
  }

  get brokers(): BrokerController[] {
    return [...this.byAddr.values()]
  }

  routeOf(topic: string): TopicRouteData | undefined {
    return this.namesrv.getRouteInfoByTopic(topic)
  }

  broker(addr: string): BrokerController | undefined {
    return this.byAddr.get(addr)
  }

  /** The master of a broker name. */
  masterOf(brokerName: string): BrokerController | undefined {
    return this.brokers.find((b) => b.config.brokerName === brokerName && b.config.brokerId === 0)
  }

  /** Shuts every broker down. The brokers stay reachable: late callers get SERVICE_NOT_AVAILABLE from them. */
  async shutdown(): Promise<void> {
    for (const broker of this.byAddr.values()) await broker.shutdown()
    this.namesrv.stop()
  }
}
