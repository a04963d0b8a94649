// Finding messages on a remote cluster: by id (PROTOCOL.md 4.2: an offset id is viewed at the broker it names;
// otherwise, or failing that, the topic's index is asked for the UNIQ_KEY on every broker of the route), by key
// (the index, re-checked, since the index matches key hashes), and by topic + time range (time-range-scan.ts).
import 'server-only'
import { decodeOffsetMsgId, type DecodedMessage } from '@/broker-engine/index'
import type {
  BrokerFailure,
  KeyQuery,
  MessageIdQuery,
  MessagePage,
  MessageView,
  PartialResult,
  TimeRangeQuery,
} from '@/lib/cluster/gateway'
import { BODY_BYTES_DEFAULT, SCAN_MAX_DEFAULT } from '@/lib/cluster/gateway-schemas'
import { queryMessage, viewMessageById, type WireClusterInfo } from './admin-client'
import { fanOut, partial, readNodesOfRoute, requireSome } from './fan-out'
import {
  compareReadByStoreTime,
  hostText,
  keysOf,
  readMessage,
  toMessageView,
  type ReadMessage,
} from './message-view'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'
import { scanTimeRange } from './time-range-scan'

/** Detail views show up to 1 MiB of body by default. */
export const DETAIL_BODY_BYTES_DEFAULT = 1024 * 1024
/** RocketMQ's defaultQueryMaxNum: what a broker returns at most for one index query. */
export const QUERY_MAX_NUM_DEFAULT = 64
/** Index queries cover all time unless asked otherwise (the dashboard's fix for ids older than 3 days). */
const END_OF_TIME_MS = Number.MAX_SAFE_INTEGER

/** The broker name of a node address, else the address itself (a message id may name a node we do not list). */
export function brokerNameOfAddr(info: WireClusterInfo, addr: string): string {
  return info.brokers.find((b) => Object.values(b.brokerAddrs).includes(addr))?.brokerName ?? addr
}

export interface LocatedRecord {
  readonly record: DecodedMessage
  readonly brokerName: string
  /** The node address the record was read from. */
  readonly addr: string
}

/**
 * VIEW_MESSAGE_BY_ID at the node an offset message id names; undefined when the id is not an offset id or no
 * record is there. Transport failures throw (RemoteClusterError).
 */
export async function viewByOffsetMsgId(
  ctx: RemoteContext,
  msgId: string,
): Promise<LocatedRecord | undefined> {
  const decoded = decodeOffsetMsgId(msgId)
  if (!decoded) return undefined
  const addr = hostText(decoded.host)
  const record = await viewMessageById(ctx.transport, addr, decoded.commitLogOffset)
  if (!record) return undefined
  return { record, brokerName: brokerNameOfAddr(await ctx.routes.clusterInfo(), addr), addr }
}

/** Records of `topic` whose UNIQ_KEY is `uniqKey`, from every broker of the route. */
export async function queryByUniqKey(
  ctx: RemoteContext,
  topic: string,
  uniqKey: string,
): Promise<PartialResult<ReadMessage[]>> {
  const route = await ctx.routes.route(topic)
  if (!route) return partial([], [])
  const outcome = requireSome(
    await fanOut(readNodesOfRoute(route), (n) =>
      queryMessage(ctx.transport, n.addr, {
        topic,
        key: uniqKey,
        maxNum: 32,
        beginMs: 0,
        endMs: END_OF_TIME_MS,
        uniqueKey: true,
      }),
    ),
  )
  const found = outcome.results.flatMap(({ target, value }) =>
    value
      .map((record) => readMessage(record, target.brokerName))
      .filter((m) => m.properties.get('UNIQ_KEY') === uniqKey),
  )
  return partial(dedupe(found), outcome.failures)
}

/** One entry per stored record (several index files may name the same one). */
function dedupe(messages: readonly ReadMessage[]): ReadMessage[] {
  const seen = new Map<string, ReadMessage>()
  for (const m of messages) seen.set(m.msgId, m)
  return [...seen.values()].sort(compareReadByStoreTime)
}

