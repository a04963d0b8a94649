// Fuzzes the standalone NameServer + broker over TCP with at least 100,000 random and mutated frames (captured
// 4.9.4 requests with flipped bytes, cut short, lying lengths, hostile header values and types, random codes,
// garbage bodies; plain random bytes; and well-formed frames with bad content for every request code), spread
// over thousands of connections, while a well-behaved connection keeps sending, pulling and asking for routes.
//
// The oracle for a fuzz connection is the frame codec itself: the exact bytes it sent are cut with a local
// FrameDecoder. Every request that decodes must be answered (a held pull or a relay to a client may take its
// time) and the connection kept open; a frame that does not decode must close that connection; a stream that
// ends inside a frame leaves the connection waiting. Answers must carry a known response code and no raw
// JavaScript error text. Seeded: FUZZ_SEED=<seed> replays a run (the seed is printed), FUZZ_EPISODE=<i> replays
// only the fuzz connection a failure names, FUZZ_FRAMES=<n> changes the frame count; FUZZ_REMARKS=1 and
// FUZZ_LOG=1 print the answers' remarks and the server's log lines, most frequent first.

import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeCommand, FrameDecoder } from '../../../broker-engine/remoting/frame-codec'
import { RemotingClient } from '../../../broker-engine/remoting/remoting-client'
import {
  createRequest,
  isOneway,
  isResponse,
  type RemotingCommand,
} from '../../../broker-engine/remoting/remoting-command'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../broker-engine/remoting/remoting-codes'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import {
  startStandaloneBroker,
  type StandaloneBroker,
} from '../../../broker-engine/standalone/standalone-broker'
import { fixtureFrame, fixtureIndex } from './remoting-fixtures'
import { pullNowHeader } from '../../helpers/pull-header'

const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED) >>> 0
  : (Date.now() ^ (process.pid << 12)) >>> 0
const FRAMES_MIN = Number(process.env.FUZZ_FRAMES ?? 100_000)
/** FUZZ_EPISODE=<i> (with the seed) runs that one fuzz connection again, as a failure names it. */
const ONLY_EPISODE = process.env.FUZZ_EPISODE ? Number(process.env.FUZZ_EPISODE) : undefined
/** Fuzz connections open at once. */
const CONCURRENCY = 16
/** How long a decodable request may take to be answered, and a malformed frame to close its connection. */
const ANSWER_DEADLINE_MS = 5000
const CLOSE_DEADLINE_MS = 3000
/** A pull may be held (up to its suspendTimeoutMillis) and a relay waits for a client: their answers are optional. */
const MAY_BE_HELD: ReadonlySet<number> = new Set([
  REQUEST_CODE.PULL_MESSAGE,
  REQUEST_CODE.GET_CONSUMER_RUNNING_INFO,
  REQUEST_CODE.CONSUME_MESSAGE_DIRECTLY,
])
/**
 * Memory bounds after the fuzz (runs measure about +4 MiB of heap and +40 MiB of RSS for 100,000 frames): the
 * live heap may grow by what the broker legitimately keeps (the dictionary's topics and groups, held pulls until
 * their timeout, stats, the store's caches), not by anything proportional to the frames. Without a forced
 * collection the heap holds garbage too, so its bound is wider; RSS gets room because the allocator keeps
 * freed pages.
 */
const HEAP_GROWTH_BYTES_MAX = 64 * 1024 * 1024
const HEAP_GROWTH_WITHOUT_GC_BYTES_MAX = 256 * 1024 * 1024
const RSS_GROWTH_BYTES_MAX = 384 * 1024 * 1024

// ---- seeded randomness -----------------------------------------------------------------------------------

class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** mulberry32: a uniform float in [0, 1). */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  chance(p: number): boolean {
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    let total = 0
    for (const [w] of table) total += w
    let r = this.float() * total
    for (const [w, v] of table) if ((r -= w) < 0) return v
    return table[table.length - 1]![1]
  }
}

// ---- what the fuzz is made of ----------------------------------------------------------------------------

const CODES = Object.values(REQUEST_CODE) as number[]
const RESPONSE_CODES: ReadonlySet<number> = new Set(Object.values(RESPONSE_CODE))
const RESPONSE_CODE_NAMES = new Map<number, string>(Object.entries(RESPONSE_CODE).map(([k, v]) => [v, k]))
/** The standalone's names are not in any capture, so no captured registration or deletion can touch them. */
const CLUSTER = 'FuzzCluster'
const BROKER_NAME = 'fuzz-broker'
const WATCH_TOPIC = 'FuzzWatchTopic'
const WATCH_GROUP = 'FuzzWatchGroup'

type Target = 'namesrv' | 'broker'

interface CapturedRequest {
  readonly file: string
  /** The server the capture sent it to (a broker → client request counts as the broker's). */
  readonly target: Target
  readonly frame: Buffer
  readonly binary: boolean
  /** The JSON header as written (JSON frames only). */
  readonly header: Record<string, unknown> | undefined
  readonly body: Buffer
}

const CAPTURED: readonly CapturedRequest[] = fixtureIndex().map((ex) => {
  const frame = fixtureFrame(ex.file, 'req')
  const headerLength = frame.readUInt32BE(4) & 0xffffff
  const binary = frame[4] === 1
  return {
    file: ex.file,
    target: ex.direction.endsWith('namesrv') ? 'namesrv' : 'broker',
    frame,
    binary,
    header: binary
      ? undefined
      : (JSON.parse(frame.toString('utf8', 8, 8 + headerLength)) as Record<string, unknown>),
    body: frame.subarray(8 + headerLength),
  }
})

