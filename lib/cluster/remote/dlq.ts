// Dead-letter queues of a remote cluster: which groups have one and how full it is, browsing a group's
// %DLQ% topic, and resending dead messages by republishing them through a producer (no consumer needs to be
// online), each new message naming the DLQ copy it came from.
import 'server-only'
import type {
  BrokerFailure,
  DlqBrowseQuery,
  DlqMessage,
  DlqPage,
  DlqResendRequest,
  DlqResendResult,
  DlqSummary,
  PartialResult,
} from '@/lib/cluster/gateway'
import { BODY_BYTES_DEFAULT } from '@/lib/cluster/gateway-schemas'
import { dlqTopicOf, retryTopicOf } from '@/broker-engine/index'
import { getTopicStatsInfo } from './admin-client'
import { editPropertiesForResend } from './dlq-properties'
import { fanOut, mastersOf, partial } from './fan-out'
import { toMessageView, type ReadMessage, readMessage } from './message-view'
import { viewByOffsetMsgId } from './message-query'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'
import { pickWritableQueue, publishTo, type SendTarget } from './send-message'
import { scanTimeRange } from './time-range-scan'
import { listTopics } from './topic-admin'

/** DLQ topics whose counts one listing reads at most (one GET_TOPIC_STATS_INFO each). */
export const DLQ_LIST_MAX = 1_000
/** A DLQ page scans at most this many dead messages per call. */
const DLQ_SCAN_MAX = 5_000
/** Resends in flight at once (each is a view and a send; the transport's limiter bounds calls further). */
const RESEND_PARALLELISM = 4
const END_OF_TIME_MS = Number.MAX_SAFE_INTEGER
const SYSFLAG_COMPRESSION_BITS = 0x1 | 0x700

/** Groups with a %DLQ% topic and the dead messages each holds. */
export async function listDlqs(ctx: RemoteContext): Promise<PartialResult<DlqSummary[]>> {
  const [topics, info] = await Promise.all([listTopics(ctx), ctx.routes.clusterInfo()])
  const failures: BrokerFailure[] = [...topics.failures]
  const dlqTopics = topics.data.filter((t) => t.kind === 'DLQ')
  const counted = dlqTopics.slice(0, DLQ_LIST_MAX)
  if (dlqTopics.length > counted.length)
    failures.push({
      broker: 'all',
      reason: `${dlqTopics.length - counted.length} more DLQ topics were not counted`,
    })
  const masters = mastersOf(info)
  const targets = counted.flatMap((t) =>
    t.brokers.flatMap((b) => {
      const master = masters.find((m) => m.brokerName === b.brokerName)
      return master ? [{ brokerName: `${b.brokerName} (${t.topic})`, addr: master.addr, topic: t.topic }] : []
    }),
  )
  const stats = await fanOut(targets, (target) => getTopicStatsInfo(ctx.transport, target.addr, target.topic))
  failures.push(...stats.failures)
  const byTopic = new Map<string, { messageCount: number; lastUpdateTimestampMs: number }>(
    counted.map((t) => [t.topic, { messageCount: 0, lastUpdateTimestampMs: 0 }]),
  )
  for (const { target, value } of stats.results) {
    const acc = byTopic.get(target.topic)!
    for (const q of value ?? []) {
      acc.messageCount += Math.max(0, q.maxOffset - q.minOffset)
      acc.lastUpdateTimestampMs = Math.max(acc.lastUpdateTimestampMs, q.lastUpdateTimestampMs)
    }
  }
  return partial(
    [...byTopic.entries()].map(([topic, acc]) => ({ group: topic.slice('%DLQ%'.length), topic, ...acc })),
    failures,
  )
}

function dlqMessageOf(message: ReadMessage, bodyBytesMax: number): DlqMessage {
  const p = message.properties
  return {
    ...toMessageView(message, bodyBytesMax),
    originTopic: p.get('DLQ_ORIGIN_TOPIC') ?? p.get('RETRY_TOPIC'),
    originMsgId: p.get('DLQ_ORIGIN_MESSAGE_ID') ?? p.get('ORIGIN_MESSAGE_ID'),
  }
}

