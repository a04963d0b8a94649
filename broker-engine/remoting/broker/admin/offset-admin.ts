// Offsets: resetting a group's offsets (INVOKE_BROKER_TO_RESET_OFFSET 222), the consumer and delay offset tables
// (43, 45), and reading a ConsumeQueue (QUERY_CONSUME_QUEUE 321).

import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import { customFields } from '../../request-fields'
import {
  failure,
  invalid,
  messageQueueJson,
  REMARK_NOT_SET,
  success,
  type AdminContext,
  type AdminRoute,
} from './admin-context'
import { subscriptionDataJson } from './admin-json'
import { readDelayOffsets } from './delay-offset-file'
import { fastjsonMap } from '../../fastjson-writer'

const {
  groupField,
  optionalInt32,
  optionalLong,
  optionalNonBlank,
  requiredInt32,
  requiredLong,
  requiredString,
  topicField,
} = customFields

/** Units one QUERY_CONSUME_QUEUE returns at most (RocketMQ sets no bound; the answer must stay small). */
export const QUERY_CONSUME_QUEUE_COUNT_MAX = 1000

export const OFFSET_ADMIN_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.INVOKE_BROKER_TO_RESET_OFFSET, resetOffset],
  [REQUEST_CODE.GET_ALL_CONSUMER_OFFSET, getAllConsumerOffset],
  [REQUEST_CODE.GET_ALL_DELAY_OFFSET, getAllDelayOffset],
  [REQUEST_CODE.QUERY_CONSUME_QUEUE, queryConsumeQueue],
]

/**
 * INVOKE_BROKER_TO_RESET_OFFSET the 5.x way (useServerSideResetOffset): the broker stores the new offsets and
 * answers each queue's next pull with OFFSET_MOVED to them, so a reset works whether the group's consumers are
 * online or not. (A 4.9.4 broker instead pushes RESET_CONSUMER_CLIENT_OFFSET to live consumers and answers
 * CONSUMER_NOT_ONLINE when there are none, capture 135; mqadmin then falls back to per-queue commits.)
 * `timestamp` -1 means each queue's max offset; `queueId` with `offset` sets that one queue. isForce is accepted
 * and, as in 5.x, has no effect. The body is ResetOffsetBody; the remark is the real broker's default (capture 109).
 */
function resetOffset(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topic = topicField(request)
  const group = groupField(request, 'group')
  const timestamp = requiredLong(request, 'timestamp')
  const queueId = optionalInt32(request, 'queueId') ?? -1
  const offset = optionalLong(request, 'offset')
  const { broker } = ctx
  if (broker.config.brokerRole === 'SLAVE')
    return failure(request, RESPONSE_CODE.SYSTEM_ERROR, 'Can not reset offset in slave broker')
  const config = broker.topics.get(topic)
  if (!config) return failure(request, RESPONSE_CODE.TOPIC_NOT_EXIST, `Topic ${topic} does not exist`)
  if (!broker.groups.has(group))
    return failure(request, RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST, `Group ${group} does not exist`)
  const { store } = broker
  const offsetAt = (q: number) =>
    timestamp < 0 ? store.getMaxOffsetInQueue(topic, q) : store.getOffsetInQueueByTime(topic, q, timestamp)
  const offsets = new Map<number, number>()
  if (queueId >= 0) {
    if (queueId >= config.readQueueNums)
      throw invalid(`queueId ${queueId} is illegal: topic ${topic} has ${config.readQueueNums} read queues`)
    if (offset !== undefined && offset !== -1) {
      const min = store.getMinOffsetInQueue(topic, queueId)
      const max = store.getMaxOffsetInQueue(topic, queueId)
      if (offset < min || offset > max)
        return failure(
          request,
          RESPONSE_CODE.SYSTEM_ERROR,
          `Target offset ${offset} not in consume queue range [${min}-${max}]`,
        )
      offsets.set(queueId, offset)
    } else {
      offsets.set(queueId, offsetAt(queueId))
    }
  } else {
    for (let q = 0; q < config.readQueueNums; q++) offsets.set(q, offsetAt(q))
  }
  if (offsets.size === 0) return failure(request, RESPONSE_CODE.SYSTEM_ERROR, 'No queues to reset.')
  broker.offsets.resetOffsets(group, topic, offsets)
  ctx.log(`reset offsets of group ${group} on topic ${topic} to ${JSON.stringify([...offsets])}`)
  const brokerName = broker.config.brokerName
  const offsetTable = fastjsonMap([...offsets].map(([q, o]) => [messageQueueJson(topic, brokerName, q), o]))
  return success(request, { body: { offsetTable }, remark: REMARK_NOT_SET })
}

