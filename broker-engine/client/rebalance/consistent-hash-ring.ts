// A consistent hash ring with virtual nodes, hashed exactly as RocketMQ's ConsistentHashRouter with its default
// MD5Hash, so that the same node keys and object keys route the same way a Java client routes them.

import { hash as digest } from 'node:crypto'
import { EngineError } from '../../common/engine-error'

/** The first 4 bytes of MD5(UTF-8 of key) read big-endian as an unsigned int: RocketMQ's MD5Hash.hash(). */
export function md5RingHash(key: string): number {
  // One-shot hex digest: about 3x faster than createHash().digest() per key, and rings hash many keys.
  return parseInt(digest('md5', key, 'hex').slice(0, 8), 16)
}

export class ConsistentHashRing {
  /** Virtual node hashes, ascending (Java keeps them in a TreeMap<Long, VirtualNode>). */
  private readonly hashes: Uint32Array
  /** ownerKeys[i] is the node that owns hashes[i]. */
  private readonly ownerKeys: string[]

  /**
   * Places `virtualNodeCount` virtual nodes per node, keyed `<nodeKey>-<replica>` for replica 0, 1, ... (Java's
   * VirtualNode.getKey()). Nodes are placed in the given order, and when two virtual nodes hash alike the one
   * placed later takes the point, as TreeMap.put does in Java; that order is part of the result.
   */
  constructor(nodeKeys: readonly string[], virtualNodeCount: number) {
    if (!Number.isInteger(virtualNodeCount) || virtualNodeCount < 0) {
      throw new EngineError('ARGUMENT_INVALID', `virtualNodeCount must be a non-negative integer`, {
        virtualNodeCount,
      })
    }
    if (new Set(nodeKeys).size !== nodeKeys.length) {
      // Java would number a repeated node's replicas on from the first copy's; nothing here needs that.
      throw new EngineError('ARGUMENT_INVALID', 'node keys must be distinct')
    }
    const ownerByHash = new Map<number, string>()
    for (const nodeKey of nodeKeys) {
      for (let replica = 0; replica < virtualNodeCount; replica++) {
        ownerByHash.set(md5RingHash(`${nodeKey}-${replica}`), nodeKey)
      }
    }
    this.hashes = Uint32Array.from(ownerByHash.keys()).sort()
    this.ownerKeys = Array.from(this.hashes, (hash) => ownerByHash.get(hash)!)
  }

  /** Virtual nodes on the ring (fewer than nodes × virtualNodeCount when hashes collide). */
  get virtualNodeSize(): number {
    return this.hashes.length
  }

  /**
   * The node owning `objectKey`: the first virtual node at or after the key's hash, wrapping to the lowest
   * (Java's ring.tailMap(hash).firstKey(), else ring.firstKey()). Undefined when the ring is empty.
   */
  routeNode(objectKey: string): string | undefined {
    const hashes = this.hashes
    if (hashes.length === 0) return undefined
    const hash = md5RingHash(objectKey)
    let low = 0
    let high = hashes.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (hashes[mid]! < hash) low = mid + 1
      else high = mid
    }
    return this.ownerKeys[low === hashes.length ? 0 : low]
  }
}
