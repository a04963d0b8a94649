// The broker's consumer groups (RocketMQ's SubscriptionGroupManager): per-group consume switches, retry policy
// (retry queues, max reconsume times), broadcast and orderly flags; auto-created on first heartbeat when allowed,
// persisted in subscriptionGroup.json. Like the topic table, a change is on disk before it is visible.

import type { Clock } from '../common/clock'
import { EngineError } from '../common/engine-error'
import type { StoreIo } from '../store/store-io'
import { BROKER_ID_MAX, type BrokerConfig } from './broker-config'
import { VersionedConfigTable, type UpsertManyResult } from './versioned-config-table'
import { dataVersionJson } from './data-version'
import {
  CID_ONSAPI_OWNER_GROUP,
  CID_ONSAPI_PERMISSION_GROUP,
  CID_ONSAPI_PULL_GROUP,
  CID_SYS_RMQ_TRANS,
  FILTERSRV_CONSUMER_GROUP,
  isSystemGroup,
  ONS_HTTP_PROXY_GROUP,
  SELF_TEST_CONSUMER_GROUP,
  TOOLS_CONSUMER_GROUP,
  TOPIC_QUEUE_NUMS_MAX,
  validateGroupName,
} from './topic-validator'

export interface SubscriptionGroupConfig {
  readonly groupName: string
  readonly consumeEnable: boolean
  /** A new group with no offset may start from the queue's min offset. */
  readonly consumeFromMinEnable: boolean
  readonly consumeBroadcastEnable: boolean
  readonly consumeMessageOrderly: boolean
  /** Queues of %RETRY%<group>; 0 drops failed messages instead of retrying them. */
  readonly retryQueueNums: number
  /** Failed deliveries before a message goes to %DLQ%<group> (maxReconsumeTimes). */
  readonly retryMaxTimes: number
  readonly brokerId: number
  readonly whichBrokerWhenConsumeSlowly: number
  readonly notifyConsumerIdsChangedEnable: boolean
  readonly groupSysFlag: number
  /** Push consumers only: a message consumed for longer than this is retried. */
  readonly consumeTimeoutMinute: number
  readonly attributes: Readonly<Record<string, string>>
}

export type SubscriptionGroupInput = Partial<SubscriptionGroupConfig> & { readonly groupName: string }

type SubscriptionGroupJson = Omit<SubscriptionGroupConfig, 'attributes'> & {
  attributes: Record<string, string>
  groupRetryPolicy: { type: 'CUSTOMIZED' }
}

/** subscriptionGroup.json as RocketMQ writes it (SubscriptionGroupWrapper). */
export interface SubscriptionGroupWrapper {
  dataVersion: { counter: number; stateVersion: number; timestamp: number }
  forbiddenTable: Record<string, unknown>
  subscriptionGroupTable: Record<string, SubscriptionGroupJson>
}

export interface SubscriptionGroupManagerOptions {
  /** The directory holding subscriptionGroup.json (RocketMQ: <storePathRootDir>/config). */
  readonly configDir: string
  readonly brokerConfig: BrokerConfig
  readonly clock: Clock
  readonly log?: (message: string) => void
  readonly io?: StoreIo
}

export const SUBSCRIPTION_GROUP_JSON_FILE = 'subscriptionGroup.json'
export const SUBSCRIPTION_GROUP_COUNT_MAX = 100_000
export const RETRY_MAX_TIMES_MAX = 1000
export const CONSUME_TIMEOUT_MINUTE_MAX = 1440
const GROUP_ATTRIBUTES_MAX = 32

/** RocketMQ's SubscriptionGroupConfig field defaults: what a new group, or a field a body leaves out, gets. */
export const SUBSCRIPTION_GROUP_DEFAULTS: Readonly<Omit<SubscriptionGroupConfig, 'groupName'>> =
  Object.freeze({
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeBroadcastEnable: true,
    consumeMessageOrderly: false,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
    groupSysFlag: 0,
    consumeTimeoutMinute: 15,
    attributes: Object.freeze({}),
  })

