// Consumer offsets per (group, topic, queue) as RocketMQ's ConsumerOffsetManager keeps them: committed offsets
// persisted in consumerOffset.json by the caller's periodic persist(), server-side offset resets awaiting the next
// pull, and the last pull offset per queue (memory only) for consume stats.

import path from 'node:path'
import type { Clock } from '../common/clock'
import { EngineError } from '../common/engine-error'
import type { StoreIo } from '../store/store-io'
import { loadJsonConfig, persistJsonConfig } from './config-file'
import {
  dataVersionJson,
  initialDataVersion,
  nextDataVersion,
  parseDataVersion,
  type DataVersion,
} from './data-version'
import { TOPIC_QUEUE_NUMS_MAX, validateGroupName, validateTopicName } from './topic-validator'

export interface ConsumerOffsetManagerOptions {
  /** The directory holding consumerOffset.json (RocketMQ: <storePathRootDir>/config). */
  readonly configDir: string
  readonly clock: Clock
  readonly log?: (message: string) => void
  readonly io?: StoreIo
}

/** consumerOffset.json: { "offsetTable": { "<topic>@<group>": { "<queueId>": queueOffset } } }. */
export interface ConsumerOffsetSerializeWrapper {
  dataVersion: { counter: number; stateVersion: number; timestamp: number }
  offsetTable: Record<string, Record<string, number>>
}

export const CONSUMER_OFFSET_JSON_FILE = 'consumerOffset.json'
export const TOPIC_GROUP_SEPARATOR = '@'
/** (topic, group) pairs with committed offsets; the same bound applies to pull offsets. */
export const OFFSET_TABLE_KEYS_MAX = 200_000

type QueueOffsets = Map<number, number>

function validateWrapperShape(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object'
  const table = (value as Record<string, unknown>).offsetTable
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return 'no offsetTable object'
  return undefined
}

const isQueueOffset = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

export class ConsumerOffsetManager {
  readonly filePath: string
  private readonly clock: Clock
  private readonly log: (message: string) => void
  private readonly io: StoreIo | undefined
  /** "topic@group" → queueId → committed queue offset (the next message to consume). */
  private readonly offsetTable = new Map<string, QueueOffsets>()
  /** Offsets set by resetOffsets that the next pull of that queue must answer with (OFFSET_MOVED). */
  private readonly resetOffsetTable = new Map<string, QueueOffsets>()
  private readonly pullOffsetTable = new Map<string, QueueOffsets>()
  private version: DataVersion
  private dirty = false
  private loaded = false

  constructor(opts: ConsumerOffsetManagerOptions) {
    this.filePath = path.join(opts.configDir, CONSUMER_OFFSET_JSON_FILE)
    this.clock = opts.clock
    this.log = opts.log ?? ((message) => console.warn(message))
    this.io = opts.io
    this.version = initialDataVersion(opts.clock)
  }

  /** Reads consumerOffset.json (or its .bak; fastjson's bare integer keys too). Bad entries are skipped and reported. */
  load(): void {
    const raw = loadJsonConfig(this.filePath, this.log, { io: this.io, validate: validateWrapperShape })
    this.offsetTable.clear()
    this.resetOffsetTable.clear()
    this.pullOffsetTable.clear()
    this.version = initialDataVersion(this.clock)
    this.dirty = false
    if (raw !== undefined) {
      const wrapper = raw as Record<string, unknown>
      this.version = parseDataVersion(wrapper.dataVersion) ?? this.version
      let skipped = 0
      for (const [key, queues] of Object.entries(wrapper.offsetTable as Record<string, unknown>)) {
        const reason = this.loadEntry(key, queues)
        if (reason === undefined) continue
        if (skipped++ < 10) this.log(`${this.filePath}: skipped offsets of ${JSON.stringify(key)}: ${reason}`)
      }
      if (skipped > 10) this.log(`${this.filePath}: skipped ${skipped} entries in all`)
    }
    this.loaded = true
  }

  get dataVersion(): DataVersion {
    return this.version
  }

  /** Something changed since the last persist(). */
  get isDirty(): boolean {
    return this.dirty
  }

  /**
   * Stores a consumer's committed offset (UPDATE_CONSUMER_OFFSET). false when ignored because an offset reset for
   * this queue is still waiting for the consumer's next pull, as RocketMQ does with server-side reset.
   */
  commitOffset(group: string, topic: string, queueId: number, offset: number, clientHost?: string): boolean {
    this.assertLoaded()
    const key = this.checkKey(group, topic)
    checkQueueId(queueId)
    checkOffset(offset, 'offset')
    if (this.resetOffsetTable.get(key)?.has(queueId)) return false
    const queues = this.offsetTable.get(key) ?? this.addKey(this.offsetTable, key, clientHost)
    if (queues.get(queueId) !== offset) {
      queues.set(queueId, offset)
      this.dirty = true
    }
    return true
  }

