// RocketMQ's properties string: name\u0001value pairs separated by \u0002. Java writes no trailing separator,
// ali-ons writes one; both parse the same. The hot path only looks single names up, without building a map.

import { PROPERTY_NAME_VALUE_SEPARATOR as NV, PROPERTY_SEPARATOR as SEP } from './message-constants'

/** Value of `name` in a properties string, or undefined. Matches whole names only. */
export function findProperty(properties: string, name: string): string | undefined {
  if (properties.length === 0) return undefined
  let from = 0
  for (;;) {
    const at = properties.indexOf(name, from)
    if (at < 0) return undefined
    const end = at + name.length
    if ((at === 0 || properties.charCodeAt(at - 1) === 2) && properties.charCodeAt(end) === 1) {
      const stop = properties.indexOf(SEP, end + 1)
      return properties.slice(end + 1, stop < 0 ? properties.length : stop)
    }
    from = at + 1
  }
}

/** Parses a properties string into a Map; malformed segments (no separator, shorter than 3) are skipped. */
export function parseProperties(properties: string): Map<string, string> {
  const map = new Map<string, string>()
  if (properties.length === 0) return map
  for (const segment of properties.split(SEP)) {
    if (segment.length < 3) continue
    const at = segment.indexOf(NV)
    if (at <= 0) continue
    map.set(segment.slice(0, at), segment.slice(at + 1))
  }
  return map
}

/** Serializes properties in RocketMQ's wire form without a trailing separator; undefined values are skipped. */
export function formatProperties(properties: Iterable<readonly [string, string | undefined]>): string {
  let out = ''
  for (const [name, value] of properties) {
    if (value === undefined) continue
    if (out.length > 0) out += SEP
    out += name + NV + value
  }
  return out
}

/** Returns `properties` with `name=value` appended (the caller knows `name` is absent). */
export function appendProperty(properties: string, name: string, value: string): string {
  if (properties.length === 0) return name + NV + value
  const sep = properties.charCodeAt(properties.length - 1) === 2 ? '' : SEP
  return properties + sep + name + NV + value
}

/** True when a property name or value would break the format (it contains a separator). */
export function isPropertyTextValid(text: string): boolean {
  return text.indexOf(NV) < 0 && text.indexOf(SEP) < 0 && text.indexOf('\0') < 0
}
