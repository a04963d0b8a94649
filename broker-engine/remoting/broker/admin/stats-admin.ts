// Broker figures: GET_BROKER_RUNTIME_INFO (28, see runtime-info.ts) and VIEW_BROKER_STATS_DATA (315) over the
// counters the traffic sampler keeps.

import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import { customFields } from '../../request-fields'
import { failure, success, type AdminContext, type AdminRoute } from './admin-context'
import { javaDouble } from '../../fastjson-writer'
import { brokerRuntimeInfo } from './runtime-info'
import type { SeriesStats, WindowStats } from './traffic-sampler'

const { requiredString } = customFields

export const STATS_ADMIN_ROUTES: readonly AdminRoute[] = [
  [
    REQUEST_CODE.GET_BROKER_RUNTIME_INFO,
    (ctx, request) => success(request, { body: { table: brokerRuntimeInfo(ctx) } }),
  ],
  [REQUEST_CODE.VIEW_BROKER_STATS_DATA, viewBrokerStatsData],
]

/**
 * The stats this broker has, by RocketMQ's BrokerStatsManager names: TOPIC_PUT_NUMS (key: topic),
 * GROUP_GET_NUMS (key: topic@group), BROKER_PUT_NUMS and BROKER_GET_NUMS (key: the cluster name, as RocketMQ
 * keys them; the broker name is taken too). Sizes (TOPIC_PUT_SIZE, GROUP_GET_SIZE) are not counted here, so they
 * and every other name answer "not exist" like an unknown key.
 */
function statsOf(ctx: AdminContext, name: string, key: string): SeriesStats | undefined {
  const { sampler, broker } = ctx
  const brokerKey = key === broker.config.brokerClusterName || key === broker.config.brokerName
  switch (name) {
    case 'TOPIC_PUT_NUMS':
      return sampler.topicPutStats(key)
    case 'GROUP_GET_NUMS': {
      const at = key.indexOf('@')
      return at > 0 ? sampler.groupGetStats(key.slice(0, at), key.slice(at + 1)) : undefined
    }
    case 'BROKER_PUT_NUMS':
      return brokerKey ? sampler.brokerPutStats() : undefined
    case 'BROKER_GET_NUMS':
      return brokerKey ? sampler.brokerGetStats() : undefined
    default:
      return undefined
  }
}

/**
 * VIEW_BROKER_STATS_DATA (BrokerStatsData): sum and TPS over the last minute, hour and day. `avgpt` (messages per
 * request) is left out: the sampler sees messages, not requests; Java reads it as 0.0.
 */
function viewBrokerStatsData(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const name = requiredString(request, 'statsName')
  const key = requiredString(request, 'statsKey')
  const stats = statsOf(ctx, name, key)
  if (!stats) return failure(request, RESPONSE_CODE.SYSTEM_ERROR, `The stats <${name}> <${key}> not exist`)
  const item = (w: WindowStats) => ({ sum: w.sum, tps: javaDouble(w.tps) })
  return success(request, {
    body: { statsDay: item(stats.day), statsHour: item(stats.hour), statsMinute: item(stats.minute) },
  })
}
