// Topics of a remote cluster: the list (one GET_ALL_TOPIC_CONFIG per master, never one call per topic), one
// topic's configs, route, queue offsets and consuming groups, and creating, updating and deleting topics.
import 'server-only'
import type {
  BrokerFailure,
  MutationOutcome,
  PartialResult,
  TopicBrokerConfig,
  TopicConfigInput,
  TopicConsumer,
  TopicRoute,
  TopicStats,
  TopicSummary,
} from '@/lib/cluster/gateway'
import { messageTypeOf, topicKindOf, type TopicNamespace } from '@/lib/cluster/classify-topic'
import {
  deleteTopicInBroker,
  deleteTopicInNameServer,
  getAllTopicConfig,
  getAllTopicListFromNameServer,
  getConsumeStats,
  getTopicConfig as getTopicConfigCall,
  getTopicStatsInfo,
  queryTopicConsumeByWho,
  updateAndCreateTopic,
  type WireClusterInfo,
  type WireTopicConfig,
  type WireTopicRoute,
} from './admin-client'
import {
  fanOut,
  mastersOf,
  orphanFailures,
  partial,
  readNodesOfRoute,
  requireSome,
  type BrokerTarget,
} from './fan-out'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError, RemoteClusterError } from './remote-error'

export const TOPIC_CONSUMER_GROUPS_MAX_DEFAULT = 100

function namespaceOf(info: WireClusterInfo): TopicNamespace {
  return {
    clusterNames: info.clusters.map((c) => c.clusterName),
    brokerNames: info.brokers.map((b) => b.brokerName),
  }
}

function brokerConfigOf(brokerName: string, wire: WireTopicConfig): TopicBrokerConfig {
  return {
    brokerName,
    readQueueNums: wire.readQueueNums,
    writeQueueNums: wire.writeQueueNums,
    perm: wire.perm,
    order: wire.order,
    topicSysFlag: wire.topicSysFlag,
    topicFilterType: wire.topicFilterType,
    attributes: wire.attributes,
  }
}

export function topicSummaryOf(
  topic: string,
  configs: readonly TopicBrokerConfig[],
  namespace: TopicNamespace,
): TopicSummary {
  const brokers = [...configs].sort((a, b) => a.brokerName.localeCompare(b.brokerName))
  return {
    topic,
    kind: topicKindOf(topic, namespace),
    messageType: messageTypeOf(brokers),
    brokers,
    readQueueNums: brokers.reduce((sum, c) => sum + c.readQueueNums, 0),
    writeQueueNums: brokers.reduce((sum, c) => sum + c.writeQueueNums, 0),
  }
}

/** Every topic: 1 GET_ALL_TOPIC_CONFIG per master, plus the NameServer's list for topics of silent brokers. */
export async function listTopics(ctx: RemoteContext): Promise<PartialResult<TopicSummary[]>> {
  const info = await ctx.routes.clusterInfo()
  const [tables, namesrvTopics] = await Promise.all([
    fanOut(mastersOf(info), (m) => getAllTopicConfig(ctx.transport, m.addr, { heavy: true })),
    // A NameServer may refuse the list (enableAllTopicList=false); the brokers' tables are the source of truth.
    getAllTopicListFromNameServer(ctx.transport).catch((err: unknown) => {
      if (isRemoteClusterError(err)) return [] as string[]
      throw err
    }),
  ])
  requireSome(tables)
  const byTopic = new Map<string, TopicBrokerConfig[]>()
  for (const { target, value } of tables.results) {
    for (const wire of value) {
      let configs = byTopic.get(wire.topicName)
      if (!configs) byTopic.set(wire.topicName, (configs = []))
      configs.push(brokerConfigOf(target.brokerName, wire))
    }
  }
  // Topics only the NameServer knows belong to brokers that did not answer; list them without configs.
  if (tables.failures.length > 0)
    for (const topic of namesrvTopics) if (!byTopic.has(topic)) byTopic.set(topic, [])
  const namespace = namespaceOf(info)
  const topics = [...byTopic.entries()]
    .map(([topic, configs]) => topicSummaryOf(topic, configs, namespace))
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
  return partial(topics, tables.failures)
}

export function routeOf(topic: string, wire: WireTopicRoute): TopicRoute {
  return {
    topic,
    brokers: wire.brokers
      .map((b) => ({ brokerName: b.brokerName, clusterName: b.cluster, addrs: { ...b.brokerAddrs } }))
      .sort((a, b) => a.brokerName.localeCompare(b.brokerName)),
    queues: wire.queues.map((q) => ({ ...q })).sort((a, b) => a.brokerName.localeCompare(b.brokerName)),
    orderTopicConf: wire.orderTopicConf,
  }
}

