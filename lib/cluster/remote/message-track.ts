// A message's delivery state for every group consuming its topic (the dashboard's message track): the group's
// offset on the message's queue says consumed or not; copies of the message in the group's %RETRY% and %DLQ%
// topics (on the same broker, where send-back puts them) say retried or dead; the online subscription says
// whether the group's tag filter skipped it.
import 'server-only'
import { dlqTopicOf, retryTopicOf } from '@/broker-engine/index'
import type {
  BrokerFailure,
  DeliveryState,
  GroupDelivery,
  MessageDetail,
  MessageIdQuery,
  PartialResult,
} from '@/lib/cluster/gateway'
import {
  getConsumeStats,
  getConsumerConnectionList,
  queryMessage,
  queryTopicConsumeByWho,
  type WireConsumerConnection,
} from './admin-client'
import { fanOut, partial, readNodesOfRoute } from './fan-out'
import { DETAIL_BODY_BYTES_DEFAULT, findMessages } from './message-query'
import { offsetMsgIdOf, toMessageView, type ReadMessage } from './message-view'
import type { RemoteContext } from './remote-context'

/** Groups whose delivery state one detail view reads at most (each costs up to 4 calls). */
export const TRACKED_GROUPS_MAX = 50

/** Prefer the copy in a user topic over retry/DLQ copies when an id matched several. */
function primaryOf(messages: readonly ReadMessage[]): ReadMessage | undefined {
  return messages.find((m) => !m.record.topic.startsWith('%')) ?? messages[0]
}

function filteredOut(message: ReadMessage, connection: WireConsumerConnection | undefined): boolean {
  const sub = connection?.subscriptions.find((s) => s.topic === message.record.topic)
  if (!sub || sub.expressionType !== 'TAG' || sub.subString.trim() === '*' || sub.subString.trim() === '')
    return false
  const tag = message.properties.get('TAGS')
  return tag === undefined || !sub.tagsSet.includes(tag)
}

export async function getMessageDetail(
  ctx: RemoteContext,
  query: MessageIdQuery,
): Promise<PartialResult<MessageDetail | undefined>> {
  const found = await findMessages(ctx, query)
  const message = primaryOf(found.data)
  if (!message) return partial(undefined, found.failures)
  const topic = message.record.topic
  const failures: BrokerFailure[] = [...found.failures]
  const route = await ctx.routes.route(topic)
  const nodes = route ? readNodesOfRoute(route) : []
  const node = nodes.find((n) => n.brokerName === message.brokerName)
  const who = await fanOut(nodes, (n) => queryTopicConsumeByWho(ctx.transport, n.addr, topic))
  failures.push(...who.failures)
  const allGroups = [...new Set(who.results.flatMap((r) => r.value))].sort()
  const groups = allGroups.slice(0, TRACKED_GROUPS_MAX)
  if (allGroups.length > groups.length)
    failures.push({
      broker: 'all',
      reason: `${allGroups.length - groups.length} more groups were not tracked`,
    })

  const uniqKey = message.properties.get('UNIQ_KEY')
  const copiesIn = async (addr: string, copyTopic: string): Promise<string[]> => {
    if (!uniqKey) return []
    const records = await queryMessage(ctx.transport, addr, {
      topic: copyTopic,
      key: uniqKey,
      maxNum: 32,
      beginMs: message.record.storeTimestampMs,
      endMs: Number.MAX_SAFE_INTEGER,
      uniqueKey: true,
    })
    return records
      .filter((r) => r.topic === copyTopic)
      .map((r) => offsetMsgIdOf(r.storeHost, r.commitLogOffset))
  }

  const tracked = node
    ? await fanOut(
        groups.map((group) => ({
          brokerName: `${node.brokerName} (group ${group})`,
          addr: node.addr,
          group,
        })),
        async ({ addr, group }): Promise<GroupDelivery> => {
          const [stats, connection, retryMsgIds, dlqMsgIds] = await Promise.all([
            getConsumeStats(ctx.transport, addr, group, topic),
            getConsumerConnectionList(ctx.transport, addr, group),
            copiesIn(addr, retryTopicOf(group)),
            copiesIn(addr, dlqTopicOf(group)),
          ])
          const queue = stats?.queues.find(
            (q) =>
              q.topic === topic &&
              q.brokerName === message.brokerName &&
              q.queueId === message.record.queueId,
          )
          let state: DeliveryState
          if (dlqMsgIds.length > 0) state = 'IN_DLQ'
          else if (retryMsgIds.length > 0) state = 'IN_RETRY'
          else if (!queue) state = 'UNKNOWN'
          else if (queue.consumerOffset > message.record.queueOffset)
            state = filteredOut(message, connection) ? 'CONSUMED_BUT_FILTERED' : 'CONSUMED'
          else state = 'NOT_CONSUMED_YET'
          return { group, state, online: connection !== undefined, retryMsgIds, dlqMsgIds }
        },
      )
    : undefined
  if (!node && groups.length > 0)
    failures.push({ broker: message.brokerName, reason: 'the message’s broker is not in the topic route' })
  const deliveries: GroupDelivery[] = groups.map(
    (group) =>
      tracked?.results.find((r) => r.target.group === group)?.value ?? {
        group,
        state: 'UNKNOWN',
        online: undefined,
        retryMsgIds: [],
        dlqMsgIds: [],
      },
  )
  failures.push(...(tracked?.failures ?? []))
  return partial(
    { message: toMessageView(message, query.bodyBytesMax ?? DETAIL_BODY_BYTES_DEFAULT), deliveries },
    failures,
  )
}
