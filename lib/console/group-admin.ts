// Consumer group administration from the console: create, update and delete a group's subscription config, each
// one runMutation (role check, read-only cluster, audit row, idempotency key), and the delete dialog's impact.
import 'server-only'
import { z } from 'zod'
import { dlqTopicOf, isSystemGroup, retryTopicOf } from '@/broker-engine/index'
import type {
  BrokerFailure,
  ConsumerGroupConfig,
  ConsumerGroupInput,
  GroupTopicProgress,
  PartialResult,
  QueueConsumeProgress,
} from '@/lib/cluster/gateway'
import { consumerGroupInputSchema, groupName, RETRY_MAX_TIMES_LIMIT } from '@/lib/cluster/gateway-schemas'
import { AppError } from '@/lib/errors'
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

const groupSettings = {
  /** −1 = no retry (straight to the DLQ); 16 is RocketMQ's default. */
  retryMaxTimes: wholeNumber('max retries', -1, RETRY_MAX_TIMES_LIMIT),
  retryQueueNums: wholeNumber('retry queues', 0, 64),
  consumeEnable: z.boolean(),
  consumeBroadcastEnable: z.boolean(),
  consumeMessageOrderly: z.boolean(),
}

export const createGroupInputSchema = z
  .object({
    idempotencyKey: idempotencyKeySchema,
    group: groupName,
    ...groupSettings,
    ...placementFields,
  })
  .transform(normalizePlacement)
  .refine(onePlacement, ONE_PLACEMENT_ERROR)

export const updateGroupInputSchema = z.object({
  idempotencyKey: idempotencyKeySchema,
  group: groupName,
  ...groupSettings,
})

export const deleteGroupInputSchema = z
  .object({
    idempotencyKey: idempotencyKeySchema,
    group: groupName,
    confirm: z.string().max(300),
    removeOffsets: z.boolean().default(false),
    deleteRetryAndDlqTopics: z.boolean().default(false),
  })
  .superRefine((v, ctx) => checkConfirmation(v, v.group, ctx))

export type CreateGroupInput = z.input<typeof createGroupInputSchema>
export type UpdateGroupInput = z.input<typeof updateGroupInputSchema>
export type DeleteGroupInput = z.input<typeof deleteGroupInputSchema>
export type GroupMutationResult = BrokerMutationResult

function configOf(
  v: z.output<typeof updateGroupInputSchema>,
  where: Pick<ConsumerGroupInput, 'clusterName' | 'brokerNames'>,
): ConsumerGroupInput {
  return parseInput(consumerGroupInputSchema, {
    group: v.group,
    retryMaxTimes: v.retryMaxTimes,
    retryQueueNums: v.retryQueueNums,
    consumeEnable: v.consumeEnable,
    consumeBroadcastEnable: v.consumeBroadcastEnable,
    consumeMessageOrderly: v.consumeMessageOrderly,
    ...(where.clusterName ? { clusterName: where.clusterName } : {}),
    ...(where.brokerNames ? { brokerNames: where.brokerNames } : {}),
  })
}

async function existingConfig(ctx: ConsoleContext, group: string): Promise<ConsumerGroupConfig | undefined> {
  return (await ctx.gateway.getConsumerGroup(group)).data.config
}

function groupTarget(v: { group: string; idempotencyKey: string }) {
  return { targetType: 'group', targetId: v.group, idempotencyKey: v.idempotencyKey } as const
}

/** RocketMQ's own groups: reconfiguring or deleting them breaks the broker's tools. */
function refuseSystemGroup(group: string, verb: string): void {
  if (isSystemGroup(group)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${group} is one of RocketMQ's own groups; the console does not ${verb} it`,
    )
  }
}

/** Creates a group's config (CONFLICT when it exists: edit it instead). Admin only. */
export const createGroup = brokerMutationService(createGroupInputSchema, (v, ctx) => {
  const config = configOf(v, { clusterName: v.clusterName, brokerNames: v.brokerNames })
  return {
    action: 'group.create',
    ...groupTarget(v),
    request: { ...config },
    what: `creating group ${v.group}`,
    run: async () => {
      refuseSystemGroup(v.group, 'create')
      if (await existingConfig(ctx, v.group)) {
        throw new AppError('CONFLICT', `consumer group ${v.group} already exists; edit it instead`, {
          fieldErrors: { group: ['a group with this name exists'] },
        })
      }
      return ctx.gateway.createOrUpdateConsumerGroup(config)
    },
  }
})

/** Changes a group's retry policy and switches on the brokers that hold its config (NOT_FOUND when none). */
export const updateGroup = brokerMutationService(updateGroupInputSchema, (v, ctx) => {
  const request = configOf(v, {})
  return {
    action: 'group.update',
    ...groupTarget(v),
    request: { ...request },
    what: `updating group ${v.group}`,
    run: async () => {
      refuseSystemGroup(v.group, 'change')
      const current = await existingConfig(ctx, v.group)
      if (!current || current.brokerNames.length === 0) {
        throw new AppError('NOT_FOUND', `consumer group ${v.group} has no config on cluster ${ctx.cluster}`)
      }
      return ctx.gateway.createOrUpdateConsumerGroup(configOf(v, { brokerNames: current.brokerNames }))
    },
  }
})

