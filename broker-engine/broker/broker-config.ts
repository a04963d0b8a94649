// The broker's configuration under RocketMQ's broker.conf keys (BrokerConfig plus the MessageStoreConfig keys the
// store takes), its defaults, validation that names the key, and a reader for broker.conf files.

import os from 'node:os'
import path from 'node:path'
import { EngineError } from '../common/engine-error'
import {
  DEFAULT_STORE_CONFIG,
  parseDelayLevels,
  resolveStoreConfig,
  type MessageStoreConfig,
} from '../store/store-config'
import {
  isDlqTopic,
  isRetryTopic,
  isSystemTopic,
  RMQ_SYS_TRACE_TOPIC,
  TOPIC_QUEUE_NUMS_MAX,
  validateTopicName,
} from './topic-validator'

export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE'

export interface BrokerConfig extends MessageStoreConfig {
  brokerClusterName: string
  /** Master and slaves of one replica set share it; it is also a topic name, so topic rules apply. */
  brokerName: string
  /** 0 for the master, above 0 for slaves. */
  brokerId: number
  brokerRole: BrokerRole
  /** NameServer addresses `host:port;host:port`; empty when the engine's in-process NameServer is used. */
  namesrvAddr: string
  /** The broker's own perm bits as registered with the NameServer (6 = read and write). */
  brokerPermission: number
  /** Let a send to an unknown topic create it from TBW102 (see TopicConfigManager). */
  autoCreateTopicEnable: boolean
  autoCreateSubscriptionGroup: boolean
  /** Queues of TBW102, and of new topics created without explicit counts. */
  defaultTopicQueueNums: number
  /** The cluster-name topic is readable and writable (always present, inherit-only otherwise). */
  clusterTopicEnable: boolean
  /** The broker-name topic is readable and writable (always present, inherit-only otherwise). */
  brokerTopicEnable: boolean
  traceTopicEnable: boolean
  msgTraceTopicName: string
  /** A half message younger than this is not checked back yet (ms). */
  transactionTimeOut: number
  /** Check-backs before a half message is rolled back. */
  transactionCheckMax: number
  transactionCheckInterval: number
  rejectTransactionMessage: boolean
  longPollingEnable: boolean
  /** How long a pull is held when long polling is off (ms). */
  shortPollingTimeMills: number
  notifyConsumerIdsChangedEnable: boolean
  /** A client channel silent this long is dropped (ms). */
  channelExpiredTimeout: number
  /** Broker → NameServer registration period (ms); RocketMQ allows 10 s to 60 s. */
  registerNameServerPeriod: number
  flushConsumerOffsetInterval: number
  flushDelayOffsetInterval: number
  slaveReadEnable: boolean
  /** A reset records a per-queue offset that the next pull answers with OFFSET_MOVED (the 5.x way). */
  useServerSideResetOffset: boolean
  /** Most messages one pull returns. */
  maxTransferCountOnMessageInMemory: number
  /** Most bytes one pull returns. */
  maxTransferBytesOnMessageInMemory: number
  /** Result limit of a message query by key when the caller gives none. */
  defaultQueryMaxNum: number
  // RocketMQ lets these point elsewhere; the store keeps everything under storePathRootDir, so they are accepted
  // only when they name the same places (broker.conf files often spell them out).
  storePathCommitLog?: string
  storePathConsumeQueue?: string
  storePathIndex?: string
  storeCheckpoint?: string
  abortFile?: string
}

export const BROKER_ID_MAX = 1024
const DELAY_LEVELS_MAX = TOPIC_QUEUE_NUMS_MAX

