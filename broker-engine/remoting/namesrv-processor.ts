// The NameServer over remoting (RocketMQ's DefaultRequestProcessor/ClientRequestProcessor plus
// BrokerHousekeepingService): request handlers that turn RouteRegistry answers into the wire shapes of PROTOCOL.md
// 2.6 and 2.10, a small in-memory KV config table, and the connection → broker bookkeeping that drops a broker the
// moment the connection it registered through closes.

import zlib from 'node:zlib'
import { EngineError } from '../common/engine-error'
import type { RouteRegistry } from '../namesrv/route-registry'
import type { BrokerData, DataVersion, RegisterBrokerRequest } from '../namesrv/route-types'
import { validateDataVersion } from '../namesrv/route-validation'
import { crc32 } from '../store/crc32'
import { isFastjsonObject, parseFastjson, toFastjson, type FastjsonValue } from './fastjson'
import { createResponse, extField, type RemotingCommand } from './remoting-command'
import { REQUEST_CODE, RESPONSE_CODE } from './remoting-codes'
import type { RemotingConnection, RequestHandler } from './remoting-connection'
import type { RemotingServer } from './remoting-server'

/** The KV namespace whose `topic → "broker-a:4;broker-b:4"` entries become TopicRouteData.orderTopicConf. */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG'

/** A zlib bomb stops here: far above a real broker's registration (65 536 topics ≈ 6 MiB inflated). */
export const REGISTER_BODY_INFLATED_BYTES_MAX = 32 * 1024 * 1024
/** UPDATE_NAMESRV_CONFIG bodies are a few `key=value` lines. */
const CONFIG_BODY_BYTES_MAX = 64 * 1024
/** MQVersion.Version.V5_0_0: from this broker version on, a compressed body ends with static-topic mappings. */
const VERSION_V5_0_0 = 413
/** The remark RocketMQ puts after an unknown topic (FAQUrl.suggestTodo(APPLY_TOPIC_URL)). */
const APPLY_TOPIC_SUGGESTION = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.'
/** RocketMQ's TopicConfig field defaults, for body entries that leave a field out (fastjson fills a new bean). */
const TOPIC_CONFIG_DEFAULTS = {
  readQueueNums: 16,
  writeQueueNums: 16,
  perm: 6,
  topicSysFlag: 0,
  topicFilterType: 'SINGLE_TAG',
  order: false,
} as const

// ---- NameServer settings --------------------------------------------------------------------------------

/** The NamesrvConfig keys this NameServer honours (GET_NAMESRV_CONFIG lists them; see UPDATABLE_CONFIG_KEYS). */
export interface NamesrvConfig {
  /** Reported only; undefined reports the port the server listens on. */
  listenPort: number | undefined
  /** Routes carry orderTopicConf from the ORDER_TOPIC_CONFIG namespace. */
  orderMessageEnable: boolean
  /** REGISTER_BROKER responses carry the ORDER_TOPIC_CONFIG namespace as a KVTable. */
  returnOrderTopicConfigToBroker: boolean
  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER answers; false refuses it with "disable". */
  enableAllTopicList: boolean
  /** GET_TOPICS_BY_CLUSTER answers; false refuses it with "disable". */
  enableTopicList: boolean
  /**
   * A registration replaces the broker name's topic list (topics it no longer lists lose its queues). false, the
   * RocketMQ default, only adds and updates: a broker's topic-change registration carries just that topic, and
   * the wire does not say which kind a registration is. Deleted topics leave through DELETE_TOPIC_IN_NAMESRV.
   */
  deleteTopicWithBrokerRegistration: boolean
}

export const DEFAULT_NAMESRV_CONFIG: NamesrvConfig = {
  listenPort: undefined,
  orderMessageEnable: false,
  returnOrderTopicConfigToBroker: true,
  enableAllTopicList: true,
  enableTopicList: true,
  deleteTopicWithBrokerRegistration: false,
}

/**
 * UPDATE_NAMESRV_CONFIG accepts these switches and nothing else: each only changes how this processor answers.
 * Every other key (ports, scan intervals, RocketMQ's thread and path settings) is refused with NO_PERMISSION.
 */
