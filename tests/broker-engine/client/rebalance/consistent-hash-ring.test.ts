import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import {
  ConsistentHashRing,
  md5RingHash,
} from '../../../../broker-engine/client/rebalance/consistent-hash-ring'

describe('md5RingHash (ConsistentHashRouter.MD5Hash)', () => {
  // Expected values are the first 8 hex digits of `printf '%s' KEY | md5sum`, independent of node:crypto.
  it.each([
    ['', 0xd41d8cd9],
    ['c1-0', 0xe7a7eb0b],
    ['c2-0', 0x31831c51],
    ['c2-1', 0x0bd54963],
    ['192.168.0.1@12345-0', 0xbef0766c],
    ['é', 0x66ddcd97], // UTF-8 c3 a9, as Java's getBytes(UTF_8)
    ['😀', 0x2a02eac3], // one code point from a surrogate pair: UTF-8 f0 9f 98 80
  ])('hashes %j to the unsigned big-endian first 4 bytes of its MD5', (key, expected) => {
    expect(md5RingHash(key)).toBe(expected)
  })

  it('stays non-negative above 2^31, as the Java long does', () => {
    expect(md5RingHash('c1-0')).toBeGreaterThan(2 ** 31)
  })
})

describe('ConsistentHashRing', () => {
  // Ring for nodes c1, c2 with 2 virtual nodes each, ascending:
  //   0x0bd54963 c2-1 | 0x31831c51 c2-0 | 0x70f83886 c1-1 | 0xe7a7eb0b c1-0
  const ring = new ConsistentHashRing(['c1', 'c2'], 2)

  it('places one point per virtual node', () => {
    expect(ring.virtualNodeSize).toBe(4)
  })

  it('routes a key to the first point at or after its hash', () => {
    expect(md5RingHash('c2-1')).toBe(0x0bd54963)
    expect(ring.routeNode('c2-1')).toBe('c2') // a key on a point belongs to that point (tailMap is inclusive)
    expect(md5RingHash('MessageQueue [topic=T, brokerName=b, queueId=3]')).toBe(0x19e13e53)
    expect(ring.routeNode('MessageQueue [topic=T, brokerName=b, queueId=3]')).toBe('c2') // -> c2-0
    expect(md5RingHash('MessageQueue [topic=T, brokerName=b, queueId=2]')).toBe(0x75ff8207)
    expect(ring.routeNode('MessageQueue [topic=T, brokerName=b, queueId=2]')).toBe('c1') // -> c1-0
  })

  it('wraps past the highest point to the lowest', () => {
    expect(md5RingHash('MessageQueue [topic=T, brokerName=b, queueId=4]')).toBe(0xff8e7fee)
    expect(ring.routeNode('MessageQueue [topic=T, brokerName=b, queueId=4]')).toBe('c2') // -> c2-1
  })

  it('gives a colliding point to the node placed later, as TreeMap.put does', () => {
    // MD5("node8322-0") and MD5("node32047-0") both start 936d833d (found by search, checked with md5sum).
    expect(md5RingHash('node8322-0')).toBe(md5RingHash('node32047-0'))
    const later32047 = new ConsistentHashRing(['node8322', 'node32047'], 1)
    expect(later32047.virtualNodeSize).toBe(1)
    expect(later32047.routeNode('any key')).toBe('node32047')
    expect(new ConsistentHashRing(['node32047', 'node8322'], 1).routeNode('any key')).toBe('node8322')
  })

  it('routes nothing when empty', () => {
    expect(new ConsistentHashRing([], 10).routeNode('k')).toBeUndefined()
    expect(new ConsistentHashRing(['c1'], 0).routeNode('k')).toBeUndefined()
  })

  it('rejects repeated nodes and bad virtual node counts', () => {
    expect(() => new ConsistentHashRing(['c1', 'c1'], 1)).toThrow(EngineError)
    expect(() => new ConsistentHashRing(['c1'], -1)).toThrow(
      'virtualNodeCount must be a non-negative integer',
    )
    expect(() => new ConsistentHashRing(['c1'], 0.5)).toThrow(EngineError)
  })
})