export const DEFAULT_BROKER_CONFIG: Readonly<BrokerConfig> = Object.freeze({
  ...DEFAULT_STORE_CONFIG,
  storePathRootDir: path.join(os.homedir(), 'store'),
  brokerClusterName: 'DefaultCluster',
  brokerName: 'broker-a',
  brokerId: 0,
  brokerRole: 'ASYNC_MASTER',
  namesrvAddr: '',
  brokerPermission: 6,
  autoCreateTopicEnable: true,
  autoCreateSubscriptionGroup: true,
  defaultTopicQueueNums: 8,
  clusterTopicEnable: true,
  brokerTopicEnable: true,
  traceTopicEnable: false,
  msgTraceTopicName: RMQ_SYS_TRACE_TOPIC,
  transactionTimeOut: 6000,
  transactionCheckMax: 15,
  transactionCheckInterval: 30_000,
  rejectTransactionMessage: false,
  longPollingEnable: true,
  shortPollingTimeMills: 1000,
  notifyConsumerIdsChangedEnable: true,
  channelExpiredTimeout: 120_000,
  registerNameServerPeriod: 30_000,
  flushConsumerOffsetInterval: 5000,
  flushDelayOffsetInterval: 10_000,
  slaveReadEnable: false,
  useServerSideResetOffset: true,
  maxTransferCountOnMessageInMemory: 32,
  maxTransferBytesOnMessageInMemory: 256 * 1024,
  defaultQueryMaxNum: 32,
})

type Kind = 'int' | 'number' | 'bool' | 'string' | readonly string[]

const BROKER_ROLES: readonly BrokerRole[] = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE']

/** How each key is written in broker.conf; complete, so a new key fails the typecheck until it is listed. */
const KEY_KINDS: Readonly<Record<keyof BrokerConfig, Kind>> = {
  storePathRootDir: 'string',
  mappedFileSizeCommitLog: 'int',
  mappedFileSizeConsumeQueue: 'int',
  flushDiskType: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
  flushIntervalCommitLog: 'int',
  flushCommitLogDirtyBytesMax: 'int',
  syncFlushTimeout: 'int',
  flushConsumeQueueInterval: 'int',
  fileReservedTime: 'number',
  deleteWhen: 'string',
  cleanResourceInterval: 'int',
  diskMaxUsedSpaceRatio: 'int',
  maxHashSlotNum: 'int',
  maxIndexNum: 'int',
  messageIndexEnable: 'bool',
  maxMessageSize: 'int',
  warmMappedFileEnable: 'bool',
  commitLogWriteBufferBytes: 'int',
  commitLogReadCacheBytes: 'int',
  messageDelayLevel: 'string',
  brokerIP1: 'string',
  listenPort: 'int',
  brokerClusterName: 'string',
  brokerName: 'string',
  brokerId: 'int',
  brokerRole: BROKER_ROLES,
  namesrvAddr: 'string',
  brokerPermission: 'int',
  autoCreateTopicEnable: 'bool',
  autoCreateSubscriptionGroup: 'bool',
  defaultTopicQueueNums: 'int',
  clusterTopicEnable: 'bool',
  brokerTopicEnable: 'bool',
  traceTopicEnable: 'bool',
  msgTraceTopicName: 'string',
  transactionTimeOut: 'int',
  transactionCheckMax: 'int',
  transactionCheckInterval: 'int',
  rejectTransactionMessage: 'bool',
  longPollingEnable: 'bool',
  shortPollingTimeMills: 'int',
  notifyConsumerIdsChangedEnable: 'bool',
  channelExpiredTimeout: 'int',
  registerNameServerPeriod: 'int',
  flushConsumerOffsetInterval: 'int',
  flushDelayOffsetInterval: 'int',
  slaveReadEnable: 'bool',
  useServerSideResetOffset: 'bool',
  maxTransferCountOnMessageInMemory: 'int',
  maxTransferBytesOnMessageInMemory: 'int',
  defaultQueryMaxNum: 'int',
  storePathCommitLog: 'string',
  storePathConsumeQueue: 'string',
  storePathIndex: 'string',
  storeCheckpoint: 'string',
  abortFile: 'string',
}

/** RocketMQ's spellings of keys the store names differently. */
const KEY_ALIASES: Readonly<Record<string, keyof BrokerConfig>> = {
  flushIntervalConsumeQueue: 'flushConsumeQueueInterval',
  warmMapedFileEnable: 'warmMappedFileEnable',
}

/** The engine key → RocketMQ's spelling of it (KEY_ALIASES turned around), for the text formatBrokerConf writes. */
const ROCKETMQ_KEY_NAMES: ReadonlyMap<keyof BrokerConfig, string> = new Map(
  Object.entries(KEY_ALIASES).map(([rocketmq, engine]) => [engine, rocketmq]),
)

