// Consumer groups and producers of a remote cluster. The group list costs two calls per master whatever the
// group count (every config, every group's consume stats); details fan out over masters only.
import 'server-only'
import { dlqTopicOf, isSystemGroup, retryTopicOf } from '@/broker-engine/index'
import type {
  BrokerFailure,
  Capability,
  ConsumeStats,
  ConsumerConnections,
  ConsumerGroupConfig,
  ConsumerGroupDetail,
  ConsumerGroupInput,
  ConsumerGroupSummary,
  ConsumerMember,
  GroupTopicProgress,
  MutationOutcome,
  PartialResult,
  ProducerConnection,
  ProducerGroupInfo,
  QueueConsumeProgress,
  SubscriptionInfo,
} from '@/lib/cluster/gateway'
import {
  deleteSubscriptionGroup,
  deleteTopicInBroker,
  deleteTopicInNameServer,
  getAllProducerInfo,
  getAllSubscriptionGroupConfig,
  getBrokerConsumeStats,
  getConsumeStats as getConsumeStatsCall,
  getConsumerConnectionList,
  getProducerConnectionList,
  getSubscriptionGroupConfig,
  updateAndCreateSubscriptionGroup,
  WIRE_GROUP_DEFAULTS,
  type WireConsumeStats,
  type WireQueueProgress,
  type WireSubscriptionGroup,
} from './admin-client'
import { fanOut, mastersOf, partial, requireSome } from './fan-out'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'
import { mutateEach, mutationTargets } from './topic-admin'

function mergeFailures(...lists: readonly (readonly BrokerFailure[])[]): BrokerFailure[] {
  const out: BrokerFailure[] = []
  for (const list of lists) for (const f of list) if (!out.some((g) => g.broker === f.broker)) out.push(f)
  return out
}

function configOf(wire: WireSubscriptionGroup, brokerNames: string[]): ConsumerGroupConfig {
  return {
    group: wire.groupName,
    consumeEnable: wire.consumeEnable,
    consumeBroadcastEnable: wire.consumeBroadcastEnable,
    consumeMessageOrderly: wire.consumeMessageOrderly,
    consumeFromMinEnable: wire.consumeFromMinEnable,
    retryMaxTimes: wire.retryMaxTimes,
    retryQueueNums: wire.retryQueueNums,
    brokerId: wire.brokerId,
    whichBrokerWhenConsumeSlowly: wire.whichBrokerWhenConsumeSlowly,
    notifyConsumerIdsChangedEnable: wire.notifyConsumerIdsChangedEnable,
    brokerNames: [...brokerNames].sort(),
  }
}

function progressOf(q: WireQueueProgress): QueueConsumeProgress {
  return { ...q, lag: Math.max(0, q.brokerOffset - q.consumerOffset) }
}

function byQueue(a: QueueConsumeProgress, b: QueueConsumeProgress): number {
  return a.topic.localeCompare(b.topic) || a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId
}

/** Per-topic sums of a group's queues. */
export function topicProgressOf(queues: readonly QueueConsumeProgress[]): GroupTopicProgress[] {
  const byTopic = new Map<
    string,
    { brokerOffset: number; consumerOffset: number; lag: number; lastTimestampMs: number }
  >()
  for (const q of queues) {
    let acc = byTopic.get(q.topic)
    if (!acc) byTopic.set(q.topic, (acc = { brokerOffset: 0, consumerOffset: 0, lag: 0, lastTimestampMs: 0 }))
    acc.brokerOffset += q.brokerOffset
    acc.consumerOffset += q.consumerOffset
    acc.lag += q.lag
    acc.lastTimestampMs = Math.max(acc.lastTimestampMs, q.lastTimestampMs)
  }
  return [...byTopic.entries()]
    .map(([topic, acc]) => ({ topic, ...acc }))
    .sort((a, b) => a.topic.localeCompare(b.topic))
}

