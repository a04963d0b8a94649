// Tools for replaying the captured RocketMQ 4.9.4 requests (tests/fixtures/rocketmq-remoting) against our server:
// a raw replay connection (captured bytes out, frames with their header text in), a request rebuilder that keeps
// the captured header's value types, and shape comparison of answers (header field names, ext keys, remark
// presence; JSON body structure, message records, Properties text).

import net from 'node:net'
import {
  parseFastjson,
  parseMessageQueueKey,
  type FastjsonValue,
} from '../../../../broker-engine/remoting/fastjson'
import { decodeFrame, encodeCommand } from '../../../../broker-engine/remoting/frame-codec'
import {
  FLAG_RESPONSE,
  isResponse,
  type RemotingCommand,
} from '../../../../broker-engine/remoting/remoting-command'
import { decodeRecord, type DecodedMessage } from '../../../../broker-engine/store/message-codec'
import { parseProperties } from '../../../../broker-engine/store/message-properties'
import { fixtureFrame, fixtureIndex, type FixtureExchange } from '../remoting-fixtures'

/** An exchange of index.json with the captured TCP connection it travelled on ("client -> server"). */
export interface ReplayExchange extends FixtureExchange {
  readonly connection: string
}

/** index.json in capture order. */
export function replayIndex(): ReplayExchange[] {
  return fixtureIndex() as ReplayExchange[]
}

// ---- frames ----------------------------------------------------------------------------------------------

/** A decoded frame together with the names of the header fields it was written with. */
export interface Frame {
  readonly cmd: RemotingCommand
  /** Top-level header field names (JSON: as written; binary: the fields that carry a value). */
  readonly headerKeys: readonly string[]
}

/** Decodes a whole frame (length prefix included). */
export function readFrame(frame: Buffer): Frame {
  const cmd = decodeFrame(frame, 4, frame.length)
  return { cmd, headerKeys: headerKeysOf(frame, cmd) }
}

export function capturedFrame(file: string, kind: 'req' | 'res'): Frame {
  return readFrame(fixtureFrame(file, kind))
}

function headerKeysOf(frame: Buffer, cmd: RemotingCommand): string[] {
  if (cmd.serializeType === 0) {
    const headerLength = frame.readUInt32BE(4) & 0xffffff
    const header = JSON.parse(frame.toString('utf8', 8, 8 + headerLength)) as Record<string, unknown>
    return Object.keys(header).sort()
  }
  // The binary header always carries code, language, version, opaque and flag; remark and extFields only when
  // their length is not zero.
  const keys = ['code', 'flag', 'language', 'opaque', 'version']
  if (cmd.remark !== undefined) keys.push('remark')
  if (cmd.extFields !== undefined && Object.keys(cmd.extFields).length > 0) keys.push('extFields')
  return keys.sort()
}

/** Changes to a captured request: ext fields replaced (undefined removes one), a new body, the opaque to use. */
export interface RequestChanges {
  readonly opaque: number
  readonly ext?: Readonly<Record<string, string | undefined>>
  readonly body?: Buffer
}

/**
 * The captured request frame with `changes` applied. A JSON header is edited as JSON, so whatever the client
 * wrote stays as it was (ali-ons' numbers and booleans in extFields, its field order, no serializeTypeCurrentRPC);
 * a replaced ext value keeps the JSON type of the captured one. A binary header is decoded and re-encoded.
 */