export const UPDATABLE_CONFIG_KEYS = [
  'deleteTopicWithBrokerRegistration',
  'enableAllTopicList',
  'enableTopicList',
  'orderMessageEnable',
  'returnOrderTopicConfigToBroker',
] as const satisfies readonly (keyof NamesrvConfig)[]

type UpdatableConfigKey = (typeof UPDATABLE_CONFIG_KEYS)[number]

// ---- KV config ------------------------------------------------------------------------------------------

export interface KvConfigLimits {
  readonly namespacesMax: number
  readonly keysPerNamespaceMax: number
  /** Namespace and key names. */
  readonly nameLengthMax: number
  readonly valueLengthMax: number
}

export const DEFAULT_KV_CONFIG_LIMITS: KvConfigLimits = {
  namespacesMax: 256,
  keysPerNamespaceMax: 4096,
  nameLengthMax: 255,
  valueLengthMax: 64 * 1024,
}

export type PutKvConfigResult = { status: 'PUT' } | { status: 'LIMIT_EXCEEDED'; reason: string }

/**
 * RocketMQ's KVConfigManager without the file: namespace → key → value, bounded. Kept in memory only, like the
 * rest of the route data, which brokers rebuild by registering again after a restart.
 */
export class KvConfigTable {
  readonly limits: KvConfigLimits
  private readonly table = new Map<string, Map<string, string>>()

  constructor(limits: Partial<KvConfigLimits> = {}) {
    this.limits = { ...DEFAULT_KV_CONFIG_LIMITS, ...limits }
  }

  putKVConfig(namespace: string, key: string, value: string): PutKvConfigResult {
    this.checkName(namespace, 'namespace')
    this.checkName(key, 'key')
    if (typeof value !== 'string' || value.length > this.limits.valueLengthMax) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `value must be a string of at most ${this.limits.valueLengthMax} characters`,
        {
          field: 'value',
        },
      )
    }
    let entries = this.table.get(namespace)
    if (!entries) {
      if (this.table.size >= this.limits.namespacesMax) {
        return {
          status: 'LIMIT_EXCEEDED',
          reason: `the KV config already holds ${this.limits.namespacesMax} namespaces`,
        }
      }
      entries = new Map()
      this.table.set(namespace, entries)
    }
    if (!entries.has(key) && entries.size >= this.limits.keysPerNamespaceMax) {
      return {
        status: 'LIMIT_EXCEEDED',
        reason: `KV namespace ${namespace} already holds ${this.limits.keysPerNamespaceMax} keys`,
      }
    }
    entries.set(key, value)
    return { status: 'PUT' }
  }

  getKVConfig(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key)
  }

  /** Returns false when there was nothing to delete. An emptied namespace goes too. */
  deleteKVConfig(namespace: string, key: string): boolean {
    const entries = this.table.get(namespace)
    if (!entries?.delete(key)) return false
    if (entries.size === 0) this.table.delete(namespace)
    return true
  }

  /** The namespace's entries, or undefined when it holds none. */
  getKVListByNamespace(namespace: string): Record<string, string> | undefined {
    const entries = this.table.get(namespace)
    if (!entries) return undefined
    return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  private checkName(name: unknown, field: string): void {
    if (typeof name !== 'string' || name.length === 0 || name.length > this.limits.nameLengthMax) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `${field} must be 1 to ${this.limits.nameLengthMax} characters`,
        {
          field,
        },
      )
    }
  }
}

// ---- request decoding -----------------------------------------------------------------------------------

/**
 * A request RocketMQ would fail to decode (a missing or malformed header field, an unreadable body): answered
 * with SYSTEM_ERROR and this message as the remark, as a Java NameServer answers a RemotingCommandException.
 */
class BadRequestError extends Error {}

function requiredField(request: RemotingCommand, name: string): string {
  const value = extField(request, name)
  if (value === undefined) throw new BadRequestError(`the custom field <${name}> is null`)
  return value
}

/** A non-empty string, or undefined for an absent or empty field. */
function optionalField(request: RemotingCommand, name: string): string | undefined {
  const value = extField(request, name)
  return value === undefined || value === '' ? undefined : value
}

/** Long.parseLong, limited to what a JS number holds exactly. */
function longField(request: RemotingCommand, name: string): number {
  const text = requiredField(request, name)
  const value = /^[+-]?\d{1,19}$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value))
    throw new BadRequestError(`the custom field <${name}> is not a long: ${JSON.stringify(text)}`)
  return value
}

