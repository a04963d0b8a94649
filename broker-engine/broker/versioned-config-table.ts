// The shape the topic and subscription-group tables share: a map of named configs with a DataVersion, loaded
// from and persisted to one crash-safe JSON file in RocketMQ's wrapper form ({ <tableKey>: {...}, dataVersion }).
// Subclasses decode and validate entries and add the domain rules.

import path from 'node:path'
import type { Clock } from '../common/clock'
import { EngineError } from '../common/engine-error'
import type { StoreIo } from '../store/store-io'
import { loadJsonConfig, persistJsonConfig } from './config-file'
import { initialDataVersion, nextDataVersion, parseDataVersion, type DataVersion } from './data-version'

export interface VersionedConfigTableDeps {
  readonly configDir: string
  readonly clock: Clock
  /** Where fallbacks to the .bak copy and skipped entries are reported. Defaults to console.warn. */
  readonly log?: (message: string) => void
  readonly io?: StoreIo
}

export interface VersionedConfigTableShape<T> {
  readonly fileName: string
  /** The wrapper property holding the entries: topicConfigTable, subscriptionGroupTable. */
  readonly tableKey: string
  /** "topic" or "group", for messages. */
  readonly entryKind: string
  readonly countMax: number
  readonly nameOf: (entry: T) => string
}

/**
 * Entries one upsertMany may carry. A batch is validated whole and written in one persist, so this bounds the
 * work (and the undo set) of one call; 5,000 topics still go in one batch.
 */
export const CONFIG_BATCH_COUNT_MAX = 10_000

/** What upsertMany did: every entry's config after the call, in input order, and the ones it changed. */
export interface UpsertManyResult<T> {
  readonly configs: readonly T[]
  /** New or different entries, in input order; empty when the batch matched the table (no version bump). */
  readonly changed: readonly T[]
}

export abstract class VersionedConfigTable<T> {
  readonly filePath: string
  protected readonly clock: Clock
  protected readonly log: (message: string) => void
  protected readonly io: StoreIo | undefined
  protected readonly table = new Map<string, T>()
  protected version: DataVersion
  protected loaded = false

  constructor(
    deps: VersionedConfigTableDeps,
    private readonly shape: VersionedConfigTableShape<T>,
  ) {
    this.filePath = path.join(deps.configDir, shape.fileName)
    this.clock = deps.clock
    this.log = deps.log ?? ((message) => console.warn(message))
    this.io = deps.io
    this.version = initialDataVersion(deps.clock)
  }

  /** An entry as read from the file, or the reason it is skipped. */
  protected abstract decodeEntry(key: string, entry: unknown): T | string
  /** The file's content, also the body of the matching GET_ALL_* admin call. */
  abstract serializeWrapper(): unknown

  get dataVersion(): DataVersion {
    return this.version
  }

  get(name: string): T | undefined {
    this.assertLoaded()
    return this.table.get(name)
  }

  has(name: string): boolean {
    this.assertLoaded()
    return this.table.has(name)
  }

  /** Every entry, sorted by name. */
  list(): T[] {
    this.assertLoaded()
    const nameOf = this.shape.nameOf
    return [...this.table.values()].sort((a, b) =>
      nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0,
    )
  }

  get size(): number {
    return this.table.size
  }

  /**
   * Reads the file (or its .bak) into the table; entries that fail validation, or exceed countMax, are skipped
   * and reported. Returns the wrapper object for subclass-specific fields, or undefined when there was no file.
   */
  protected loadTable(): Record<string, unknown> | undefined {
    const { tableKey, entryKind, countMax } = this.shape
    const raw = loadJsonConfig(this.filePath, this.log, {
      io: this.io,
      validate: (value) => {
        if (typeof value !== 'object' || value === null) return 'not a JSON object'
        const entries = (value as Record<string, unknown>)[tableKey]
        if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
          return `no ${tableKey} object`
        return undefined
      },
    })
    this.table.clear()
    this.version = initialDataVersion(this.clock)
    let wrapper: Record<string, unknown> | undefined
    if (raw !== undefined) {
      wrapper = raw as Record<string, unknown>
      const version = parseDataVersion(wrapper.dataVersion)
      if (version) this.version = version
      else this.log(`${this.filePath}: dataVersion missing or malformed; starting from counter 0`)
      for (const [name, entry] of Object.entries(wrapper[tableKey] as Record<string, unknown>)) {
        const decoded = this.decodeEntry(name, entry)
        if (typeof decoded === 'string')
          this.log(`${this.filePath}: skipped ${entryKind} ${JSON.stringify(name)}: ${decoded}`)
        else if (this.table.size < countMax) this.table.set(name, decoded)
        else
          this.log(
            `${this.filePath}: skipped ${entryKind} ${JSON.stringify(name)}: more than ${countMax} ${entryKind}s`,
          )
      }
    }
    this.loaded = true
    return wrapper
  }

