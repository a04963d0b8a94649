// Publishing through a producer on a remote cluster (test messages, DLQ resends): pick a writable queue of the
// topic's route round-robin, give the message a UNIQ_KEY, send it with SEND_MESSAGE_V2 to that queue's master.
import 'server-only'
import { formatProperties } from '@/broker-engine/index'
import type { SendMessageInput, SendOutcome } from '@/lib/cluster/gateway'
import { sendMessageV2, type WireSendResult, type WireTopicRoute } from './admin-client'
import { MASTER_ID, type BrokerTarget } from './fan-out'
import type { RemoteContext } from './remote-context'
import { RemoteClusterError } from './remote-error'

const PERM_WRITE = 2

export interface SendTarget extends BrokerTarget {
  readonly queueId: number
}

/**
 * The next writable queue of a route (masters only), round-robin over all of them; with `preferBroker`, that
 * broker's queues when it has writable ones.
 */
export function pickWritableQueue(
  route: WireTopicRoute,
  cursor: { value: number },
  preferBroker?: string,
): SendTarget | undefined {
  const all: SendTarget[] = []
  for (const q of [...route.queues].sort((a, b) => a.brokerName.localeCompare(b.brokerName))) {
    if ((q.perm & PERM_WRITE) === 0) continue
    const addr = route.brokers.find((b) => b.brokerName === q.brokerName)?.brokerAddrs[MASTER_ID]
    if (!addr) continue
    for (let queueId = 0; queueId < q.writeQueueNums; queueId++)
      all.push({ brokerName: q.brokerName, addr, queueId })
  }
  const preferred = preferBroker === undefined ? [] : all.filter((t) => t.brokerName === preferBroker)
  const pool = preferred.length > 0 ? preferred : all
  if (pool.length === 0) return undefined
  cursor.value = (cursor.value + 1) % 1_000_000_000
  return pool[cursor.value % pool.length]
}

export interface PublishRequest {
  readonly topic: string
  readonly body: Buffer
  /** The properties string (must already hold UNIQ_KEY). */
  readonly properties: string
  readonly sysFlag?: number
  readonly flag?: number
  /** Defaults to the gateway's admin producer group. */
  readonly producerGroup?: string
}

/** Sends to a chosen queue. */
export function publishTo(
  ctx: RemoteContext,
  target: SendTarget,
  request: PublishRequest,
): Promise<WireSendResult> {
  return sendMessageV2(ctx.transport, target.addr, {
    producerGroup: request.producerGroup ?? ctx.producerGroup,
    topic: request.topic,
    queueId: target.queueId,
    body: request.body,
    properties: request.properties,
    sysFlag: request.sysFlag,
    flag: request.flag,
    bornTimestampMs: ctx.nowMs(),
  })
}

/** The properties of a console test message, in RocketMQ's wire form. */
export function testMessageProperties(input: SendMessageInput, uniqKey: string): string {
  return formatProperties([
    ...Object.entries(input.properties ?? {}),
    ['TAGS', input.tag],
    ['KEYS', input.keys && input.keys.length > 0 ? input.keys.join(' ') : undefined],
    ['DELAY', input.delayLevel === undefined ? undefined : String(input.delayLevel)],
    ['WAIT', 'true'],
    ['UNIQ_KEY', uniqKey],
  ])
}

export async function sendTestMessage(ctx: RemoteContext, input: SendMessageInput): Promise<SendOutcome> {
  const route = await ctx.routes.route(input.topic)
  if (!route) throw new RemoteClusterError('NOT_FOUND', `topic ${input.topic} has no route; create it first`)
  const target = pickWritableQueue(route, ctx.queueCursor)
  if (!target)
    throw new RemoteClusterError('NO_PERMISSION', `topic ${input.topic} has no writable queue on a master`)
  const uniqKey = ctx.uniqKeys.next()
  const body = Buffer.from(input.body, input.bodyEncoding === 'base64' ? 'base64' : 'utf8')
  const sent = await publishTo(ctx, target, {
    topic: input.topic,
    body,
    properties: testMessageProperties(input, uniqKey),
    producerGroup: input.producerGroup,
  })
  return {
    status: sent.status,
    msgId: sent.msgId,
    uniqKey,
    topic: input.topic,
    brokerName: target.brokerName,
    queueId: sent.queueId,
    queueOffset: sent.queueOffset,
  }
}