/** Integer.parseInt; `fallback` when the field is absent. */
function intField(request: RemotingCommand, name: string, fallback: number): number {
  const text = extField(request, name)
  if (text === undefined) return fallback
  const value = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : NaN
  if (!(value >= -0x8000_0000 && value <= 0x7fff_ffff)) {
    throw new BadRequestError(`the custom field <${name}> is not an int: ${JSON.stringify(text)}`)
  }
  return value
}

/** Boolean.parseBoolean: "true" in any case is true, anything else (or nothing) false. */
function booleanField(request: RemotingCommand, name: string): boolean {
  return extField(request, name)?.toLowerCase() === 'true'
}

function parseJsonBody(body: Buffer, what: string): FastjsonValue {
  try {
    return parseFastjson(body.toString('utf8'))
  } catch (err) {
    throw new BadRequestError(`Failed to decode ${what}: ${errorMessage(err)}`)
  }
}

interface RegisterBrokerBody {
  /** Untyped on purpose: RouteRegistry validates every field and names the bad one. */
  readonly topicConfigs: unknown[]
  readonly dataVersion: unknown
}

/** What RocketMQ uses for a registration without a body: no topics, version 0/0. */
const EMPTY_REGISTER_BODY: RegisterBrokerBody = {
  topicConfigs: [],
  dataVersion: { timestamp: 0, counter: 0 },
}

function decodeRegisterBrokerBody(request: RemotingCommand, topicsMax: number): RegisterBrokerBody {
  const body = request.body
  if (!body) return EMPTY_REGISTER_BODY
  try {
    return booleanField(request, 'compressed')
      ? decodeCompressedRegisterBody(body, request.version, topicsMax)
      : decodeJsonRegisterBody(body)
  } catch (err) {
    if (err instanceof BadRequestError) throw err
    throw new BadRequestError(`Failed to decode RegisterBrokerBody: ${errorMessage(err)}`)
  }
}

/** `{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{…},"topicConfigTable":{name:TopicConfig}}}` */
function decodeJsonRegisterBody(body: Buffer): RegisterBrokerBody {
  const root = parseJsonBody(body, 'RegisterBrokerBody')
  if (!isFastjsonObject(root))
    throw new BadRequestError('Failed to decode RegisterBrokerBody: not a JSON object')
  const wrapper = root.topicConfigSerializeWrapper
  if (wrapper === undefined || wrapper === null) return EMPTY_REGISTER_BODY
  if (!isFastjsonObject(wrapper)) {
    throw new BadRequestError(
      'Failed to decode RegisterBrokerBody: topicConfigSerializeWrapper is not an object',
    )
  }
  const table = wrapper.topicConfigTable ?? {}
  if (!isFastjsonObject(table)) {
    throw new BadRequestError('Failed to decode RegisterBrokerBody: topicConfigTable is not an object')
  }
  return {
    topicConfigs: Object.entries(table).map(([name, config]) => withTopicDefaults(name, config)),
    dataVersion: wrapper.dataVersion ?? { timestamp: 0, counter: 0 },
  }
}

function withTopicDefaults(name: string, config: FastjsonValue): unknown {
  if (!isFastjsonObject(config)) return config
  const out: Record<string, unknown> = { ...TOPIC_CONFIG_DEFAULTS, topicName: name }
  for (const [key, value] of Object.entries(config)) if (value !== null) out[key] = value
  return out
}

/**
 * The compressed layout (RegisterBrokerBody.encode(true)), a zlib stream of
 * `[int len][DataVersion JSON] [int n] n×([int len][TopicConfig.encode()]) [int len][filterServerList JSON]`
 * followed, from broker version V5_0_0 on, by `[int n] n×([int len][TopicQueueMappingInfo JSON])`.
 * TopicConfig.encode() is `name readQueueNums writeQueueNums perm topicFilterType [attributes JSON]`: topicSysFlag
 * and order do not travel, so they take their defaults, as in RocketMQ.
 */