/** The groups RocketMQ's SubscriptionGroupManager.init() puts in every broker's table. */
const INITIAL_GROUPS = [
  TOOLS_CONSUMER_GROUP,
  FILTERSRV_CONSUMER_GROUP,
  SELF_TEST_CONSUMER_GROUP,
  ONS_HTTP_PROXY_GROUP,
  CID_ONSAPI_PULL_GROUP,
  CID_ONSAPI_PERMISSION_GROUP,
  CID_ONSAPI_OWNER_GROUP,
  CID_SYS_RMQ_TRANS,
]

const GROUP_FIELDS: ReadonlySet<string> = new Set([...Object.keys(SUBSCRIPTION_GROUP_DEFAULTS), 'groupName'])
const BOOLEAN_FIELDS = [
  'consumeEnable',
  'consumeFromMinEnable',
  'consumeBroadcastEnable',
  'consumeMessageOrderly',
  'notifyConsumerIdsChangedEnable',
] as const
const INT_FIELDS: readonly (readonly [keyof SubscriptionGroupConfig, number, number])[] = [
  ['retryQueueNums', 0, TOPIC_QUEUE_NUMS_MAX],
  ['retryMaxTimes', 0, RETRY_MAX_TIMES_MAX],
  ['brokerId', 0, BROKER_ID_MAX],
  ['whichBrokerWhenConsumeSlowly', 0, BROKER_ID_MAX],
  ['groupSysFlag', 0, 0x7fffffff],
  ['consumeTimeoutMinute', 1, CONSUME_TIMEOUT_MINUTE_MAX],
]

type Problem = { field: string; reason: string }

function checkGroupConfig(c: Record<string, unknown>): Problem | undefined {
  const nameReason = validateGroupName(c.groupName)
  if (nameReason) return { field: 'groupName', reason: nameReason }
  for (const field of BOOLEAN_FIELDS) {
    if (typeof c[field] !== 'boolean')
      return { field, reason: `${field} must be true or false; got ${String(c[field])}` }
  }
  for (const [field, min, max] of INT_FIELDS) {
    const v = c[field]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      return { field, reason: `${field} must be an integer from ${min} to ${max}; got ${String(v)}` }
  }
  const attributes = c.attributes
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
    return { field: 'attributes', reason: 'attributes must be an object of strings' }
  const entries = Object.entries(attributes)
  if (entries.length > GROUP_ATTRIBUTES_MAX)
    return {
      field: 'attributes',
      reason: `at most ${GROUP_ATTRIBUTES_MAX} attributes; got ${entries.length}`,
    }
  for (const [key, value] of entries) {
    if (!/^[a-zA-Z0-9._-]{1,64}$/.test(key) || typeof value !== 'string' || !/^\S{0,256}$/.test(value))
      return {
        field: 'attributes',
        reason: `attribute ${JSON.stringify(key)} must be a short name with a string value without spaces`,
      }
  }
  return undefined
}

function freezeGroupConfig(c: SubscriptionGroupConfig): SubscriptionGroupConfig {
  return Object.freeze({ ...c, attributes: Object.freeze({ ...c.attributes }) })
}

function sameGroupConfig(a: SubscriptionGroupConfig, b: SubscriptionGroupConfig): boolean {
  for (const key of GROUP_FIELDS) {
    if (
      key !== 'attributes' &&
      a[key as keyof SubscriptionGroupConfig] !== b[key as keyof SubscriptionGroupConfig]
    )
      return false
  }
  const ak = Object.keys(a.attributes)
  return (
    ak.length === Object.keys(b.attributes).length && ak.every((k) => a.attributes[k] === b.attributes[k])
  )
}

