// Who is connected: a consumer group's connections and subscriptions (203), a producer group's connections (204)
// and every producer (328), from the client registry the heartbeats keep.

import type { ConsumerConnection } from '../../../broker/client-registry'
import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import { customFields } from '../../request-fields'
import { failure, success, type AdminContext, type AdminRoute } from './admin-context'
import { connectionJson, subscriptionDataJson } from './admin-json'

const { requiredString } = customFields

export const CLIENT_ADMIN_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.GET_CONSUMER_CONNECTION_LIST, getConsumerConnectionList],
  [REQUEST_CODE.GET_PRODUCER_CONNECTION_LIST, getProducerConnectionList],
  [REQUEST_CODE.GET_ALL_PRODUCER_INFO, getAllProducerInfo],
]

/**
 * GET_CONSUMER_CONNECTION_LIST (ConsumerConnection): the group's settings as its latest heartbeat gave them
 * (RocketMQ's ConsumerGroupInfo keeps the last one) and the union of its members' subscriptions.
 */
function getConsumerConnectionList(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const group = requiredString(request, 'consumerGroup')
  const members = ctx.broker.clients.consumerConnections(group)
  if (members.length === 0)
    return failure(request, RESPONSE_CODE.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`)
  const byHeartbeat = [...members].sort((a, b) => a.lastHeartbeatMs - b.lastHeartbeatMs)
  const latest: ConsumerConnection = byHeartbeat[byHeartbeat.length - 1]!
  const subscriptionTable: Record<string, unknown> = {}
  for (const member of byHeartbeat)
    for (const s of member.subscriptions) subscriptionTable[s.topic] = subscriptionDataJson(s)
  return success(request, {
    body: {
      connectionSet: members.map(connectionJson),
      consumeFromWhere: latest.consumeFromWhere,
      consumeType: latest.consumeType,
      messageModel: latest.messageModel,
      subscriptionTable,
    },
  })
}

function getProducerConnectionList(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const group = requiredString(request, 'producerGroup')
  const members = ctx.broker.clients.producerConnections(group)
  if (members.length === 0)
    return failure(request, RESPONSE_CODE.SYSTEM_ERROR, `the producer group[${group}] not exist`)
  return success(request, { body: { connectionSet: members.map(connectionJson) } })
}

/** GET_ALL_PRODUCER_INFO (ProducerTableInfo): every producer group with its clients. */
function getAllProducerInfo(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const { clients } = ctx.broker
  const data: Record<string, unknown> = {}
  for (const group of clients.producerGroups().sort()) {
    data[group] = clients.producerConnections(group).map((c) => ({
      clientId: c.clientId,
      language: c.language,
      lastUpdateTimestamp: c.lastHeartbeatMs,
      remoteIP: c.clientAddr,
      version: c.version,
    }))
  }
  return success(request, { body: { data } })
}
