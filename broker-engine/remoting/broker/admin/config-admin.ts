// The broker's configuration over remoting: GET_BROKER_CONFIG (26) as `key=value` lines with the config's
// DataVersion in the header (capture 116), and UPDATE_BROKER_CONFIG (25) for the keys that can change while
// the broker runs.

import {
  formatBrokerConf,
  parseBrokerConf,
  parseJavaProperties,
  resolveBrokerConfig,
  type BrokerConfig,
} from '../../../broker/broker-config'
import { RUNTIME_UPDATABLE_BROKER_KEYS } from '../../../broker/broker-controller'
import { EngineError } from '../../../common/engine-error'
import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import { createResponse, type RemotingCommand } from '../../remoting-command'
import { failure, success, type AdminContext, type AdminRoute } from './admin-context'

/**
 * Keys UPDATE_BROKER_CONFIG accepts: the BrokerController's runtime-updatable keys, each read per request, so a
 * new value takes effect at the next request. Everything else is read once at start and is refused with
 * NO_PERMISSION, as RocketMQ refuses its black-listed keys.
 */
export const RUNTIME_CONFIG_KEYS: readonly (keyof BrokerConfig)[] = RUNTIME_UPDATABLE_BROKER_KEYS

/** Longest UPDATE_BROKER_CONFIG body read (a Properties text of a few keys). */
const CONFIG_BODY_BYTES_MAX = 64 * 1024

export const CONFIG_ADMIN_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.GET_BROKER_CONFIG, getBrokerConfig],
  [REQUEST_CODE.UPDATE_BROKER_CONFIG, updateBrokerConfig],
]

/** The header `version` is the DataVersion JSON a 4.9.4 broker writes there: {"counter":…,"timestamp":…}. */
function getBrokerConfig(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const { counter, timestamp } = ctx.configVersion
  return createResponse(request, RESPONSE_CODE.SUCCESS, {
    extFields: { version: JSON.stringify({ counter, timestamp }) },
    body: Buffer.from(formatBrokerConf(ctx.broker.config), 'utf8'),
  })
}

/**
 * UPDATE_BROKER_CONFIG: a java.util.Properties body. All or nothing: any key outside RUNTIME_CONFIG_KEYS refuses
 * the whole update with NO_PERMISSION naming it; a bad value is INVALID_PARAMETER. A brokerPermission change is
 * registered with the NameServers at once, as RocketMQ does.
 */
function updateBrokerConfig(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const body = request.body
  if (!body || body.length === 0) return success(request)
  if (body.length > CONFIG_BODY_BYTES_MAX)
    return failure(
      request,
      RESPONSE_CODE.INVALID_PARAMETER,
      `the config body is over ${CONFIG_BODY_BYTES_MAX} bytes`,
    )
  const text = body.toString('utf8')
  // Refusal is decided on the keys as written, before any value is read.
  const keys = [...new Set(parseJavaProperties(text).map(([key]) => key))]
  const refused = keys.filter((k) => !(RUNTIME_CONFIG_KEYS as readonly string[]).includes(k))
  if (refused.length > 0)
    return failure(
      request,
      RESPONSE_CODE.NO_PERMISSION,
      `Can not update config in black list: ${refused.join(', ')} cannot change while the broker runs ` +
        `(changeable: ${RUNTIME_CONFIG_KEYS.join(', ')})`,
    )
  if (keys.length === 0) return success(request)
  if (!ctx.updateBrokerConfig)
    return failure(
      request,
      RESPONSE_CODE.NO_PERMISSION,
      `this broker cannot change its configuration at runtime (asked: ${keys.join(', ')})`,
    )
  let changes: Partial<BrokerConfig>
  try {
    changes = parseBrokerConf(text).config
    // Checks the values against the same rules as at start; the result itself is not kept.
    resolveBrokerConfig({ ...ctx.broker.config, ...changes })
  } catch (err) {
    if (err instanceof EngineError) return failure(request, RESPONSE_CODE.INVALID_PARAMETER, err.message)
    throw err
  }
  ctx.updateBrokerConfig(changes)
  ctx.configVersion.counter++
  ctx.configVersion.timestamp = ctx.clock.nowMs()
  ctx.log(
    `broker config updated: ${keys.map((k) => `${k}=${String(changes[k as keyof BrokerConfig])}`).join(', ')}`,
  )
  if (changes.brokerPermission !== undefined) ctx.broker.registerWithNameServers(false)
  return success(request)
}
