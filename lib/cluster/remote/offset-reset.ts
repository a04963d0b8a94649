// Resetting a consumer group's offsets on one topic of a remote cluster, with a preview: per queue the current
// and new offset and how many messages that skips or replays. Applying goes through the broker
// (INVOKE_BROKER_TO_RESET_OFFSET), so online consumers take the new offsets and 5.x brokers record them for
// offline groups too; where a 4.x broker answers CONSUMER_NOT_ONLINE the stored offsets are overwritten queue by
// queue, as mqadmin resetOffsetByTime falls back to.
import 'server-only'
import type {
  BrokerFailure,
  OffsetResetOutcome,
  OffsetResetPreview,
  OffsetResetRequest,
  PartialResult,
  QueueOffsetChange,
} from '@/lib/cluster/gateway'
import {
  getConsumeStats,
  getConsumerConnectionList,
  getTopicStatsInfo,
  invokeBrokerToResetOffset,
  searchOffsetByTimestamp,
  updateConsumerOffset,
} from './admin-client'
import { fanOut, orphanFailures, partial, readNodesOfRoute, requireSome, type BrokerTarget } from './fan-out'
import type { RemoteContext } from './remote-context'
import { RemoteClusterError } from './remote-error'

function change(
  brokerName: string,
  queueId: number,
  currentOffset: number,
  requested: number,
  minOffset: number,
  maxOffset: number,
): QueueOffsetChange {
  const newOffset = Math.min(Math.max(requested, minOffset), maxOffset)
  return {
    brokerName,
    queueId,
    currentOffset,
    newOffset,
    minOffset,
    maxOffset,
    skipped: Math.max(0, newOffset - currentOffset),
    replayed: Math.max(0, currentOffset - newOffset),
    clamped: newOffset !== requested,
  }
}

interface PreviewParts {
  readonly preview: OffsetResetPreview
  readonly nodes: readonly BrokerTarget[]
  readonly failures: readonly BrokerFailure[]
}

async function computePreview(ctx: RemoteContext, request: OffsetResetRequest): Promise<PreviewParts> {
  const { group, topic, target } = request
  const route = await ctx.routes.route(topic)
  if (!route) throw new RemoteClusterError('NOT_FOUND', `topic ${topic} has no route`)
  const nodes = readNodesOfRoute(route)
  const failures: BrokerFailure[] = [...orphanFailures(route)]
  // Per broker: the queues' min/max offsets, the group's offsets, and whether a consumer of the group is online.
  const perBroker = requireSome(
    await fanOut(nodes, async (n) => {
      const [queues, stats, connections] = await Promise.all([
        getTopicStatsInfo(ctx.transport, n.addr, topic),
        getConsumeStats(ctx.transport, n.addr, group, topic),
        getConsumerConnectionList(ctx.transport, n.addr, group),
      ])
      return { queues: queues ?? [], stats, online: (connections?.connections.length ?? 0) > 0 }
    }),
  )
  failures.push(...perBroker.failures)
  const explicit =
    target.kind === 'EXPLICIT'
      ? new Map(target.offsets.map((o) => [`${o.brokerName}:${o.queueId}`, o.queueOffset]))
      : undefined
  const rows = await fanOut(
    perBroker.results.flatMap(({ target: node, value }) =>
      value.queues.map((q) => ({ ...node, queue: q, stats: value.stats })),
    ),
    async ({ brokerName, addr, queue, stats }): Promise<QueueOffsetChange | undefined> => {
      const current =
        stats?.queues.find((s) => s.topic === topic && s.queueId === queue.queueId)?.consumerOffset ?? 0
      let requested: number
      switch (target.kind) {
        case 'EARLIEST':
          requested = queue.minOffset
          break
        case 'LATEST':
          requested = queue.maxOffset
          break
        case 'TIMESTAMP':
          requested = await searchOffsetByTimestamp(
            ctx.transport,
            addr,
            topic,
            queue.queueId,
            target.timestampMs,
          )
          break
        case 'EXPLICIT': {
          const given = explicit!.get(`${brokerName}:${queue.queueId}`)
          if (given === undefined) return undefined
          requested = given
          break
        }
      }
      return change(brokerName, queue.queueId, current, requested, queue.minOffset, queue.maxOffset)
    },
  )
  failures.push(...rows.failures)
  const queues = rows.results
    .flatMap((r) => (r.value ? [r.value] : []))
    .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId)
  if (explicit) {
    const unknown = [...explicit.keys()].filter(
      (key) => !queues.some((q) => `${q.brokerName}:${q.queueId}` === key),
    )
    if (unknown.length > 0)
      throw new RemoteClusterError('INVALID_REQUEST', `topic ${topic} has no queue ${unknown.join(', ')}`)
  }
  return {
    preview: {
      group,
      topic,
      consumerOnline: perBroker.results.some((r) => r.value.online),
      queues,
      skippedTotal: queues.reduce((sum, q) => sum + q.skipped, 0),
      replayedTotal: queues.reduce((sum, q) => sum + q.replayed, 0),
    },
    nodes: perBroker.results.map((r) => r.target),
    failures,
  }
}

export async function previewOffsetReset(
  ctx: RemoteContext,
  request: OffsetResetRequest,
): Promise<PartialResult<OffsetResetPreview>> {
  const { preview, failures } = await computePreview(ctx, request)
  return partial(preview, failures)
}

