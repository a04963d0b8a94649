// The broker's admin remoting processors (RocketMQ's AdminBrokerProcessor): what mqadmin, the dashboard's
// DefaultMQAdminExt and the console's remote gateway send to a broker, served by one BrokerController.

import { systemClock, type Clock } from '../../../common/clock'
import { EngineError } from '../../../common/engine-error'
import type { BrokerController } from '../../../broker/broker-controller'
import { RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import type { RequestHandler } from '../../remoting-connection'
import type { RemotingServer } from '../../remoting-server'
import {
  failure,
  type AdminContext,
  type AdminHandler,
  type BrokerConfigUpdater,
  type ClientChannelLookup,
} from './admin-context'
import { AdminRequestError } from './admin-request'
import { clientAdminHandlers } from './client-admin'
import { clientRelayHandlers } from './client-relay'
import { configAdminHandlers } from './config-admin'
import { consumeAdminHandlers } from './consume-admin'
import { groupAdminHandlers } from './group-admin'
import { offsetAdminHandlers } from './offset-admin'
import { statsAdminHandlers } from './stats-admin'
import { topicAdminHandlers } from './topic-admin'
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
   * Applies the keys UPDATE_BROKER_CONFIG accepts (config-admin.ts RUNTIME_CONFIG_KEYS). The BrokerController
   * has no runtime config update yet; without this every update is refused with NO_PERMISSION.
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
  const handlers = [
    ...topicAdminHandlers(ctx),
    ...groupAdminHandlers(ctx),
    ...clientAdminHandlers(ctx),
    ...clientRelayHandlers(ctx),
    ...consumeAdminHandlers(ctx),
    ...offsetAdminHandlers(ctx),
    ...statsAdminHandlers(ctx),
    ...configAdminHandlers(ctx),
  ]
  for (const [code, handler] of handlers) server.register(code, guarded(ctx, handler))
  sampler.start()
  return { codes: handlers.map(([code]) => code), sampler, stop: () => sampler.stop() }
}

/** Turns whatever a handler throws into a response, so a bad request never reaches the connection as an error. */
function guarded(ctx: AdminContext, handler: AdminHandler): RequestHandler {
  return (request, connection) => {
    try {
      const answer = handler(request, connection)
      return answer instanceof Promise
        ? answer.catch((err: unknown) => errorResponse(ctx, request, err))
        : answer
    } catch (err) {
      return errorResponse(ctx, request, err)
    }
  }
}

function errorResponse(ctx: AdminContext, request: RemotingCommand, err: unknown): RemotingCommand {
  if (err instanceof AdminRequestError) return failure(request, err.code, err.message)
  if (err instanceof EngineError) {
    switch (err.code) {
      case 'ARGUMENT_INVALID':
      case 'TOPIC_INVALID':
      case 'QUEUE_ID_INVALID':
      case 'OFFSET_OUT_OF_RANGE':
      case 'CONFIG_INVALID':
        return failure(request, RESPONSE_CODE.INVALID_PARAMETER, err.message)
      case 'STORE_CLOSED':
        return failure(request, RESPONSE_CODE.SERVICE_NOT_AVAILABLE, err.message)
      case 'STORE_LOCKED':
      case 'STORE_CORRUPT':
        break
    }
  }
  const message = err instanceof Error ? err.message : String(err)
  ctx.log(`admin request ${request.code} failed: ${err instanceof Error ? (err.stack ?? message) : message}`)
  return failure(request, RESPONSE_CODE.SYSTEM_ERROR, message)
}
