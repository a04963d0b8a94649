// Typed reads of fastjson bodies from a remote peer: each getter checks the field's type and throws BAD_RESPONSE
// naming the field, so a malformed answer becomes a clear error, never a TypeError deep in a page.
import 'server-only'
import {
  parseFastjson,
  isFastjsonObject,
  type FastjsonObject,
  type FastjsonValue,
} from '@/broker-engine/index'
import { badResponse } from './remote-error'

/** Where a body came from, for error messages. */
export interface BodySource {
  readonly addr: string
  readonly requestCode: number
}

/** Parses a JSON body; a missing body or text that is not fastjson is BAD_RESPONSE. */
export function parseBody(source: BodySource, body: Buffer | undefined): FastjsonObject {
  if (!body || body.length === 0) throw badResponse(source.addr, source.requestCode, 'empty body')
  let value: FastjsonValue
  try {
    value = parseFastjson(body.toString('utf8'))
  } catch {
    throw badResponse(source.addr, source.requestCode, 'JSON body')
  }
  if (!isFastjsonObject(value)) throw badResponse(source.addr, source.requestCode, 'body (not an object)')
  return value
}

/** Field getters over one object; `path` names the object in error messages (e.g. "offsetTable[...]"). */
export class ObjectReader {
  constructor(
    readonly source: BodySource,
    readonly value: FastjsonObject,
    readonly path = 'body',
  ) {}

  static of(source: BodySource, body: Buffer | undefined): ObjectReader {
    return new ObjectReader(source, parseBody(source, body))
  }

  private bad(field: string, expected: string): never {
    throw badResponse(
      this.source.addr,
      this.source.requestCode,
      `${this.path}.${field} (expected ${expected})`,
    )
  }

  has(field: string): boolean {
    return Object.hasOwn(this.value, field) && this.value[field] !== null
  }

  string(field: string): string {
    const v = this.value[field]
    if (typeof v !== 'string') this.bad(field, 'a string')
    return v
  }

  optionalString(field: string): string | undefined {
    const v = this.value[field]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string') this.bad(field, 'a string')
    return v
  }

  /** A number; fastjson writes longs as numbers, some maps hold numbers as strings, both are accepted. */
  number(field: string, fallback?: number): number {
    const v = this.value[field]
    if ((v === undefined || v === null) && fallback !== undefined) return fallback
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
    if (typeof n !== 'number' || !Number.isFinite(n)) this.bad(field, 'a number')
    return n
  }

  boolean(field: string, fallback: boolean): boolean {
    const v = this.value[field]
    if (v === undefined || v === null) return fallback
    if (typeof v === 'boolean') return v
    if (v === 'true' || v === 'false') return v === 'true'
    return this.bad(field, 'a boolean')
  }

  object(field: string): ObjectReader {
    const v = this.value[field]
    if (!isFastjsonObject(v)) this.bad(field, 'an object')
    return new ObjectReader(this.source, v, `${this.path}.${field}`)
  }

  /** An object field, or an empty one when absent (fastjson leaves out empty/null maps in some versions). */
  optionalObject(field: string): ObjectReader {
    const v = this.value[field]
    if (v === undefined || v === null) return new ObjectReader(this.source, {}, `${this.path}.${field}`)
    return this.object(field)
  }

  array(field: string): FastjsonValue[] {
    const v = this.value[field]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v)) this.bad(field, 'an array')
    return v
  }

  stringArray(field: string): string[] {
    return this.array(field).map((item, i) => {
      if (typeof item !== 'string') this.bad(`${field}[${i}]`, 'a string')
      return item
    })
  }

  /** Each element of an array of objects. */
  objects(field: string): ObjectReader[] {
    return this.array(field).map((item, i) => {
      if (!isFastjsonObject(item)) this.bad(`${field}[${i}]`, 'an object')
      return new ObjectReader(this.source, item, `${this.path}.${field}[${i}]`)
    })
  }

  /** Entries of a map field whose values are objects. */
  objectEntries(field: string): [string, ObjectReader][] {
    const map = this.optionalObject(field)
    return Object.keys(map.value).map((key) => [key, map.object(key)])
  }

  /** Entries of a map whose values are strings (a KVTable, a Properties-like map). */
  stringEntries(field: string): [string, string][] {
    const map = this.optionalObject(field)
    return Object.keys(map.value).map((key) => [key, map.string(key)])
  }

  /** Entries of a map whose values are numbers (ResetOffsetBody's {MessageQueue: offset}). */
  numberEntries(field: string): [string, number][] {
    const map = this.optionalObject(field)
    return Object.keys(map.value).map((key) => [key, map.number(key)])
  }

  /** Fails on a map key that should have been a MessageQueue. */
  badKey(field: string, key: string): never {
    return this.bad(`${field}[${JSON.stringify(key.slice(0, 80))}]`, 'a MessageQueue key')
  }
}
