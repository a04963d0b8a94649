// The machine's own limits, measured in the same run as the store so ratios are meaningful on a shared host.

import fs from 'node:fs'
import path from 'node:path'
import { mib, result, type BenchResult } from './bench-kit'

/** Buffered sequential write: 1 MiB writeSync calls into a new file (page cache, no fsync). */
function sequentialWrite(dir: string, totalBytes: number): number {
  const file = path.join(dir, 'seqwrite.bin')
  const chunk = Buffer.alloc(1024 * 1024, 7)
  const fd = fs.openSync(file, 'w')
  const t0 = performance.now()
  for (let pos = 0; pos < totalBytes; pos += chunk.length) fs.writeSync(fd, chunk, 0, chunk.length, pos)
  const seconds = (performance.now() - t0) / 1000
  fs.closeSync(fd)
  fs.rmSync(file)
  return mib(totalBytes) / seconds
}

/** 1 KiB records copied into a 256 KiB staging buffer, one writeSync per full buffer: the OS side of an append. */
function stagedRecords(
  dir: string,
  records: number,
  preallocate: (fd: number, bytes: number) => void,
): number {
  const file = path.join(dir, 'staged.bin')
  const record = Buffer.alloc(1024, 3)
  const staging = Buffer.allocUnsafe(256 * 1024)
  const fd = fs.openSync(file, 'w+')
  preallocate(fd, records * 1024)
  const t0 = performance.now()
  let used = 0
  let pos = 0
  for (let i = 0; i < records; i++) {
    record.copy(staging, used)
    used += 1024
    if (used === staging.length) {
      fs.writeSync(fd, staging, 0, used, pos)
      pos += used
      used = 0
    }
  }
  if (used > 0) fs.writeSync(fd, staging, 0, used, pos)
  const seconds = (performance.now() - t0) / 1000
  fs.closeSync(fd)
  fs.rmSync(file)
  return records / seconds
}

/** Group commit ceiling: 256 × 1 KiB records per write + fdatasync, into a pre-written file. */
async function fdatasyncEvery256(
  dir: string,
  batches: number,
  preallocate: (fd: number, bytes: number) => void,
): Promise<number> {
  const file = path.join(dir, 'fsync.bin')
  const batch = Buffer.alloc(256 * 1024, 5)
  const fd = fs.openSync(file, 'w+')
  preallocate(fd, batches * batch.length)
  const t0 = performance.now()
  for (let i = 0; i < batches; i++) {
    fs.writeSync(fd, batch, 0, batch.length, i * batch.length)
    await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())))
  }
  const seconds = (performance.now() - t0) / 1000
  fs.closeSync(fd)
  fs.rmSync(file)
  return (batches * 256) / seconds
}

function prewrite(fd: number, bytes: number): void {
  const zeros = Buffer.alloc(8 * 1024 * 1024)
  for (let pos = 0; pos < bytes; pos += zeros.length)
    fs.writeSync(fd, zeros, 0, Math.min(zeros.length, bytes - pos), pos)
  fs.fdatasyncSync(fd)
}

export interface Ceilings {
  readonly stagedRecordsPerSec: number
  readonly fsync256RecordsPerSec: number
  readonly results: BenchResult[]
}

export async function measureCeilings(dir: string, quick: boolean): Promise<Ceilings> {
  const seqMiBps = sequentialWrite(dir, (quick ? 256 : 1024) * 1024 * 1024)
  const staged = stagedRecords(dir, quick ? 300_000 : 1_000_000, prewrite)
  const fsync256 = await fdatasyncEvery256(dir, quick ? 400 : 1500, prewrite)
  return {
    stagedRecordsPerSec: staged,
    fsync256RecordsPerSec: fsync256,
    results: [
      result('machine.write.buffered.1MiB', seqMiBps, 'MiB/s'),
      result('machine.write.staged.1KiB', staged, 'records/s'),
      result('machine.fdatasync.every256.1KiB', fsync256, 'records/s'),
    ],
  }
}
