// RocketMQ's KVConfigManager without the file: the NameServer's namespace → key → value table (PUT_KV_CONFIG and
// friends), bounded, and the namespace whose entries become a route's orderTopicConf.

import { EngineError } from '../../common/engine-error'

/** The KV namespace whose `topic → "broker-a:4;broker-b:4"` entries become TopicRouteData.orderTopicConf. */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG'

export interface KvConfigLimits {
  readonly namespacesMax: number
  readonly keysPerNamespaceMax: number
  /** Namespace and key names. */
  readonly nameLengthMax: number
  readonly valueLengthMax: number
}

export const DEFAULT_KV_CONFIG_LIMITS: KvConfigLimits = {
  namespacesMax: 256,
  keysPerNamespaceMax: 4096,
  nameLengthMax: 255,
  valueLengthMax: 64 * 1024,
}

export type PutKvConfigResult = { status: 'PUT' } | { status: 'LIMIT_EXCEEDED'; reason: string }

/**
 * RocketMQ's KVConfigManager without the file: namespace → key → value, bounded. Kept in memory only, like the
 * rest of the route data, which brokers rebuild by registering again after a restart.
 */
export class KvConfigTable {
  readonly limits: KvConfigLimits
  private readonly table = new Map<string, Map<string, string>>()

  constructor(limits: Partial<KvConfigLimits> = {}) {
    this.limits = { ...DEFAULT_KV_CONFIG_LIMITS, ...limits }
  }

  putKVConfig(namespace: string, key: string, value: string): PutKvConfigResult {
    this.checkName(namespace, 'namespace')
    this.checkName(key, 'key')
    if (typeof value !== 'string' || value.length > this.limits.valueLengthMax) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `value must be a string of at most ${this.limits.valueLengthMax} characters`,
        {
          field: 'value',
        },
      )
    }
    let entries = this.table.get(namespace)
    if (!entries) {
      if (this.table.size >= this.limits.namespacesMax) {
        return {
          status: 'LIMIT_EXCEEDED',
          reason: `the KV config already holds ${this.limits.namespacesMax} namespaces`,
        }
      }
      entries = new Map()
      this.table.set(namespace, entries)
    }
    if (!entries.has(key) && entries.size >= this.limits.keysPerNamespaceMax) {
      return {
        status: 'LIMIT_EXCEEDED',
        reason: `KV namespace ${namespace} already holds ${this.limits.keysPerNamespaceMax} keys`,
      }
    }
    entries.set(key, value)
    return { status: 'PUT' }
  }

  getKVConfig(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key)
  }

  /** Returns false when there was nothing to delete. An emptied namespace goes too. */
  deleteKVConfig(namespace: string, key: string): boolean {
    const entries = this.table.get(namespace)
    if (!entries?.delete(key)) return false
    if (entries.size === 0) this.table.delete(namespace)
    return true
  }

  /** The namespace's entries, or undefined when it holds none. */
  getKVListByNamespace(namespace: string): Record<string, string> | undefined {
    const entries = this.table.get(namespace)
    if (!entries) return undefined
    return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  private checkName(name: unknown, field: string): void {
    if (typeof name !== 'string' || name.length === 0 || name.length > this.limits.nameLengthMax) {
      throw new EngineError(
        'ARGUMENT_INVALID',
        `${field} must be 1 to ${this.limits.nameLengthMax} characters`,
        {
          field,
        },
      )
    }
  }
}