/** Every group: GET_ALL_SUBSCRIPTIONGROUP_CONFIG and GET_BROKER_CONSUME_STATS, once per master. */
export async function listConsumerGroups(ctx: RemoteContext): Promise<PartialResult<ConsumerGroupSummary[]>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const heavy = { heavy: true }
  const [configs, stats] = await Promise.all([
    fanOut(masters, (m) => getAllSubscriptionGroupConfig(ctx.transport, m.addr, heavy)),
    fanOut(masters, (m) => getBrokerConsumeStats(ctx.transport, m.addr, heavy)),
  ])
  if (configs.results.length === 0 && stats.results.length === 0) requireSome(configs)
  const groups = new Map<
    string,
    { config?: WireSubscriptionGroup; brokers: string[]; tps: number; queues: QueueConsumeProgress[] }
  >()
  const entry = (group: string) => {
    let e = groups.get(group)
    if (!e) groups.set(group, (e = { brokers: [], tps: 0, queues: [] }))
    return e
  }
  for (const { target, value } of configs.results) {
    for (const wire of value) {
      const e = entry(wire.groupName)
      e.config ??= wire
      e.brokers.push(target.brokerName)
    }
  }
  for (const { value } of stats.results) {
    for (const { group, stats: perTopic } of value) {
      const e = entry(group)
      for (const s of perTopic) {
        e.tps += s.consumeTps
        e.queues.push(...s.queues.map(progressOf))
      }
    }
  }
  const summaries = [...groups.entries()]
    .map(([group, e]): ConsumerGroupSummary => {
      const topics = topicProgressOf(e.queues)
      return {
        group,
        system: isSystemGroup(group),
        config: e.config && configOf(e.config, e.brokers),
        lag: topics.reduce((sum, t) => sum + t.lag, 0),
        consumeTps: e.tps,
        topics,
      }
    })
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
  return partial(summaries, mergeFailures(configs.failures, stats.failures))
}

function statsOf(group: string, parts: readonly (WireConsumeStats | undefined)[]): ConsumeStats {
  const queues = parts.flatMap((p) => p?.queues.map(progressOf) ?? []).sort(byQueue)
  return {
    group,
    consumeTps: parts.reduce((sum, p) => sum + (p?.consumeTps ?? 0), 0),
    lag: queues.reduce((sum, q) => sum + q.lag, 0),
    queues,
  }
}

/** GET_CONSUME_STATS on every master, merged. */
export async function getConsumeStats(
  ctx: RemoteContext,
  group: string,
  topic?: string,
): Promise<PartialResult<ConsumeStats>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const outcome = requireSome(
    await fanOut(masters, (m) => getConsumeStatsCall(ctx.transport, m.addr, group, topic)),
  )
  return partial(
    statsOf(
      group,
      outcome.results.map((r) => r.value),
    ),
    outcome.failures,
  )
}

/** GET_CONSUMER_CONNECTION_LIST on every master: members and subscriptions merged (clients heartbeat each). */
export async function getConsumerConnections(
  ctx: RemoteContext,
  group: string,
): Promise<PartialResult<ConsumerConnections>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const outcome = requireSome(
    await fanOut(masters, (m) => getConsumerConnectionList(ctx.transport, m.addr, group)),
  )
  const members = new Map<string, ConsumerMember>()
  const subscriptions = new Map<string, SubscriptionInfo>()
  let consumeType: string | undefined
  let messageModel: string | undefined
  let consumeFromWhere: string | undefined
  for (const { value } of outcome.results) {
    if (!value) continue
    consumeType ??= value.consumeType
    messageModel ??= value.messageModel
    consumeFromWhere ??= value.consumeFromWhere
    for (const c of value.connections) members.set(c.clientId, { ...c })
    for (const s of value.subscriptions)
      subscriptions.set(s.topic, {
        topic: s.topic,
        expression: s.subString,
        expressionType: s.expressionType,
        tags: [...s.tagsSet],
        subVersion: s.subVersion,
      })
  }
  return partial(
    {
      group,
      online: members.size > 0,
      consumeType,
      messageModel,
      consumeFromWhere,
      members: [...members.values()].sort((a, b) => a.clientId.localeCompare(b.clientId)),
      subscriptions: [...subscriptions.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    },
    outcome.failures,
  )
}

/** GET_SUBSCRIPTIONGROUP_CONFIG; brokers before 5.x lack it, so their whole group table is read instead. */
async function groupConfigOn(
  ctx: RemoteContext,
  addr: string,
  group: string,
): Promise<WireSubscriptionGroup | undefined> {
  try {
    return await getSubscriptionGroupConfig(ctx.transport, addr, group)
  } catch (err) {
    if (!isRemoteClusterError(err) || err.kind !== 'UNSUPPORTED') throw err
    const table = await getAllSubscriptionGroupConfig(ctx.transport, addr, { heavy: true })
    return table.find((g) => g.groupName === group)
  }
}

