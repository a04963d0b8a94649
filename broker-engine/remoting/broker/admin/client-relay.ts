// The admin requests a broker relays to one consumer (PROTOCOL.md 2.7): GET_CONSUMER_RUNNING_INFO (307) and
// CONSUME_MESSAGE_DIRECTLY (309, with the stored message as the body). The client's answer goes back unchanged
// (code, remark, extFields, body), as AdminBrokerProcessor.callConsumer does (captures 104/105).

import { decodeOffsetMsgId } from '../../../store/message-id'
import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import { fastjsonBody, fastjsonMap } from '../../fastjson-writer'
import { createRequest, createResponse, type RemotingCommand } from '../../remoting-command'
import { RemotingTimeoutError } from '../../remoting-connection'
import { customFields, RequestError } from '../../request-fields'
import { failure, type AdminContext, type AdminRoute } from './admin-context'

const { optionalNonBlank, requiredString } = customFields

export const CLIENT_RELAY_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.GET_CONSUMER_RUNNING_INFO, consumerRunningInfo],
  [REQUEST_CODE.CONSUME_MESSAGE_DIRECTLY, consumeMessageDirectly],
]

/**
 * CONSUME_MESSAGE_DIRECTLY: the message named by its offsetMsgId is read from this broker's CommitLog and sent
 * to the client with the broker's name and the topic's and group's sys flags added to the header.
 */
function consumeMessageDirectly(ctx: AdminContext, request: RemotingCommand): Promise<RemotingCommand> {
  const { broker } = ctx
  const msgId = requiredString(request, 'msgId')
  const decoded = decodeOffsetMsgId(msgId)
  const record = decoded ? broker.store.readRecord(decoded.commitLogOffset) : undefined
  if (!record) throw new RequestError(`no message with msgId ${msgId} on this broker`)
  const extFields: Record<string, string> = { ...request.extFields, brokerName: broker.config.brokerName }
  const topic = optionalNonBlank(request, 'topic')
  const topicConfig = topic === undefined ? undefined : broker.topics.get(topic)
  if (topicConfig) extFields.topicSysFlag = String(topicConfig.topicSysFlag)
  const group = broker.groups.get(requiredString(request, 'consumerGroup'))
  if (group) extFields.groupSysFlag = String(group.groupSysFlag)
  return relay(ctx, request, extFields, record)
}

/**
 * GET_CONSUMER_RUNNING_INFO: relayed to a remoting client's connection; a consumer living in this process (the
 * console's own services) has none, so the broker answers with its report in the ConsumerRunningInfo shape a
 * Java client writes (fastjson, MessageQueue objects as mqTable keys; capture 104).
 */
function consumerRunningInfo(ctx: AdminContext, request: RemotingCommand): Promise<RemotingCommand> {
  const group = requiredString(request, 'consumerGroup')
  const clientId = requiredString(request, 'clientId')
  const connection = ctx.clientChannels?.connectionOf(group, clientId)
  const report = connection ? undefined : ctx.broker.runningInfo.report(group, clientId)
  if (!report) return relay(ctx, request, { ...request.extFields }, request.body)
  const body = fastjsonBody({
    properties: report.properties,
    subscriptionSet: report.subscriptions.map((s) => ({
      classFilterMode: false,
      expressionType: 'TAG',
      subString: s.subString,
      topic: s.topic,
    })),
    mqTable: fastjsonMap(
      report.queues.map((q) => [
        { brokerName: q.mq.brokerName, queueId: q.mq.queueId, topic: q.mq.topic },
        {
          cachedMsgCount: q.cachedMsgCount,
          commitOffset: q.commitOffset,
          droped: q.dropped,
          lastConsumeTimestamp: q.lastConsumeTimestampMs,
          lastPullTimestamp: q.lastPullTimestampMs,
          locked: q.locked,
        },
      ]),
    ),
    statusTable: {},
  })
  return Promise.resolve(createResponse(request, RESPONSE_CODE.SUCCESS, { body }))
}

/** Sends the request to the client's connection and answers with its response (or why there is none). */
async function relay(
  ctx: AdminContext,
  request: RemotingCommand,
  extFields: Record<string, string>,
  body: Buffer | undefined,
): Promise<RemotingCommand> {
  const group = requiredString(request, 'consumerGroup')
  const clientId = requiredString(request, 'clientId')
  const connection = ctx.clientChannels?.connectionOf(group, clientId)
  if (!connection || connection.isClosed)
    return failure(request, RESPONSE_CODE.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`)
  let answer: RemotingCommand
  try {
    answer = await connection.invoke(createRequest(request.code, { extFields, body }), ctx.relayTimeoutMs)
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    if (err instanceof RemotingTimeoutError)
      return failure(
        request,
        RESPONSE_CODE.CONSUME_MSG_TIMEOUT,
        `consumer <${group}> <${clientId}> Timeout: ${detail}`,
      )
    return failure(
      request,
      RESPONSE_CODE.SYSTEM_ERROR,
      `invoke consumer <${group}> <${clientId}> Exception: ${detail}`,
    )
  }
  return createResponse(request, answer.code, {
    remark: answer.remark,
    extFields: answer.extFields,
    body: answer.body,
  })
}
