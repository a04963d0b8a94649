// Resetting a consumer group's offsets on one topic of a remote cluster, with a preview: per queue the current
// and new offset and how many messages that skips or replays. Applying goes through the broker
// (INVOKE_BROKER_TO_RESET_OFFSET) when the group is online, so its consumers take the new offsets; for an
// offline group (the broker answers CONSUMER_NOT_ONLINE) the stored offsets are overwritten queue by queue, as
// mqadmin resetOffsetByTime falls back to.
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

  if (preview.consumerOnline && timestampMs !== undefined) {
    const reset = await fanOut(nodes, (n) =>
      invokeBrokerToResetOffset(ctx.transport, n.addr, request.topic, request.group, timestampMs),
    )
    requireSome(reset)
    const applied = reset.results.filter((r) => r.value.status === 'RESET')
    // Every broker answering CONSUMER_NOT_ONLINE means the group went offline since the preview: the offline
    // path below applies instead.
    if (applied.length > 0) {
      const newOffsets = new Map(
        applied.flatMap((r) =>
          r.value.status === 'RESET'
            ? r.value.offsets.map((o) => [`${o.brokerName}:${o.queueId}`, o.offset] as const)
            : [],
        ),
      )
      const done = new Set(applied.map((r) => r.target.brokerName))
      const queues = preview.queues
        .filter((q) => done.has(q.brokerName))
        .map((q) => {
          const actual = newOffsets.get(`${q.brokerName}:${q.queueId}`)
          return actual === undefined
            ? q
            : change(q.brokerName, q.queueId, q.currentOffset, actual, q.minOffset, q.maxOffset)
        })
      return partial({ status: 'APPLIED', method: 'BROKER_RESET', queues }, [...failures, ...reset.failures])
    }
  }

  const byBroker = new Map(nodes.map((n) => [n.brokerName, n.addr]))
  const writes = await fanOut(
    preview.queues.map((q) => ({
      brokerName: `${q.brokerName} (queue ${q.queueId})`,
      addr: byBroker.get(q.brokerName)!,
      q,
    })),
    ({ addr, q }) =>
      updateConsumerOffset(ctx.transport, addr, request.group, request.topic, q.queueId, q.newOffset),
  )
  if (preview.queues.length > 0) requireSome(writes)
  return partial(
    { status: 'APPLIED', method: 'OFFSET_UPDATE', queues: writes.results.map((r) => r.target.q) },
    [...failures, ...writes.failures],
  )
}
