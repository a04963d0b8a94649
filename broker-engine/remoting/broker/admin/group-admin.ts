// Subscription group admin calls: create/update (200), create/update a list (225), the whole table (201), one
// config (352), delete (207), and what a group consumes (343 topics with offsets, 345 one subscription).

import {
  SUBSCRIPTION_GROUP_DEFAULTS,
  subscriptionGroupJson,
  type SubscriptionGroupInput,
} from '../../../broker/subscription-group-manager'
import { retryTopicOf, validateGroupName } from '../../../broker/topic-validator'
import { isFastjsonObject, parseFastjson, type FastjsonObject, type FastjsonValue } from '../../fastjson'
import { REQUEST_CODE, RESPONSE_CODE } from '../../remoting-codes'
import type { RemotingCommand } from '../../remoting-command'
import { customFields } from '../../request-fields'
import { assertMaster, failure, invalid, success, type AdminContext, type AdminRoute } from './admin-context'
import { subscriptionDataJson } from './admin-json'
import { parseConfigListBody, readEntry } from './config-list-body'

const { groupField, optionalBoolean, requiredString, topicField } = customFields

/**
 * A SubscriptionGroupConfig body is a whole Java object: a field it leaves out has the class's default, not the
 * group's current value. Attributes are the exception: the body alters them (alterAttributes).
 */
const { attributes: _attributes, ...JAVA_DEFAULTS } = SUBSCRIPTION_GROUP_DEFAULTS

type DefaultedField = keyof typeof JAVA_DEFAULTS

export const GROUP_ADMIN_ROUTES: readonly AdminRoute[] = [
  [REQUEST_CODE.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, updateAndCreateGroup],
  [REQUEST_CODE.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, updateAndCreateGroupList],
  [REQUEST_CODE.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, getAllGroups],
  [REQUEST_CODE.GET_SUBSCRIPTIONGROUP_CONFIG, getGroup],
  [REQUEST_CODE.DELETE_SUBSCRIPTIONGROUP, deleteGroup],
  [REQUEST_CODE.QUERY_TOPICS_BY_CONSUMER, queryTopicsByConsumer],
  [REQUEST_CODE.QUERY_SUBSCRIPTION_BY_CONSUMER, querySubscriptionByConsumer],
]

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: the body replaces the group's config (unknown properties ignored). */
function updateAndCreateGroup(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  assertMaster(ctx)
  ctx.broker.upsertGroup(groupInputOf(ctx, parseGroupBody(request)))
  return success(request)
}

/**
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (RocketMQ 5): `{"groupConfigList":[SubscriptionGroupConfig…]}`, each
 * entry read like one UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body. All or nothing: a bad entry refuses the request
 * naming it; otherwise the changes are written in one persist (BrokerController.upsertGroups).
 */
function updateAndCreateGroupList(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  assertMaster(ctx)
  const entries = parseConfigListBody(request, 'groupConfigList', 'SubscriptionGroupConfig')
  const inputs = entries.map((entry, index) =>
    readEntry('group', index, entry.groupName, () => groupInputOf(ctx, entry)),
  )
  ctx.broker.upsertGroups(inputs)
  return success(request)
}

/** A SubscriptionGroupConfig body as the engine's input: Java defaults for what it leaves out. */
function groupInputOf(ctx: AdminContext, body: FastjsonObject): SubscriptionGroupInput {
  const groupName = body.groupName
  const reason = validateGroupName(groupName)
  if (reason) throw invalid(reason)
  if (typeof groupName !== 'string') throw invalid('groupName must be a string')
  const input: Record<string, unknown> = { groupName }
  for (const [field, fallback] of Object.entries(JAVA_DEFAULTS) as [DefaultedField, boolean | number][]) {
    const value = body[field] ?? fallback
    if (typeof value !== typeof fallback)
      throw invalid(`${field} must be ${typeof fallback === 'boolean' ? 'true or false' : 'a number'}`)
    input[field] = value
  }
  const current = ctx.broker.groups.get(groupName)?.attributes ?? {}
  input.attributes = alterAttributes(current, body.attributes)
  return input as SubscriptionGroupInput
}

