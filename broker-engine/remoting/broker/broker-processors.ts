// The broker's client-facing remoting surface (PROTOCOL.md 2.2, "broker minimum"): every request a RocketMQ
// producer or consumer (Java 4.9.4/5.x, ali-ons 3.12.0) sends a broker, served by an existing BrokerController.

import type { BrokerController } from '../../broker/broker-controller'
import type { Clock } from '../../common/clock'
import { REQUEST_CODE } from '../remoting-codes'
import type { RemotingConnection } from '../remoting-connection'
import type { RemotingServer } from '../remoting-server'
import { ClientChannels } from './client-channels'
import { createHeartbeatProcessor, createUnregisterClientProcessor } from './client-manage-processor'
import { consumerManageProcessors } from './consumer-manage-processor'
import { createEndTransactionProcessor } from './end-transaction-processor'
import { createPullProcessor } from './pull-processor'
import { queryMessageProcessors } from './query-message-processor'
import { createSendProcessor } from './send-processor'

export interface BrokerProcessorsOptions {
  readonly log?: (message: string) => void
  /** Accepted for symmetry with the other processor sets; all timing runs on the BrokerController's clock. */
  readonly clock?: Clock
}

export interface BrokerProcessors {
  /**
   * The live connection a client of `group` heartbeats on, for broker → client relays (307, 309); shaped like
   * the admin processors' ClientChannelLookup.
   */
  connectionOf(group: string, clientId: string): RemotingConnection | undefined
  /** Forgets every remote client and stops watching groups; the server's registrations stay (it is closing). */
  close(): void
}

export function registerBrokerProcessors(
  server: RemotingServer,
  broker: BrokerController,
  options: BrokerProcessorsOptions = {},
): BrokerProcessors {
  const log = options.log ?? (() => undefined)
  const channels = new ClientChannels(broker, log)

  const send = createSendProcessor(broker)
  server.register(REQUEST_CODE.SEND_MESSAGE, send)
  server.register(REQUEST_CODE.SEND_MESSAGE_V2, send)
  server.register(REQUEST_CODE.SEND_BATCH_MESSAGE, send)
  server.register(
    REQUEST_CODE.PULL_MESSAGE,
    createPullProcessor(broker, (g, t) => channels.subscriptionOf(g, t)),
  )
  for (const [code, handler] of consumerManageProcessors(broker)) server.register(code, handler)
  for (const [code, handler] of queryMessageProcessors(broker)) server.register(code, handler)
  server.register(REQUEST_CODE.END_TRANSACTION, createEndTransactionProcessor(broker))
  server.register(REQUEST_CODE.HEART_BEAT, createHeartbeatProcessor(broker, channels, log))
  server.register(REQUEST_CODE.UNREGISTER_CLIENT, createUnregisterClientProcessor(channels))

  return {
    connectionOf: (group, clientId) => channels.connectionOf(group, clientId),
    close: () => channels.close(),
  }
}
