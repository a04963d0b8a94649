// RocketMQ's DataVersion: the version stamp of a config table (topics, groups, offsets). The NameServer rebuilds a
// broker's routes only when the registered topic table's version differs from the one it holds.

import type { Clock } from '../common/clock'

export interface DataVersion {
  /** When the table last changed (ms since the epoch). */
  readonly timestamp: number
  /** Incremented on every change. */
  readonly counter: number
  /** The store's state-machine version (controller mode); 0 here. */
  readonly stateVersion: number
}

export function initialDataVersion(clock: Clock): DataVersion {
  return Object.freeze({ timestamp: clock.nowMs(), counter: 0, stateVersion: 0 })
}

/** The version after one change (DataVersion.nextVersion). */
export function nextDataVersion(
  prev: DataVersion,
  clock: Clock,
  stateVersion: number = prev.stateVersion,
): DataVersion {
  return Object.freeze({ timestamp: clock.nowMs(), counter: prev.counter + 1, stateVersion })
}

export function dataVersionEquals(a: DataVersion, b: DataVersion): boolean {
  return a.counter === b.counter && a.timestamp === b.timestamp && a.stateVersion === b.stateVersion
}

/** Orders by stateVersion, then counter, then timestamp, as DataVersion.compare does. */
export function compareDataVersion(a: DataVersion, b: DataVersion): -1 | 0 | 1 {
  for (const key of ['stateVersion', 'counter', 'timestamp'] as const) {
    if (a[key] !== b[key]) return a[key] > b[key] ? 1 : -1
  }
  return 0
}

const isLong = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/** Reads a DataVersion from JSON; 4.x files have no stateVersion (0). undefined when malformed. */
export function parseDataVersion(value: unknown): DataVersion | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const stateVersion = v.stateVersion ?? 0
  if (!isLong(v.timestamp) || !isLong(v.counter) || !isLong(stateVersion)) return undefined
  return Object.freeze({ timestamp: v.timestamp, counter: v.counter, stateVersion })
}

/** The JSON object RocketMQ writes, keys in fastjson's (alphabetical) order. */
export function dataVersionJson(v: DataVersion): {
  counter: number
  stateVersion: number
  timestamp: number
} {
  return { counter: v.counter, stateVersion: v.stateVersion, timestamp: v.timestamp }
}