function decodeCompressedRegisterBody(
  body: Buffer,
  brokerVersion: number,
  topicsMax: number,
): RegisterBrokerBody {
  let data: Buffer
  try {
    data = zlib.inflateSync(body, { maxOutputLength: REGISTER_BODY_INFLATED_BYTES_MAX })
  } catch (err) {
    const tooBig = err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
    throw new BadRequestError(
      `Failed to decode RegisterBrokerBody: ${tooBig ? `inflated body exceeds ${REGISTER_BODY_INFLATED_BYTES_MAX} bytes` : `not a zlib stream (${errorMessage(err)})`}`,
    )
  }
  const reader = new ChunkReader(data)
  const dataVersion = parseJsonBody(reader.chunk('DataVersion'), 'DataVersion')
  const topicCount = reader.count('topic count', topicsMax)
  const topicConfigs: unknown[] = []
  for (let i = 0; i < topicCount; i++) {
    topicConfigs.push(decodeTopicConfigLine(reader.chunk(`topic config ${i}`).toString('utf8'), i))
  }
  reader.chunk('filterServerList')
  if (brokerVersion >= VERSION_V5_0_0 && reader.remaining > 0) {
    // Static-topic mappings: this NameServer does not serve static topics, but the chunks must be well formed.
    const mappings = reader.count('topic queue mapping count', topicsMax)
    for (let i = 0; i < mappings; i++) reader.chunk(`topic queue mapping ${i}`)
  }
  return { topicConfigs, dataVersion }
}

function decodeTopicConfigLine(line: string, index: number): unknown {
  const parts = line.split(' ')
  const [topicName, readQueueNums, writeQueueNums, perm, topicFilterType] = parts
  if (topicFilterType === undefined) {
    throw new BadRequestError(
      `Failed to decode RegisterBrokerBody: topic config ${index} has fewer than 5 fields: ${JSON.stringify(line.slice(0, 80))}`,
    )
  }
  const int = (text: string, field: string): number => {
    if (!/^[+-]?\d{1,10}$/.test(text)) {
      throw new BadRequestError(
        `Failed to decode RegisterBrokerBody: topic config ${index} ${field} is not an int: ${JSON.stringify(text)}`,
      )
    }
    return Number(text)
  }
  const config: Record<string, unknown> = {
    ...TOPIC_CONFIG_DEFAULTS,
    topicName,
    readQueueNums: int(readQueueNums!, 'readQueueNums'),
    writeQueueNums: int(writeQueueNums!, 'writeQueueNums'),
    perm: int(perm!, 'perm'),
    topicFilterType,
  }
  // RocketMQ ignores attributes it cannot parse (a key or value holding a space splits the JSON).
  const attributesText = parts.slice(5).join(' ')
  if (attributesText !== '') {
    try {
      const attributes = parseFastjson(attributesText)
      if (isFastjsonObject(attributes)) config.attributes = attributes
    } catch {
      // Left out, as RocketMQ does.
    }
  }
  return config
}

/** Reads `[int32 length][bytes]` chunks with every length checked against what is left. */
class ChunkReader {
  private pos = 0

  constructor(private readonly data: Buffer) {}

  get remaining(): number {
    return this.data.length - this.pos
  }

  count(what: string, max: number): number {
    const value = this.int(what)
    if (value > max)
      throw new BadRequestError(`Failed to decode RegisterBrokerBody: ${what} ${value} exceeds ${max}`)
    return value
  }

  chunk(what: string): Buffer {
    const length = this.int(`${what} length`)
    if (length > this.remaining) {
      throw new BadRequestError(
        `Failed to decode RegisterBrokerBody: ${what} needs ${length} bytes, ${this.remaining} left`,
      )
    }
    const out = this.data.subarray(this.pos, this.pos + length)
    this.pos += length
    return out
  }

  private int(what: string): number {
    if (this.remaining < 4)
      throw new BadRequestError(`Failed to decode RegisterBrokerBody: truncated before ${what}`)
    const value = this.data.readInt32BE(this.pos)
    this.pos += 4
    if (value < 0) throw new BadRequestError(`Failed to decode RegisterBrokerBody: negative ${what} ${value}`)
    return value
  }
}

/** Parses java.util.Properties text: `key=value`, `key:value` or `key value` lines; `#`/`!` comments. */
function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/^[ \t\f]+/, '')
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    const match = /^([^=:\s]*)[ \t\f]*[=:]?[ \t\f]*(.*)$/.exec(line)
    if (match) out.set(match[1]!, match[2]!)
  }
  return out
}

