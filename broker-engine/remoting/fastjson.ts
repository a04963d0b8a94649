// fastjson 1.x text, the JSON dialect of RocketMQ's Java bodies (PROTOCOL.md 2.10). A Java map whose keys are
// not strings is written as non-standard JSON, e.g. `{0:"10.0.0.1:10911"}` or `{{"brokerName":"b",…}:249}`.
// parseFastjson reads that dialect and standard JSON into plain values; fastjson-writer.ts writes it.

import type { MessageQueue } from '../client/rebalance/message-queue'

/** What parseFastjson returns: JSON.parse's value space. Object keys are strings (see parseFastjson). */
export type FastjsonValue = null | boolean | number | string | FastjsonValue[] | FastjsonObject

export interface FastjsonObject {
  [key: string]: FastjsonValue
}

/**
 * The deepest nesting of objects and arrays that parseFastjson accepts and toFastjson writes. Recursion is
 * bounded by it, so hostile input fails with a syntax error instead of overflowing the stack; real bodies
 * nest about 6 deep.
 */
export const FASTJSON_DEPTH_MAX = 256

/** Malformed fastjson text; `position` is the UTF-16 index in the text where parsing stopped. */
export class FastjsonSyntaxError extends SyntaxError {
  readonly position: number

  constructor(message: string, position: number) {
    super(`${message} at position ${position}`)
    this.name = 'FastjsonSyntaxError'
    this.position = position
  }
}

/**
 * Parses standard JSON plus fastjson's non-string map keys. A key may be any JSON value, and every key
 * becomes a string property name:
 * - a quoted key is itself (so `"0"` and a JSON-in-a-string MessageQueue key stay as written);
 * - a bare number is its literal text (`0` → "0"; a long above 2^53 keeps all its digits);
 * - an inline object or array is JSON.stringify of its parsed value, in the key order written, which for a
 *   MessageQueue is fastjson's `{"brokerName":…,"queueId":…,"topic":…}` (read it with parseMessageQueueKey);
 * - a bare `true`, `false` or `null` is that word.
 * Values are what JSON.parse gives: duplicate keys keep the last, numbers beyond 2^53 lose precision, and a
 * `__proto__` key becomes an own property. Throws FastjsonSyntaxError on anything else.
 */
export function parseFastjson(text: string): FastjsonValue {
  const parser = new FastjsonParser(text)
  const value = parser.parseValue(0)
  parser.skipWhitespace()
  if (parser.pos < text.length) parser.fail('the end of the text')
  return value
}

/**
 * Reads a MessageQueue from a map key: the canonical text parseFastjson gives an inline key, any other JSON
 * object text with the three fields (order and spacing free, extra fields ignored, as fastjson does), or that
 * text once more JSON-encoded as a string. Returns undefined for keys that are not a MessageQueue (a topic
 * name, say).
 */
export function parseMessageQueueKey(key: string): MessageQueue | undefined {
  let value = parseOrUndefined(key)
  if (typeof value === 'string') value = parseOrUndefined(value)
  if (!isFastjsonObject(value)) return undefined
  const { topic, brokerName, queueId } = value
  if (typeof topic !== 'string' || typeof brokerName !== 'string') return undefined
  if (typeof queueId !== 'number' || !Number.isInteger(queueId) || queueId < INT32_MIN || queueId > INT32_MAX)
    return undefined
  return { topic, brokerName, queueId }
}

/** Narrows a parsed value to an object (not null, not an array). */
export function isFastjsonObject(value: FastjsonValue | undefined): value is FastjsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff
/** Integers of up to 15 digits are below 2^53, so summing their digits is exact and skips Number(slice). */
const EXACT_DIGITS_MAX = 15

const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const QUOTE = 0x22
const PLUS = 0x2b
const COMMA = 0x2c
const MINUS = 0x2d
const DOT = 0x2e
const SLASH = 0x2f
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39
const COLON = 0x3a
const UPPER_E = 0x45
const LBRACKET = 0x5b
const BACKSLASH = 0x5c
const RBRACKET = 0x5d
const LOWER_E = 0x65
const LOWER_U = 0x75
const LBRACE = 0x7b
const RBRACE = 0x7d

