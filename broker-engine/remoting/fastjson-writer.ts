// Writing bodies for Java peers, in one writer with two modes: toFastjson writes standard JSON with sorted keys
// (what a client sends; fastjson 1.x reads quoted numbers and JSON-in-a-string MessageQueues back into the same
// Java maps), writeFastjson writes what a 4.9.4 broker writes: fastjson's default bean output, nulls left out,
// Java doubles with a decimal point, and map keys that are not strings written raw — a number bare (`{0:5}`), a
// MessageQueue as an inline object (`{{"brokerName":"b","queueId":0,"topic":"T"}:{…}}`).
//
// That inline form is not valid JSON, but it is the only one seen from a real 4.9.4 broker in GET_CONSUME_STATS,
// GET_TOPIC_STATS_INFO and INVOKE_BROKER_TO_RESET_OFFSET, so it is the one mqadmin and the dashboard are known to
// parse (PROTOCOL.md 2.10; captures 063, 093, 109). parseFastjson (fastjson.ts) reads every form back.

import type { MessageQueue } from '../client/rebalance/message-queue'
import { FASTJSON_DEPTH_MAX } from './fastjson'

/** A Java map whose keys are numbers or objects: each key is written raw, in the order given. */
export class FastjsonMap {
  constructor(readonly entries: readonly (readonly [key: number | object, value: unknown])[]) {}
}

/** A Java double: fastjson writes `0.0` and `12.0`, never `0` (a Java long is a plain JS number). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

export function fastjsonMap(
  entries: readonly (readonly [key: number | object, value: unknown])[],
): FastjsonMap {
  return new FastjsonMap(entries)
}

export function javaDouble(value: number): JavaDouble {
  return new JavaDouble(value)
}

/**
 * Standard JSON for a Java peer: object properties sorted by name at every level (UTF-16 order, as Java's
 * String.compareTo and fastjson's bean output), otherwise what JSON.stringify writes, plus a bigint as its
 * digits so longs above 2^53 survive. Throws TypeError for a Map or Set (JSON.stringify would silently write
 * `{}`) and for a value with no JSON form (undefined, a function), RangeError beyond FASTJSON_DEPTH_MAX
 * levels (or a cycle).
 */
export function toFastjson(value: unknown): string {
  return write(value, STANDARD)
}

/**
 * The text a 4.9.4 broker's fastjson writes for `value`: like toFastjson, but null properties and map values
 * are left out, JavaDouble and FastjsonMap are written the Java way. Throws like toFastjson.
 */
export function writeFastjson(value: unknown): string {
  return write(value, BEAN)
}

/** A broker's remoting body: writeFastjson's text in UTF-8. */
export function fastjsonBody(value: unknown): Buffer {
  return Buffer.from(writeFastjson(value), 'utf8')
}

/** The key fastjson writes for a MessageQueue (fields by name); quoted, Java reads it back as the queue. */
export function messageQueueJsonKey(mq: MessageQueue): string {
  return toFastjson({ brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic })
}

/**
 * Java's form of a double: an integral value keeps `.0`. NaN and infinities become null, as fastjson writes them.
 * Java switches to exponent form from 10^7; any JSON reader takes this form too.
 */
export function javaDoubleText(value: number): string {
  if (!Number.isFinite(value)) return 'null'
  const text = String(value)
  return Number.isInteger(value) && !text.includes('e') ? text + '.0' : text
}

interface WriteMode {
  readonly name: string
  /** fastjson without WriteMapNullValue leaves null properties and map values out; JSON.stringify writes them. */
  readonly omitNulls: boolean
}

const STANDARD: WriteMode = { name: 'toFastjson', omitNulls: false }
const BEAN: WriteMode = { name: 'writeFastjson', omitNulls: true }

function write(value: unknown, mode: WriteMode): string {
  const text = writeValue(value, 0, mode)
  if (text === undefined) throw new TypeError(`${mode.name}: a ${typeof value} has no JSON form`)
  return text
}

/** undefined for what is left out as a property (undefined, functions, and null when the mode omits it). */
function writeValue(value: unknown, depth: number, mode: WriteMode): string | undefined {
  const toJSON =
    typeof value === 'object' && value !== null ? (value as { toJSON?: unknown }).toJSON : undefined
  if (typeof toJSON === 'function') value = (toJSON as (this: unknown) => unknown).call(value)
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      // A non-finite number is null in JSON.stringify and in fastjson alike.
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'object':
      if (value === null) return mode.omitNulls ? undefined : 'null'
      return writeContainer(value, depth + 1, mode)
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
}

function writeContainer(value: object, depth: number, mode: WriteMode): string {
  if (depth > FASTJSON_DEPTH_MAX)
    throw new RangeError(`${mode.name}: more than ${FASTJSON_DEPTH_MAX} levels of nesting (a cycle?)`)
  if (value instanceof JavaDouble) return javaDoubleText(value.value)
  if (value instanceof FastjsonMap) return writeMap(value, depth, mode)
  if (value instanceof Map || value instanceof Set)
    throw new TypeError(`${mode.name}: use fastjsonMap(), a plain object or an array instead of a Map or Set`)
  if (Array.isArray(value)) {
    // An array keeps its nulls (Java lists do), whatever the mode.
    let out = '['
    for (let i = 0; i < value.length; i++)
      out += (i === 0 ? '' : ',') + (writeValue(value[i], depth, mode) ?? 'null')
    return out + ']'
  }
  const record = value as Record<string, unknown>
  let out = '{'
  // Default sort compares UTF-16 units, like Java; Object.keys alone would put integer-like keys first.
  for (const key of Object.keys(record).sort()) {
    const text = writeValue(record[key], depth, mode)
    if (text !== undefined) out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + text
  }
  return out + '}'
}

function writeMap(map: FastjsonMap, depth: number, mode: WriteMode): string {
  let out = '{'
  for (const [key, value] of map.entries) {
    const keyText = typeof key === 'number' ? String(key) : writeContainer(key, depth + 1, mode)
    const text = writeValue(value, depth, mode)
    if (text !== undefined) out += (out.length === 1 ? '' : ',') + keyText + ':' + text
  }
  return out + '}'
}
