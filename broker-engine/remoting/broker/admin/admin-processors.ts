// The broker's admin remoting processors (RocketMQ's AdminBrokerProcessor): what mqadmin, the dashboard's
// DefaultMQAdminExt and the console's remote gateway send to a broker, served by one BrokerController.

import { systemClock, type Clock } from '../../../common/clock'
import type { BrokerController } from '../../../broker/broker-controller'
import type { RemotingServer } from '../../remoting-server'
import { answerAdminError, guarded } from '../../request-guard'
import type { AdminContext, AdminRoute, BrokerConfigUpdater, ClientChannelLookup } from './admin-context'
import { CLIENT_ADMIN_ROUTES } from './client-admin'
import { CLIENT_RELAY_ROUTES } from './client-relay'
import { CONFIG_ADMIN_ROUTES } from './config-admin'
import { CONSUME_ADMIN_ROUTES } from './consume-admin'
import { GROUP_ADMIN_ROUTES } from './group-admin'
import { OFFSET_ADMIN_ROUTES } from './offset-admin'
import { STATS_ADMIN_ROUTES } from './stats-admin'
import { TOPIC_ADMIN_ROUTES } from './topic-admin'
import { TrafficSampler } from './traffic-sampler'

export type { BrokerConfigUpdater, ClientChannelLookup } from './admin-context'

/** RocketMQ waits this long for a client to answer a relayed GET_CONSUMER_RUNNING_INFO or CONSUME_MESSAGE_DIRECTLY. */
export const RELAY_TIMEOUT_MS = 10_000

/** The version name GET_BROKER_RUNTIME_INFO reports: the V4_9_4 of ENGINE_REMOTING_VERSION (401). */
export const DEFAULT_BROKER_VERSION_DESC = 'V4_9_4'

export interface BrokerAdminOptions {
  readonly log?: (message: string) => void
  /** The broker's clock (runtime, delays, stats sampling); defaults to the system clock. */
  readonly clock?: Clock
  readonly brokerVersionDesc?: string
  /** Where relayed requests find a client's connection; without it they answer "not online". */
  readonly clientChannels?: ClientChannelLookup
  readonly relayTimeoutMs?: number
  /**
   * Applies the keys UPDATE_BROKER_CONFIG accepts (RUNTIME_CONFIG_KEYS); the standalone broker passes
   * BrokerController.updateRuntimeConfig. Without it every update is refused with NO_PERMISSION.
   */
  readonly updateBrokerConfig?: BrokerConfigUpdater
}

export interface BrokerAdminProcessors {
  /** The request codes registered. */
  readonly codes: readonly number[]
  readonly sampler: TrafficSampler
  /** Stops the stats sampling timer (the processors stay registered with the server). */
  stop(): void
}

/** Registers every admin processor for `broker` with `server` and starts the stats sampler. */
export function registerBrokerAdminProcessors(
  server: RemotingServer,
  broker: BrokerController,
  options: BrokerAdminOptions = {},
): BrokerAdminProcessors {
  const clock = options.clock ?? systemClock
  const log =
    options.log ?? ((m: string) => console.warn(`[mqdeck broker ${broker.config.brokerName} admin] ${m}`))
  const sampler = new TrafficSampler(broker, clock, log)
  const ctx: AdminContext = {
    broker,
    clock,
    log,
    brokerVersionDesc: options.brokerVersionDesc ?? DEFAULT_BROKER_VERSION_DESC,
    sampler,
    clientChannels: options.clientChannels,
    relayTimeoutMs: options.relayTimeoutMs ?? RELAY_TIMEOUT_MS,
    updateBrokerConfig: options.updateBrokerConfig,
    configVersion: { counter: 0, timestamp: clock.nowMs() },
  }
  const routes: readonly AdminRoute[] = [
    ...TOPIC_ADMIN_ROUTES,
    ...GROUP_ADMIN_ROUTES,
    ...CLIENT_ADMIN_ROUTES,
    ...CLIENT_RELAY_ROUTES,
    ...CONSUME_ADMIN_ROUTES,
    ...OFFSET_ADMIN_ROUTES,
    ...STATS_ADMIN_ROUTES,
    ...CONFIG_ADMIN_ROUTES,
  ]
  // Whatever a handler throws or rejects with becomes a response: a bad request never reaches the connection.
  const answerError = answerAdminError(log)
  for (const [code, handler] of routes)
    server.register(
      code,
      guarded((request, connection) => handler(ctx, request, connection), answerError),
    )
  sampler.start()
  return { codes: routes.map(([code]) => code), sampler, stop: () => sampler.stop() }
}