export function rebuildRequest(captured: Buffer, changes: RequestChanges): Buffer {
  const headerWord = captured.readUInt32BE(4)
  const headerLength = headerWord & 0xffffff
  const body = changes.body ?? captured.subarray(8 + headerLength)
  if (headerWord >>> 24 === 1) {
    const cmd = decodeFrame(captured, 4, captured.length)
    const extFields: Record<string, string> = { ...cmd.extFields }
    for (const [name, value] of Object.entries(changes.ext ?? {}))
      if (value === undefined) delete extFields[name]
      else extFields[name] = value
    return encodeCommand({
      ...cmd,
      opaque: changes.opaque,
      extFields: Object.keys(extFields).length > 0 ? extFields : cmd.extFields,
      body: body.length > 0 ? body : undefined,
    })
  }
  const header = JSON.parse(captured.toString('utf8', 8, 8 + headerLength)) as Record<string, unknown>
  header.opaque = changes.opaque
  if (changes.ext) {
    const ext = { ...(header.extFields as Record<string, unknown> | undefined) }
    for (const [name, value] of Object.entries(changes.ext)) {
      const was = ext[name]
      if (value === undefined) delete ext[name]
      else if (typeof was === 'number' && /^-?\d+$/.test(value)) ext[name] = Number(value)
      else if (typeof was === 'boolean') ext[name] = value === 'true'
      else ext[name] = value
    }
    header.extFields = ext
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const out = Buffer.alloc(8 + headerBytes.length + body.length)
  out.writeInt32BE(4 + headerBytes.length + body.length, 0)
  out.writeInt32BE(headerBytes.length, 4)
  headerBytes.copy(out, 8)
  body.copy(out, 8 + headerBytes.length)
  return out
}

/** The captured response frame re-addressed to `opaque` (a replay client answering the broker as the capture did). */
export function capturedResponseFor(file: string, opaque: number): Buffer {
  const { cmd } = capturedFrame(file, 'res')
  return encodeCommand({ ...cmd, opaque, flag: FLAG_RESPONSE })
}

// ---- replay connection -----------------------------------------------------------------------------------

/** Answers a request the server sends this client; undefined sends nothing (oneway, or no answer wanted). */
export type ServerRequestResponder = (request: RemotingCommand) => Buffer | undefined

/**
 * One TCP connection that plays one captured client connection: writes request frames as given, matches the
 * answers by opaque and keeps their header text, and collects the requests the server sends it.
 */
export class ReplayConnection {
  private buffered: Buffer = Buffer.alloc(0)
  private readonly pending = new Map<number, { resolve: (f: Frame) => void; reject: (e: Error) => void }>()
  private readonly serverRequests: Frame[] = []
  private readonly waiters: { code: number; resolve: (f: Frame) => void }[] = []
  private opaque = 0
  private closedError: Error | undefined
  responder: ServerRequestResponder | undefined

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      this.closedError ??= new Error('the server closed the connection')
      for (const p of this.pending.values()) p.reject(this.closedError)
      this.pending.clear()
    })
  }

  static open(addr: string): Promise<ReplayConnection> {
    const at = addr.lastIndexOf(':')
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: addr.slice(0, at), port: Number(addr.slice(at + 1)) })
      socket.once('error', reject)
      socket.once('connect', () => {
        socket.off('error', reject)
        resolve(new ReplayConnection(socket))
      })
    })
  }

  get isClosed(): boolean {
    return this.closedError !== undefined
  }

  /** The next opaque of this connection (a client numbers its own requests). */
  nextOpaque(): number {
    return ++this.opaque
  }

  /** Writes a request frame whose opaque is `opaque` and resolves with the answer to it. */
  request(frame: Buffer, opaque: number, timeoutMs: number): Promise<Frame> {
    if (this.closedError) return Promise.reject(this.closedError)
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(opaque)
        reject(new Error(`no answer within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(opaque, {
        resolve: (f) => {
          clearTimeout(timer)
          resolve(f)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      this.socket.write(frame)
    })
  }

  /** Writes a frame that gets no answer (a oneway request). */
  send(frame: Buffer): void {
    if (!this.closedError) this.socket.write(frame)
  }

  /** Requests of `code` the server sent so far, oldest first (they stay listed). */
  receivedRequests(code: number): Frame[] {
    return this.serverRequests.filter((f) => f.cmd.code === code)
  }

  /** The first request of `code` the server sends (or sent) this connection. */
  serverRequest(code: number, timeoutMs: number): Promise<Frame> {
    const seen = this.serverRequests.find((f) => f.cmd.code === code)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const waiter = { code, resolve: (f: Frame) => (clearTimeout(timer), resolve(f)) }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`the server sent no request ${code} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve()
    this.closedError ??= new Error('closed by the replay')
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve())
      this.socket.end()
      setTimeout(() => this.socket.destroy(), 200).unref()
    })
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    while (this.buffered.length >= 4) {
      const length = this.buffered.readInt32BE(0)
      if (this.buffered.length < 4 + length) return
      const frame = Buffer.from(this.buffered.subarray(0, 4 + length))
      this.buffered = this.buffered.subarray(4 + length)
      this.onFrame(readFrame(frame))
    }
  }

  private onFrame(frame: Frame): void {
    if (isResponse(frame.cmd)) {
      const waiting = this.pending.get(frame.cmd.opaque)
      this.pending.delete(frame.cmd.opaque)
      waiting?.resolve(frame)
      return
    }
    this.serverRequests.push(frame)
    for (let i = this.waiters.length - 1; i >= 0; i--)
      if (this.waiters[i]!.code === frame.cmd.code) this.waiters.splice(i, 1)[0]!.resolve(frame)
    const answer = this.responder?.(frame.cmd)
    if (answer) this.socket.write(answer)
  }
}

// ---- shapes ----------------------------------------------------------------------------------------------