/** The path keys RocketMQ derives from storePathRootDir, and where the store keeps each. */
const DERIVED_PATHS: readonly (readonly [keyof BrokerConfig, string])[] = [
  ['storePathCommitLog', 'commitlog'],
  ['storePathConsumeQueue', 'consumequeue'],
  ['storePathIndex', 'index'],
  ['storeCheckpoint', 'checkpoint'],
  ['abortFile', 'abort'],
]

const STORE_KEYS = Object.keys(DEFAULT_STORE_CONFIG).concat(
  'storePathRootDir',
) as (keyof MessageStoreConfig)[]

const isInt = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
const isBool = (v: unknown) => typeof v === 'boolean'
const isMs = isInt(1, 86_400_000)
const MS_EXPECTED = 'milliseconds from 1 to 86400000'

/** Cluster and broker names become topic names (the cluster-name and broker-name topics). */
function isBrokerTopicName(v: unknown): boolean {
  return (
    typeof v === 'string' &&
    validateTopicName(v) === undefined &&
    !isSystemTopic(v) &&
    !isRetryTopic(v) &&
    !isDlqTopic(v)
  )
}

const NAMESRV_ADDR_PATTERN = /^[A-Za-z0-9._-]+:(\d{1,5})$/

function isNamesrvAddr(v: unknown): boolean {
  if (typeof v !== 'string') return false
  if (v === '') return true
  return v.split(';').every((addr) => {
    const m = NAMESRV_ADDR_PATTERN.exec(addr.trim())
    return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535
  })
}

type Rule = readonly [ok: (v: unknown) => boolean, expected: string]

/** Broker keys; the store keys are checked by resolveStoreConfig with the same kind of message. */
const BROKER_RULES: Readonly<Partial<Record<keyof BrokerConfig, Rule>>> = {
  brokerClusterName: [
    isBrokerTopicName,
    'a name of letters, digits, _ - | (at most 127) that is no system topic',
  ],
  brokerName: [isBrokerTopicName, 'a name of letters, digits, _ - | (at most 127) that is no system topic'],
  brokerId: [isInt(0, BROKER_ID_MAX), `an integer from 0 (master) to ${BROKER_ID_MAX}`],
  brokerRole: [(v) => BROKER_ROLES.includes(v as BrokerRole), BROKER_ROLES.join(', ') + ' or nothing else'],
  namesrvAddr: [isNamesrvAddr, 'host:port addresses separated by ; (or empty)'],
  brokerPermission: [isInt(0, 7), 'perm bits from 0 to 7 (read 4, write 2, inherit 1)'],
  autoCreateTopicEnable: [isBool, 'true or false'],
  autoCreateSubscriptionGroup: [isBool, 'true or false'],
  defaultTopicQueueNums: [isInt(1, TOPIC_QUEUE_NUMS_MAX), `an integer from 1 to ${TOPIC_QUEUE_NUMS_MAX}`],
  clusterTopicEnable: [isBool, 'true or false'],
  brokerTopicEnable: [isBool, 'true or false'],
  traceTopicEnable: [isBool, 'true or false'],
  msgTraceTopicName: [(v) => validateTopicName(v) === undefined, 'a valid topic name'],
  transactionTimeOut: [isMs, MS_EXPECTED],
  transactionCheckMax: [isInt(1, 1000), 'an integer from 1 to 1000'],
  transactionCheckInterval: [isMs, MS_EXPECTED],
  rejectTransactionMessage: [isBool, 'true or false'],
  longPollingEnable: [isBool, 'true or false'],
  shortPollingTimeMills: [isInt(1, 60_000), 'milliseconds from 1 to 60000'],
  notifyConsumerIdsChangedEnable: [isBool, 'true or false'],
  channelExpiredTimeout: [isInt(1000, 86_400_000), 'milliseconds from 1000 to 86400000'],
  registerNameServerPeriod: [isInt(10_000, 60_000), 'milliseconds from 10000 to 60000'],
  flushConsumerOffsetInterval: [isMs, MS_EXPECTED],
  flushDelayOffsetInterval: [isMs, MS_EXPECTED],
  slaveReadEnable: [isBool, 'true or false'],
  useServerSideResetOffset: [isBool, 'true or false'],
  maxTransferCountOnMessageInMemory: [isInt(1, 65_536), 'an integer from 1 to 65536'],
  maxTransferBytesOnMessageInMemory: [isInt(1, 64 * 1024 * 1024), 'bytes from 1 to 64 MiB'],
  defaultQueryMaxNum: [isInt(1, 65_536), 'an integer from 1 to 65536'],
}