const WORD_VALUES = { true: true, false: false, null: null } as const

const isDigit = (c: number): boolean => c >= DIGIT_0 && c <= DIGIT_9

/** One pass over char codes. `pos` only moves forward, so no loop runs past the end of the text. */
class FastjsonParser {
  pos = 0

  constructor(private readonly text: string) {}

  /** `depth` counts the objects and arrays around the value. */
  parseValue(depth: number): FastjsonValue {
    this.skipWhitespace()
    const c = this.text.charCodeAt(this.pos)
    if (c === LBRACE) return this.parseObject(depth + 1)
    if (c === LBRACKET) return this.parseArray(depth + 1)
    if (c === QUOTE) return this.parseString()
    if (c === MINUS || isDigit(c)) return this.parseNumber()
    const word = this.wordAt()
    if (word === undefined) return this.fail('a value')
    this.pos += word.length
    return WORD_VALUES[word]
  }

  skipWhitespace(): void {
    const text = this.text
    let pos = this.pos
    for (;;) {
      const c = text.charCodeAt(pos)
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break
      pos++
    }
    this.pos = pos
  }

  fail(expected: string, position = this.pos): never {
    const found = position < this.text.length ? JSON.stringify(this.text[position]) : 'the end of the text'
    throw new FastjsonSyntaxError(`expected ${expected} but found ${found}`, position)
  }

  private parseObject(depth: number): FastjsonObject {
    this.checkDepth(depth)
    const object: FastjsonObject = {}
    this.pos++ // '{'
    this.skipWhitespace()
    if (this.text.charCodeAt(this.pos) === RBRACE) {
      this.pos++
      return object
    }
    for (;;) {
      const key = this.parseKey(depth)
      this.skipWhitespace()
      if (this.text.charCodeAt(this.pos) !== COLON) this.fail("':' after an object key")
      this.pos++
      setProperty(object, key, this.parseValue(depth))
      if (this.endOfList(RBRACE, "',' or '}'")) return object
    }
  }

  private parseArray(depth: number): FastjsonValue[] {
    this.checkDepth(depth)
    const array: FastjsonValue[] = []
    this.pos++ // '['
    this.skipWhitespace()
    if (this.text.charCodeAt(this.pos) === RBRACKET) {
      this.pos++
      return array
    }
    for (;;) {
      array.push(this.parseValue(depth))
      if (this.endOfList(RBRACKET, "',' or ']'")) return array
    }
  }

  /** After a member: true past the closing bracket, false past a comma (another member must follow). */
  private endOfList(close: number, expected: string): boolean {
    this.skipWhitespace()
    const c = this.text.charCodeAt(this.pos)
    if (c === COMMA || c === close) {
      this.pos++
      return c === close
    }
    return this.fail(expected)
  }

  private checkDepth(depth: number): void {
    if (depth > FASTJSON_DEPTH_MAX)
      throw new FastjsonSyntaxError(`nesting deeper than ${FASTJSON_DEPTH_MAX} levels`, this.pos)
  }

  /** A property name from any key fastjson writes; see parseFastjson for the mapping. */
  private parseKey(depth: number): string {
    this.skipWhitespace()
    const c = this.text.charCodeAt(this.pos)
    if (c === QUOTE) return this.parseString()
    if (c === MINUS || isDigit(c)) {
      const start = this.pos
      this.parseNumber()
      return this.text.slice(start, this.pos)
    }
    if (c !== LBRACE && c !== LBRACKET && this.wordAt() === undefined) this.fail('an object key')
    return JSON.stringify(this.parseValue(depth))
  }

  private wordAt(): keyof typeof WORD_VALUES | undefined {
    const text = this.text
    const pos = this.pos
    if (text.startsWith('true', pos)) return 'true'
    if (text.startsWith('false', pos)) return 'false'
    if (text.startsWith('null', pos)) return 'null'
    return undefined
  }