/** The fields in fastjson's alphabetical order; groupRetryPolicy is RocketMQ's default (the delay-level table). */
export function subscriptionGroupJson(c: SubscriptionGroupConfig): SubscriptionGroupJson {
  return {
    attributes: { ...c.attributes },
    brokerId: c.brokerId,
    consumeBroadcastEnable: c.consumeBroadcastEnable,
    consumeEnable: c.consumeEnable,
    consumeFromMinEnable: c.consumeFromMinEnable,
    consumeMessageOrderly: c.consumeMessageOrderly,
    consumeTimeoutMinute: c.consumeTimeoutMinute,
    groupName: c.groupName,
    groupRetryPolicy: { type: 'CUSTOMIZED' },
    groupSysFlag: c.groupSysFlag,
    notifyConsumerIdsChangedEnable: c.notifyConsumerIdsChangedEnable,
    retryMaxTimes: c.retryMaxTimes,
    retryQueueNums: c.retryQueueNums,
    whichBrokerWhenConsumeSlowly: c.whichBrokerWhenConsumeSlowly,
  }
}

export class SubscriptionGroupManager extends VersionedConfigTable<SubscriptionGroupConfig> {
  private readonly brokerConfig: BrokerConfig
  /** RocketMQ's per-group topic forbid bits; not used here, kept so a file from a Java broker survives a rewrite. */
  private forbiddenTable: Record<string, unknown> = {}

  constructor(opts: SubscriptionGroupManagerOptions) {
    super(opts, {
      fileName: SUBSCRIPTION_GROUP_JSON_FILE,
      tableKey: 'subscriptionGroupTable',
      entryKind: 'group',
      countMax: SUBSCRIPTION_GROUP_COUNT_MAX,
      nameOf: (c) => c.groupName,
    })
    this.brokerConfig = opts.brokerConfig
  }

  /** Reads subscriptionGroup.json (or its .bak) and adds the predefined groups it lacks. */
  load(): void {
    const wrapper = this.loadTable()
    const forbidden = wrapper?.forbiddenTable
    this.forbiddenTable =
      typeof forbidden === 'object' && forbidden !== null && !Array.isArray(forbidden)
        ? (forbidden as Record<string, unknown>)
        : {}
    let changed = false
    for (const groupName of INITIAL_GROUPS) {
      if (this.table.has(groupName)) continue
      this.table.set(groupName, freezeGroupConfig({ ...SUBSCRIPTION_GROUP_DEFAULTS, groupName }))
      changed = true
    }
    if (changed) this.bumpVersionAndPersist()
  }

  isSystemGroup(group: string): boolean {
    return isSystemGroup(group)
  }

  /**
   * The group's config, created with the defaults when it does not exist and autoCreateSubscriptionGroup is on
   * (system groups are created regardless). undefined when it does not exist and may not be created.
   */
  findOrCreate(group: string): SubscriptionGroupConfig | undefined {
    this.assertLoaded()
    const existing = this.table.get(group)
    if (existing) return existing
    const reason = validateGroupName(group)
    if (reason) throw new EngineError('ARGUMENT_INVALID', reason, { field: 'group', group })
    if (!this.brokerConfig.autoCreateSubscriptionGroup && !isSystemGroup(group)) return undefined
    if (this.table.size >= SUBSCRIPTION_GROUP_COUNT_MAX) {
      this.log(`cannot create group ${group}: the broker already has ${SUBSCRIPTION_GROUP_COUNT_MAX} groups`)
      return undefined
    }
    const config = freezeGroupConfig({ ...SUBSCRIPTION_GROUP_DEFAULTS, groupName: group })
    this.commit(group, config)
    return config
  }

