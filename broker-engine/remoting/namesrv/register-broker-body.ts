// RegisterBrokerBody, the body of REGISTER_BROKER (PROTOCOL.md 2.6), both ways: the JSON and the zlib-compressed
// layouts a broker sends (encode, for NameServerRemoteLink) and every layout a NameServer must read (decode, for
// the NameServer processor), with each length and count checked before it is trusted.

import zlib from 'node:zlib'
import type { NameServerLink } from '../../broker/broker-controller'
import { topicConfigJson } from '../../broker/topic-config-manager'
import { isFastjsonObject, parseFastjson, type FastjsonValue } from '../fastjson'
import { toFastjson } from '../fastjson-writer'
import { RequestError } from '../request-fields'

/** What a broker registers: its identity, topic configs and their DataVersion. */
export type BrokerRegistration = Parameters<NameServerLink['registerBroker']>[0]

/** A zlib bomb stops here: far above a real broker's registration (65 536 topics ≈ 6 MiB inflated). */
export const REGISTER_BODY_INFLATED_BYTES_MAX = 32 * 1024 * 1024
/** MQVersion.Version.V5_0_0: from this broker version on, a compressed body ends with static-topic mappings. */
const VERSION_V5_0_0 = 413
/** RocketMQ's TopicConfig field defaults, for body entries that leave a field out (fastjson fills a new bean). */
const TOPIC_CONFIG_DEFAULTS = {
  readQueueNums: 16,
  writeQueueNums: 16,
  perm: 6,
  topicSysFlag: 0,
  topicFilterType: 'SINGLE_TAG',
  order: false,
} as const

// ---- decoding (NameServer side) -------------------------------------------------------------------------

/**
 * A body RocketMQ would fail to decode is answered with SYSTEM_ERROR and this remark, as a Java NameServer
 * answers a RemotingCommandException.
 */
function undecodable(what: string, reason: string): RequestError {
  return new RequestError(`Failed to decode ${what}: ${reason}`)
}

/** A JSON body; `what` names it in the remark when it does not parse. */
export function parseJsonBody(body: Buffer, what: string): FastjsonValue {
  try {
    return parseFastjson(body.toString('utf8'))
  } catch (err) {
    throw undecodable(what, errorMessage(err))
  }
}

export interface RegisterBrokerBody {
  /** Untyped on purpose: RouteRegistry validates every field and names the bad one. */
  readonly topicConfigs: unknown[]
  readonly dataVersion: unknown
}

/** What RocketMQ uses for a registration without a body: no topics, version 0/0. */
const EMPTY_REGISTER_BODY: RegisterBrokerBody = {
  topicConfigs: [],
  dataVersion: { timestamp: 0, counter: 0 },
}

/**
 * The topic configs and DataVersion of a REGISTER_BROKER body: the zlib layout when the header says
 * compressed=true (its layout depends on the broker's version), else JSON. Throws a RequestError naming what
 * could not be decoded.
 */
export function decodeRegisterBrokerBody(
  body: Buffer | undefined,
  compressed: boolean,
  brokerVersion: number,
  topicsMax: number,
): RegisterBrokerBody {
  if (!body) return EMPTY_REGISTER_BODY
  try {
    return compressed
      ? decodeCompressedRegisterBody(body, brokerVersion, topicsMax)
      : decodeJsonRegisterBody(body)
  } catch (err) {
    if (err instanceof RequestError) throw err
    throw undecodable('RegisterBrokerBody', errorMessage(err))
  }
}

/** `{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{…},"topicConfigTable":{name:TopicConfig}}}` */
function decodeJsonRegisterBody(body: Buffer): RegisterBrokerBody {
  const root = parseJsonBody(body, 'RegisterBrokerBody')
  if (!isFastjsonObject(root)) throw undecodable('RegisterBrokerBody', 'not a JSON object')
  const wrapper = root.topicConfigSerializeWrapper
  if (wrapper === undefined || wrapper === null) return EMPTY_REGISTER_BODY
  if (!isFastjsonObject(wrapper)) {
    throw undecodable('RegisterBrokerBody', 'topicConfigSerializeWrapper is not an object')
  }
  const table = wrapper.topicConfigTable ?? {}
  if (!isFastjsonObject(table)) {
    throw undecodable('RegisterBrokerBody', 'topicConfigTable is not an object')
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
    throw undecodable(
      'RegisterBrokerBody',
      tooBig
        ? `inflated body exceeds ${REGISTER_BODY_INFLATED_BYTES_MAX} bytes`
        : `not a zlib stream (${errorMessage(err)})`,
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
    throw undecodable(
      'RegisterBrokerBody',
      `topic config ${index} has fewer than 5 fields: ${JSON.stringify(line.slice(0, 80))}`,
    )
  }
  const int = (text: string, field: string): number => {
    if (!/^[+-]?\d{1,10}$/.test(text)) {
      throw undecodable(
        'RegisterBrokerBody',
        `topic config ${index} ${field} is not an int: ${JSON.stringify(text)}`,
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
    if (value > max) throw undecodable('RegisterBrokerBody', `${what} ${value} exceeds ${max}`)
    return value
  }

  chunk(what: string): Buffer {
    const length = this.int(`${what} length`)
    if (length > this.remaining) {
      throw undecodable('RegisterBrokerBody', `${what} needs ${length} bytes, ${this.remaining} left`)
    }
    const out = this.data.subarray(this.pos, this.pos + length)
    this.pos += length
    return out
  }

  private int(what: string): number {
    if (this.remaining < 4) throw undecodable('RegisterBrokerBody', `truncated before ${what}`)
    const value = this.data.readInt32BE(this.pos)
    this.pos += 4
    if (value < 0) throw undecodable('RegisterBrokerBody', `negative ${what} ${value}`)
    return value
  }
}

// ---- encoding (broker side) -----------------------------------------------------------------------------

/** The RegisterBrokerBody JSON a 4.9.4 broker sends, plus 5.x's topic attributes and stateVersion. */
export function encodeRegisterBrokerBody(registration: BrokerRegistration): Buffer {
  const topicConfigTable = Object.fromEntries(
    registration.topicConfigs.map((c) => [c.topicName, topicConfigJson(c)]),
  )
  return Buffer.from(
    toFastjson({
      filterServerList: [],
      topicConfigSerializeWrapper: { dataVersion: registration.dataVersion, topicConfigTable },
    }),
    'utf8',
  )
}

/**
 * RegisterBrokerBody.encode(true) as a broker of version V4_9_4 writes it (PROTOCOL.md 2.6): no static-topic
 * section, and TopicConfig.encode() carries no topicSysFlag and no order flag.
 */
export function encodeCompressedRegisterBody(registration: BrokerRegistration): Buffer {
  const chunks: Buffer[] = []
  const int = (value: number): void => {
    const b = Buffer.allocUnsafe(4)
    b.writeInt32BE(value)
    chunks.push(b)
  }
  const text = (value: string): void => {
    const b = Buffer.from(value, 'utf8')
    int(b.length)
    chunks.push(b)
  }
  text(toFastjson(registration.dataVersion))
  int(registration.topicConfigs.length)
  for (const c of registration.topicConfigs) {
    text(
      `${c.topicName} ${c.readQueueNums} ${c.writeQueueNums} ${c.perm} ${c.topicFilterType} ${toFastjson(c.attributes)}`,
    )
  }
  text('[]')
  return zlib.deflateSync(Buffer.concat(chunks), { level: zlib.constants.Z_BEST_COMPRESSION })
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