/** Topics and groups the captured requests name: created up front so mutated requests reach deep code paths. */
const CAPTURE_TOPICS = [
  'FixtureTopic',
  'TopicTest',
  'TopicTest1234',
  'BatchTest',
  'FixtureRetryTopic',
  'FixtureTxTopic',
  'AliOnsSmoke_mwzrarbd17898',
]
const CAPTURE_GROUPS = [
  'please_rename_unique_group_name_4',
  'capture_retry_cg',
  'capture_orderly_cg',
  'capture_all_cg',
  'CID_smoke_mwzrarbd17898',
  'TOOLS_CONSUMER',
  'FixtureGroup',
]

/** Every ext field name the captures use, plus a few they do not. */
const FIELD_NAMES: readonly string[] = [
  ...new Set([
    ...fixtureIndex().flatMap((ex) => Object.keys(ex.requestHeaderJson.extFields ?? {})),
    'offset',
    'index',
    'count',
    'statsName',
    'statsKey',
    'namespace',
    'key',
    'value',
    'cluster',
    'msgId',
    'unknownField',
  ]),
]

const NAMES = [
  ...CAPTURE_TOPICS,
  ...CAPTURE_GROUPS,
  'TBW102',
  'SCHEDULE_TOPIC_XXXX',
  'RMQ_SYS_TRANS_HALF_TOPIC',
]

/** Values chosen to break parsers: bounds, wrong types, odd text, sizes around the limits. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '-1',
  '0',
  '1',
  '7',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '99999999999999999999999999',
  '1e3',
  '0x10',
  '1.5',
  'NaN',
  'Infinity',
  'true',
  'false',
  'null',
  'undefined',
  '%RETRY%',
  '%DLQ%',
  '%RETRY%%DLQ%x',
  'a/b',
  '../../etc/passwd',
  'x'.repeat(255),
  'x'.repeat(256),
  'y'.repeat(5000),
  '\u0000',
  '\u0001\u0002',
  '\ud800',
  '名字',
  '{"brokerName":"b","queueId":0,"topic":"t"}',
  '[]',
  '{}',
  '*',
  '||',
  'TagA || ',
  'KEYS\u0001k\u0002UNIQ_KEY\u0001',
  '127.0.0.1:1',
  ':',
  '127.0.0.1:99999',
]
const HOSTILE_VALUES: readonly unknown[] = [
  ...HOSTILE_STRINGS,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  -0,
  true,
  false,
  null,
  {},
  { a: [1, { b: null }] },
  [],
  [1, 'x', null],
]

/** Seeded random bytes, sliced for bodies and garbage. */
function randomPool(rng: Rng, size: number): Buffer {
  const pool = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i += 4) pool.writeUInt32LE((rng.float() * 4294967296) >>> 0, i)
  return pool
}

const pool = randomPool(new Rng(SEED ^ 0x9001), 1 << 20)

// ---- frame generators -------------------------------------------------------------------------------------

class FrameMaker {
  private readonly pool: Buffer
  /** The server the frames are for: mostly its own codes and captures, sometimes the other's. */
  target: Target = 'broker'

  constructor(
    private readonly rng: Rng,
    private readonly served: Readonly<Record<Target, readonly number[]>>,
    pool: Buffer,
  ) {
    this.pool = pool
  }

  captured(jsonOnly = false): CapturedRequest {
    const own = this.rng.chance(0.9)
    return this.rng.pick(
      CAPTURED.filter((c) => (!own || c.target === this.target) && (!jsonOnly || c.header)),
    )
  }

  code(): number {
    return this.rng.chance(0.85) ? this.rng.pick(this.served[this.target]) : this.rng.pick(CODES)
  }

  randomBytes(max: number): Buffer {
    const n = this.rng.int(max + 1)
    const at = this.rng.int(this.pool.length - n)
    return Buffer.from(this.pool.subarray(at, at + n))
  }

  /** A whole frame from a JSON header value (any JSON value) and a body. */
  jsonFrame(header: unknown, body: Buffer | undefined): Buffer {
    const text = Buffer.from(JSON.stringify(header) ?? 'null', 'utf8')
    const bodyLength = body?.length ?? 0
    const out = Buffer.allocUnsafe(8 + text.length + bodyLength)
    out.writeInt32BE(4 + text.length + bodyLength, 0)
    out.writeInt32BE(text.length, 4)
    text.copy(out, 8)
    body?.copy(out, 8 + text.length)
    return out
  }

  hostileValue(): unknown {
    const r = this.rng.float()
    if (r < 0.25) return this.rng.pick(NAMES)
    if (r < 0.35) return String(this.rng.int(100))
    if (r < 0.4) return this.randomBytes(40).toString('latin1')
    return this.rng.pick(HOSTILE_VALUES)
  }