/** The structure of a JSON value: object field names, element and map-value structure, scalar types. */
export type Shape =
  | { readonly kind: 'null' | 'boolean' | 'number' | 'string' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly kind: 'array'; readonly element: Shape | undefined }
  | { readonly kind: 'map'; readonly value: Shape | undefined }
  | { readonly kind: 'mixed'; readonly kinds: readonly string[] }

/**
 * Fields that hold Java Maps keyed by data (topic, cluster, broker and group names, broker ids, queues, client
 * properties): their keys are values, so only the structure of their values is compared.
 */
export const MAP_FIELDS: ReadonlySet<string> = new Set([
  'brokerAddrTable',
  'clusterAddrTable',
  'brokerAddrs',
  'filterServerTable',
  'topicConfigTable',
  'subscriptionGroupTable',
  'offsetTable',
  'mqTable',
  'subscriptionTable',
  'properties',
  'statusTable',
])

/**
 * Elements of these arrays are single-entry maps (GET_BROKER_CONSUME_STATS' consumeStatsList is a
 * List<Map<group, List<ConsumeStats>>>).
 */
const MAP_ELEMENT_ARRAYS: ReadonlySet<string> = new Set(['consumeStatsList'])

/**
 * Objects keyed by names that embed a value: GET_BROKER_RUNTIME_INFO's `table` has a
 * `commitLogDiskRatio_<store path>` key per CommitLog directory and a `scheduleMessageOffset_<level>` key per
 * delay level in use, each compared as one name.
 */
function normalizeKey(field: string | undefined, key: string): string {
  if (field === 'table') {
    const at = key.indexOf('_/')
    if (at > 0) return `${key.slice(0, at)}_<path>`
    if (/^scheduleMessageOffset_\d+$/.test(key)) return 'scheduleMessageOffset_<level>'
  }
  return key
}

export function shapeOf(value: FastjsonValue, field?: string, mapElement = false): Shape {
  if (value === null) return { kind: 'null' }
  if (Array.isArray(value)) {
    const isMapList = field !== undefined && MAP_ELEMENT_ARRAYS.has(field)
    return { kind: 'array', element: mergeAll(value.map((v) => shapeOf(v, undefined, isMapList))) }
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value)
    const isMap =
      mapElement ||
      (field !== undefined && MAP_FIELDS.has(field)) ||
      (keys.length > 0 && keys.every((k) => parseMessageQueueKey(k) !== undefined))
    if (isMap) return { kind: 'map', value: mergeAll(keys.map((k) => shapeOf(value[k]!))) }
    const fields: Record<string, Shape> = {}
    for (const k of keys) fields[normalizeKey(field, k)] = shapeOf(value[k]!, k)
    return { kind: 'object', fields }
  }
  return { kind: typeof value as 'boolean' | 'number' | 'string' }
}

function mergeAll(shapes: readonly Shape[]): Shape | undefined {
  return shapes.reduce<Shape | undefined>((a, b) => (a === undefined ? b : merge(a, b)), undefined)
}

function merge(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') return b
  if (b.kind === 'null') return a
  if (a.kind !== b.kind || a.kind === 'mixed' || b.kind === 'mixed')
    return { kind: 'mixed', kinds: [...new Set([...kindsOf(a), ...kindsOf(b)])].sort() }
  if (a.kind === 'object' && b.kind === 'object') {
    const fields: Record<string, Shape> = { ...a.fields }
    for (const [k, s] of Object.entries(b.fields)) fields[k] = fields[k] ? merge(fields[k], s) : s
    return { kind: 'object', fields }
  }
  if (a.kind === 'array' && b.kind === 'array') {
    const element = a.element && b.element ? merge(a.element, b.element) : (a.element ?? b.element)
    return { kind: 'array', element }
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const value = a.value && b.value ? merge(a.value, b.value) : (a.value ?? b.value)
    return { kind: 'map', value }
  }
  return a
}

function kindsOf(s: Shape): readonly string[] {
  return s.kind === 'mixed' ? s.kinds : [s.kind]
}

/** How `actual` differs in structure from `expected`, one line per difference (empty when they agree). */
export function compareShapes(expected: Shape, actual: Shape, path = '$'): string[] {
  if (expected.kind === 'mixed' || actual.kind === 'mixed') {
    const e = kindsOf(expected).join('|')
    const a = kindsOf(actual).join('|')
    return e === a ? [] : [`${path}: ${e} in the capture, ${a} here`]
  }
  if (expected.kind !== actual.kind) return [`${path}: ${expected.kind} in the capture, ${actual.kind} here`]
  const diffs: string[] = []
  if (expected.kind === 'object' && actual.kind === 'object') {
    for (const k of Object.keys(expected.fields))
      if (!(k in actual.fields)) diffs.push(`${path}.${k}: missing`)
    for (const k of Object.keys(actual.fields))
      if (!(k in expected.fields)) diffs.push(`${path}.${k}: extra`)
      else diffs.push(...compareShapes(expected.fields[k]!, actual.fields[k]!, `${path}.${k}`))
  } else if (expected.kind === 'array' && actual.kind === 'array') {
    if (expected.element && actual.element)
      diffs.push(...compareShapes(expected.element, actual.element, `${path}[]`))
  } else if (expected.kind === 'map' && actual.kind === 'map') {
    if (expected.value && actual.value)
      diffs.push(...compareShapes(expected.value, actual.value, `${path}{}`))
  }
  return diffs
}