  /** After load added what the table lacked: a new version, written out. */
  protected bumpVersionAndPersist(): void {
    this.version = nextDataVersion(this.version, this.clock)
    this.persist()
  }

  /**
   * A new data version with the same entries, written out: RocketMQ does this when the broker's permission
   * changes, so NameServers rebuild the routes from the next registration.
   */
  touchVersion(): void {
    this.assertLoaded()
    this.bumpVersionAndPersist()
  }

  protected assertLoaded(): void {
    if (!this.loaded) throw new Error(`${this.constructor.name} used before load() (${this.filePath})`)
  }

  /** Applies one change, bumps the version and persists; on a failed write the change is undone. */
  protected commit(name: string, next: T | undefined): void {
    const prev = this.table.get(name)
    const prevVersion = this.version
    if (next) this.table.set(name, next)
    else this.table.delete(name)
    this.version = nextDataVersion(prevVersion, this.clock)
    try {
      this.persist()
    } catch (err) {
      if (prev) this.table.set(name, prev)
      else this.table.delete(name)
      this.version = prevVersion
      throw err
    }
  }

  /**
   * The body of a subclass's upsertMany: `prepare` turns each input into its full config or throws the same
   * EngineError the single upsert would; that error is rethrown naming the entry's index and name. Every entry
   * is checked (and duplicates and the table's size bound with them) before anything changes; then the changed
   * entries are applied with one version bump and one persist, and a failed write undoes them all.
   */
  protected upsertEntries<I>(
    inputs: readonly I[],
    prepare: (input: I) => T,
    inputNameOf: (input: I) => unknown,
    same: (current: T, next: T) => boolean,
  ): UpsertManyResult<T> {
    this.assertLoaded()
    const { entryKind, countMax, nameOf } = this.shape
    // Callers from the wire may hand anything; a separate unknown keeps `inputs` typed for the loop below.
    const given: unknown = inputs
    if (!Array.isArray(given))
      throw new EngineError('ARGUMENT_INVALID', `the ${entryKind}s to upsert must be a list`, {
        field: `${entryKind}s`,
      })
    if (inputs.length > CONFIG_BATCH_COUNT_MAX)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `at most ${CONFIG_BATCH_COUNT_MAX} ${entryKind}s per batch; got ${inputs.length}`,
        { field: `${entryKind}s`, limit: CONFIG_BATCH_COUNT_MAX },
      )
    const indexOf = new Map<string, number>()
    const configs: T[] = []
    const changed: T[] = []
    let added = 0
    inputs.forEach((input, index) => {
      const label = () => `${entryKind} entry ${index} (${JSON.stringify(String(inputNameOf(input)))})`
      let next: T
      try {
        next = prepare(input)
      } catch (err) {
        if (!(err instanceof EngineError)) throw err
        throw new EngineError(err.code, `${label()}: ${err.message}`, { ...err.details, index })
      }
      const name = nameOf(next)
      const first = indexOf.get(name)
      // Two entries for one name would make the result depend on their order; a caller merges them instead.
      if (first !== undefined)
        throw new EngineError('ARGUMENT_INVALID', `${label()}: the same ${entryKind} as entry ${first}`, {
          field: `${entryKind}Name`,
          index,
        })
      indexOf.set(name, index)
      const current = this.table.get(name)
      if (current && same(current, next)) {
        configs.push(current)
        return
      }
      if (!current) added++
      configs.push(next)
      changed.push(next)
    })
    // System entries may already hold the table above countMax; only additions are refused.
    if (added > 0 && this.table.size + added > countMax)
      throw new EngineError(
        'ARGUMENT_INVALID',
        `cannot add ${added} ${entryKind}s: the broker has ${this.table.size} of at most ${countMax}`,
        { field: `${entryKind}s`, limit: countMax },
      )
    if (changed.length > 0) this.commitMany(changed)
    return { configs, changed }
  }

  /** Applies several changes with one version bump and one persist; on a failed write all are undone. */
  private commitMany(entries: readonly T[]): void {
    const nameOf = this.shape.nameOf
    const previous = entries.map((entry) => this.table.get(nameOf(entry)))
    const prevVersion = this.version
    for (const entry of entries) this.table.set(nameOf(entry), entry)
    this.version = nextDataVersion(prevVersion, this.clock)
    try {
      this.persist()
    } catch (err) {
      entries.forEach((entry, i) => {
        const prev = previous[i]
        if (prev) this.table.set(nameOf(entry), prev)
        else this.table.delete(nameOf(entry))
      })
      this.version = prevVersion
      throw err
    }
  }

  protected persist(): void {
    persistJsonConfig(this.filePath, this.serializeWrapper(), { io: this.io })
  }
}