function invalid(key: string, message: string): EngineError {
  return new EngineError('CONFIG_INVALID', message, { key })
}

/**
 * Fills defaults and validates; throws EngineError('CONFIG_INVALID', …, { key }) naming the first bad key.
 * Keys set to undefined take their default; unknown keys are refused (a typo must not pass silently).
 */
export function resolveBrokerConfig(partial: Partial<BrokerConfig> = {}): BrokerConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_BROKER_CONFIG }
  for (const [key, value] of Object.entries(partial)) {
    if (!Object.hasOwn(KEY_KINDS, key)) throw invalid(key, `unknown broker config key ${key}`)
    if (value !== undefined) merged[key] = value
  }
  const config = merged as unknown as BrokerConfig
  for (const [key, rule] of Object.entries(BROKER_RULES) as [keyof BrokerConfig, Rule][]) {
    const [ok, expected] = rule
    if (!ok(config[key])) throw invalid(key, `${key} must be ${expected}; got ${JSON.stringify(config[key])}`)
  }
  if (config.brokerRole === 'SLAVE' ? config.brokerId === 0 : config.brokerId !== 0) {
    const role = config.brokerRole
    throw invalid(
      'brokerId',
      `brokerId ${config.brokerId} does not fit brokerRole ${role}: ` +
        (role === 'SLAVE' ? 'a slave needs brokerId above 0' : 'a master has brokerId 0'),
    )
  }
  for (const [key, name] of DERIVED_PATHS) {
    const value = config[key]
    if (value === undefined) continue
    const expected = path.join(config.storePathRootDir, name)
    if (typeof value !== 'string' || path.resolve(value) !== path.resolve(expected)) {
      throw invalid(
        key,
        `${key} must be ${expected} (the store keeps ${name} under storePathRootDir) or be left out; ` +
          `got ${JSON.stringify(value)}`,
      )
    }
  }
  const store = resolveStoreConfig(storeConfigOf(config))
  const levels = parseDelayLevels(store.messageDelayLevel) ?? []
  if (levels.length > DELAY_LEVELS_MAX) {
    throw invalid(
      'messageDelayLevel',
      `messageDelayLevel has ${levels.length} levels; SCHEDULE_TOPIC_XXXX holds at most ${DELAY_LEVELS_MAX}`,
    )
  }
  return Object.freeze({ ...config, ...store })
}

/** The store's part of a broker config, as MessageStore.open takes it. */
export function storeConfigOf(config: BrokerConfig): MessageStoreConfig {
  const out: Record<string, unknown> = {}
  for (const key of STORE_KEYS) out[key] = config[key]
  return out as unknown as MessageStoreConfig
}

/** The address clients and the NameServer use for this broker (RocketMQ: brokerIP1:listenPort). */
export function brokerAddr(config: Pick<BrokerConfig, 'brokerIP1' | 'listenPort'>): string {
  return `${config.brokerIP1}:${config.listenPort}`
}

/** Where the JSON config files (topics.json, subscriptionGroup.json, consumerOffset.json) live. */
export function configDirOf(config: Pick<BrokerConfig, 'storePathRootDir'>): string {
  return path.join(config.storePathRootDir, 'config')
}

export interface ParsedBrokerConf {
  /** Known keys with their typed values (RocketMQ aliases mapped to this engine's names). */
  readonly config: Partial<BrokerConfig>
  /** Keys RocketMQ knows but this engine does not use; reported, not fatal. */
  readonly unknownKeys: string[]
}

