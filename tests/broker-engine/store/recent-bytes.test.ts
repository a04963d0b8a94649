import { describe, expect, it } from 'vitest'
import { RecentBytes } from '../../../broker-engine/store/recent-bytes'

/** Bytes whose value depends on their CommitLog offset, so any misplaced copy shows. */
function bytesAt(offset: number, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i++) out[i] = (offset + i) % 251
  return out
}

function readBack(recent: RecentBytes, offset: number, length: number): Buffer | undefined {
  const target = Buffer.alloc(length + 4, 0xee)
  if (!recent.read(offset, length, target, 2)) return undefined
  expect(target.subarray(0, 2).equals(Buffer.from([0xee, 0xee]))).toBe(true)
  expect(target.subarray(length + 2).equals(Buffer.from([0xee, 0xee]))).toBe(true)
  return target.subarray(2, length + 2)
}

describe('RecentBytes (the CommitLog read cache)', () => {
  it('serves committed runs, including reads that wrap around the ring', () => {
    const recent = new RecentBytes(1000)
    recent.reset(5000)
    for (let at = 5000; at < 7300; at += 230) recent.append(bytesAt(at, 230), 0, 230, at)
    // Held: the newest 1000 bytes [6300, 7300); 6300 % 1000 = 300, so a read from 6900 on wraps.
    expect(readBack(recent, 6300, 1000)).toEqual(bytesAt(6300, 1000))
    expect(readBack(recent, 6950, 200)).toEqual(bytesAt(6950, 200))
    expect(readBack(recent, 7299, 1)).toEqual(bytesAt(7299, 1))
  })

  it('answers false for bytes evicted, not yet committed, or partly outside the range', () => {
    const recent = new RecentBytes(1000)
    recent.reset(0)
    recent.append(bytesAt(0, 1500), 0, 1500, 0)
    expect(readBack(recent, 499, 10)).toBeUndefined()
    expect(readBack(recent, 1495, 10)).toBeUndefined()
    expect(readBack(recent, 1500, 1)).toBeUndefined()
    expect(readBack(recent, 500, 1000)).toEqual(bytesAt(500, 1000))
  })

  it('starts a new run after a gap (a segment roll) and after reset (a truncation)', () => {
    const recent = new RecentBytes(1000)
    recent.reset(0)
    recent.append(bytesAt(0, 400), 0, 400, 0)
    recent.append(bytesAt(4096, 100), 0, 100, 4096)
    expect(readBack(recent, 0, 10)).toBeUndefined()
    expect(readBack(recent, 4096, 100)).toEqual(bytesAt(4096, 100))
    recent.reset(4150)
    expect(readBack(recent, 4096, 10)).toBeUndefined()
    recent.append(bytesAt(4150, 50), 0, 50, 4150)
    expect(readBack(recent, 4150, 50)).toEqual(bytesAt(4150, 50))
  })

  it('copies only the given slice of the source', () => {
    const recent = new RecentBytes(64)
    recent.reset(10)
    const src = Buffer.concat([Buffer.alloc(7, 0xaa), bytesAt(10, 20), Buffer.alloc(5, 0xbb)])
    recent.append(src, 7, 27, 10)
    expect(readBack(recent, 10, 20)).toEqual(bytesAt(10, 20))
    expect(readBack(recent, 10, 21)).toBeUndefined()
  })

  it('holds nothing with capacity 0', () => {
    const recent = new RecentBytes(0)
    recent.reset(0)
    recent.append(bytesAt(0, 10), 0, 10, 0)
    expect(readBack(recent, 0, 1)).toBeUndefined()
  })
})