  body(original: Buffer): Buffer | undefined {
    const rng = this.rng
    return rng.weighted<() => Buffer | undefined>([
      [4, () => original],
      [2, () => undefined],
      [3, () => this.randomBytes(rng.chance(0.05) ? 65536 : 512)],
      [2, () => original.subarray(0, rng.int(original.length + 1))],
      [2, () => this.flip(Buffer.from(original), 1 + rng.int(4))],
      [
        2,
        () =>
          Buffer.from(
            rng.pick([
              '{',
              '{"a":',
              '['.repeat(5000),
              '{"clientID":123,"consumerDataSet":"x","producerDataSet":[1]}',
              '{"clientID":"c","consumerDataSet":[{"groupName":"g","subscriptionDataSet":[{"topic":null}]}]}',
              '{"mqSet":[{"topic":"t","brokerName":"b","queueId":-1}],"consumerGroup":"g","clientId":"c"}',
              `[${'1,'.repeat(20000)}1]`,
              '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:1}}',
              '{"topicConfigSerializeWrapper":{"topicConfigTable":{"t":{"readQueueNums":99999}}}}',
              'key=value\nlistenPort=abc\n',
              '\u0000\u0000',
            ]),
            'utf8',
          ),
      ],
    ])()
  }

  /** A captured JSON request with its header fields, ext values and body mutated. */
  jsonMutated(): Buffer {
    const rng = this.rng
    const captured = this.captured(true)
    const header: Record<string, unknown> = structuredClone(captured.header!)
    header.opaque = rng.int(1 << 30)
    const mutations = 1 + rng.int(4)
    for (let i = 0; i < mutations; i++) {
      rng.weighted<() => void>([
        [3, () => (header.code = this.code())],
        [1, () => (header.code = rng.chance(0.5) ? rng.int(70000) - 2000 : this.hostileValue())],
        [1, () => (header.flag = rng.pick([0, 0, 0, 1, 2, 3, 4, -1, 2 ** 31, '2', 'x', null, 1.5]))],
        [1, () => (header.opaque = rng.pick([0, -1, 2 ** 31, 2 ** 32 + 1, '7', 'x', null, 1.5, []]))],
        [0.5, () => (header.language = rng.pick(['JAVA', 'NODE_JS', 'KLINGON', '', 7, null]))],
        [0.5, () => (header.version = rng.pick([0, -1, 401, 121, 65536, 'x', null]))],
        [0.5, () => (header.remark = rng.pick(['', 'r', 'z'.repeat(70000), 5, null, {}]))],
        [6, () => (header.extFields = this.mutateExt(header.extFields))],
        [0.5, () => (header.extFields = rng.pick([[], 'ext', 5, true, null]))],
        [0.5, () => delete header[rng.pick(Object.keys(header))]],
      ])()
    }
    return this.jsonFrame(header, this.body(captured.body))
  }

  mutateExt(ext: unknown): Record<string, unknown> {
    const rng = this.rng
    const out: Record<string, unknown> =
      typeof ext === 'object' && ext !== null && !Array.isArray(ext) ? { ...ext } : {}
    const changes = 1 + rng.int(4)
    for (let i = 0; i < changes; i++) {
      const keys = Object.keys(out)
      const name = keys.length > 0 && rng.chance(0.7) ? rng.pick(keys) : rng.pick(FIELD_NAMES)
      if (rng.chance(0.15)) delete out[name]
      else out[name] = this.hostileValue()
    }
    if (rng.chance(0.02)) out['k'.repeat(300)] = 'long name'
    if (rng.chance(0.02)) for (let i = 0; i < 300; i++) out[`f${i}`] = 'many fields'
    return out
  }

  /** A well-formed frame (valid JSON header, every code) whose ext fields and body are nonsense. */
  validBadContent(code = this.code()): Buffer {
    const rng = this.rng
    const extFields: Record<string, unknown> = {}
    const n = rng.int(6)
    for (let i = 0; i < n; i++) extFields[rng.pick(FIELD_NAMES)] = this.hostileValue()
    const header = {
      code,
      extFields: rng.chance(0.2) ? undefined : extFields,
      flag: 0,
      language: 'JAVA',
      opaque: rng.int(1 << 30),
      serializeTypeCurrentRPC: 'JSON',
      version: 401,
    }
    return this.jsonFrame(header, this.body(this.randomBytes(64)))
  }

  /** A captured request as a binary (ROCKETMQ) header frame, ext values mutated, or its lengths corrupted. */
  binaryMutated(): Buffer {
    const rng = this.rng
    const captured = this.captured()
    const ext: Record<string, string> = {}
    const base = captured.binary ? undefined : captured.header
    for (const [k, v] of Object.entries((base?.extFields as Record<string, unknown> | undefined) ?? {}))
      ext[k] = String(v)
    for (let i = rng.int(3); i > 0; i--) ext[rng.pick(FIELD_NAMES)] = String(this.hostileValue())
    const cmd: RemotingCommand = {
      code: rng.chance(0.8) ? this.code() : rng.int(65536) - 32768,
      language: 'JAVA',
      version: 401,
      opaque: rng.int(1 << 30),
      flag: rng.pick([0, 0, 0, 2, 1]),
      remark: rng.chance(0.2) ? 'r' : undefined,
      extFields: ext,
      body: this.body(captured.body),
      serializeType: 1,
    }
    const frame = captured.binary && rng.chance(0.3) ? Buffer.from(captured.frame) : encodeCommand(cmd)
    if (rng.chance(0.5)) {
      // Lie inside the header: the remark or extFields length, or an entry's key or value length.
      const at = rng.pick([8 + 13, 8 + 17, 8 + 21, 8 + 23, 8 + 25 + rng.int(20)])
      if (at + 4 <= frame.length) frame.writeInt32BE(rng.pick([-1, 0, 1, 0x7fffffff, rng.int(5000)]), at)
    }
    return frame
  }

