// The engine alone, headless: a NameServer and one broker served over RocketMQ's remoting protocol, as
// `mqnamesrv` + `mqbroker` would run them, so real clients, mqadmin-style tools and the remote gateway can use it.

import type { BrokerController } from '../broker/broker-controller'
import type { BrokerConfig } from '../broker/broker-config'
import type { Clock } from '../common/clock'
import { EmbeddedCluster } from '../cluster/embedded-cluster'
import { registerBrokerAdminProcessors } from '../remoting/broker/admin/admin-processors'
import { registerBrokerProcessors } from '../remoting/broker/broker-processors'
import { registerNameServerProcessors } from '../remoting/namesrv/namesrv-processor'
import { NameServerRemoteLink } from '../remoting/namesrv/namesrv-remote-link'
import { RemotingServer } from '../remoting/remoting-server'

export interface StandaloneBrokerOptions {
  readonly config: Partial<BrokerConfig> & { readonly storePathRootDir: string }
  /**
   * Port of the NameServer this process hosts (0 = any free port). `false` hosts none: the broker registers
   * with the NameServers in `config.namesrvAddr` instead.
   */
  readonly namesrvPort: number | false
  readonly clock?: Clock
  readonly log?: (message: string) => void
}

export interface StandaloneBroker {
  readonly cluster: EmbeddedCluster
  readonly broker: BrokerController
  /** host:port of the NameServer this process hosts, when it hosts one. */
  readonly namesrvAddr: string | undefined
  readonly brokerAddr: string
  /** Stops accepting, answers held pulls, persists tables, flushes and checkpoints. */
  close(): Promise<void>
}

export async function startStandaloneBroker(opts: StandaloneBrokerOptions): Promise<StandaloneBroker> {
  const log = opts.log ?? ((m: string) => console.warn(`[mqdeck broker] ${m}`))
  const host = opts.config.brokerIP1 ?? '127.0.0.1'
  const remoteNameServers = (opts.config.namesrvAddr ?? '').split(';').filter((a) => a.trim() !== '')
  if (opts.namesrvPort === false && remoteNameServers.length === 0)
    throw new Error('no NameServer: host one (namesrvListenPort) or give namesrvAddr')

  // The broker's address goes into every record and message id, so its port is bound before the broker starts.
  const brokerServer = new RemotingServer({ host, port: opts.config.listenPort ?? 10911, log })
  const brokerPort = await brokerServer.listen()
  let namesrvServer: RemotingServer | undefined
  let cluster: EmbeddedCluster | undefined
  const links: NameServerRemoteLink[] = []
  try {
    if (remoteNameServers.length > 0) links.push(new NameServerRemoteLink(remoteNameServers, { log }))
    cluster = await EmbeddedCluster.start({
      brokers: [{ ...opts.config, brokerName: opts.config.brokerName ?? 'broker-a', listenPort: brokerPort }],
      clock: opts.clock,
      log,
      nameServers: links,
    })
    const broker = cluster.brokers[0]!
    const clientSide = registerBrokerProcessors(brokerServer, broker, { log, clock: opts.clock })
    const adminSide = registerBrokerAdminProcessors(brokerServer, broker, {
      log,
      clock: opts.clock,
      clientChannels: clientSide,
      updateBrokerConfig: (changes) => broker.updateRuntimeConfig(changes),
    })
    if (opts.namesrvPort !== false) {
      namesrvServer = new RemotingServer({ host, port: opts.namesrvPort, log })
      registerNameServerProcessors(namesrvServer, cluster.namesrv, { log })
      await namesrvServer.listen()
    }
    const started = cluster
    const namesrv = namesrvServer
    let closing: Promise<void> | undefined
    return {
      cluster: started,
      broker,
      namesrvAddr: namesrv ? `${host}:${namesrv.port}` : undefined,
      brokerAddr: broker.addr,
      close: () =>
        (closing ??= (async () => {
          // The broker answers held pulls and says goodbye to the NameServers while connections are still open.
          await started.shutdown()
          adminSide.stop()
          clientSide.close()
          await brokerServer.close()
          await namesrv?.close()
          for (const link of links) await link.close()
        })()),
    }
  } catch (err) {
    await cluster?.shutdown()
    await brokerServer.close()
    await namesrvServer?.close()
    throw err
  }
}
