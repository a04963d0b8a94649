// The store's configuration, named after RocketMQ's broker.conf / MessageStoreConfig keys so an operator's
// existing settings carry over. Validated once at open with errors that name the key.

import { EngineError } from '../common/engine-error'
import type { FlushDiskType } from './store-types'

export interface MessageStoreConfig {
  /** Root directory: commitlog/, consumequeue/, index/, checkpoint, abort, lock. */
  storePathRootDir: string
  /** CommitLog segment size in bytes (RocketMQ default 1 GiB). */
  mappedFileSizeCommitLog: number
  /** ConsumeQueue file size in bytes; must be a multiple of 20 (default 300,000 units). */
  mappedFileSizeConsumeQueue: number
  flushDiskType: FlushDiskType
  /** Async flush: fdatasync the CommitLog at least this often (ms). */
  flushIntervalCommitLog: number
  /** Async flush: also fdatasync as soon as this many bytes are unflushed. */
  flushCommitLogDirtyBytesMax: number
  /** Sync flush: a put whose bytes are not durable after this long answers FLUSH_DISK_TIMEOUT (ms). */
  syncFlushTimeout: number
  /** How often ConsumeQueues and the index are flushed and the checkpoint written (ms). */
  flushConsumeQueueInterval: number
  /** Hours a CommitLog segment is kept after its last write. */
  fileReservedTime: number
  /** Hours of the day (local time) when expired files are deleted, e.g. "04" or "04;16". */
  deleteWhen: string
  /** How often retention runs (ms). */
  cleanResourceInterval: number
  /** Above this disk usage (percent) expired files are deleted at any hour. */
  diskMaxUsedSpaceRatio: number
  maxHashSlotNum: number
  maxIndexNum: number
  messageIndexEnable: boolean
  /** Largest message body accepted, bytes (RocketMQ default 4 MiB). */
  maxMessageSize: number
  /** Pre-write each new CommitLog segment with zeros in the background before it is used. */
  warmMappedFileEnable: boolean
  /** Bytes staged in memory before one write() to the CommitLog (a larger record is written whole). */
  commitLogWriteBufferBytes: number
  /** The newest committed CommitLog bytes kept in memory so consumers that keep up are served without a read(). */
  commitLogReadCacheBytes: number
  /** The delay level table, used to compute SCHEDULE_TOPIC_XXXX deliver times. */
  messageDelayLevel: string
  /** This broker's address as written into every record (STOREHOST) and message id. */
  brokerIP1: string
  listenPort: number
}

export const DEFAULT_STORE_CONFIG: Omit<MessageStoreConfig, 'storePathRootDir'> = {
  mappedFileSizeCommitLog: 1024 * 1024 * 1024,
  mappedFileSizeConsumeQueue: 300_000 * 20,
  flushDiskType: 'ASYNC_FLUSH',
  flushIntervalCommitLog: 500,
  flushCommitLogDirtyBytesMax: 64 * 1024 * 1024,
  syncFlushTimeout: 5000,
  flushConsumeQueueInterval: 1000,
  fileReservedTime: 72,
  deleteWhen: '04',
  cleanResourceInterval: 10_000,
  diskMaxUsedSpaceRatio: 75,
  maxHashSlotNum: 5_000_000,
  maxIndexNum: 20_000_000,
  messageIndexEnable: true,
  maxMessageSize: 4 * 1024 * 1024,
  warmMappedFileEnable: true,
  commitLogWriteBufferBytes: 256 * 1024,
  commitLogReadCacheBytes: 16 * 1024 * 1024,
  messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
  brokerIP1: '127.0.0.1',
  listenPort: 10911,
}

type Rule = readonly [key: keyof MessageStoreConfig, ok: (v: unknown) => boolean, expected: string]

const isInt = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
const MIB = 1024 * 1024