  flip(frame: Buffer, count: number): Buffer {
    for (let i = 0; i < count && frame.length > 0; i++) {
      const at = this.rng.chance(0.3) ? this.rng.int(Math.min(frame.length, 16)) : this.rng.int(frame.length)
      frame[at] = frame[at]! ^ (1 + this.rng.int(255))
    }
    return frame
  }

  byteFlipped(): Buffer {
    return this.flip(Buffer.from(this.captured().frame), 1 + this.rng.int(6))
  }

  /** A captured frame whose length prefix (or header-length word) says something else. */
  lengthLie(): Buffer {
    const rng = this.rng
    const frame = Buffer.from(this.captured().frame)
    const actual = frame.length - 4
    if (rng.chance(0.7)) {
      frame.writeInt32BE(
        rng.pick([
          0,
          1,
          3,
          -1,
          -(2 ** 31),
          2 ** 31 - 1,
          16 * 1024 * 1024 + 1,
          16 * 1024 * 1024,
          actual - 1,
          actual + 1,
          actual + rng.int(200),
          Math.max(0, actual - rng.int(200)),
          rng.int(2 ** 31),
        ]) | 0,
        0,
      )
    } else {
      frame.writeUInt32BE(((rng.int(256) << 24) | rng.int(1 << 24)) >>> 0, 4)
    }
    return frame
  }

  truncated(): Buffer {
    const frame = this.captured().frame
    return Buffer.from(frame.subarray(0, this.rng.int(frame.length)))
  }

  /** One generated unit and the generator that made it. */
  unit(): { readonly kind: UnitKind; readonly bytes: Buffer } {
    const kind = this.rng.weighted<UnitKind>([
      [10, 'captured'],
      [35, 'json-mutated'],
      [10, 'binary-mutated'],
      [20, 'valid-bad-content'],
      [15, 'byte-flipped'],
      [4, 'length-lie'],
      [3, 'random-bytes'],
      [3, 'truncated'],
    ])
    return { kind, bytes: this.make(kind) }
  }

  make(kind: UnitKind): Buffer {
    switch (kind) {
      case 'captured':
        return Buffer.from(this.captured().frame)
      case 'json-mutated':
        return this.jsonMutated()
      case 'binary-mutated':
        return this.binaryMutated()
      case 'valid-bad-content':
        return this.validBadContent()
      case 'byte-flipped':
        return this.byteFlipped()
      case 'length-lie':
        return this.lengthLie()
      case 'random-bytes':
        return this.randomBytes(2048)
      case 'truncated':
        return this.truncated()
    }
  }
}

type UnitKind =
  | 'captured'
  | 'json-mutated'
  | 'binary-mutated'
  | 'valid-bad-content'
  | 'byte-flipped'
  | 'length-lie'
  | 'random-bytes'
  | 'truncated'

/** Whether a unit alone is exactly one decodable frame (so it can sit anywhere in a stream). */
function isCleanFrame(unit: Buffer): boolean {
  const decoder = new FrameDecoder()
  let frames = 0
  try {
    decoder.push(unit, () => frames++)
  } catch {
    return false
  }
  return frames === 1 && decoder.bufferedBytes === 0
}

/**
 * An episode's stream: generated units that each decode on their own, then (sometimes) one that does not: it
 * breaks the stream, lies about a length or stops inside a frame. Whatever follows a breaking unit would never be
 * read, so none is sent.
 */
function buildEpisode(maker: FrameMaker, rng: Rng, kinds: Map<string, number>): Buffer[] {
  const units: Buffer[] = []
  const length = 1 + rng.int(48)
  const endsBroken = rng.chance(0.35)
  while (units.length < length + (endsBroken ? 1 : 0)) {
    const unit = maker.unit()
    const clean = isCleanFrame(unit.bytes)
    const last = units.length === length
    if (clean === last) continue
    units.push(unit.bytes)
    const key = `${unit.kind}${clean ? '' : ' (breaking)'}`
    kinds.set(key, (kinds.get(key) ?? 0) + 1)
  }
  return units
}

// ---- the oracle --------------------------------------------------------------------------------------------

interface Prediction {
  /** Requests the server must answer, by code. */
  readonly required: number[]
  /** Requests it may answer later than the episode waits (held pulls, relays). */
  readonly optional: number
  /** The stream breaks the codec: the server must close the connection. */
  readonly malformed: boolean
  /** Frames the server reads: every decoded one plus the one that breaks the stream. */
  readonly framesRead: number
}

function predict(stream: Buffer): Prediction {
  const decoder = new FrameDecoder()
  const commands: RemotingCommand[] = []
  let malformed = false
  try {
    decoder.push(stream, (cmd) => commands.push(cmd))
  } catch {
    malformed = true
  }
  const requests = commands.filter((c) => !isResponse(c) && !isOneway(c))
  return {
    required: requests.filter((c) => !MAY_BE_HELD.has(c.code)).map((c) => c.code),
    optional: requests.filter((c) => MAY_BE_HELD.has(c.code)).length,
    malformed,
    framesRead: commands.length + (malformed ? 1 : 0),
  }
}

