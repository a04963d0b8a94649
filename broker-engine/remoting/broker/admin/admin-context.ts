// What every admin handler shares: the broker, time, the traffic sampler, the client channels, and the
// response builders (a SUCCESS with a fastjson body, an error with RocketMQ's remark).

import type { Clock } from '../../../common/clock'
import type { BrokerConfig } from '../../../broker/broker-config'
import type { BrokerController } from '../../../broker/broker-controller'
import { RESPONSE_CODE } from '../../remoting-codes'
import { createResponse, type ExtFields, type RemotingCommand } from '../../remoting-command'
import type { RemotingConnection } from '../../remoting-connection'
import { fastjsonBody } from '../../fastjson-writer'
import { RequestError } from '../../request-fields'
import type { TrafficSampler } from './traffic-sampler'

/**
 * Finds the connection of a live client by its group and clientId, for the requests the broker relays to a
 * consumer (GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY). The HEART_BEAT processor keeps this table.
 */
export interface ClientChannelLookup {
  connectionOf(group: string, clientId: string): RemotingConnection | undefined
}

/** Applies broker config changes UPDATE_BROKER_CONFIG accepted (keys already checked and values typed). */
export type BrokerConfigUpdater = (changes: Partial<BrokerConfig>) => void

export interface AdminContext {
  readonly broker: BrokerController
  readonly clock: Clock
  readonly log: (message: string) => void
  /** MQVersion's name of the version this broker reports, e.g. V4_9_4. */
  readonly brokerVersionDesc: string
  readonly sampler: TrafficSampler
  readonly clientChannels: ClientChannelLookup | undefined
  /** How long a relayed request waits for the client (RocketMQ: 10 s). */
  readonly relayTimeoutMs: number
  readonly updateBrokerConfig: BrokerConfigUpdater | undefined
  /** The DataVersion of the broker's configuration: GET_BROKER_CONFIG's `version`, bumped by each update. */
  readonly configVersion: { counter: number; timestamp: number }
}

export type AdminHandler = (
  ctx: AdminContext,
  request: RemotingCommand,
  connection: RemotingConnection,
) => RemotingCommand | Promise<RemotingCommand>

/** An admin request code and the handler that serves it; each *-admin.ts module exports its table. */
export type AdminRoute = readonly [code: number, handler: AdminHandler]

/** RocketMQ's createResponseCommand(null) default remark, which some real SUCCESS answers still carry. */
export const REMARK_NOT_SET = 'not set any response code'

export function success(
  request: RemotingCommand,
  parts: { body?: unknown; remark?: string; extFields?: ExtFields } = {},
): RemotingCommand {
  return createResponse(request, RESPONSE_CODE.SUCCESS, {
    remark: parts.remark,
    extFields: parts.extFields,
    body: parts.body === undefined ? undefined : fastjsonBody(parts.body),
  })
}

export function failure(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponse(request, code, { remark })
}

/** A request whose value RocketMQ refuses as INVALID_PARAMETER. */
export function invalid(reason: string): RequestError {
  return new RequestError(reason, RESPONSE_CODE.INVALID_PARAMETER)
}

/** Topic and group changes are the master's (AdminBrokerProcessor.validateSlave). */
export function assertMaster(ctx: AdminContext): void {
  if (ctx.broker.config.brokerRole === 'SLAVE')
    throw new RequestError(
      "Can't modify topic or subscription group from slave broker, please execute it from master broker.",
    )
}

/** A MessageQueue as fastjson writes it (properties by name), for map keys and bodies. */
export function messageQueueJson(
  topic: string,
  brokerName: string,
  queueId: number,
): { brokerName: string; queueId: number; topic: string } {
  return { brokerName, queueId, topic }
}