  /**
   * Creates or changes a group (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). Fields left out keep their current value,
   * or RocketMQ's defaults for a new group. An unchanged config is not rewritten and keeps the version.
   */
  upsert(input: SubscriptionGroupInput): SubscriptionGroupConfig {
    this.assertLoaded()
    const next = this.prepareUpsert(input)
    const name = next.groupName
    const existing = this.table.get(name)
    if (existing && sameGroupConfig(existing, next)) return existing
    if (!existing && this.table.size >= SUBSCRIPTION_GROUP_COUNT_MAX)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `cannot add group ${name}: the broker already has ${SUBSCRIPTION_GROUP_COUNT_MAX} groups`,
        {
          field: 'groupName',
          limit: SUBSCRIPTION_GROUP_COUNT_MAX,
        },
      )
    this.commit(name, next)
    return next
  }

  /**
   * Creates or changes many groups at once (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST), each input read as upsert
   * reads it. All or nothing: every entry is checked first (an error names the entry's index and group), a
   * group may appear once, the table stays within SUBSCRIPTION_GROUP_COUNT_MAX; then the changed groups are
   * applied with one version bump and one write of subscriptionGroup.json. Unchanged entries are left alone.
   */
  upsertMany(inputs: readonly SubscriptionGroupInput[]): UpsertManyResult<SubscriptionGroupConfig> {
    return this.upsertEntries(
      inputs,
      (input) => this.prepareUpsert(input),
      (input) => (typeof input === 'object' && input !== null ? input.groupName : undefined),
      sameGroupConfig,
    )
  }

  /** The config `input` would leave, checked; throws what upsert refuses. */
  private prepareUpsert(input: SubscriptionGroupInput): SubscriptionGroupConfig {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new EngineError('ARGUMENT_INVALID', 'a subscription group config must be an object', {
        field: 'groupName',
      })
    for (const key of Object.keys(input)) {
      if (!GROUP_FIELDS.has(key))
        throw new EngineError('ARGUMENT_INVALID', `unknown subscription group field ${key}`, { field: key })
    }
    const name = input.groupName
    // The name is checked before it is used as a table key (checkGroupConfig would find it too, but later).
    const nameReason = validateGroupName(name)
    if (nameReason) throw new EngineError('ARGUMENT_INVALID', nameReason, { field: 'groupName', group: name })
    const existing = this.table.get(name)
    const candidate: Record<string, unknown> = {
      ...SUBSCRIPTION_GROUP_DEFAULTS,
      ...existing,
      groupName: name,
    }
    for (const [key, value] of Object.entries(input)) if (value !== undefined) candidate[key] = value
    const problem = checkGroupConfig(candidate)
    if (problem)
      throw new EngineError('ARGUMENT_INVALID', problem.reason, { field: problem.field, group: name })
    return freezeGroupConfig(candidate as unknown as SubscriptionGroupConfig)
  }

  /** Removes a group's config; false when there was none. Predefined and CID_RMQ_SYS_ groups need `system`. */
  delete(group: string, options: { system?: boolean } = {}): boolean {
    this.assertLoaded()
    const reason = validateGroupName(group)
    if (reason) throw new EngineError('ARGUMENT_INVALID', reason, { field: 'group', group })
    if (!options.system && isSystemGroup(group))
      throw new EngineError('ARGUMENT_INVALID', `group ${group} is a system group; it cannot be deleted`, {
        field: 'group',
        group,
      })
    if (!this.table.has(group)) return false
    this.commit(group, undefined)
    return true
  }

  /** subscriptionGroup.json's content: GET_ALL_SUBSCRIPTIONGROUP_CONFIG's body. */
  serializeWrapper(): SubscriptionGroupWrapper {
    this.assertLoaded()
    const subscriptionGroupTable: Record<string, SubscriptionGroupJson> = {}
    for (const c of this.list()) subscriptionGroupTable[c.groupName] = subscriptionGroupJson(c)
    return {
      dataVersion: dataVersionJson(this.version),
      forbiddenTable: this.forbiddenTable,
      subscriptionGroupTable,
    }
  }

  protected decodeEntry(key: string, entry: unknown): SubscriptionGroupConfig | string {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an object'
    const candidate: Record<string, unknown> = { ...SUBSCRIPTION_GROUP_DEFAULTS, groupName: key }
    // Unknown properties (groupRetryPolicy, subscriptionDataSet, newer fields) are ignored, as fastjson does.
    for (const [field, value] of Object.entries(entry)) {
      if (GROUP_FIELDS.has(field) && value !== null) candidate[field] = value
    }
    if (candidate.groupName !== key)
      return `its groupName ${JSON.stringify(candidate.groupName)} differs from its key`
    const problem = checkGroupConfig(candidate)
    return problem ? problem.reason : freezeGroupConfig(candidate as unknown as SubscriptionGroupConfig)
  }
}