export async function getTopicRoute(ctx: RemoteContext, topic: string): Promise<TopicRoute | undefined> {
  const wire = await ctx.routes.route(topic)
  return wire && routeOf(topic, wire)
}

/** GET_TOPIC_CONFIG on a broker; brokers before 5.x lack it, so their whole table is read instead. */
async function topicConfigOn(
  ctx: RemoteContext,
  addr: string,
  topic: string,
): Promise<WireTopicConfig | undefined> {
  try {
    return await getTopicConfigCall(ctx.transport, addr, topic)
  } catch (err) {
    if (!isRemoteClusterError(err) || err.kind !== 'UNSUPPORTED') throw err
    const table = await getAllTopicConfig(ctx.transport, addr, { heavy: true })
    return table.find((c) => c.topicName === topic)
  }
}

export async function getTopicConfig(
  ctx: RemoteContext,
  topic: string,
): Promise<PartialResult<TopicSummary | undefined>> {
  const [info, route] = await Promise.all([ctx.routes.clusterInfo(), ctx.routes.route(topic)])
  if (!route) return partial(undefined, [])
  const outcome = requireSome(await fanOut(readNodesOfRoute(route), (n) => topicConfigOn(ctx, n.addr, topic)))
  const configs = outcome.results.flatMap(({ target, value }) =>
    value ? [brokerConfigOf(target.brokerName, value)] : [],
  )
  const failures = [...outcome.failures, ...orphanFailures(route)]
  if (configs.length === 0 && failures.length === 0) return partial(undefined, [])
  return partial(topicSummaryOf(topic, configs, namespaceOf(info)), failures)
}

export async function getTopicStats(
  ctx: RemoteContext,
  topic: string,
): Promise<PartialResult<TopicStats | undefined>> {
  const route = await ctx.routes.route(topic)
  if (!route) return partial(undefined, [])
  const outcome = requireSome(
    await fanOut(readNodesOfRoute(route), (n) => getTopicStatsInfo(ctx.transport, n.addr, topic)),
  )
  const answered = outcome.results.filter((r) => r.value !== undefined)
  const failures = [...outcome.failures, ...orphanFailures(route)]
  if (answered.length === 0 && failures.length === 0) return partial(undefined, [])
  const queues = answered
    .flatMap((r) => r.value!.map((q) => ({ ...q, brokerName: r.target.brokerName })))
    .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId)
  return partial(
    {
      topic,
      queues,
      messageCount: queues.reduce((sum, q) => sum + Math.max(0, q.maxOffset - q.minOffset), 0),
    },
    failures,
  )
}

/** Groups consuming `topic` and their lag on it: 1 call per broker, then 1 per (group, broker). */
export async function getTopicConsumers(
  ctx: RemoteContext,
  topic: string,
  groupsMax = TOPIC_CONSUMER_GROUPS_MAX_DEFAULT,
): Promise<PartialResult<TopicConsumer[]>> {
  const route = await ctx.routes.route(topic)
  if (!route) return partial([], [])
  const nodes = readNodesOfRoute(route)
  const who = requireSome(await fanOut(nodes, (n) => queryTopicConsumeByWho(ctx.transport, n.addr, topic)))
  const allGroups = [...new Set(who.results.flatMap((r) => r.value))].sort()
  const groups = allGroups.slice(0, groupsMax)
  const failures: BrokerFailure[] = [...who.failures, ...orphanFailures(route)]
  if (allGroups.length > groups.length)
    failures.push({
      broker: 'all',
      reason: `${allGroups.length - groups.length} more consuming groups were not read`,
    })
  const targets = groups.flatMap((group) =>
    nodes.map((node) => ({ brokerName: `${node.brokerName} (group ${group})`, addr: node.addr, group })),
  )
  const stats = await fanOut(targets, (target) =>
    getConsumeStats(ctx.transport, target.addr, target.group, topic),
  )
  const byGroup = new Map<string, { lag: number; consumeTps: number; lastConsumeTimestampMs: number }>(
    groups.map((g) => [g, { lag: 0, consumeTps: 0, lastConsumeTimestampMs: 0 }]),
  )
  for (const { target, value } of stats.results) {
    const acc = byGroup.get(target.group)!
    if (!value) continue
    acc.consumeTps += value.consumeTps
    for (const q of value.queues) {
      if (q.topic !== topic) continue
      acc.lag += Math.max(0, q.brokerOffset - q.consumerOffset)
      acc.lastConsumeTimestampMs = Math.max(acc.lastConsumeTimestampMs, q.lastTimestampMs)
    }
  }
  for (const f of stats.failures) if (!failures.some((g) => g.broker === f.broker)) failures.push(f)
  return partial(
    [...byGroup.entries()].map(([group, acc]) => ({ group, ...acc })),
    failures,
  )
}

