// Topic administration from the console: create, update and delete a topic, each one runMutation (role check,
// read-only cluster, audit row, idempotency key), and the impact preview a delete dialog shows first.
import 'server-only'
import { z } from 'zod'
import { TOPIC_QUEUE_NUMS_MAX } from '@/broker-engine/index'
import type {
  BrokerFailure,
  TopicConfigInput,
  TopicConsumer,
  TopicKind,
  TopicSummary,
} from '@/lib/cluster/gateway'
import { topicConfigInputSchema, topicName } from '@/lib/cluster/gateway-schemas'
import { AppError } from '@/lib/errors'
import { METRIC } from '@/lib/metrics/metric-names'
import type { ConsoleContext } from './console-context'
import {
  checkConfirmation,
  idempotencyKeySchema,
  normalizePlacement,
  ONE_PLACEMENT_ERROR,
  onePlacement,
  parseInput,
  placementFields,
  wholeNumber,
} from './admin-input'
import { brokerMutationService, type BrokerMutationResult } from './admin-mutation'
import { mergeFailures } from './failures'

/** Read, write or both: PermName bits 4 and 2 (inherit and priority bits are not offered). */
export const TOPIC_PERMS = ['R', 'W', 'RW'] as const
export type TopicPerm = (typeof TOPIC_PERMS)[number]
const PERM_BITS: Readonly<Record<TopicPerm, number>> = { R: 4, W: 2, RW: 6 }

/** The message types a console user picks from (MIXED is for migrations, not new topics). */
export const TOPIC_FORM_MESSAGE_TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'] as const
export type TopicFormMessageType = (typeof TOPIC_FORM_MESSAGE_TYPES)[number]

const queueNums = (label: string) => wholeNumber(label, 1, TOPIC_QUEUE_NUMS_MAX)

const topicSettings = {
  readQueueNums: queueNums('read queues'),
  writeQueueNums: queueNums('write queues'),
  perm: z.enum(TOPIC_PERMS, { error: 'perm is R, W or RW' }),
  messageType: z.enum(TOPIC_FORM_MESSAGE_TYPES, { error: 'pick a message type' }),
}

export const createTopicInputSchema = z
  .object({
    idempotencyKey: idempotencyKeySchema,
    topic: topicName,
    ...topicSettings,
    ...placementFields,
  })
  .transform(normalizePlacement)
  .refine(onePlacement, ONE_PLACEMENT_ERROR)

export const updateTopicInputSchema = z.object({
  idempotencyKey: idempotencyKeySchema,
  topic: topicName,
  ...topicSettings,
})

export const deleteTopicInputSchema = z
  .object({ idempotencyKey: idempotencyKeySchema, topic: topicName, confirm: z.string().max(300) })
  .superRefine((v, ctx) => checkConfirmation(v, v.topic, ctx))

export type CreateTopicInput = z.input<typeof createTopicInputSchema>
export type UpdateTopicInput = z.input<typeof updateTopicInputSchema>
export type DeleteTopicInput = z.input<typeof deleteTopicInputSchema>
export type TopicMutationResult = BrokerMutationResult

/** The PermName bits of a perm choice. */
export function permBitsOf(perm: TopicPerm): number {
  return PERM_BITS[perm]
}

/** The config the gateway writes: FIFO topics also get 4.x's `order` flag, which is what makes them FIFO there. */
function configOf(
  v: z.output<typeof updateTopicInputSchema>,
  where: Pick<TopicConfigInput, 'clusterName' | 'brokerNames'>,
): TopicConfigInput {
  return parseInput(topicConfigInputSchema, {
    topic: v.topic,
    readQueueNums: v.readQueueNums,
    writeQueueNums: v.writeQueueNums,
    perm: permBitsOf(v.perm),
    order: v.messageType === 'FIFO',
    messageType: v.messageType,
    ...(where.clusterName ? { clusterName: where.clusterName } : {}),
    ...(where.brokerNames ? { brokerNames: where.brokerNames } : {}),
  })
}

async function existingTopic(ctx: ConsoleContext, topic: string): Promise<TopicSummary | undefined> {
  return (await ctx.gateway.getTopicConfig(topic)).data
}

function topicTarget(v: { topic: string; idempotencyKey: string }) {
  return { targetType: 'topic', targetId: v.topic, idempotencyKey: v.idempotencyKey } as const
}

function refuseSystemTopic(summary: TopicSummary | undefined, topic: string, verb: string): void {
  if (summary?.kind === 'SYSTEM') {
    throw new AppError(
      'VALIDATION_FAILED',
      `${topic} is one of RocketMQ's own topics; the console does not ${verb} it`,
    )
  }
}