/**
 * Reads a broker.conf (java.util.Properties text: `key=value`, `key: value` or `key value`, `#`/`!` comments,
 * `\` line continuations and escapes). Values are trimmed and typed per key; a value of the wrong form throws
 * CONFIG_INVALID naming the key and what was expected. Ranges are checked later by resolveBrokerConfig.
 */
export function parseBrokerConf(text: string): ParsedBrokerConf {
  // Each value was coerced to its key's kind, so the record is a Partial<BrokerConfig>.
  const config: Record<string, unknown> = {}
  const unknownKeys: string[] = []
  for (const [rawKey, rawValue] of parseJavaProperties(text)) {
    const key = (KEY_ALIASES[rawKey] ?? rawKey) as keyof BrokerConfig
    const kind = Object.hasOwn(KEY_KINDS, key) ? KEY_KINDS[key] : undefined
    if (kind === undefined) {
      if (!unknownKeys.includes(rawKey)) unknownKeys.push(rawKey)
      continue
    }
    config[key] = coerce(rawKey, rawValue.trim(), kind)
  }
  return { config, unknownKeys }
}

function coerce(key: string, value: string, kind: Kind): unknown {
  const refuse = (expected: string) =>
    invalid(key, `${key} must be ${expected}; got ${JSON.stringify(value)}`)
  if (kind === 'string') return value
  if (kind === 'bool') {
    if (/^true$/i.test(value)) return true
    if (/^false$/i.test(value)) return false
    throw refuse('true or false')
  }
  if (kind === 'int') {
    const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN
    if (!Number.isSafeInteger(n)) throw refuse('an integer')
    return n
  }
  if (kind === 'number') {
    const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : NaN
    if (!Number.isFinite(n)) throw refuse('a number')
    return n
  }
  if (!kind.includes(value)) throw refuse(`one of ${kind.join(', ')}`)
  return value
}

const PROPERTY_WHITESPACE = new Set([' ', '\t', '\f'])

/** java.util.Properties.load over text: [key, value] pairs in file order, escapes resolved. */
export function parseJavaProperties(text: string): [string, string][] {
  const out: [string, string][] = []
  const lines = text.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    let line = stripLeadingWhitespace(lines[i] ?? '')
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    // An odd number of trailing backslashes continues the logical line on the next natural line.
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + stripLeadingWhitespace(lines[++i] ?? '')
    }
    if (endsWithOddBackslashes(line)) line = line.slice(0, -1)
    let k = 0
    while (k < line.length) {
      const ch = line[k] ?? ''
      if (ch === '\\') k += 2
      else if (ch === '=' || ch === ':' || PROPERTY_WHITESPACE.has(ch)) break
      else k++
    }
    const key = line.slice(0, Math.min(k, line.length))
    let v = k
    while (v < line.length && PROPERTY_WHITESPACE.has(line[v] ?? '')) v++
    if (v < line.length && (line[v] === '=' || line[v] === ':')) v++
    while (v < line.length && PROPERTY_WHITESPACE.has(line[v] ?? '')) v++
    out.push([unescapeProperty(key), unescapeProperty(line.slice(v))])
  }
  return out
}

function stripLeadingWhitespace(s: string): string {
  let i = 0
  while (i < s.length && PROPERTY_WHITESPACE.has(s[i] ?? '')) i++
  return s.slice(i)
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++
  return n % 2 === 1
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' }

function unescapeProperty(s: string): string {
  if (!s.includes('\\')) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? ''
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = s[++i] ?? ''
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16))
      i += 4
    } else {
      out += ESCAPES[next] ?? next
    }
  }
  return out
}

/** The config as broker.conf text (GET_BROKER_CONFIG's body form); parseBrokerConf reads it back unchanged. */
export function formatBrokerConf(config: BrokerConfig): string {
  const lines: string[] = []
  for (const key of Object.keys(KEY_KINDS) as (keyof BrokerConfig)[]) {
    const value = config[key]
    if (value === undefined) continue
    // A key RocketMQ spells differently is written its way, as a 4.9.4 broker's GET_BROKER_CONFIG has it.
    lines.push(`${ROCKETMQ_KEY_NAMES.get(key) ?? key}=${escapePropertyValue(String(value))}`)
  }
  return lines.join('\n') + '\n'
}

function escapePropertyValue(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
}