export async function getConsumerGroup(
  ctx: RemoteContext,
  group: string,
): Promise<PartialResult<ConsumerGroupDetail>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const [configs, stats, connections] = await Promise.all([
    fanOut(masters, (m) => groupConfigOn(ctx, m.addr, group)),
    getConsumeStats(ctx, group),
    getConsumerConnections(ctx, group),
  ])
  const holders = configs.results.filter((r) => r.value !== undefined)
  const first = holders[0]?.value
  return partial(
    {
      group,
      config:
        first &&
        configOf(
          first,
          holders.map((r) => r.target.brokerName),
        ),
      stats: stats.data,
      connections: connections.data,
    },
    mergeFailures(configs.failures, stats.failures, connections.failures),
  )
}

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP per master: fields not given keep the broker's current value. */
export async function createOrUpdateConsumerGroup(
  ctx: RemoteContext,
  input: ConsumerGroupInput,
): Promise<PartialResult<MutationOutcome>> {
  const targets = mutationTargets(await ctx.routes.clusterInfo(), input)
  return mutateEach(targets, async (m) => {
    const current = await groupConfigOn(ctx, m.addr, input.group)
    const config: WireSubscriptionGroup = {
      ...WIRE_GROUP_DEFAULTS,
      ...current,
      groupName: input.group,
      ...(input.consumeEnable !== undefined ? { consumeEnable: input.consumeEnable } : {}),
      ...(input.consumeBroadcastEnable !== undefined
        ? { consumeBroadcastEnable: input.consumeBroadcastEnable }
        : {}),
      ...(input.consumeMessageOrderly !== undefined
        ? { consumeMessageOrderly: input.consumeMessageOrderly }
        : {}),
      ...(input.retryMaxTimes !== undefined ? { retryMaxTimes: input.retryMaxTimes } : {}),
      ...(input.retryQueueNums !== undefined ? { retryQueueNums: input.retryQueueNums } : {}),
    }
    await updateAndCreateSubscriptionGroup(ctx.transport, m.addr, config)
  })
}

/** DELETE_SUBSCRIPTIONGROUP per master, then (optionally) the group's %RETRY% and %DLQ% topics. */
export async function deleteConsumerGroup(
  ctx: RemoteContext,
  group: string,
  options: { removeOffsets?: boolean; deleteRetryAndDlqTopics?: boolean },
): Promise<PartialResult<MutationOutcome>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const topics = options.deleteRetryAndDlqTopics ? [retryTopicOf(group), dlqTopicOf(group)] : []
  try {
    const brokers = await mutateEach(masters, async (m) => {
      await deleteSubscriptionGroup(ctx.transport, m.addr, group, options.removeOffsets ?? false)
      for (const topic of topics) await deleteTopicInBroker(ctx.transport, m.addr, topic)
    })
    const namesrvTargets = ctx.transport.namesrvAddrs.map((addr) => ({
      brokerName: `NameServer ${addr}`,
      addr,
    }))
    const namesrvs = await fanOut(namesrvTargets, async (n) => {
      for (const topic of topics) await deleteTopicInNameServer(ctx.transport, n.addr, topic)
    })
    return partial(brokers.data, mergeFailures(brokers.failures, namesrvs.failures))
  } finally {
    for (const topic of topics) ctx.routes.invalidate(topic)
  }
}

/** GET_ALL_PRODUCER_INFO per master (5.x); unsupported when every broker lacks it. */
export async function listProducers(
  ctx: RemoteContext,
): Promise<Capability<PartialResult<ProducerGroupInfo[]>>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const outcome = await fanOut(masters, (m) => getAllProducerInfo(ctx.transport, m.addr))
  if (
    outcome.results.length === 0 &&
    outcome.errors.length > 0 &&
    outcome.errors.every((e) => e.kind === 'UNSUPPORTED')
  )
    return {
      supported: false,
      reason:
        'these brokers cannot list producers (GET_ALL_PRODUCER_INFO needs RocketMQ 5); look a producer group up by name',
    }
  requireSome(outcome)
  const byGroup = new Map<string, Map<string, ProducerConnection>>()
  for (const { value } of outcome.results) {
    for (const { group, connections } of value) {
      let members = byGroup.get(group)
      if (!members) byGroup.set(group, (members = new Map<string, ProducerConnection>()))
      for (const c of connections) members.set(c.clientId, { producerGroup: group, ...c })
    }
  }
  const groups = [...byGroup.entries()]
    .map(([producerGroup, members]) => ({
      producerGroup,
      connections: [...members.values()].sort((a, b) => a.clientId.localeCompare(b.clientId)),
    }))
    .sort((a, b) => a.producerGroup.localeCompare(b.producerGroup))
  return { supported: true, value: partial(groups, outcome.failures) }
}

export async function getProducerConnections(
  ctx: RemoteContext,
  producerGroup: string,
): Promise<PartialResult<ProducerConnection[]>> {
  const masters = mastersOf(await ctx.routes.clusterInfo())
  const outcome = requireSome(
    await fanOut(masters, (m) => getProducerConnectionList(ctx.transport, m.addr, producerGroup)),
  )
  const members = new Map<string, ProducerConnection>()
  for (const { value } of outcome.results)
    for (const c of value) members.set(c.clientId, { producerGroup, ...c, lastUpdateTimestampMs: undefined })
  return partial(
    [...members.values()].sort((a, b) => a.clientId.localeCompare(b.clientId)),
    outcome.failures,
  )
}