/** The masters a topic or group mutation goes to: named brokers, one cluster's, or the only cluster's. */
export function mutationTargets(
  info: WireClusterInfo,
  input: { readonly clusterName?: string; readonly brokerNames?: readonly string[] },
): BrokerTarget[] {
  if (input.brokerNames) {
    const masters = mastersOf(info)
    const unknown = input.brokerNames.filter((name) => !masters.some((m) => m.brokerName === name))
    if (unknown.length > 0)
      throw new RemoteClusterError(
        'INVALID_REQUEST',
        `no master broker named ${unknown.join(', ')} in this cluster`,
      )
    return masters.filter((m) => input.brokerNames!.includes(m.brokerName))
  }
  if (input.clusterName !== undefined) {
    if (!info.clusters.some((c) => c.clusterName === input.clusterName))
      throw new RemoteClusterError('INVALID_REQUEST', `no cluster named ${input.clusterName}`)
    return mastersOf(info, input.clusterName)
  }
  if (info.clusters.length > 1)
    throw new RemoteClusterError(
      'INVALID_REQUEST',
      `this NameServer serves ${info.clusters.length} clusters (${info.clusters.map((c) => c.clusterName).join(', ')}); choose one`,
    )
  return mastersOf(info)
}

/** Applies a mutation on every target; throws when it failed on all of them. */
export async function mutateEach(
  targets: readonly BrokerTarget[],
  apply: (target: BrokerTarget) => Promise<void>,
): Promise<PartialResult<MutationOutcome>> {
  if (targets.length === 0)
    throw new RemoteClusterError('NOT_FOUND', 'no master broker to apply the change on')
  const outcome = requireSome(await fanOut(targets, apply))
  return partial({ brokerNames: outcome.results.map((r) => r.target.brokerName) }, outcome.failures)
}

export async function createOrUpdateTopic(
  ctx: RemoteContext,
  input: TopicConfigInput,
): Promise<PartialResult<MutationOutcome>> {
  const targets = mutationTargets(await ctx.routes.clusterInfo(), input)
  try {
    return await mutateEach(targets, (m) =>
      updateAndCreateTopic(ctx.transport, m.addr, {
        topic: input.topic,
        readQueueNums: input.readQueueNums,
        writeQueueNums: input.writeQueueNums,
        perm: input.perm,
        order: input.order ?? input.messageType === 'FIFO',
        attributes: input.messageType === undefined ? undefined : `+message.type=${input.messageType}`,
      }),
    )
  } finally {
    ctx.routes.invalidate(input.topic)
  }
}

/** Deletes `topic` on every master holding it (215), then on every NameServer (216), as mqadmin does. */
export async function deleteTopic(
  ctx: RemoteContext,
  topic: string,
  clusterName?: string,
): Promise<PartialResult<MutationOutcome>> {
  const [info, route] = await Promise.all([ctx.routes.clusterInfo(), ctx.routes.route(topic)])
  const clusterBrokers =
    clusterName === undefined
      ? undefined
      : info.clusters.find((c) => c.clusterName === clusterName)?.brokerNames
  if (clusterName !== undefined && !clusterBrokers)
    throw new RemoteClusterError('INVALID_REQUEST', `no cluster named ${clusterName}`)
  const holders = route ? new Set(route.brokers.map((b) => b.brokerName)) : undefined
  const targets = mastersOf(info, clusterName).filter((m) => !holders || holders.has(m.brokerName))
  try {
    const brokers = await mutateEach(targets, (m) => deleteTopicInBroker(ctx.transport, m.addr, topic))
    const namesrvs = await fanOut(
      ctx.transport.namesrvAddrs.map((addr) => ({ brokerName: `NameServer ${addr}`, addr })),
      (n) => deleteTopicInNameServer(ctx.transport, n.addr, topic, clusterName),
    )
    return partial(brokers.data, [...brokers.failures, ...namesrvs.failures])
  } finally {
    ctx.routes.invalidate(topic)
  }
}
