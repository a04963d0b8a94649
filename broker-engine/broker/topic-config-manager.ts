// The broker's topic table (RocketMQ's TopicConfigManager): queue counts and permissions per topic, the system
// topics every broker has, auto-creation from TBW102 on send, %RETRY%/%DLQ% topics, persisted in topics.json.
//
// Every change bumps the table's DataVersion and is written to disk before it becomes visible; a failed write
// leaves the table as it was and throws the I/O error.

import type { Clock } from '../common/clock'
import { EngineError } from '../common/engine-error'
import {
  isInherited,
  isReadable,
  isWriteable,
  PERM_INHERIT,
  PERM_PRIORITY,
  PERM_READ,
  PERM_WRITE,
} from '../namesrv/perm-name'
import type { StoreIo } from '../store/store-io'
import { parseDelayLevels } from '../store/store-config'
import type { BrokerConfig } from './broker-config'
import { VersionedConfigTable, type UpsertManyResult } from './versioned-config-table'
import { dataVersionJson } from './data-version'
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  dlqTopicOf,
  isNotAllowedSendTopic,
  isSystemTopic,
  replyTopicOf,
  retryTopicOf,
  RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TOPIC_QUEUE_NUMS_MAX,
  validateGroupName,
  validateTopicName,
} from './topic-validator'

// The perm bits are the NameServer's (one definition per concept); re-exported so broker code finds them here.
export { isInherited, isReadable, PERM_INHERIT, PERM_PRIORITY, PERM_READ, PERM_WRITE }
/** Same as isWriteable (PermName's spelling). */
export const isWritable = isWriteable
/** PermName.isValid: the read, write and inherit bits only. */
export const isValidPerm = (perm: unknown): perm is number =>
  typeof perm === 'number' && Number.isInteger(perm) && perm >= 0 && perm < PERM_PRIORITY

/** "RWX" with "-" for a missing bit, as mqadmin prints it. */
export function permToString(perm: number): string {
  return (isReadable(perm) ? 'R' : '-') + (isWritable(perm) ? 'W' : '-') + (isInherited(perm) ? 'X' : '-')
}

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG'

export interface TopicConfig {
  readonly topicName: string
  readonly readQueueNums: number
  readonly writeQueueNums: number
  readonly perm: number
  readonly topicFilterType: TopicFilterType
  readonly topicSysFlag: number
  readonly order: boolean
  /** e.g. { "message.type": "FIFO" } (TopicAttributes); keys and values hold no spaces. */
  readonly attributes: Readonly<Record<string, string>>
}

export type TopicConfigInput = Partial<TopicConfig> & { readonly topicName: string }

/** topics.json as RocketMQ writes it (TopicConfigSerializeWrapper). */
export interface TopicConfigSerializeWrapper {
  dataVersion: { counter: number; stateVersion: number; timestamp: number }
  topicConfigTable: Record<string, TopicConfigJson>
}

type TopicConfigJson = { attributes: Record<string, string> } & Omit<TopicConfig, 'attributes'>

export interface TopicConfigManagerOptions {
  /** The directory holding topics.json (RocketMQ: <storePathRootDir>/config). */
  readonly configDir: string
  readonly brokerConfig: BrokerConfig
  readonly clock: Clock
  /** Where fallbacks to topics.json.bak and skipped entries are reported. Defaults to console.warn. */
  readonly log?: (message: string) => void
  readonly io?: StoreIo
}

export const TOPICS_JSON_FILE = 'topics.json'
export const TOPIC_COUNT_MAX = 100_000
export const TOPIC_ATTRIBUTES_MAX = 32
const ATTRIBUTE_KEY_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/
const ATTRIBUTE_VALUE_PATTERN = /^\S{0,256}$/
const MESSAGE_TYPE_ATTRIBUTE = 'message.type'
const MESSAGE_TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED']
const TOPIC_SYS_FLAG_MAX = 0x7fffffff
/** RocketMQ's TopicConfig defaults, for entries of a file that leave a field out. */
const FILE_DEFAULT_QUEUE_NUMS = 16
const DLQ_NUMS_PER_GROUP = 1
const TOPIC_FIELDS: ReadonlySet<string> = new Set([
  'topicName',
  'readQueueNums',
  'writeQueueNums',
  'perm',
  'topicFilterType',
  'topicSysFlag',
  'order',
  'attributes',
])

type Problem = { field: string; reason: string }

