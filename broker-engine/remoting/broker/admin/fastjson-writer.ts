// fastjson 1.x's default output, as a real broker writes admin bodies: bean properties sorted by name, nulls left
// out, doubles with a decimal point, and map keys that are not strings written raw — a number bare (`{0:5}`), a
// MessageQueue as an inline object (`{{"brokerName":"b","queueId":0,"topic":"T"}:{…}}`).
//
// That last form is not valid JSON, but it is the only one seen from a real 4.9.4 broker in GET_CONSUME_STATS,
// GET_TOPIC_STATS_INFO and INVOKE_BROKER_TO_RESET_OFFSET, so it is the one mqadmin and the dashboard are known to
// parse (PROTOCOL.md 2.10; captures 063, 093, 109). parseFastjson in ../../fastjson.ts reads it back.

/** The deepest nesting written; a deeper value (or a cycle) is a bug in the caller. */
export const FASTJSON_WRITE_DEPTH_MAX = 64

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

/** The text fastjson would write for `value`. Throws TypeError for a value with no JSON form. */
export function writeFastjson(value: unknown): string {
  const text = writeValue(value, 0)
  if (text === undefined) throw new TypeError(`writeFastjson: a ${typeof value} has no JSON form`)
  return text
}

/** A remoting body: the fastjson text in UTF-8. */
export function fastjsonBody(value: unknown): Buffer {
  return Buffer.from(writeFastjson(value), 'utf8')
}

/** undefined for what fastjson leaves out (null and undefined properties). */
function writeValue(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      // fastjson writes a non-finite number as null; a long is always finite here.
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'object':
      return value === null ? undefined : writeObject(value, depth + 1)
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
}

function writeObject(value: object, depth: number): string {
  if (depth > FASTJSON_WRITE_DEPTH_MAX)
    throw new RangeError(`writeFastjson: more than ${FASTJSON_WRITE_DEPTH_MAX} levels of nesting (a cycle?)`)
  if (value instanceof JavaDouble) return javaDoubleText(value.value)
  if (value instanceof FastjsonMap) return writeMap(value, depth)
  if (value instanceof Map || value instanceof Set)
    throw new TypeError('writeFastjson: use fastjsonMap() or an array instead of a Map or Set')
  if (Array.isArray(value)) {
    // A null element stays in an array (Java lists keep their nulls).
    return '[' + value.map((v) => writeValue(v, depth) ?? 'null').join(',') + ']'
  }
  const record = value as Record<string, unknown>
  let out = '{'
  // Array.prototype.sort compares UTF-16 units, as Java's String.compareTo does for fastjson's property order.
  for (const key of Object.keys(record).sort()) {
    const text = writeValue(record[key], depth)
    if (text !== undefined) out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + text
  }
  return out + '}'
}

function writeMap(map: FastjsonMap, depth: number): string {
  let out = '{'
  for (const [key, value] of map.entries) {
    const keyText = typeof key === 'number' ? String(key) : writeObject(key, depth + 1)
    // Null values are left out, as fastjson's MapSerializer does without WriteMapNullValue.
    const text = writeValue(value, depth)
    if (text !== undefined) out += (out.length === 1 ? '' : ',') + keyText + ':' + text
  }
  return out + '}'
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