/** GET_ALL_CONSUMER_OFFSET: consumerOffset.json's content, queue ids as bare keys as fastjson writes them. */
function getAllConsumerOffset(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const wrapper = ctx.broker.offsets.serializeWrapper()
  const offsetTable: Record<string, unknown> = {}
  for (const [key, queues] of Object.entries(wrapper.offsetTable))
    offsetTable[key] = fastjsonMap(Object.entries(queues).map(([q, o]) => [Number(q), o]))
  return success(request, { body: { dataVersion: wrapper.dataVersion, offsetTable } })
}

/** GET_ALL_DELAY_OFFSET: delayOffset.json's content as last persisted (see delay-offset-file.ts). */
function getAllDelayOffset(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const delay = readDelayOffsets(ctx.broker)
  if (!delay) return failure(request, RESPONSE_CODE.SYSTEM_ERROR, 'No delay offset in this broker')
  return success(request, {
    body: { dataVersion: delay.dataVersion, offsetTable: fastjsonMap([...delay.offsetTable]) },
  })
}

/**
 * QUERY_CONSUME_QUEUE: `count` ConsumeQueue units from `index` (physical offset, size, tag code), with the
 * group's live subscription when a consumerGroup is named. The engine has no ConsumeQueue extension, so there
 * is no extendDataJson, bitMap or eval result.
 */
function queryConsumeQueue(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const topic = requiredString(request, 'topic')
  const queueId = requiredInt32(request, 'queueId')
  const index = requiredLong(request, 'index')
  const count = requiredInt32(request, 'count')
  const group = optionalNonBlank(request, 'consumerGroup')
  const { broker } = ctx
  const config = broker.topics.get(topic)
  if (!config || queueId < 0 || queueId >= Math.max(config.readQueueNums, config.writeQueueNums))
    return failure(request, RESPONSE_CODE.SYSTEM_ERROR, `${queueId}@${topic} is not exist!`)
  const body: Record<string, unknown> = {
    maxQueueIndex: broker.store.getMaxOffsetInQueue(topic, queueId),
    minQueueIndex: broker.store.getMinOffsetInQueue(topic, queueId),
  }
  if (group !== undefined) {
    const subscription = broker.clients
      .consumerConnections(group)
      .flatMap((c) => c.subscriptions)
      .find((s) => s.topic === topic)
    if (subscription) body.subscriptionData = subscriptionDataJson(subscription)
    else body.filterData = `${group}@${topic} is not online!`
  }
  const first = broker.store.getQueueUnit(topic, queueId, index)
  if (!first) {
    return success(request, { remark: `Index ${index} of ${queueId}@${topic} is not exist!` })
  }
  const queueData = []
  const end = index + Math.max(0, Math.min(count, QUERY_CONSUME_QUEUE_COUNT_MAX))
  for (let offset = index; offset < end; offset++) {
    const unit = offset === index ? first : broker.store.getQueueUnit(topic, queueId, offset)
    if (!unit) break
    queueData.push({
      eval: false,
      physicOffset: unit.commitLogOffset,
      physicSize: unit.size,
      tagsCode: unit.tagsCode,
    })
  }
  body.queueData = queueData
  return success(request, { body })
}