/** Deletes a group's config, optionally its offsets and its %RETRY% / %DLQ% topics; `confirm` repeats the name. */
export const deleteGroup = brokerMutationService(deleteGroupInputSchema, (v, ctx) => {
  const options = { removeOffsets: v.removeOffsets, deleteRetryAndDlqTopics: v.deleteRetryAndDlqTopics }
  return {
    action: 'group.delete',
    ...groupTarget(v),
    request: { group: v.group, ...options },
    what: `deleting group ${v.group}`,
    run: async () => {
      refuseSystemGroup(v.group, 'delete')
      const detail = (await ctx.gateway.getConsumerGroup(v.group)).data
      if (!detail.config && detail.stats.queues.length === 0) {
        throw new AppError('NOT_FOUND', `consumer group ${v.group} does not exist on cluster ${ctx.cluster}`)
      }
      return ctx.gateway.deleteConsumerGroup(v.group, options)
    },
  }
})

// ---------------------------------------------------------------------------------------------------------------

/** A %RETRY% or %DLQ% topic the delete may remove. */
export interface GroupOwnedTopic {
  readonly topic: string
  readonly exists: boolean
  /** Messages held; undefined when it does not exist or no broker answered. */
  readonly messageCount: number | undefined
}

/** What deleting a group would lose, for the delete dialog. */
export interface GroupDeleteImpact {
  readonly group: string
  readonly exists: boolean
  readonly system: boolean
  readonly brokerNames: readonly string[]
  /** The topics the group has offsets on (its %RETRY% topic included), most lag first. */
  readonly topics: readonly GroupTopicProgress[]
  readonly totalLag: number
  readonly online: boolean
  readonly memberClientIds: readonly string[]
  readonly retryTopic: GroupOwnedTopic
  readonly dlqTopic: GroupOwnedTopic
  readonly partial: boolean
  readonly failures: readonly BrokerFailure[]
}

export const groupImpactInputSchema = z.object({ group: groupName })

type Progress = { -readonly [K in Exclude<keyof GroupTopicProgress, 'topic'>]: GroupTopicProgress[K] }

function topicsOf(queues: readonly QueueConsumeProgress[]): GroupTopicProgress[] {
  const byTopic = new Map<string, Progress>()
  for (const q of queues) {
    const t = byTopic.get(q.topic) ?? { brokerOffset: 0, consumerOffset: 0, lag: 0, lastTimestampMs: 0 }
    t.brokerOffset += q.brokerOffset
    t.consumerOffset += q.consumerOffset
    t.lag += q.lag
    t.lastTimestampMs = Math.max(t.lastTimestampMs, q.lastTimestampMs)
    byTopic.set(q.topic, t)
  }
  return [...byTopic]
    .map(([topic, t]) => ({ topic, ...t }))
    .sort((a, b) => b.lag - a.lag || a.topic.localeCompare(b.topic))
}

function ownedTopic(
  topic: string,
  stats: PartialResult<{ messageCount: number } | undefined>,
): GroupOwnedTopic {
  return { topic, exists: stats.data !== undefined, messageCount: stats.data?.messageCount }
}

/**
 * The group's topics with lag, its online members, and its %RETRY% / %DLQ% topics with their message counts.
 * Cost: getConsumerGroup (3 calls per master) + getTopicStats of the two topics; read fresh.
 */
export async function groupDeleteImpact(ctx: ConsoleContext, input: unknown): Promise<GroupDeleteImpact> {
  const { group } = parseInput(groupImpactInputSchema, input)
  const retry = retryTopicOf(group)
  const dlq = dlqTopicOf(group)
  const [detail, retryStats, dlqStats] = await Promise.all([
    ctx.gateway.getConsumerGroup(group),
    ctx.gateway.getTopicStats(retry),
    ctx.gateway.getTopicStats(dlq),
  ])
  const { config, stats, connections } = detail.data
  const topics = topicsOf(stats.queues)
  const failures = mergeFailures(detail.failures, retryStats.failures, dlqStats.failures)
  return {
    group,
    exists: config !== undefined || stats.queues.length > 0 || connections.online,
    system: isSystemGroup(group),
    brokerNames: config?.brokerNames ?? [],
    topics,
    totalLag: topics.reduce((sum, t) => sum + t.lag, 0),
    online: connections.online,
    memberClientIds: connections.members.map((m) => m.clientId),
    retryTopic: ownedTopic(retry, retryStats),
    dlqTopic: ownedTopic(dlq, dlqStats),
    partial: failures.length > 0,
    failures,
  }
}