// ---- one fuzz connection -----------------------------------------------------------------------------------

interface Answered {
  readonly responses: RemotingCommand[]
  readonly serverClosed: boolean
  /** The server wrote bytes this side could not decode. */
  readonly garbled: boolean
}

/**
 * Writes `stream` in random pieces and watches what comes back until `done` says enough, or the deadline.
 * Requests the server sends us (NOTIFY_CONSUMER_IDS_CHANGED after a fuzzed heartbeat, say) are not answers.
 */
function exchange(
  addr: { host: string; port: number },
  stream: Buffer,
  rng: Rng,
  done: (a: Answered) => boolean,
  deadlineMs: number,
): Promise<Answered> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(addr)
    const decoder = new FrameDecoder()
    const responses: RemotingCommand[] = []
    let serverClosed = false
    let garbled = false
    let finished = false
    const state = (): Answered => ({ responses, serverClosed, garbled })
    const finish = (): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      socket.destroy()
      resolve(state())
    }
    const timer = setTimeout(finish, deadlineMs)
    socket.on('error', () => undefined)
    socket.on('close', () => {
      serverClosed = !finished
      finish()
    })
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk, (cmd) => {
          if (isResponse(cmd)) responses.push(cmd)
        })
      } catch {
        garbled = true
      }
      if (done(state())) finish()
    })
    // The pieces are drawn before connecting, so an episode's writes depend on the seed only. Some episodes
    // write tiny pieces one event-loop turn apart, so the server meets prefixes and headers split across reads.
    const pieces: Buffer[] = []
    for (let at = 0; at < stream.length;) {
      const n = rng.chance(0.2) ? 1 + rng.int(16) : 1 + rng.int(stream.length)
      pieces.push(stream.subarray(at, at + n))
      at += n
    }
    const slow = rng.chance(0.1)
    socket.setNoDelay(true)
    socket.once('connect', () => {
      if (done(state())) return finish()
      void (async () => {
        for (const piece of pieces) {
          if (finished || socket.destroyed) return
          socket.write(piece)
          if (slow) await new Promise((resolve) => setImmediate(resolve))
        }
      })()
    })
    socket.once('error', (err) => {
      if (!socket.connecting) return
      clearTimeout(timer)
      reject(err)
    })
  })
}

interface EpisodeOutcome {
  readonly answers: readonly RemotingCommand[]
  readonly framesSent: number
  readonly framesRead: number
  readonly malformed: boolean
  readonly problems: string[]
}

async function runEpisode(
  addr: { host: string; port: number },
  target: string,
  units: Buffer[],
  rng: Rng,
): Promise<EpisodeOutcome> {
  const stream = Buffer.concat(units)
  const p = predict(stream)
  const problems: string[] = []
  let answers: readonly RemotingCommand[] = []
  if (p.malformed) {
    const a = await exchange(addr, stream, rng, (s) => s.serverClosed, CLOSE_DEADLINE_MS)
    if (!a.serverClosed) problems.push(`${target}: a malformed frame did not close the connection`)
  } else {
    const a = await exchange(
      addr,
      stream,
      rng,
      (s) => s.serverClosed || s.responses.length >= p.required.length,
      ANSWER_DEADLINE_MS,
    )
    if (a.serverClosed) problems.push(`${target}: closed a stream of well-formed frames`)
    if (a.responses.length < p.required.length)
      problems.push(
        `${target}: ${p.required.length - a.responses.length} of ${p.required.length} requests unanswered (codes ${p.required.join(',')})`,
      )
    if (a.responses.length > p.required.length + p.optional)
      problems.push(`${target}: ${a.responses.length} answers to ${p.required.length + p.optional} requests`)
    if (a.garbled) problems.push(`${target}: the server wrote a frame that does not decode`)
    for (const r of a.responses) problems.push(...answerProblems(target, r))
    answers = a.responses
  }
  return { answers, framesSent: units.length, framesRead: p.framesRead, malformed: p.malformed, problems }
}

/**
 * JavaScript's and Node's own error messages, unwrapped: a remark (or a handler failure) that is one of these
 * means a handler met input it did not validate.
 */
const JS_ERROR_MESSAGE =
  /^(Cannot (read|set) propert|.{0,80} is not a function|.{0,80} is not iterable|.{0,80} is not defined|Maximum call stack|Invalid array length|Invalid string length|Unexpected token|Unexpected end of JSON|The value of "[^"]+" is out of range|Attempt to access memory outside buffer bounds|The "[^"]+" argument)/

function answerProblems(target: string, r: RemotingCommand): string[] {
  const problems: string[] = []
  if (!RESPONSE_CODES.has(r.code)) problems.push(`${target}: answered with unknown code ${r.code}`)
  if (r.remark && JS_ERROR_MESSAGE.test(r.remark))
    problems.push(`${target}: an internal error leaked in a remark: ${r.remark.slice(0, 200)}`)
  return problems
}

// ---- the well-behaved connection ---------------------------------------------------------------------------

interface Watchdog {
  rounds: number
  failures: string[]
  latenciesMs: number[]
}