/** The timestamp INVOKE_BROKER_TO_RESET_OFFSET takes for a target (−1 = the max offset, 0 = the earliest). */
function brokerTimestampOf(request: OffsetResetRequest): number | undefined {
  switch (request.target.kind) {
    case 'TIMESTAMP':
      return request.target.timestampMs
    case 'EARLIEST':
      return 0
    case 'LATEST':
      return -1
    case 'EXPLICIT':
      return undefined
  }
}

/**
 * Overwrites the stored offsets of these queues (UPDATE_CONSUMER_OFFSET), as mqadmin's resetOffsetByTimeOld does
 * for a group a 4.x broker reports offline.
 */
async function updateOffsets(
  ctx: RemoteContext,
  request: OffsetResetRequest,
  byBroker: ReadonlyMap<string, string>,
  queues: readonly QueueOffsetChange[],
): Promise<{ applied: QueueOffsetChange[]; failures: readonly BrokerFailure[] }> {
  const writes = await fanOut(
    queues.map((q) => ({
      brokerName: `${q.brokerName} (queue ${q.queueId})`,
      addr: byBroker.get(q.brokerName)!,
      q,
    })),
    ({ addr, q }) =>
      updateConsumerOffset(ctx.transport, addr, request.group, request.topic, q.queueId, q.newOffset),
  )
  if (queues.length > 0) requireSome(writes)
  return { applied: writes.results.map((r) => r.target.q), failures: writes.failures }
}

/**
 * Applies a reset the way mqadmin resetOffsetByTime does: INVOKE_BROKER_TO_RESET_OFFSET on every broker of the
 * topic, online group or not. A 4.x broker resets an online group's consumers and answers CONSUMER_NOT_ONLINE
 * for an offline one, whose queues on that broker are then overwritten with UPDATE_CONSUMER_OFFSET. A 5.x broker
 * (useServerSideResetOffset) resets the group either way, and then ignores UPDATE_CONSUMER_OFFSET on those
 * queues until the group pulls again, so overwriting alone would be lost there. Explicit per-queue offsets go to
 * each queue the same way (5.x takes a queueId and offset; see invokeBrokerToResetOffset for 4.x).
 */
export async function resetOffset(
  ctx: RemoteContext,
  request: OffsetResetRequest,
): Promise<PartialResult<OffsetResetOutcome>> {
  const { preview, nodes, failures } = await computePreview(ctx, request)
  const timestampMs = brokerTimestampOf(request)
  if (preview.consumerOnline && timestampMs === undefined)
    return partial(
      {
        status: 'REFUSED',
        reason:
          'explicit per-queue offsets can only be written while the group is offline (its consumers would ' +
          'overwrite them); stop its consumers, or reset by time, earliest or latest',
      },
      failures,
    )
  const byBroker = new Map(nodes.map((n) => [n.brokerName, n.addr]))
  const allFailures: BrokerFailure[] = [...failures]
  const viaBroker: QueueOffsetChange[] = []
  let toUpdate: QueueOffsetChange[]

  if (timestampMs !== undefined) {
    const reset = await fanOut(nodes, (n) =>
      invokeBrokerToResetOffset(ctx.transport, n.addr, request.topic, request.group, timestampMs),
    )
    requireSome(reset)
    allFailures.push(...reset.failures)
    const notOnline = new Set<string>()
    for (const { target, value } of reset.results) {
      if (value.status === 'CONSUMER_NOT_ONLINE') {
        notOnline.add(target.brokerName)
        continue
      }
      const actual = new Map(value.offsets.map((o) => [o.queueId, o.offset]))
      for (const q of preview.queues.filter((x) => x.brokerName === target.brokerName)) {
        const offset = actual.get(q.queueId)
        viaBroker.push(
          offset === undefined
            ? q
            : change(q.brokerName, q.queueId, q.currentOffset, offset, q.minOffset, q.maxOffset),
        )
      }
    }
    toUpdate = preview.queues.filter((q) => notOnline.has(q.brokerName))
  } else {
    const perQueue = await fanOut(
      preview.queues.map((q) => ({
        brokerName: `${q.brokerName} (queue ${q.queueId})`,
        addr: byBroker.get(q.brokerName)!,
        q,
      })),
      ({ addr, q }) =>
        invokeBrokerToResetOffset(ctx.transport, addr, request.topic, request.group, -1, {
          queueId: q.queueId,
          offset: q.newOffset,
        }),
    )
    if (preview.queues.length > 0) requireSome(perQueue)
    allFailures.push(...perQueue.failures)
    toUpdate = []
    for (const { target, value } of perQueue.results) {
      if (value.status === 'CONSUMER_NOT_ONLINE') toUpdate.push(target.q)
      else if (value.offsets.some((o) => o.queueId === target.q.queueId && o.offset === target.q.newOffset))
        viaBroker.push(target.q)
      else
        allFailures.push({
          broker: target.brokerName,
          reason: 'the group came online; explicit offsets can only be written while it is offline',
        })
    }
  }

  const updated = await updateOffsets(ctx, request, byBroker, toUpdate)
  allFailures.push(...updated.failures)
  const queues = [...viaBroker, ...updated.applied].sort(
    (a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId,
  )
  return partial(
    { status: 'APPLIED', method: viaBroker.length > 0 ? 'BROKER_RESET' : 'OFFSET_UPDATE', queues },
    allFailures,
  )
}