const RULES: readonly Rule[] = [
  ['storePathRootDir', (v) => typeof v === 'string' && v.length > 0, 'a non-empty path'],
  ['mappedFileSizeCommitLog', isInt(64 * 1024, 2 ** 40), 'an integer from 65536 to 2^40'],
  [
    'mappedFileSizeConsumeQueue',
    (v) => isInt(20, 2 ** 31)(v) && (v as number) % 20 === 0,
    'a positive multiple of 20 below 2^31',
  ],
  ['flushDiskType', (v) => v === 'ASYNC_FLUSH' || v === 'SYNC_FLUSH', 'ASYNC_FLUSH or SYNC_FLUSH'],
  ['flushIntervalCommitLog', isInt(1, 3_600_000), 'milliseconds from 1 to 3600000'],
  ['flushCommitLogDirtyBytesMax', isInt(4096, 2 ** 40), 'bytes, at least 4096'],
  ['syncFlushTimeout', isInt(1, 3_600_000), 'milliseconds from 1 to 3600000'],
  ['flushConsumeQueueInterval', isInt(1, 3_600_000), 'milliseconds from 1 to 3600000'],
  ['fileReservedTime', (v) => typeof v === 'number' && v > 0 && v <= 24 * 365 * 10, 'hours, above 0'],
  [
    'deleteWhen',
    (v) => typeof v === 'string' && parseDeleteWhen(v) !== undefined,
    'hours 00-23 separated by ;',
  ],
  ['cleanResourceInterval', isInt(10, 3_600_000), 'milliseconds from 10 to 3600000'],
  ['diskMaxUsedSpaceRatio', isInt(10, 95), 'a percentage from 10 to 95'],
  ['maxHashSlotNum', isInt(1, 50_000_000), 'an integer from 1 to 50000000'],
  ['maxIndexNum', isInt(2, 200_000_000), 'an integer from 2 to 200000000'],
  ['messageIndexEnable', (v) => typeof v === 'boolean', 'true or false'],
  ['maxMessageSize', isInt(1, 64 * MIB), 'bytes from 1 to 64 MiB'],
  ['warmMappedFileEnable', (v) => typeof v === 'boolean', 'true or false'],
  ['commitLogWriteBufferBytes', isInt(4096, 256 * MIB), 'bytes from 4096 to 256 MiB'],
  ['commitLogReadCacheBytes', isInt(0, 1024 * MIB), 'bytes from 0 to 1 GiB'],
  [
    'messageDelayLevel',
    (v) => typeof v === 'string' && parseDelayLevels(v) !== undefined,
    'e.g. "1s 5s 10s 1m 2h"',
  ],
  ['brokerIP1', (v) => typeof v === 'string' && parseIpv4OrIpv6(v) !== undefined, 'an IPv4 or IPv6 address'],
  ['listenPort', isInt(0, 65535), 'a port from 0 to 65535'],
]

/** Fills defaults and validates; throws EngineError('CONFIG_INVALID') naming the first bad key. */
export function resolveStoreConfig(
  input: Partial<MessageStoreConfig> & { storePathRootDir: string },
): MessageStoreConfig {
  const config: MessageStoreConfig = { ...DEFAULT_STORE_CONFIG, ...input }
  for (const [key, ok, expected] of RULES) {
    if (!ok(config[key])) {
      throw new EngineError(
        'CONFIG_INVALID',
        `${key} must be ${expected}; got ${JSON.stringify(config[key])}`,
        {
          key,
        },
      )
    }
  }
  const maxRecordBytes = config.maxMessageSize + 64 * 1024
  if (config.mappedFileSizeCommitLog < maxRecordBytes + 8) {
    throw new EngineError(
      'CONFIG_INVALID',
      `mappedFileSizeCommitLog (${config.mappedFileSizeCommitLog}) must hold the largest record ` +
        `(maxMessageSize ${config.maxMessageSize} + 64 KiB of headers + 8)`,
      { key: 'mappedFileSizeCommitLog' },
    )
  }
  return config
}

/** "04;16" → Set {4, 16}; undefined when malformed. */
export function parseDeleteWhen(value: string): ReadonlySet<number> | undefined {
  const hours = new Set<number>()
  for (const part of value.split(';')) {
    const trimmed = part.trim()
    if (!/^\d{1,2}$/.test(trimmed)) return undefined
    const hour = Number(trimmed)
    if (hour > 23) return undefined
    hours.add(hour)
  }
  return hours.size > 0 ? hours : undefined
}

const DELAY_UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** "1s 5s 1m" → [1000, 5000, 60000] (level 1 first); undefined when malformed. */
export function parseDelayLevels(value: string): readonly number[] | undefined {
  const levels: number[] = []
  for (const part of value.trim().split(/\s+/)) {
    const match = /^(\d+)([smhd])$/.exec(part)
    if (!match) return undefined
    levels.push(Number(match[1]) * (DELAY_UNIT_MS[match[2] ?? ''] ?? 0))
  }
  return levels.length > 0 ? levels : undefined
}

/** Parses a dotted IPv4 or a full/compressed IPv6 address to its 4 or 16 bytes. */
export function parseIpv4OrIpv6(value: string): Uint8Array | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value)
  if (v4) {
    const bytes = v4.slice(1).map(Number)
    return bytes.every((b) => b <= 255) ? Uint8Array.from(bytes) : undefined
  }
  if (!/^[0-9a-fA-F:]+$/.test(value) || value.split('::').length > 2) return undefined
  const [head = '', tail] = value.split('::')
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail ? tail.split(':') : []
  const missing = 8 - headGroups.length - tailGroups.length
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined
  const groups = [
    ...headGroups,
    ...new Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailGroups,
  ]
  const out = new Uint8Array(16)
  for (let i = 0; i < 8; i++) {
    const g = groups[i] ?? ''
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    const n = parseInt(g, 16)
    out[i * 2] = n >> 8
    out[i * 2 + 1] = n & 0xff
  }
  return out
}