/** Send one message, pull it back, ask the NameServer for the topic's route; each must answer correctly. */
async function watchRound(client: RemotingClient, b: StandaloneBroker, w: Watchdog): Promise<void> {
  const i = w.rounds
  const started = performance.now()
  const body = Buffer.from(`watch-${i}`)
  const sent = await client.invoke(
    b.brokerAddr,
    createRequest(REQUEST_CODE.SEND_MESSAGE_V2, {
      extFields: {
        a: 'FuzzWatchPG',
        b: WATCH_TOPIC,
        c: 'TBW102',
        d: '4',
        e: '0',
        f: '0',
        g: String(Date.now()),
        h: '0',
        i: 'TAGS\u0001W',
        j: '0',
        k: 'false',
        m: 'false',
      },
      body,
    }),
    5000,
  )
  if (sent.code !== RESPONSE_CODE.SUCCESS || sent.extFields?.queueOffset !== String(i))
    w.failures.push(
      `round ${i}: send answered ${sent.code} ${sent.remark ?? ''} offset ${sent.extFields?.queueOffset}`,
    )
  const pulled = await client.invoke(
    b.brokerAddr,
    createRequest(REQUEST_CODE.PULL_MESSAGE, {
      extFields: pullNowHeader(WATCH_GROUP, WATCH_TOPIC, 0, i, 1),
    }),
    5000,
  )
  const record = pulled.body && pulled.body.length > 0 ? decodeRecord(pulled.body, 0) : undefined
  if (pulled.code !== RESPONSE_CODE.SUCCESS || !record || !record.body.equals(body))
    w.failures.push(`round ${i}: pull answered ${pulled.code} ${pulled.remark ?? ''}`)
  const route = await client.invoke(
    b.namesrvAddr!,
    createRequest(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, { extFields: { topic: WATCH_TOPIC } }),
    5000,
  )
  if (route.code !== RESPONSE_CODE.SUCCESS || !route.body?.toString('utf8').includes(b.brokerAddr))
    w.failures.push(`round ${i}: route answered ${route.code} ${route.remark ?? ''}`)
  w.latenciesMs.push(performance.now() - started)
  w.rounds++
}

// ---- setup ------------------------------------------------------------------------------------------------

let dir: string
let standalone: StandaloneBroker
let watchClient: RemotingClient
/** The request codes each server serves (the others answer REQUEST_CODE_NOT_SUPPORTED). */
const served: Record<Target, number[]> = { namesrv: [], broker: [] }
const serverLog: string[] = []
const unhandled: string[] = []
const onUnhandled = (err: unknown): void => {
  unhandled.push(err instanceof Error ? (err.stack ?? err.message) : String(err))
}

/** A full collection when the flag can be turned on (it can from inside Node); false when none ran. */
function collectGarbage(): boolean {
  try {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as unknown
    if (typeof gc !== 'function') return false
    const collect = gc as () => void
    collect()
    collect()
    return true
  } catch {
    return false
  }
}

function hostPort(addr: string): { host: string; port: number } {
  const at = addr.lastIndexOf(':')
  return { host: addr.slice(0, at), port: Number(addr.slice(at + 1)) }
}

beforeAll(async () => {
  console.log(
    `server fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run tests/broker-engine/remoting/server-fuzz.test.ts)`,
  )
  process.on('unhandledRejection', onUnhandled)
  process.on('uncaughtException', onUnhandled)
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqdeck-fuzz-'))
  standalone = await startStandaloneBroker({
    config: {
      storePathRootDir: dir,
      listenPort: 0,
      brokerClusterName: CLUSTER,
      brokerName: BROKER_NAME,
      mappedFileSizeCommitLog: 16 * 1024 * 1024,
      mappedFileSizeConsumeQueue: 6000 * 20,
      maxIndexNum: 20_000,
      maxHashSlotNum: 5000,
      warmMappedFileEnable: false,
      // Random names must not grow the tables without bound: only the dictionary's topics and groups exist.
      autoCreateTopicEnable: false,
      autoCreateSubscriptionGroup: false,
    },
    namesrvPort: 0,
    log: (m) => void serverLog.push(m),
  })
  const broker = standalone.broker
  for (const topicName of [WATCH_TOPIC, ...CAPTURE_TOPICS])
    broker.upsertTopic({ topicName, readQueueNums: 4, writeQueueNums: 4 })
  for (const groupName of [WATCH_GROUP, ...CAPTURE_GROUPS]) broker.groups.upsert({ groupName })
  broker.registerWithNameServers(false)
  watchClient = new RemotingClient()
  for (const code of CODES) {
    for (const [target, addr] of [
      ['namesrv', standalone.namesrvAddr!],
      ['broker', standalone.brokerAddr],
    ] as const) {
      const answer = await watchClient.invoke(addr, createRequest(code), 5000)
      if (answer.code !== RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED) served[target].push(code)
    }
  }
}, 60_000)

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  process.off('uncaughtException', onUnhandled)
  watchClient?.close()
  await standalone?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

// ---- the tests ----------------------------------------------------------------------------------------------

