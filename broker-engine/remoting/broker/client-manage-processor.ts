// HEART_BEAT (34) and UNREGISTER_CLIENT (35), RocketMQ's ClientManageProcessor: producers and consumers join their
// groups on the connection they speak on (subscription group and %RETRY% topic auto-created by the
// BrokerController), and leave on request or when the connection closes (ClientChannels). The heartbeat answer
// carries the 5.x ext fields IS_SUPPORT_HEART_BEAT_V2 and IS_SUB_CHANGE, which 4.x clients ignore.

import type { BrokerController } from '../../broker/broker-controller'
import { CLIENT_ID_LENGTH_MAX } from '../../broker/client-registry'
import { validateGroupName } from '../../broker/topic-validator'
import { RESPONSE_CODE } from '../remoting-codes'
import { createResponse } from '../remoting-command'
import type { RequestHandler } from '../remoting-connection'
import type { ClientChannels, ClientIdentity } from './client-channels'
import { parseHeartbeatData, type HeartbeatData } from './request-bodies'
import { clientFields } from '../request-fields'
import { errorResponse, guarded } from '../request-guard'

const { optionalString, requiredNonEmpty } = clientFields

export function createHeartbeatProcessor(
  broker: BrokerController,
  channels: ClientChannels,
  log: (message: string) => void,
): RequestHandler {
  return guarded((request, connection) => {
    const data = parseHeartbeatData(request.body)
    if (typeof data === 'string') return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, data)
    const problem = checkNames(data)
    if (problem) return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, problem)
    const who: ClientIdentity = {
      clientId: data.clientId,
      language: request.language,
      version: request.version,
    }
    const v2 = data.heartbeatFingerprint !== 0
    // A v1 heartbeat always carries full data, and 5.x brokers answer it with IS_SUB_CHANGE=true.
    let subChanged = !v2
    for (const consumer of data.consumers) {
      const group = consumer.groupName
      // RocketMQ skips a consumer whose group does not exist and may not be created.
      if (!broker.groups.findOrCreate(group)) {
        log(`heartbeat from ${data.clientId}: subscription group ${group} does not exist`)
        continue
      }
      const withoutSub = v2 && data.withoutSub
      if (v2) {
        const previous = channels.swapFingerprint(group, data.heartbeatFingerprint)
        // A changed fingerprint, or "same as before" when this broker knows nothing before: ask for full data.
        if (
          (previous !== undefined && previous !== data.heartbeatFingerprint) ||
          (withoutSub && previous === undefined)
        )
          subChanged = true
      }
      channels.registerConsumer(connection, who, consumer, withoutSub)
    }
    for (const group of data.producerGroups) channels.registerProducer(connection, who, group)
    return createResponse(request, RESPONSE_CODE.SUCCESS, {
      extFields: { IS_SUPPORT_HEART_BEAT_V2: 'true', IS_SUB_CHANGE: String(subChanged) },
    })
  })
}

/** Names are checked before anything registers, so a bad heartbeat changes nothing. */
function checkNames(data: HeartbeatData): string | undefined {
  if (data.clientId.length > CLIENT_ID_LENGTH_MAX)
    return `clientID is longer than ${CLIENT_ID_LENGTH_MAX} characters`
  for (const group of [...data.consumers.map((c) => c.groupName), ...data.producerGroups]) {
    const reason = validateGroupName(group)
    if (reason) return `group ${JSON.stringify(group.slice(0, 200))}: ${reason}`
  }
  return undefined
}

export function createUnregisterClientProcessor(channels: ClientChannels): RequestHandler {
  return guarded((request, connection) => {
    const clientId = requiredNonEmpty(request, 'clientID')
    channels.unregister(
      connection,
      clientId,
      optionalString(request, 'producerGroup'),
      optionalString(request, 'consumerGroup'),
    )
    return createResponse(request, RESPONSE_CODE.SUCCESS, { extFields: {} })
  })
}