  /** JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private parseNumber(): number {
    const text = this.text
    const start = this.pos
    let pos = start
    const negative = text.charCodeAt(pos) === MINUS
    if (negative) pos++
    let c = text.charCodeAt(pos)
    let integer = 0
    if (c === DIGIT_0) {
      pos++
    } else {
      if (!isDigit(c)) this.fail('a digit', pos)
      do {
        integer = integer * 10 + (c - DIGIT_0)
        c = text.charCodeAt(++pos)
      } while (isDigit(c))
    }
    let exact = pos - start - (negative ? 1 : 0) <= EXACT_DIGITS_MAX
    if (text.charCodeAt(pos) === DOT) {
      exact = false
      pos = this.skipDigits(pos + 1)
    }
    c = text.charCodeAt(pos)
    if (c === LOWER_E || c === UPPER_E) {
      exact = false
      c = text.charCodeAt(++pos)
      if (c === PLUS || c === MINUS) pos++
      pos = this.skipDigits(pos)
    }
    this.pos = pos
    if (exact) return negative ? -integer : integer
    // Number() rounds a decimal literal exactly as JSON.parse does (and never throws: 1e999 is Infinity).
    return Number(text.slice(start, pos))
  }

  /** One or more digits from `pos`; returns the position after them. */
  private skipDigits(pos: number): number {
    if (!isDigit(this.text.charCodeAt(pos))) this.fail('a digit', pos)
    do pos++
    while (isDigit(this.text.charCodeAt(pos)))
    return pos
  }

  /** Most strings have no escapes: they are one slice of the text. */
  private parseString(): string {
    const text = this.text
    const start = this.pos + 1
    for (let pos = start; pos < text.length; pos++) {
      const c = text.charCodeAt(pos)
      if (c === QUOTE) {
        this.pos = pos + 1
        return text.slice(start, pos)
      }
      if (c === BACKSLASH) return this.parseEscapedString(start, pos)
      if (c < SPACE) this.fail('a string character (control characters must be escaped)', pos)
    }
    return this.fail("'\"' to close the string", text.length)
  }

  /** The rest of a string from its first backslash at `pos`: unescaped runs are appended as slices. */
  private parseEscapedString(start: number, pos: number): string {
    const text = this.text
    let out = text.slice(start, pos)
    let runStart = pos
    while (pos < text.length) {
      const c = text.charCodeAt(pos)
      if (c === QUOTE) {
        this.pos = pos + 1
        return out + text.slice(runStart, pos)
      }
      if (c === BACKSLASH) {
        out += text.slice(runStart, pos) + this.unescape(pos)
        pos += text.charCodeAt(pos + 1) === LOWER_U ? 6 : 2
        runStart = pos
      } else {
        if (c < SPACE) this.fail('a string character (control characters must be escaped)', pos)
        pos++
      }
    }
    return this.fail("'\"' to close the string", text.length)
  }

  /** The character an escape at `pos` stands for. A \u escape is one UTF-16 unit; pairs join as appended. */
  private unescape(pos: number): string {
    const c = this.text.charCodeAt(pos + 1)
    switch (c) {
      case QUOTE:
        return '"'
      case BACKSLASH:
        return '\\'
      case SLASH:
        return '/'
      case 0x62: // b
        return '\b'
      case 0x66: // f
        return '\f'
      case 0x6e: // n
        return '\n'
      case 0x72: // r
        return '\r'
      case 0x74: // t
        return '\t'
      case LOWER_U: {
        let unit = 0
        for (let i = pos + 2; i < pos + 6; i++) {
          const digit = hexDigitValue(this.text.charCodeAt(i))
          if (digit < 0) this.fail('a hex digit in a \\u escape', i)
          unit = unit * 16 + digit
        }
        return String.fromCharCode(unit)
      }
      default:
        return this.fail('an escape character (one of "\\/bfnrtu)', pos + 1)
    }
  }
}

function hexDigitValue(c: number): number {
  if (c >= DIGIT_0 && c <= DIGIT_9) return c - DIGIT_0
  const lower = c | 0x20 // folds A-F onto a-f
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1
}

/** Assigning `__proto__` would replace the prototype; JSON.parse defines an own property, and so do we. */
function setProperty(object: FastjsonObject, key: string, value: FastjsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true })
  else object[key] = value
}

function parseOrUndefined(text: string): FastjsonValue | undefined {
  try {
    return parseFastjson(text)
  } catch (err) {
    if (err instanceof FastjsonSyntaxError) return undefined
    throw err
  }
}