/** undefined when `c` is a complete, valid topic config; else the first bad field and why. */
function checkTopicConfig(c: Record<string, unknown>): Problem | undefined {
  const nameReason = validateTopicName(c.topicName)
  if (nameReason) return { field: 'topicName', reason: nameReason }
  for (const field of ['readQueueNums', 'writeQueueNums'] as const) {
    const v = c[field]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > TOPIC_QUEUE_NUMS_MAX)
      return {
        field,
        reason: `${field} must be an integer from 0 to ${TOPIC_QUEUE_NUMS_MAX}; got ${String(v)}`,
      }
  }
  if (c.readQueueNums === 0 && c.writeQueueNums === 0)
    return { field: 'readQueueNums', reason: 'a topic needs at least one read or write queue' }
  if (!isValidPerm(c.perm))
    return {
      field: 'perm',
      reason: `perm must be an integer from 0 to 7 (read 4, write 2, inherit 1); got ${String(c.perm)}`,
    }
  if (c.topicFilterType !== 'SINGLE_TAG' && c.topicFilterType !== 'MULTI_TAG')
    return {
      field: 'topicFilterType',
      reason: `topicFilterType must be SINGLE_TAG or MULTI_TAG; got ${String(c.topicFilterType)}`,
    }
  const flag = c.topicSysFlag
  if (typeof flag !== 'number' || !Number.isInteger(flag) || flag < 0 || flag > TOPIC_SYS_FLAG_MAX)
    return {
      field: 'topicSysFlag',
      reason: `topicSysFlag must be a non-negative 32-bit integer; got ${String(flag)}`,
    }
  if (typeof c.order !== 'boolean')
    return { field: 'order', reason: `order must be true or false; got ${String(c.order)}` }
  return checkAttributes(c.attributes)
}

function checkAttributes(attributes: unknown): Problem | undefined {
  const field = 'attributes'
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
    return { field, reason: 'attributes must be an object of strings' }
  const entries = Object.entries(attributes)
  if (entries.length > TOPIC_ATTRIBUTES_MAX)
    return { field, reason: `at most ${TOPIC_ATTRIBUTES_MAX} attributes; got ${entries.length}` }
  for (const [key, value] of entries) {
    if (!ATTRIBUTE_KEY_PATTERN.test(key))
      return { field, reason: `attribute name ${JSON.stringify(key)} must be 1-64 of letters, digits, . _ -` }
    if (typeof value !== 'string' || !ATTRIBUTE_VALUE_PATTERN.test(value))
      return { field, reason: `attribute ${key} must be a string of at most 256 characters without spaces` }
    if (key === MESSAGE_TYPE_ATTRIBUTE && !MESSAGE_TYPES.includes(value))
      return { field, reason: `attribute ${key} must be one of ${MESSAGE_TYPES.join(', ')}; got ${value}` }
  }
  return undefined
}

function freezeTopicConfig(c: TopicConfig): TopicConfig {
  return Object.freeze({ ...c, attributes: Object.freeze({ ...c.attributes }) })
}

function sameTopicConfig(a: TopicConfig, b: TopicConfig): boolean {
  const ak = Object.keys(a.attributes)
  return (
    a.topicName === b.topicName &&
    a.readQueueNums === b.readQueueNums &&
    a.writeQueueNums === b.writeQueueNums &&
    a.perm === b.perm &&
    a.topicFilterType === b.topicFilterType &&
    a.topicSysFlag === b.topicSysFlag &&
    a.order === b.order &&
    ak.length === Object.keys(b.attributes).length &&
    ak.every((k) => a.attributes[k] === b.attributes[k])
  )
}

/** The fields of a TopicConfig in fastjson's alphabetical order, as topics.json holds them. */
export function topicConfigJson(c: TopicConfig): TopicConfigJson {
  return {
    attributes: { ...c.attributes },
    order: c.order,
    perm: c.perm,
    readQueueNums: c.readQueueNums,
    topicFilterType: c.topicFilterType,
    topicName: c.topicName,
    topicSysFlag: c.topicSysFlag,
    writeQueueNums: c.writeQueueNums,
  }
}

export class TopicConfigManager extends VersionedConfigTable<TopicConfig> {
  private readonly brokerConfig: BrokerConfig

  constructor(opts: TopicConfigManagerOptions) {
    super(opts, {
      fileName: TOPICS_JSON_FILE,
      tableKey: 'topicConfigTable',
      entryKind: 'topic',
      countMax: TOPIC_COUNT_MAX,
      nameOf: (c) => c.topicName,
    })
    this.brokerConfig = opts.brokerConfig
  }