/** Creates a topic (CONFLICT when it exists: edit it instead). Admin only. */
export const createTopic = brokerMutationService(createTopicInputSchema, (v, ctx) => {
  const config = configOf(v, { clusterName: v.clusterName, brokerNames: v.brokerNames })
  return {
    action: 'topic.create',
    ...topicTarget(v),
    request: { ...config },
    what: `creating topic ${v.topic}`,
    run: async () => {
      if (await existingTopic(ctx, v.topic)) {
        throw new AppError('CONFLICT', `topic ${v.topic} already exists; edit it instead`, {
          fieldErrors: { topic: ['a topic with this name exists'] },
        })
      }
      return ctx.gateway.createOrUpdateTopic(config)
    },
  }
})

/** Changes a topic's queues, perm and message type on the brokers that hold it (NOT_FOUND when none). Admin only. */
export const updateTopic = brokerMutationService(updateTopicInputSchema, (v, ctx) => {
  const request = configOf(v, {})
  return {
    action: 'topic.update',
    ...topicTarget(v),
    request: { ...request },
    what: `updating topic ${v.topic}`,
    run: async () => {
      const current = await existingTopic(ctx, v.topic)
      if (!current || current.brokers.length === 0) {
        throw new AppError('NOT_FOUND', `topic ${v.topic} does not exist on cluster ${ctx.cluster}`)
      }
      refuseSystemTopic(current, v.topic, 'change')
      // Only where it is now: an update never spreads the topic to brokers it was not on.
      return ctx.gateway.createOrUpdateTopic(
        configOf(v, { brokerNames: current.brokers.map((b) => b.brokerName) }),
      )
    },
  }
})

/** Deletes a topic from its brokers and the NameServers; `confirm` must repeat its name. Admin only. */
export const deleteTopic = brokerMutationService(deleteTopicInputSchema, (v, ctx) => ({
  action: 'topic.delete',
  ...topicTarget(v),
  request: { topic: v.topic },
  what: `deleting topic ${v.topic}`,
  run: async () => {
    const [current, route] = await Promise.all([
      existingTopic(ctx, v.topic),
      ctx.gateway.getTopicRoute(v.topic),
    ])
    if (!current && !route) {
      throw new AppError('NOT_FOUND', `topic ${v.topic} does not exist on cluster ${ctx.cluster}`)
    }
    refuseSystemTopic(current, v.topic, 'delete')
    return ctx.gateway.deleteTopic(v.topic)
  },
}))

// ---------------------------------------------------------------------------------------------------------------

/** What deleting a topic would break, for the delete dialog. */
export interface TopicDeleteImpact {
  readonly topic: string
  readonly exists: boolean
  readonly kind: TopicKind | undefined
  readonly brokerNames: readonly string[]
  /** Groups with offsets on the topic, most lag first. */
  readonly consumers: readonly TopicConsumer[]
  readonly totalLag: number
  /** Messages held (Σ max − min offset); undefined when no broker answered. */
  readonly messageCount: number | undefined
  /** Newest put-TPS sample from the metrics history; undefined when there is none. */
  readonly putTps: number | undefined
  readonly putTpsAtMs: number | undefined
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

export const topicImpactInputSchema = z.object({ topic: topicName })

/**
 * The groups subscribed with their lag, the messages held and the current put TPS. Cost: getTopicConfig,
 * getTopicStats, getTopicConsumers (≤ 100 groups) and one metrics query; read fresh, never from a snapshot.
 */
export async function topicDeleteImpact(ctx: ConsoleContext, input: unknown): Promise<TopicDeleteImpact> {
  const { topic } = parseInput(topicImpactInputSchema, input)
  const [config, stats, consumers, tps] = await Promise.all([
    ctx.gateway.getTopicConfig(topic),
    ctx.gateway.getTopicStats(topic),
    ctx.gateway.getTopicConsumers(topic, { groupsMax: 100 }),
    ctx.metrics.latestValues(ctx.cluster, 'TOPIC', METRIC.PUT_TPS, [topic]),
  ])
  const failures = mergeFailures(config.failures, stats.failures, consumers.failures)
  const sorted = [...consumers.data].sort((a, b) => b.lag - a.lag || a.group.localeCompare(b.group))
  return {
    topic,
    exists: config.data !== undefined || stats.data !== undefined,
    kind: config.data?.kind,
    brokerNames: config.data?.brokers.map((b) => b.brokerName) ?? [],
    consumers: sorted,
    totalLag: sorted.reduce((sum, c) => sum + c.lag, 0),
    messageCount: stats.data?.messageCount,
    // A sparse series: no point in the newest pass means nothing was put then.
    putTps: tps.atMs === undefined ? undefined : (tps.values.get(topic) ?? 0),
    putTpsAtMs: tps.atMs,
    partial: failures.length > 0,
    failures,
  }
}