function parseGroupBody(request: RemotingCommand): FastjsonObject {
  const text = request.body?.toString('utf8') ?? ''
  if (text.trim() === '') throw invalid('the body must be a SubscriptionGroupConfig JSON object')
  let parsed: FastjsonValue
  try {
    parsed = parseFastjson(text)
  } catch (err) {
    throw invalid(`the body is not JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!isFastjsonObject(parsed)) throw invalid('the body must be a SubscriptionGroupConfig JSON object')
  return parsed
}

/** 5.x attribute changes: `+key` sets, `-key` removes, a plain key sets (older tools). */
function alterAttributes(
  current: Readonly<Record<string, string>>,
  change: FastjsonValue | undefined,
): Record<string, string> {
  const next: Record<string, string> = { ...current }
  if (change === undefined || change === null) return next
  if (!isFastjsonObject(change)) throw invalid('attributes must be an object of strings')
  for (const [key, value] of Object.entries(change)) {
    if (key.startsWith('-')) {
      delete next[key.slice(1)]
      continue
    }
    if (typeof value !== 'string') throw invalid(`attribute ${key} must be a string`)
    next[key.startsWith('+') ? key.slice(1) : key] = value
  }
  return next
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG: subscriptionGroup.json's content; like 21, no paging header. */
function getAllGroups(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  return success(request, { body: ctx.broker.groups.serializeWrapper() })
}

function getGroup(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const group = requiredString(request, 'group')
  const config = ctx.broker.groups.get(group)
  if (!config) return failure(request, RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST, 'No group in this broker')
  return success(request, { body: subscriptionGroupJson(config) })
}

/**
 * DELETE_SUBSCRIPTIONGROUP: removes the group's config, its offsets when asked (5.x `cleanOffset`, 4.9.4
 * `removeOffset`), and its %RETRY% topic. mqadmin deleteSubGroup deletes that topic with a separate
 * DELETE_TOPIC_IN_BROKER (capture 158); doing it here as well means the dashboard's delete leaves nothing behind.
 */
function deleteGroup(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  assertMaster(ctx)
  const group = groupField(request, 'groupName')
  const { broker } = ctx
  if (broker.groups.isSystemGroup(group))
    throw invalid(`group ${group} is a system group; it cannot be deleted`)
  broker.groups.delete(group)
  if (optionalBoolean(request, 'cleanOffset') === true || optionalBoolean(request, 'removeOffset') === true)
    broker.offsets.removeGroup(group)
  const retryTopic = retryTopicOf(group)
  if (broker.topics.has(retryTopic)) broker.deleteTopic(retryTopic)
  return success(request)
}

/** QUERY_TOPICS_BY_CONSUMER: topics the group has offsets on (TopicList with this broker's address). */
function queryTopicsByConsumer(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const group = groupField(request, 'group')
  return success(request, {
    body: { brokerAddr: ctx.broker.addr, topicList: ctx.broker.offsets.topicsOfGroup(group) },
  })
}

/** QUERY_SUBSCRIPTION_BY_CONSUMER: the live subscription of the group to the topic, if a consumer has one. */
function querySubscriptionByConsumer(ctx: AdminContext, request: RemotingCommand): RemotingCommand {
  const group = groupField(request, 'group')
  const topic = topicField(request)
  const subscription = ctx.broker.clients
    .consumerConnections(group)
    .sort((a, b) => b.lastHeartbeatMs - a.lastHeartbeatMs)
    .flatMap((c) => c.subscriptions)
    .find((s) => s.topic === topic)
  return success(request, {
    body: { group, subscriptionData: subscription ? subscriptionDataJson(subscription) : undefined, topic },
  })
}