  /**
   * Reads topics.json (or its .bak) and adds the system topics it lacks; if any were added, bumps the version
   * and writes the file. Entries that fail validation are skipped and reported.
   */
  load(): void {
    this.loadTable()
    // System topics are added even to a full table: the broker cannot run without them.
    let changed = false
    for (const config of this.systemTopicConfigs()) {
      const existing = this.table.get(config.topicName)
      if (!existing) {
        this.table.set(config.topicName, config)
        changed = true
      } else if (
        config.topicName === RMQ_SYS_SCHEDULE_TOPIC &&
        existing.writeQueueNums < config.writeQueueNums
      ) {
        // One queue per delay level: more levels in messageDelayLevel need more queues.
        this.table.set(
          config.topicName,
          freezeTopicConfig({
            ...existing,
            readQueueNums: config.readQueueNums,
            writeQueueNums: config.writeQueueNums,
          }),
        )
        changed = true
      }
    }
    if (changed) this.bumpVersionAndPersist()
  }

  /** A RocketMQ system topic, or one this broker reserves: its cluster, broker, trace and reply topics. */
  isSystemTopic(name: string): boolean {
    const b = this.brokerConfig
    return (
      isSystemTopic(name) ||
      name === b.brokerClusterName ||
      name === b.brokerName ||
      name === replyTopicOf(b.brokerClusterName) ||
      (b.traceTopicEnable && name === b.msgTraceTopicName)
    )
  }

  /**
   * Creates a topic or changes one (UPDATE_AND_CREATE_TOPIC). Fields left out keep their current value, or for
   * a new topic take the defaults (defaultTopicQueueNums queues, perm RW, SINGLE_TAG). A system topic's name is
   * refused unless `system` is set. An unchanged config is not rewritten and keeps the version.
   */
  upsert(input: TopicConfigInput, options: { system?: boolean } = {}): TopicConfig {
    this.assertLoaded()
    const next = this.prepareUpsert(input, options)
    const existing = this.table.get(next.topicName)
    if (existing && sameTopicConfig(existing, next)) return existing
    this.assertRoomFor(next.topicName)
    this.commit(next.topicName, next)
    return next
  }

  /**
   * Creates or changes many topics at once (UPDATE_AND_CREATE_TOPIC_LIST), each input read as upsert reads it.
   * All or nothing: every entry is checked first (an error names the entry's index and topic), a topic may
   * appear once, the table stays within TOPIC_COUNT_MAX; then the changed topics are applied with one version
   * bump and one write of topics.json. Entries equal to the current config are left alone.
   */
  upsertMany(
    inputs: readonly TopicConfigInput[],
    options: { system?: boolean } = {},
  ): UpsertManyResult<TopicConfig> {
    return this.upsertEntries(
      inputs,
      (input) => this.prepareUpsert(input, options),
      (input) => (typeof input === 'object' && input !== null ? input.topicName : undefined),
      sameTopicConfig,
    )
  }

  /** The config `input` would leave, checked; throws what upsert refuses. */
  private prepareUpsert(input: TopicConfigInput, options: { system?: boolean }): TopicConfig {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new EngineError('ARGUMENT_INVALID', 'a topic config must be an object', { field: 'topicName' })
    for (const key of Object.keys(input)) {
      if (!TOPIC_FIELDS.has(key))
        throw new EngineError('ARGUMENT_INVALID', `unknown topic config field ${key}`, { field: key })
    }
    const name = input.topicName
    const nameReason = validateTopicName(name)
    if (nameReason) throw new EngineError('TOPIC_INVALID', nameReason, { field: 'topicName', topic: name })
    if (!options.system && this.isSystemTopic(name))
      throw new EngineError(
        'TOPIC_INVALID',
        `topic ${name} is a system topic; it cannot be created or changed here`,
        {
          field: 'topicName',
          topic: name,
        },
      )
    const existing = this.table.get(name)
    const candidate: Record<string, unknown> = { ...(existing ?? this.defaultTopicConfig(name)) }
    for (const [key, value] of Object.entries(input)) if (value !== undefined) candidate[key] = value
    const problem = checkTopicConfig(candidate)
    if (problem)
      throw new EngineError('ARGUMENT_INVALID', problem.reason, { field: problem.field, topic: name })
    return freezeTopicConfig(candidate as unknown as TopicConfig)
  }

  /** Removes a topic's config (DELETE_TOPIC_IN_BROKER); false when there was none. System topics need `system`. */
  delete(topic: string, options: { system?: boolean } = {}): boolean {
    this.assertLoaded()
    const nameReason = validateTopicName(topic)
    if (nameReason) throw new EngineError('TOPIC_INVALID', nameReason, { field: 'topic', topic })
    if (!options.system && this.isSystemTopic(topic))
      throw new EngineError('TOPIC_INVALID', `topic ${topic} is a system topic; it cannot be deleted`, {
        field: 'topic',
        topic,
      })
    if (!this.table.has(topic)) return false
    this.commit(topic, undefined)
    return true
  }