// ---- response encoding ----------------------------------------------------------------------------------

/** BrokerData as 5.x writes it; brokerAddrs keys come out as "0", which fastjson reads back as a Long. */
function brokerDataJson(data: BrokerData): Record<string, unknown> {
  return {
    brokerAddrs: { ...data.brokerAddrs },
    brokerName: data.brokerName,
    cluster: data.cluster,
    enableActingMaster: false,
  }
}

function dataVersionJson(version: DataVersion): Record<string, number> {
  return { counter: version.counter, stateVersion: version.stateVersion ?? 0, timestamp: version.timestamp }
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(toFastjson(value), 'utf8')
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

// ---- connection bookkeeping -----------------------------------------------------------------------------

/**
 * Which connection each wire-registered broker address came through (RocketMQ keeps the channel in
 * BrokerLiveInfo). A broker that re-registers over a new connection moves to it, so the old connection closing
 * later does not drop it.
 */
class BrokerChannelTable {
  private readonly ownerByAddr = new Map<string, RemotingConnection>()
  private readonly addrsByConnection = new Map<RemotingConnection, Set<string>>()

  constructor(
    private readonly registry: RouteRegistry,
    private readonly log: (message: string) => void,
  ) {}

  get size(): number {
    return this.ownerByAddr.size
  }

  registeredThrough(brokerAddr: string, conn: RemotingConnection): void {
    const previous = this.ownerByAddr.get(brokerAddr)
    if (previous === conn) return
    if (previous) this.addrsByConnection.get(previous)?.delete(brokerAddr)
    this.ownerByAddr.set(brokerAddr, conn)
    let addrs = this.addrsByConnection.get(conn)
    if (!addrs) {
      addrs = new Set()
      this.addrsByConnection.set(conn, addrs)
      conn.onClose(() => this.connectionClosed(conn))
    }
    addrs.add(brokerAddr)
    // Addresses the registry expired stay here until their connection closes; prune them before they pile up.
    if (this.ownerByAddr.size > 2 * this.registry.config.brokersMax) this.pruneExpired()
  }

  forget(brokerAddr: string): void {
    const owner = this.ownerByAddr.get(brokerAddr)
    if (!owner) return
    this.ownerByAddr.delete(brokerAddr)
    this.addrsByConnection.get(owner)?.delete(brokerAddr)
  }

  private connectionClosed(conn: RemotingConnection): void {
    const addrs = this.addrsByConnection.get(conn)
    this.addrsByConnection.delete(conn)
    for (const addr of addrs ?? []) {
      if (this.ownerByAddr.get(addr) !== conn) continue
      this.ownerByAddr.delete(addr)
      try {
        const gone = this.registry.unregisterBrokerByAddr(addr)
        if (gone)
          this.log(
            `connection ${conn.remoteAddress} closed: unregistered broker ${gone.brokerName} at ${addr}`,
          )
      } catch (err) {
        this.log(
          `connection ${conn.remoteAddress} closed: unregistering ${addr} failed: ${errorMessage(err)}`,
        )
      }
    }
  }

  private pruneExpired(): void {
    const live = new Set(this.registry.getBrokerLiveInfo().map((row) => row.brokerAddr))
    for (const addr of [...this.ownerByAddr.keys()]) if (!live.has(addr)) this.forget(addr)
  }
}

// ---- handlers -------------------------------------------------------------------------------------------

export interface NameServerProcessorOptions {
  readonly log?: (message: string) => void
  /** Shared KV config (e.g. with an in-process admin view); a fresh table by default. */
  readonly kvConfig?: KvConfigTable
  readonly namesrvConfig?: Partial<NamesrvConfig>
}

/** What registerNameServerProcessors leaves behind for the caller to inspect. */
export interface NameServerProcessors {
  readonly kvConfig: KvConfigTable
  /** The settings as they are now (UPDATE_NAMESRV_CONFIG may change the switches). */
  config(): Readonly<NamesrvConfig>
  /** Broker addresses registered over a still-open connection. */
  readonly trackedBrokerCount: number
}

type Handler = (request: RemotingCommand, conn: RemotingConnection) => RemotingCommand

/**
 * Registers the NameServer request codes on `server`. WIPE_WRITE_PERM_OF_BROKER (205) and
 * ADD_WRITE_PERM_OF_BROKER (327) are left out, so they answer REQUEST_CODE_NOT_SUPPORTED: RouteRegistry has no
 * way to change a broker name's queue perms.
 */
export function registerNameServerProcessors(
  server: RemotingServer,
  registry: RouteRegistry,
  options: NameServerProcessorOptions = {},
): NameServerProcessors {
  const log = options.log ?? ((m: string) => console.warn(`[mqdeck namesrv] ${m}`))
  const kvConfig = options.kvConfig ?? new KvConfigTable()
  const config: NamesrvConfig = { ...DEFAULT_NAMESRV_CONFIG, ...options.namesrvConfig }
  const channels = new BrokerChannelTable(registry, log)

  const guard =
    (handler: Handler): RequestHandler =>
    (request, conn) => {
      try {
        return handler(request, conn)
      } catch (err) {
        if (err instanceof BadRequestError) {
          return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: err.message })
        }
        if (err instanceof EngineError && err.code === 'ARGUMENT_INVALID') {
          return createResponse(request, RESPONSE_CODE.INVALID_PARAMETER, { remark: err.message })
        }
        log(`request code ${request.code} from ${conn.remoteAddress} failed: ${errorMessage(err)}`)
        return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: errorMessage(err) })
      }
    }
  const on = (code: number, handler: Handler): void => server.register(code, guard(handler))
  const success = (request: RemotingCommand, body?: Buffer): RemotingCommand =>
    createResponse(request, RESPONSE_CODE.SUCCESS, body ? { body } : {})

  on(REQUEST_CODE.REGISTER_BROKER, (request, conn) => {
    const brokerName = requiredField(request, 'brokerName')
    const brokerAddr = requiredField(request, 'brokerAddr')
    const clusterName = requiredField(request, 'clusterName')
    const brokerId = longField(request, 'brokerId')
    // RocketMQ brokers always send haServerAddr; an empty one means "none" here, not an error.
    const haServerAddr = optionalField(request, 'haServerAddr')
    const bodyCrc32 = intField(request, 'bodyCrc32', 0)
    if (bodyCrc32 !== 0 && (crc32(request.body ?? Buffer.alloc(0)) & 0x7fff_ffff) !== bodyCrc32) {
      log(`REGISTER_BROKER from ${conn.remoteAddress}: crc32 not match`)
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: 'crc32 not match' })
    }
    const body = decodeRegisterBrokerBody(request, registry.config.registrationTopicsMax)
    const base = {
      clusterName,
      brokerAddr,
      brokerName,
      brokerId,
      ...(haServerAddr === undefined ? {} : { haServerAddr }),
      topicConfigs: body.topicConfigs,
      dataVersion: body.dataVersion,
    } as unknown as RegisterBrokerRequest
    // Additive unless configured otherwise; the registry wants a full registration from a broker it does not know.
    let result = registry.registerBroker({ ...base, incremental: !config.deleteTopicWithBrokerRegistration })
    if (result.status === 'FULL_REGISTRATION_REQUIRED')
      result = registry.registerBroker({ ...base, incremental: false })
    if (result.status !== 'REGISTERED') {
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, {
        remark: `register broker failed: ${result.reason}`,
      })
    }
    channels.registeredThrough(brokerAddr, conn)
    const extFields: Record<string, string> = {}
    if (result.haServerAddr !== undefined) extFields.haServerAddr = result.haServerAddr
    if (result.masterAddr !== undefined) extFields.masterAddr = result.masterAddr
    const orderTopicConfig = config.returnOrderTopicConfigToBroker
      ? kvConfig.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG)
      : undefined
    return createResponse(request, RESPONSE_CODE.SUCCESS, {
      extFields,
      ...(orderTopicConfig ? { body: jsonBody({ table: orderTopicConfig }) } : {}),
    })
  })

  on(REQUEST_CODE.UNREGISTER_BROKER, (request) => {
    const brokerName = requiredField(request, 'brokerName')
    const brokerAddr = requiredField(request, 'brokerAddr')
    const clusterName = requiredField(request, 'clusterName')
    const brokerId = longField(request, 'brokerId')
    if (registry.unregisterBroker(clusterName, brokerAddr, brokerName, brokerId)) channels.forget(brokerAddr)
    return success(request)
  })

  on(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, (request) => {
    const topic = requiredField(request, 'topic')
    let route
    try {
      route = registry.getRouteInfoByTopic(topic)
    } catch (err) {
      // A name no topic can have has no route: answered like any unknown topic, as RocketMQ does.
      if (!(err instanceof EngineError)) throw err
    }
    if (!route) {
      return createResponse(request, RESPONSE_CODE.TOPIC_NOT_EXIST, {
        remark: `No topic route info in name server for the topic: ${topic}${APPLY_TOPIC_SUGGESTION}`,
      })
    }
    const orderTopicConf = config.orderMessageEnable
      ? kvConfig.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic)
      : undefined
    // Always the standard-JSON form (quoted "0" keys), which every client version reads (PROTOCOL.md 2.10).
    return success(
      request,
      jsonBody({
        brokerDatas: route.brokerDatas.map(brokerDataJson),
        filterServerTable: {},
        ...(orderTopicConf === undefined ? {} : { orderTopicConf }),
        queueDatas: route.queueDatas,
      }),
    )
  })

  on(REQUEST_CODE.GET_BROKER_CLUSTER_INFO, (request) => {
    const info = registry.getClusterInfo()
    const brokerAddrTable: Record<string, unknown> = {}
    for (const [name, data] of Object.entries(info.brokerAddrTable))
      brokerAddrTable[name] = brokerDataJson(data)
    return success(request, jsonBody({ brokerAddrTable, clusterAddrTable: info.clusterAddrTable }))
  })

  on(REQUEST_CODE.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, (request) => {
    if (!config.enableAllTopicList)
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: 'disable' })
    return success(request, jsonBody(registry.getAllTopicList()))
  })

  on(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV, (request) => {
    const topic = requiredField(request, 'topic')
    const clusterName = optionalField(request, 'clusterName')
    registry.deleteTopic(topic, clusterName === undefined ? undefined : { clusterName })
    return success(request)
  })

  on(REQUEST_CODE.GET_TOPICS_BY_CLUSTER, (request) => {
    const cluster = requiredField(request, 'cluster')
    if (!config.enableTopicList)
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: 'disable' })
    return success(request, jsonBody(registry.getTopicsByCluster(cluster)))
  })

  on(REQUEST_CODE.GET_SYSTEM_TOPIC_LIST_FROM_NS, (request) =>
    success(request, jsonBody(registry.getSystemTopicList())),
  )

  on(REQUEST_CODE.PUT_KV_CONFIG, (request) => {
    const result = kvConfig.putKVConfig(
      requiredField(request, 'namespace'),
      requiredField(request, 'key'),
      requiredField(request, 'value'),
    )
    if (result.status === 'LIMIT_EXCEEDED') {
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: result.reason })
    }
    return success(request)
  })

  on(REQUEST_CODE.GET_KV_CONFIG, (request) => {
    const namespace = requiredField(request, 'namespace')
    const key = requiredField(request, 'key')
    const value = kvConfig.getKVConfig(namespace, key)
    if (value === undefined) {
      return createResponse(request, RESPONSE_CODE.QUERY_NOT_FOUND, {
        remark: `No config item, Namespace: ${namespace} Key: ${key}`,
      })
    }
    return createResponse(request, RESPONSE_CODE.SUCCESS, { extFields: { value } })
  })

  on(REQUEST_CODE.DELETE_KV_CONFIG, (request) => {
    kvConfig.deleteKVConfig(requiredField(request, 'namespace'), requiredField(request, 'key'))
    return success(request)
  })

  on(REQUEST_CODE.GET_KVLIST_BY_NAMESPACE, (request) => {
    const namespace = requiredField(request, 'namespace')
    const table = kvConfig.getKVListByNamespace(namespace)
    if (!table) {
      return createResponse(request, RESPONSE_CODE.QUERY_NOT_FOUND, {
        remark: `No config item, Namespace: ${namespace}`,
      })
    }
    return success(request, jsonBody({ table }))
  })

  on(REQUEST_CODE.GET_NAMESRV_CONFIG, (request) => {
    const properties: Record<string, string> = {
      deleteTopicWithBrokerRegistration: String(config.deleteTopicWithBrokerRegistration),
      enableAllTopicList: String(config.enableAllTopicList),
      enableTopicList: String(config.enableTopicList),
      listenPort: String(config.listenPort ?? server.port),
      orderMessageEnable: String(config.orderMessageEnable),
      returnOrderTopicConfigToBroker: String(config.returnOrderTopicConfigToBroker),
      scanNotActiveBrokerInterval: String(registry.config.scanNotActiveBrokerIntervalMs),
    }
    const text = Object.entries(properties)
      .map(([key, value]) => `${key}=${value}\n`)
      .join('')
    return success(request, Buffer.from(text, 'utf8'))
  })

  on(REQUEST_CODE.UPDATE_NAMESRV_CONFIG, (request, conn) => {
    if (!request.body) return success(request)
    if (request.body.length > CONFIG_BODY_BYTES_MAX) {
      return createResponse(request, RESPONSE_CODE.INVALID_PARAMETER, {
        remark: `config body exceeds ${CONFIG_BODY_BYTES_MAX} bytes`,
      })
    }
    const properties = parseProperties(request.body.toString('utf8'))
    const refused = [...properties.keys()].filter(
      (key) => !(UPDATABLE_CONFIG_KEYS as readonly string[]).includes(key),
    )
    if (refused.length > 0) {
      return createResponse(request, RESPONSE_CODE.NO_PERMISSION, {
        remark: `Can not update config ${refused.join(', ')}: only ${UPDATABLE_CONFIG_KEYS.join(', ')} can change at runtime`,
      })
    }
    const updates: [UpdatableConfigKey, boolean][] = []
    for (const [key, raw] of properties) {
      const value = raw.trim().toLowerCase()
      if (value !== 'true' && value !== 'false') {
        return createResponse(request, RESPONSE_CODE.INVALID_PARAMETER, {
          remark: `config ${key} must be true or false; got ${JSON.stringify(raw)}`,
        })
      }
      updates.push([key as UpdatableConfigKey, value === 'true'])
    }
    for (const [key, value] of updates) config[key] = value
    log(`namesrv config updated by ${conn.remoteAddress}: ${updates.map(([k, v]) => `${k}=${v}`).join(', ')}`)
    return success(request)
  })

  on(REQUEST_CODE.QUERY_DATA_VERSION, (request) => {
    const brokerName = requiredField(request, 'brokerName')
    const brokerAddr = requiredField(request, 'brokerAddr')
    const clusterName = requiredField(request, 'clusterName')
    const brokerId = longField(request, 'brokerId')
    if (!request.body) throw new BadRequestError('QUERY_DATA_VERSION needs a DataVersion JSON body')
    const asked = validateDataVersion(parseJsonBody(request.body, 'DataVersion'), 'dataVersion')
    const live = registry
      .getBrokerLiveInfo()
      .find((row) => row.brokerAddr === brokerAddr && row.clusterName === clusterName)
    const changed =
      !live ||
      live.dataVersion.timestamp !== asked.timestamp ||
      live.dataVersion.counter !== asked.counter ||
      (live.dataVersion.stateVersion ?? 0) !== (asked.stateVersion ?? 0)
    if (live && !changed && live.brokerName === brokerName && live.brokerId === brokerId) {
      // RocketMQ counts an unchanged QUERY_DATA_VERSION as a heartbeat; an empty incremental registration with
      // the same version refreshes liveness and touches nothing else.
      registry.registerBroker({
        clusterName,
        brokerAddr,
        brokerName,
        brokerId,
        ...(live.haServerAddr === undefined ? {} : { haServerAddr: live.haServerAddr }),
        topicConfigs: [],
        dataVersion: live.dataVersion,
        incremental: true,
      })
    }
    return createResponse(request, RESPONSE_CODE.SUCCESS, {
      extFields: { changed: String(changed) },
      ...(live ? { body: jsonBody(dataVersionJson(live.dataVersion)) } : {}),
    })
  })

  return {
    kvConfig,
    config: () => ({ ...config }),
    get trackedBrokerCount() {
      return channels.size
    },
  }
}