  /** The committed offset, or -1 when the group has none for this queue. */
  queryOffset(group: string, topic: string, queueId: number): number {
    this.assertLoaded()
    const key = this.checkKey(group, topic)
    checkQueueId(queueId)
    return this.offsetTable.get(key)?.get(queueId) ?? -1
  }

  /** Every committed offset of the group on the topic, by queueId (empty when none). */
  queryOffsets(group: string, topic: string): Map<number, number> {
    this.assertLoaded()
    return new Map([...(this.offsetTable.get(this.checkKey(group, topic)) ?? [])].sort((a, b) => a[0] - b[0]))
  }

  /** Topics the group has offsets on (RocketMQ's whichTopicByConsumer), sorted. */
  topicsOfGroup(group: string): string[] {
    this.assertLoaded()
    checkGroup(group)
    const suffix = TOPIC_GROUP_SEPARATOR + group
    return [...this.offsetTable.keys()]
      .filter(
        (key) => key.endsWith(suffix) && key.indexOf(TOPIC_GROUP_SEPARATOR) === key.length - suffix.length,
      )
      .map((key) => key.slice(0, -suffix.length))
      .sort()
  }

  /** Groups with offsets on the topic (RocketMQ's whichGroupByTopic), sorted. */
  groupsOfTopic(topic: string): string[] {
    this.assertLoaded()
    checkTopic(topic)
    const prefix = topic + TOPIC_GROUP_SEPARATOR
    return [...this.offsetTable.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length))
      .sort()
  }

  /** Forgets every offset, pending reset and pull offset of the group; false when it had none. */
  removeGroup(group: string): boolean {
    this.assertLoaded()
    checkGroup(group)
    const matches = (key: string) => key.slice(key.indexOf(TOPIC_GROUP_SEPARATOR) + 1) === group
    return this.removeWhere(matches)
  }

  /** Forgets every group's offsets on the topic (topic deleted); false when there were none. */
  removeTopic(topic: string): boolean {
    this.assertLoaded()
    checkTopic(topic)
    const matches = (key: string) => key.slice(0, key.indexOf(TOPIC_GROUP_SEPARATOR)) === topic
    return this.removeWhere(matches)
  }

  /**
   * Sets the group's offsets on the given queues (the caller computes them: by timestamp, earliest or latest) and
   * records each as a pending reset, so the consumer's next pull of that queue is told to move there and its
   * commits are ignored until then. All entries are checked before any is applied.
   */
  resetOffsets(group: string, topic: string, offsets: ReadonlyMap<number, number>): void {
    this.assertLoaded()
    const key = this.checkKey(group, topic)
    for (const [queueId, offset] of offsets) {
      checkQueueId(queueId)
      checkOffset(offset, `offset of queue ${queueId}`)
    }
    if (offsets.size === 0) return
    const queues = this.offsetTable.get(key) ?? this.addKey(this.offsetTable, key)
    const resets = this.resetOffsetTable.get(key) ?? new Map<number, number>()
    this.resetOffsetTable.set(key, resets)
    const pulls = this.pullOffsetTable.get(key)
    for (const [queueId, offset] of offsets) {
      queues.set(queueId, offset)
      resets.set(queueId, offset)
      pulls?.delete(queueId)
    }
    this.dirty = true
  }

  hasOffsetReset(group: string, topic: string, queueId: number): boolean {
    this.assertLoaded()
    return this.resetOffsetTable.get(this.checkKey(group, topic))?.has(queueId) ?? false
  }

  /** The pending reset offset of the queue, removed as it is returned (the pull that answers OFFSET_MOVED). */
  takeResetOffset(group: string, topic: string, queueId: number): number | undefined {
    this.assertLoaded()
    const key = this.checkKey(group, topic)
    const resets = this.resetOffsetTable.get(key)
    const offset = resets?.get(queueId)
    if (resets && offset !== undefined) {
      resets.delete(queueId)
      if (resets.size === 0) this.resetOffsetTable.delete(key)
    }
    return offset
  }

  /**
   * Records the next offset a pull of this queue will ask for (memory only, for consume stats). When the table is
   * full a new (topic, group) is not recorded: the stat then falls back to the committed offset.
   */
  recordPullOffset(group: string, topic: string, queueId: number, offset: number): void {
    this.assertLoaded()
    const key = this.checkKey(group, topic)
    checkQueueId(queueId)
    checkOffset(offset, 'offset')
    let queues = this.pullOffsetTable.get(key)
    if (!queues) {
      if (this.pullOffsetTable.size >= OFFSET_TABLE_KEYS_MAX) return
      queues = new Map()
      this.pullOffsetTable.set(key, queues)
    }
    queues.set(queueId, offset)
  }

  /** The last recorded pull offset, else the committed offset, else -1 (RocketMQ's queryPullOffset). */
  queryPullOffset(group: string, topic: string, queueId: number): number {
    this.assertLoaded()
    const pulled = this.pullOffsetTable.get(this.checkKey(group, topic))?.get(queueId)
    return pulled ?? this.queryOffset(group, topic, queueId)
  }

  clearPullOffsets(group: string, topic: string): void {
    this.assertLoaded()
    this.pullOffsetTable.delete(this.checkKey(group, topic))
  }

  /** consumerOffset.json's content. */
  serializeWrapper(): ConsumerOffsetSerializeWrapper {
    const offsetTable: Record<string, Record<string, number>> = {}
    for (const key of [...this.offsetTable.keys()].sort()) {
      const queues: Record<string, number> = {}
      for (const [queueId, offset] of [...(this.offsetTable.get(key) ?? [])].sort((a, b) => a[0] - b[0]))
        queues[String(queueId)] = offset
      offsetTable[key] = queues
    }
    return { dataVersion: dataVersionJson(this.version), offsetTable }
  }

  /**
   * Writes consumerOffset.json when something changed (bumping the version); the caller runs it every
   * flushConsumerOffsetInterval and at shutdown. Returns whether it wrote. A failed write throws and stays dirty.
   */
  persist(): boolean {
    this.assertLoaded()
    if (!this.dirty) return false
    const prevVersion = this.version
    this.version = nextDataVersion(prevVersion, this.clock)
    try {
      persistJsonConfig(this.filePath, this.serializeWrapper(), { io: this.io })
    } catch (err) {
      this.version = prevVersion
      throw err
    }
    this.dirty = false
    return true
  }

  private loadEntry(key: string, queues: unknown): string | undefined {
    const at = key.indexOf(TOPIC_GROUP_SEPARATOR)
    if (at < 0 || at !== key.lastIndexOf(TOPIC_GROUP_SEPARATOR)) return 'the key is not <topic>@<group>'
    const reason = validateTopicName(key.slice(0, at)) ?? validateGroupName(key.slice(at + 1))
    if (reason) return reason
    if (typeof queues !== 'object' || queues === null || Array.isArray(queues)) return 'not an object'
    if (this.offsetTable.size >= OFFSET_TABLE_KEYS_MAX) return `more than ${OFFSET_TABLE_KEYS_MAX} entries`
    const map: QueueOffsets = new Map()
    for (const [queueIdText, offset] of Object.entries(queues)) {
      const queueId = Number(queueIdText)
      if (!/^\d+$/.test(queueIdText) || queueId >= TOPIC_QUEUE_NUMS_MAX)
        return `queue id ${queueIdText} out of range`
      if (!isQueueOffset(offset))
        return `offset ${String(offset)} of queue ${queueIdText} is not a non-negative integer`
      map.set(queueId, offset)
    }
    this.offsetTable.set(key, map)
    return undefined
  }

  private removeWhere(matches: (key: string) => boolean): boolean {
    let removed = false
    for (const table of [this.offsetTable, this.resetOffsetTable, this.pullOffsetTable]) {
      for (const key of [...table.keys()]) {
        if (!matches(key)) continue
        table.delete(key)
        if (table === this.offsetTable) removed = true
      }
    }
    if (removed) this.dirty = true
    return removed
  }

  private addKey(table: Map<string, QueueOffsets>, key: string, clientHost?: string): QueueOffsets {
    if (table.size >= OFFSET_TABLE_KEYS_MAX) {
      const from = clientHost ? ` (from ${clientHost})` : ''
      throw new EngineError(
        'ARGUMENT_INVALID',
        `cannot store offsets for ${key}${from}: the broker already holds ${OFFSET_TABLE_KEYS_MAX} topic@group entries`,
        { field: 'group', limit: OFFSET_TABLE_KEYS_MAX },
      )
    }
    const queues: QueueOffsets = new Map()
    table.set(key, queues)
    return queues
  }

  private checkKey(group: string, topic: string): string {
    checkGroup(group)
    checkTopic(topic)
    return topic + TOPIC_GROUP_SEPARATOR + group
  }

  private assertLoaded(): void {
    if (!this.loaded) throw new Error(`ConsumerOffsetManager used before load() (${this.filePath})`)
  }
}

function checkGroup(group: string): void {
  const reason = validateGroupName(group)
  if (reason) throw new EngineError('ARGUMENT_INVALID', reason, { field: 'group', group })
}

function checkTopic(topic: string): void {
  const reason = validateTopicName(topic)
  if (reason) throw new EngineError('TOPIC_INVALID', reason, { field: 'topic', topic })
}

function checkQueueId(queueId: number): void {
  if (!Number.isInteger(queueId) || queueId < 0 || queueId >= TOPIC_QUEUE_NUMS_MAX)
    throw new EngineError(
      'QUEUE_ID_INVALID',
      `queueId must be an integer from 0 to ${TOPIC_QUEUE_NUMS_MAX - 1}; got ${queueId}`,
      {
        field: 'queueId',
        queueId,
      },
    )
}

function checkOffset(offset: number, field: string): void {
  if (!isQueueOffset(offset))
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${field} must be a non-negative integer queue offset; got ${String(offset)}`,
      {
        field: 'offset',
        offset,
      },
    )
}