/**
 * The messages an id resolves to, read (PROTOCOL.md 4.2 order). Both kinds of id are 32 hex characters, so a
 * UNIQ_KEY also decodes as an offset id naming some address; when that address is no broker of this cluster
 * and a topic is given, the view is skipped instead of waiting for a connect timeout to a host that is not there.
 */
export async function findMessages(
  ctx: RemoteContext,
  query: MessageIdQuery,
): Promise<PartialResult<ReadMessage[]>> {
  const failures: BrokerFailure[] = []
  const decoded = decodeOffsetMsgId(query.msgId)
  if (decoded) {
    const addr = hostText(decoded.host)
    const info = await ctx.routes.clusterInfo()
    const known = brokerNameOfAddr(info, addr) !== addr || ctx.transport.reachable(addr) !== addr
    if (known || query.topic === undefined) {
      try {
        const located = await viewByOffsetMsgId(ctx, query.msgId)
        if (located) return partial([readMessage(located.record, located.brokerName)], [])
      } catch (err) {
        if (!isRemoteClusterError(err)) throw err
        if (query.topic === undefined) throw err
        failures.push({ broker: err.addr ?? addr, reason: err.message })
      }
    }
  }
  if (query.topic === undefined) return partial([], failures)
  const byKey = await queryByUniqKey(ctx, query.topic, query.msgId.toUpperCase())
  // The offset-id attempt failing does not make the answer partial when the index found the message.
  return partial(byKey.data, byKey.data.length > 0 ? byKey.failures : [...failures, ...byKey.failures])
}

export async function viewMessage(
  ctx: RemoteContext,
  query: MessageIdQuery,
): Promise<PartialResult<MessageView[]>> {
  const found = await findMessages(ctx, query)
  const limit = query.bodyBytesMax ?? DETAIL_BODY_BYTES_DEFAULT
  return partial(
    found.data.map((m) => toMessageView(m, limit)),
    found.failures,
  )
}

export async function queryMessagesByKey(
  ctx: RemoteContext,
  query: KeyQuery,
): Promise<PartialResult<MessageView[]>> {
  const route = await ctx.routes.route(query.topic)
  if (!route) return partial([], [])
  const beginMs = query.beginMs ?? 0
  const endMs = query.endMs ?? END_OF_TIME_MS
  const outcome = requireSome(
    await fanOut(readNodesOfRoute(route), (n) =>
      queryMessage(ctx.transport, n.addr, {
        topic: query.topic,
        key: query.key,
        maxNum: query.maxNum ?? QUERY_MAX_NUM_DEFAULT,
        beginMs,
        endMs,
        uniqueKey: false,
      }),
    ),
  )
  const found = outcome.results.flatMap(({ target, value }) =>
    value
      .map((record) => readMessage(record, target.brokerName))
      .filter(
        (m) =>
          keysOf(m.properties).includes(query.key) &&
          m.record.storeTimestampMs >= beginMs &&
          m.record.storeTimestampMs <= endMs &&
          (query.tag === undefined || m.properties.get('TAGS') === query.tag),
      ),
  )
  const limit = query.bodyBytesMax ?? BODY_BYTES_DEFAULT
  return partial(
    dedupe(found).map((m) => toMessageView(m, limit)),
    outcome.failures,
  )
}

export async function queryMessagesByTime(
  ctx: RemoteContext,
  query: TimeRangeQuery,
): Promise<PartialResult<MessagePage>> {
  const page = await scanTimeRange(ctx, { ...query, scanMax: query.scanMax ?? SCAN_MAX_DEFAULT })
  const limit = query.bodyBytesMax ?? BODY_BYTES_DEFAULT
  return partial(
    { ...page.data, messages: page.data.messages.map((m) => toMessageView(m, limit)) },
    page.failures,
  )
}