  /**
   * A send to a topic this broker does not have (RocketMQ's createTopicInSendMessageMethod): the topic is created
   * from `defaultTopic` (normally TBW102) when that topic carries PERM_INHERIT, with min(client's default queue
   * count, the default topic's write queues) queues and the default topic's perm minus inherit. TBW102 counts as
   * not inheritable while autoCreateTopicEnable is off. undefined when the topic cannot be created (reported
   * through the log); the existing config when it already exists.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddr: string | undefined,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): TopicConfig | undefined {
    this.assertLoaded()
    const existing = this.table.get(topic)
    if (existing) return existing
    const nameReason = validateTopicName(topic)
    if (nameReason) throw new EngineError('TOPIC_INVALID', nameReason, { field: 'topic', topic })
    if (isNotAllowedSendTopic(topic))
      throw new EngineError('TOPIC_INVALID', `sending to topic ${topic} is forbidden`, {
        field: 'topic',
        topic,
      })
    if (!Number.isInteger(clientDefaultTopicQueueNums) || clientDefaultTopicQueueNums < 1)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `clientDefaultTopicQueueNums must be a positive integer; got ${clientDefaultTopicQueueNums}`,
        { field: 'clientDefaultTopicQueueNums' },
      )
    if (!Number.isInteger(topicSysFlag) || topicSysFlag < 0 || topicSysFlag > TOPIC_SYS_FLAG_MAX)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `topicSysFlag must be a non-negative 32-bit integer; got ${topicSysFlag}`,
        {
          field: 'topicSysFlag',
        },
      )
    const from = remoteAddr ? ` (producer ${remoteAddr})` : ''
    const defaultConfig = this.table.get(defaultTopic)
    if (!defaultConfig) {
      this.log(`cannot create topic ${topic}: the default topic ${defaultTopic} does not exist${from}`)
      return undefined
    }
    let perm = defaultConfig.perm
    if (defaultTopic === AUTO_CREATE_TOPIC_KEY_TOPIC && !this.brokerConfig.autoCreateTopicEnable)
      perm = PERM_READ | PERM_WRITE
    if (!isInherited(perm)) {
      this.log(
        `cannot create topic ${topic}: the default topic ${defaultTopic} has perm ${permToString(perm)}, not inheritable${from}`,
      )
      return undefined
    }
    const queueNums = Math.min(
      clientDefaultTopicQueueNums,
      defaultConfig.writeQueueNums,
      TOPIC_QUEUE_NUMS_MAX,
    )
    if (queueNums < 1) {
      this.log(`cannot create topic ${topic}: the default topic ${defaultTopic} has no write queues${from}`)
      return undefined
    }
    if (this.table.size >= TOPIC_COUNT_MAX) {
      this.log(`cannot create topic ${topic}: the broker already has ${TOPIC_COUNT_MAX} topics${from}`)
      return undefined
    }
    const config = freezeTopicConfig({
      topicName: topic,
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: perm & ~PERM_INHERIT,
      topicFilterType: defaultConfig.topicFilterType,
      topicSysFlag,
      order: false,
      attributes: {},
    })
    this.commit(topic, config)
    this.log(`created topic ${topic} from ${defaultTopic} with ${queueNums} queues${from}`)
    return config
  }

  /** %RETRY%<group> (created on heartbeat and on send-back): retryQueueNums queues, perm RW. */
  getOrCreateRetryTopic(group: string, retryQueueNums: number): TopicConfig {
    this.assertLoaded()
    const groupReason = validateGroupName(group)
    if (groupReason) throw new EngineError('ARGUMENT_INVALID', groupReason, { field: 'group', group })
    if (!Number.isInteger(retryQueueNums) || retryQueueNums < 1 || retryQueueNums > TOPIC_QUEUE_NUMS_MAX)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `retryQueueNums must be an integer from 1 to ${TOPIC_QUEUE_NUMS_MAX}; got ${retryQueueNums}`,
        {
          field: 'retryQueueNums',
          group,
        },
      )
    return this.getOrCreateGroupTopic(retryTopicOf(group), retryQueueNums)
  }

  /** %DLQ%<group>: one queue, perm RW, so dead letters can be read and resent. */
  getOrCreateDlqTopic(group: string): TopicConfig {
    this.assertLoaded()
    const groupReason = validateGroupName(group)
    if (groupReason) throw new EngineError('ARGUMENT_INVALID', groupReason, { field: 'group', group })
    return this.getOrCreateGroupTopic(dlqTopicOf(group), DLQ_NUMS_PER_GROUP)
  }

  /** topics.json's content: what REGISTER_BROKER sends as topicConfigSerializeWrapper. */
  serializeWrapper(): TopicConfigSerializeWrapper {
    this.assertLoaded()
    const topicConfigTable: Record<string, TopicConfigJson> = {}
    for (const c of this.list()) topicConfigTable[c.topicName] = topicConfigJson(c)
    return { dataVersion: dataVersionJson(this.version), topicConfigTable }
  }

  private getOrCreateGroupTopic(name: string, queueNums: number): TopicConfig {
    const existing = this.table.get(name)
    if (existing) return existing
    this.assertRoomFor(name)
    const config = freezeTopicConfig({
      topicName: name,
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: PERM_READ | PERM_WRITE,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
      attributes: {},
    })
    this.commit(name, config)
    return config
  }

  private defaultTopicConfig(name: string): TopicConfig {
    const n = this.brokerConfig.defaultTopicQueueNums
    return {
      topicName: name,
      readQueueNums: n,
      writeQueueNums: n,
      perm: PERM_READ | PERM_WRITE,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
      attributes: {},
    }
  }

  /** The topics RocketMQ's TopicConfigManager.init() puts in every broker's table (BenchmarkTest left out). */
  private systemTopicConfigs(): TopicConfig[] {
    const b = this.brokerConfig
    const rw = PERM_READ | PERM_WRITE
    const delayLevels = parseDelayLevels(b.messageDelayLevel)?.length ?? 18
    const specs: [name: string, queueNums: number, perm: number][] = [[RMQ_SYS_SELF_TEST_TOPIC, 1, rw]]
    if (b.autoCreateTopicEnable)
      specs.push([AUTO_CREATE_TOPIC_KEY_TOPIC, b.defaultTopicQueueNums, rw | PERM_INHERIT])
    // The cluster and broker topics always exist so clients can name them as a default topic; the flags decide
    // whether they can also be read and written.
    specs.push([b.brokerClusterName, FILE_DEFAULT_QUEUE_NUMS, PERM_INHERIT | (b.clusterTopicEnable ? rw : 0)])
    specs.push([b.brokerName, 1, PERM_INHERIT | (b.brokerTopicEnable ? rw : 0)])
    specs.push([RMQ_SYS_OFFSET_MOVED_EVENT, 1, rw])
    specs.push([RMQ_SYS_SCHEDULE_TOPIC, delayLevels, rw])
    if (b.traceTopicEnable) specs.push([b.msgTraceTopicName, 1, rw])
    specs.push([replyTopicOf(b.brokerClusterName), 1, rw])
    specs.push([RMQ_SYS_TRANS_HALF_TOPIC, 1, rw])
    specs.push([RMQ_SYS_TRANS_OP_HALF_TOPIC, 1, rw])
    specs.push([RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, 1, rw])
    return specs.map(([topicName, queueNums, perm]) =>
      freezeTopicConfig({
        topicName,
        readQueueNums: queueNums,
        writeQueueNums: queueNums,
        perm,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
        attributes: {},
      }),
    )
  }

  protected decodeEntry(key: string, entry: unknown): TopicConfig | string {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an object'
    const e = entry as Record<string, unknown>
    const candidate = {
      topicName: e.topicName ?? key,
      readQueueNums: e.readQueueNums ?? FILE_DEFAULT_QUEUE_NUMS,
      writeQueueNums: e.writeQueueNums ?? FILE_DEFAULT_QUEUE_NUMS,
      perm: e.perm ?? PERM_READ | PERM_WRITE,
      topicFilterType: e.topicFilterType ?? 'SINGLE_TAG',
      topicSysFlag: e.topicSysFlag ?? 0,
      order: e.order ?? false,
      attributes: e.attributes ?? {},
    }
    if (candidate.topicName !== key)
      return `its topicName ${JSON.stringify(candidate.topicName)} differs from its key`
    const problem = checkTopicConfig(candidate)
    return problem ? problem.reason : freezeTopicConfig(candidate as unknown as TopicConfig)
  }

  private assertRoomFor(name: string): void {
    if (!this.table.has(name) && this.table.size >= TOPIC_COUNT_MAX)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `cannot add topic ${name}: the broker already has ${TOPIC_COUNT_MAX} topics`,
        {
          field: 'topicName',
          limit: TOPIC_COUNT_MAX,
        },
      )
  }
}