// ---- bodies ----------------------------------------------------------------------------------------------

export function decodeRecords(body: Buffer | undefined): DecodedMessage[] {
  const out: DecodedMessage[] = []
  if (!body) return out
  for (let pos = 0; pos + 8 <= body.length; pos += body.readInt32BE(pos)) out.push(decodeRecord(body, pos))
  return out
}

/** The property names found across message records. */
export function recordPropertyNames(records: readonly DecodedMessage[]): string[] {
  const names = new Set<string>()
  for (const r of records) for (const name of parseProperties(r.propertiesString).keys()) names.add(name)
  return [...names].sort()
}

/** The keys of java.util.Properties text (`key=value` lines). */
export function propertiesTextKeys(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.slice(0, line.indexOf('=') >= 0 ? line.indexOf('=') : line.length).trim())
    .sort()
}

function setDiff(what: string, expected: readonly string[], actual: readonly string[]): string[] {
  const e = new Set(expected)
  const a = new Set(actual)
  return [
    ...expected.filter((k) => !a.has(k)).map((k) => `${what} ${k}: missing`),
    ...actual.filter((k) => !e.has(k)).map((k) => `${what} ${k}: extra`),
  ]
}

/** The captured body kinds of index.json. */
export type BodyKind = 'json' | 'message-records' | 'empty' | 'other'

/** How an answer's header and body differ in shape from the captured answer. */
export interface ShapeComparison {
  readonly header: string[]
  readonly body: string[]
  /** Our answer has a remark where the capture has none (not a shape difference: remarks are free text). */
  readonly extraRemark: boolean
}

export function compareAnswers(captured: Frame, ours: Frame, bodyKind: BodyKind): ShapeComparison {
  const header = [
    ...setDiff(
      'header field',
      captured.headerKeys.filter((k) => k !== 'remark'),
      ours.headerKeys.filter((k) => k !== 'remark'),
    ),
    ...setDiff(
      'extFields',
      Object.keys(captured.cmd.extFields ?? {}).sort(),
      Object.keys(ours.cmd.extFields ?? {}).sort(),
    ),
  ]
  if (captured.cmd.remark !== undefined && ours.cmd.remark === undefined) header.push('remark: missing')
  return {
    header,
    body: compareBodies(captured.cmd.body, ours.cmd.body, bodyKind),
    extraRemark: captured.cmd.remark === undefined && ours.cmd.remark !== undefined,
  }
}

export function compareBodies(
  captured: Buffer | undefined,
  ours: Buffer | undefined,
  kind: BodyKind,
): string[] {
  const oursLength = ours?.length ?? 0
  switch (kind) {
    case 'empty':
      return oursLength === 0 ? [] : [`body: none in the capture, ${oursLength} bytes here`]
    case 'json': {
      if (oursLength === 0) return ['body: JSON in the capture, none here']
      let value: FastjsonValue
      try {
        value = parseFastjson(ours!.toString('utf8'))
      } catch (err) {
        return [`body: not fastjson text here (${err instanceof Error ? err.message : String(err)})`]
      }
      return compareShapes(shapeOf(parseFastjson(captured!.toString('utf8'))), shapeOf(value))
    }
    case 'message-records': {
      const expected = decodeRecords(captured)
      let actual: DecodedMessage[]
      try {
        actual = decodeRecords(ours)
      } catch (err) {
        return [`body: not message records here (${err instanceof Error ? err.message : String(err)})`]
      }
      if (actual.length === 0) return [`body: ${expected.length} records in the capture, none here`]
      const diffs = setDiff('record property', recordPropertyNames(expected), recordPropertyNames(actual))
      if (
        new Set(actual.map((r) => r.magicCode)).size !== 1 ||
        actual[0]!.magicCode !== expected[0]!.magicCode
      )
        diffs.push('records: another magic code here')
      return diffs
    }
    case 'other': {
      if (oursLength === 0) return ['body: text in the capture, none here']
      return setDiff(
        'property',
        propertiesTextKeys(captured!.toString('utf8')),
        propertiesTextKeys(ours!.toString('utf8')),
      )
    }
  }
}