export async function browseDlq(ctx: RemoteContext, query: DlqBrowseQuery): Promise<PartialResult<DlqPage>> {
  const page = await scanTimeRange(ctx, {
    topic: dlqTopicOf(query.group),
    beginMs: query.beginMs ?? 0,
    endMs: query.endMs ?? END_OF_TIME_MS,
    pageSize: query.pageSize,
    cursor: query.cursor,
    filter: query.filter,
    scanMax: DLQ_SCAN_MAX,
  })
  const limit = query.bodyBytesMax ?? BODY_BYTES_DEFAULT
  return partial(
    { ...page.data, messages: page.data.messages.map((m) => dlqMessageOf(m, limit)) },
    page.failures,
  )
}

async function resendOne(
  ctx: RemoteContext,
  request: DlqResendRequest,
  msgId: string,
  uniqKey: string | undefined,
): Promise<DlqResendResult> {
  const located = await viewByOffsetMsgId(ctx, msgId)
  if (!located) return { msgId, status: 'NOT_FOUND', reason: 'no message with this offset id' }
  const dead = readMessage(located.record, located.brokerName)
  const dlqTopic = dlqTopicOf(request.group)
  if (dead.record.topic !== dlqTopic)
    return {
      msgId,
      status: 'NOT_A_DLQ_MESSAGE',
      reason: `the message is in ${dead.record.topic}, not ${dlqTopic}`,
    }
  const originTopic = dead.properties.get('DLQ_ORIGIN_TOPIC') ?? dead.properties.get('RETRY_TOPIC')
  if (originTopic === undefined)
    return { msgId, status: 'FAILED', reason: 'the message does not record the topic it came from' }

  let topic: string
  let target: SendTarget | undefined
  if (request.target === 'RETRY_TOPIC') {
    // The group's retry topic lives on the broker the message died on (send-back stays on one broker), which
    // creates it on first use if the group never had a retry.
    topic = retryTopicOf(request.group)
    target = { brokerName: located.brokerName, addr: located.addr, queueId: 0 }
  } else {
    topic = originTopic
    const route = await ctx.routes.route(topic)
    target = route && pickWritableQueue(route, ctx.queueCursor, located.brokerName)
    if (!target) return { msgId, status: 'FAILED', reason: `topic ${topic} has no writable queue` }
  }
  const newUniqKey = uniqKey?.toUpperCase() ?? ctx.uniqKeys.next()
  const sent = await publishTo(ctx, target, {
    topic,
    body: dead.record.body,
    sysFlag: dead.record.sysFlag & SYSFLAG_COMPRESSION_BITS,
    flag: dead.record.flag,
    properties: editPropertiesForResend(dead.record.propertiesString, {
      uniqKey: newUniqKey,
      dlqMsgId: dead.msgId,
      retryTopicOrigin: request.target === 'RETRY_TOPIC' ? originTopic : undefined,
    }),
  })
  return {
    msgId,
    status: 'SENT',
    topic,
    newMsgId: sent.msgId,
    newUniqKey,
    brokerName: target.brokerName,
    queueId: sent.queueId,
    queueOffset: sent.queueOffset,
  }
}

/** Resends each message, in order of `msgIds`; a failure of one does not stop the others. */
export async function resendDlqMessages(
  ctx: RemoteContext,
  request: DlqResendRequest,
): Promise<DlqResendResult[]> {
  const results = new Array<DlqResendResult>(request.msgIds.length)
  let next = 0
  const worker = async () => {
    while (next < request.msgIds.length) {
      const i = next++
      const msgId = request.msgIds[i]!.toUpperCase()
      try {
        results[i] = await resendOne(ctx, request, msgId, request.uniqKeys?.[i])
      } catch (err) {
        if (!isRemoteClusterError(err)) throw err
        results[i] = { msgId, status: 'FAILED', reason: err.message }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(RESEND_PARALLELISM, request.msgIds.length) }, worker))
  return results
}
