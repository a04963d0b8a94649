// A Map that forgets its oldest entries past a size limit: the demo services' in-memory state stays bounded
// however long the console runs.
import 'server-only'

export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(readonly sizeMax: number) {
    if (!Number.isInteger(sizeMax) || sizeMax < 1) throw new Error('sizeMax must be a positive integer')
  }

  get size(): number {
    return this.entries.size
  }

  get(key: K): V | undefined {
    return this.entries.get(key)
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  /** Sets and makes the entry the newest; evicts the oldest when over the limit. */
  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.sizeMax) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key)
  }

  values(): IterableIterator<V> {
    return this.entries.values()
  }
}