describe('server fuzz', () => {
  const watchdog: Watchdog = { rounds: 0, failures: [], latenciesMs: [] }
  let framesSent = 0
  let framesRead = 0

  it('answers well-formed frames with bad content for every request code, on both servers, without closing', async () => {
    const rng = new Rng(SEED ^ 0x5eed)
    const maker = new FrameMaker(rng, served, pool)
    const problems: string[] = []
    let errors = 0
    let answers = 0
    for (const [target, addr] of [
      ['namesrv', standalone.namesrvAddr!],
      ['broker', standalone.brokerAddr],
    ] as const) {
      for (const code of [...CODES, 0, 9999, -5]) {
        // No extFields at all, then nonsense ones with garbage bodies: one connection per code and server.
        const units = [
          maker.jsonFrame({ code, flag: 0, language: 'JAVA', opaque: 1, version: 401 }, undefined),
          ...Array.from({ length: 12 }, () => maker.validBadContent(code)),
        ]
        maker.target = target
        const outcome = await runEpisode(hostPort(addr), `${target} code ${code}`, units, rng)
        problems.push(...outcome.problems)
        framesSent += outcome.framesSent
        framesRead += outcome.framesRead
        expect(outcome.malformed).toBe(false)
        // The bare request must be refused where the code needs header fields (or is not served here).
        const bare = await bareAnswer(addr, code)
        answers++
        if (bare.code !== RESPONSE_CODE.SUCCESS) errors++
        if (NEEDS_HEADER.has(code) && bare.code === RESPONSE_CODE.SUCCESS)
          problems.push(`${target} code ${code}: answered SUCCESS without its required header fields`)
        if (NEEDS_BODY.has(code)) {
          const garbage = await bareAnswer(addr, code, Buffer.from('\u0000garbage{'))
          if (garbage.code === RESPONSE_CODE.SUCCESS)
            problems.push(`${target} code ${code}: answered SUCCESS to a garbage body`)
        }
      }
    }
    console.log(
      `bad-content requests: the NameServer serves ${served.namesrv.length} codes, the broker ${served.broker.length}; ${answers} bare requests, ${errors} refused`,
    )
    expect(problems).toEqual([])
  })

  it(`survives ${FRAMES_MIN} random and mutated frames over many connections`, async () => {
    collectGarbage()
    const before = process.memoryUsage()
    const problems: string[] = []
    let episodes = 0
    let malformed = 0
    const kinds = new Map<string, number>()
    const answerCodes = new Map<string, number>()
    const remarks = new Map<string, number>()
    let fuzzing = true
    const watching = (async () => {
      while (fuzzing) {
        await watchRound(watchClient, standalone, watchdog)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    })()
    const startedMs = Date.now()
    let nextEpisode = 0
    const workers = Array.from({ length: ONLY_EPISODE === undefined ? CONCURRENCY : 1 }, async () => {
      while (ONLY_EPISODE === undefined ? framesRead < FRAMES_MIN : nextEpisode === 0) {
        // Episode i is a function of (seed, i) alone, whichever worker runs it and whatever ran before.
        const episode = ONLY_EPISODE ?? nextEpisode
        nextEpisode++
        const rng = new Rng(SEED ^ Math.imul(episode + 1, 0x9e3779b1))
        const maker = new FrameMaker(rng, served, pool)
        const target: Target = rng.chance(0.3) ? 'namesrv' : 'broker'
        maker.target = target
        const units = buildEpisode(maker, rng, kinds)
        const addr = hostPort(target === 'namesrv' ? standalone.namesrvAddr! : standalone.brokerAddr)
        const outcome = await runEpisode(addr, `episode ${episode} (${target})`, units, rng)
        episodes++
        framesSent += outcome.framesSent
        framesRead += outcome.framesRead
        if (outcome.malformed) malformed++
        for (const r of outcome.answers) {
          const name = RESPONSE_CODE_NAMES.get(r.code) ?? String(r.code)
          answerCodes.set(name, (answerCodes.get(name) ?? 0) + 1)
          if (process.env.FUZZ_REMARKS && r.remark) {
            const key = r.remark.replace(/\d+/g, 'N').slice(0, 90)
            remarks.set(key, (remarks.get(key) ?? 0) + 1)
          }
        }
        if (problems.length < 50) problems.push(...outcome.problems)
      }
    })
    await Promise.all(workers)
    const fuzzMs = Date.now() - startedMs
    fuzzing = false
    await watching
    // After the fuzz the well-behaved connection still gets correct answers.
    for (let i = 0; i < 5; i++) await watchRound(watchClient, standalone, watchdog)

    const collected = collectGarbage()
    const after = process.memoryUsage()
    const sorted = [...watchdog.latenciesMs].sort((a, b) => a - b)
    console.log(
      [
        `server fuzz (seed ${SEED}): ${framesSent} frames sent, ${framesRead} read by the server, over ${episodes} connections (${malformed} closed for a malformed frame) in ${fuzzMs} ms`,
        `  well-behaved connection: ${watchdog.rounds} send/pull/route rounds, ${watchdog.failures.length} failed, p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`,
        `  heapUsed ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MiB, rss ${mb(before.rss)} → ${mb(after.rss)} MiB (${collected ? 'after a forced gc' : 'no forced gc available'})`,
        `  answers by code: ${[...answerCodes]
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        ...[...remarks]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 80)
          .map(([k, n]) => `    ${n} × ${k}`),
        `  frames by generator: ${[...kinds]
          .sort()
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        `  server log lines: ${serverLog.length}`,
        ...(process.env.FUZZ_LOG
          ? distinct(serverLog)
              .slice(0, 60)
              .map(([k, n]) => `    ${n} × ${k}`)
          : []),
      ].join('\n'),
    )
    expect(problems).toEqual([])
    if (ONLY_EPISODE === undefined) expect(framesRead).toBeGreaterThanOrEqual(FRAMES_MIN)
    expect(watchdog.failures).toEqual([])
    // The well-behaved connection kept working during the fuzz, not just before and after it.
    if (ONLY_EPISODE === undefined) expect(watchdog.rounds).toBeGreaterThan(20)
    expect(after.heapUsed - before.heapUsed).toBeLessThan(
      collected ? HEAP_GROWTH_BYTES_MAX : HEAP_GROWTH_WITHOUT_GC_BYTES_MAX,
    )
    expect(after.rss - before.rss).toBeLessThan(RSS_GROWTH_BYTES_MAX)
  })

  it('forgets every client the fuzz connections registered once they are closed', async () => {
    const broker = standalone.broker
    // Connection closes are noticed asynchronously; give the last ones a moment.
    const deadline = Date.now() + 3000
    while (broker.clients.consumerGroups().length + broker.clients.producerGroups().length > 0) {
      if (Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(broker.clients.consumerGroups()).toEqual([])
    expect(broker.clients.producerGroups()).toEqual([])
  })

  it('raised no unhandled rejection or exception, and no handler failed on a JavaScript error', () => {
    expect(unhandled).toEqual([])
    // RemotingConnection logs "request code N from addr failed: <message>" when a handler throws; the admin
    // processors log the stack.
    const jsErrors = serverLog.filter((line) => {
      const at = line.indexOf(' failed: ')
      return (
        /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/.test(line) ||
        (at >= 0 && JS_ERROR_MESSAGE.test(line.slice(at + ' failed: '.length)))
      )
    })
    expect(jsErrors.slice(0, 10)).toEqual([])
  })
})

/** Required header fields of RocketMQ's request headers (@CFNotNull): a request without them is an error. */
const NEEDS_HEADER: ReadonlySet<number> = new Set([
  REQUEST_CODE.SEND_MESSAGE,
  REQUEST_CODE.SEND_MESSAGE_V2,
  REQUEST_CODE.SEND_BATCH_MESSAGE,
  REQUEST_CODE.PULL_MESSAGE,
  REQUEST_CODE.QUERY_MESSAGE,
  REQUEST_CODE.QUERY_CONSUMER_OFFSET,
  REQUEST_CODE.UPDATE_CONSUMER_OFFSET,
  REQUEST_CODE.UPDATE_AND_CREATE_TOPIC,
  REQUEST_CODE.SEARCH_OFFSET_BY_TIMESTAMP,
  REQUEST_CODE.GET_MAX_OFFSET,
  REQUEST_CODE.GET_MIN_OFFSET,
  REQUEST_CODE.GET_EARLIEST_MSG_STORETIME,
  REQUEST_CODE.VIEW_MESSAGE_BY_ID,
  REQUEST_CODE.UNREGISTER_CLIENT,
  REQUEST_CODE.CONSUMER_SEND_MSG_BACK,
  REQUEST_CODE.END_TRANSACTION,
  REQUEST_CODE.GET_CONSUMER_LIST_BY_GROUP,
  REQUEST_CODE.PUT_KV_CONFIG,
  REQUEST_CODE.GET_KV_CONFIG,
  REQUEST_CODE.DELETE_KV_CONFIG,
  REQUEST_CODE.REGISTER_BROKER,
  REQUEST_CODE.UNREGISTER_BROKER,
  REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC,
  REQUEST_CODE.GET_TOPIC_STATS_INFO,
  REQUEST_CODE.GET_CONSUMER_CONNECTION_LIST,
  REQUEST_CODE.GET_PRODUCER_CONNECTION_LIST,
  REQUEST_CODE.DELETE_SUBSCRIPTIONGROUP,
  REQUEST_CODE.GET_CONSUME_STATS,
  REQUEST_CODE.DELETE_TOPIC_IN_BROKER,
  REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV,
  REQUEST_CODE.GET_KVLIST_BY_NAMESPACE,
  REQUEST_CODE.INVOKE_BROKER_TO_RESET_OFFSET,
  REQUEST_CODE.GET_TOPICS_BY_CLUSTER,
  REQUEST_CODE.QUERY_TOPIC_CONSUME_BY_WHO,
  REQUEST_CODE.QUERY_CONSUME_TIME_SPAN,
  REQUEST_CODE.GET_CONSUMER_RUNNING_INFO,
  REQUEST_CODE.CONSUME_MESSAGE_DIRECTLY,
  REQUEST_CODE.VIEW_BROKER_STATS_DATA,
  REQUEST_CODE.QUERY_CONSUME_QUEUE,
])

/** Requests whose body is a JSON document the handler needs: garbage there is an error. */
const NEEDS_BODY: ReadonlySet<number> = new Set([
  REQUEST_CODE.HEART_BEAT,
  REQUEST_CODE.LOCK_BATCH_MQ,
  REQUEST_CODE.UNLOCK_BATCH_MQ,
  REQUEST_CODE.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
])

/** One request on a fresh connection, answered. */
async function bareAnswer(addr: string, code: number, body?: Buffer): Promise<RemotingCommand> {
  const client = new RemotingClient()
  try {
    return await client.invoke(addr, createRequest(code, { body }), 5000)
  } finally {
    client.close()
  }
}

/** Lines with their digits blanked, counted, most frequent first. */
function distinct(lines: readonly string[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const line of lines) {
    const key = line.replace(/\d+/g, 'N').slice(0, 140)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1])
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}
