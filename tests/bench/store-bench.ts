// Store benchmarks: async append (128 B, 1 KiB), sync-flush append with 1/16/256 producers, reads by queue
// offset, key and unique-id lookups on a large store, restart after a crash and after a clean shutdown, RSS.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { MessageStore } from '../../broker-engine/store/message-store'
import {
  BENCH_QUEUES,
  BENCH_TOPIC,
  benchProperties,
  benchUniqKey,
  mib,
  percentile,
  produceWindowed,
  result,
  type BenchResult,
} from './bench-kit'
import type { Ceilings } from './machine-ceilings'

const MAX = Number.MAX_SAFE_INTEGER

function freshDir(root: string, name: string): string {
  const dir = path.join(root, name)
  fs.rmSync(dir, { recursive: true, force: true })
  return dir
}

/** Fills a store in a child process; resolves with its report and a function that SIGKILLs it. */
async function fillInChild(dir: string, count: number, bodyBytes: number) {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'fill-child.ts'),
      dir,
      String(count),
      String(bodyBytes),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const nl = out.indexOf('\n')
      if (nl >= 0) resolve(out.slice(0, nl))
    })
    child.on('exit', (code) => reject(new Error(`fill child exited early (${code})`)))
  })
  const report = JSON.parse(line) as {
    heapUsedGrowth: number
    arrayBuffersGrowth: number
    msgsPerSec: number
    cpuUsPerMsg: number
    rssBefore: number
    rssAfter: number
  }
  return {
    report,
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}

async function asyncAppendInProcess(
  dir: string,
  count: number,
  bodyBytes: number,
): Promise<{ rate: number; cpuUsPerMsg: number }> {
  const store = await MessageStore.open({ storePathRootDir: dir }, { log: () => undefined })
  const body = Buffer.alloc(bodyBytes, 0x61)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await produceWindowed(store, count, body)
  const rate = count / ((performance.now() - t0) / 1000)
  const cpu = process.cpuUsage(cpu0)
  await store.shutdown()
  return { rate, cpuUsPerMsg: (cpu.user + cpu.system) / count }
}

async function syncAppend(
  dir: string,
  producers: number,
  seconds: number,
): Promise<{ rate: number; p50: number; p99: number }> {
  const store = await MessageStore.open(
    { storePathRootDir: dir, flushDiskType: 'SYNC_FLUSH' },
    { log: () => undefined },
  )
  const body = Buffer.alloc(1024, 0x73)
  const latencies: number[] = []
  let sent = 0
  const deadline = performance.now() + seconds * 1000
  const producer = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = sent++
      const t = performance.now()
      const r = await store.putMessage({
        topic: BENCH_TOPIC,
        queueId: i % BENCH_QUEUES,
        body,
        propertiesString: benchProperties(i),
      })
      if (r.status !== 'PUT_OK') throw new Error(`sync put failed: ${r.status}`)
      latencies.push(performance.now() - t)
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: producers }, producer))
  const elapsed = (performance.now() - t0) / 1000
  await store.shutdown()
  latencies.sort((a, b) => a - b)
  return { rate: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

function lookupLatencies(
  count: number,
  samples: number,
  lookup: (i: number) => boolean,
): { p50Ms: number; p99Ms: number } {
  const latencies: number[] = []
  let x = 12345
  for (let s = 0; s < samples; s++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    const i = x % count
    const t = performance.now()
    if (!lookup(i)) throw new Error(`lookup of message ${i} found nothing`)
    latencies.push(performance.now() - t)
  }
  latencies.sort((a, b) => a - b)
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) }
}

export async function storeBenchmarks(
  root: string,
  ceilings: Ceilings,
  quick: boolean,
): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  const count = quick ? 200_000 : 1_000_000
  const label = quick ? '200k' : '1M'

  // Async append, in process.
  const small = await asyncAppendInProcess(freshDir(root, 'async-128'), quick ? 200_000 : 1_000_000, 128)
  out.push(result('store.append.async.128B', small.rate, 'msgs/s', { ceiling: ceilings.stagedRecordsPerSec }))
  out.push(result('store.append.async.128B.cpu', small.cpuUsPerMsg, 'µs/msg'))
  fs.rmSync(path.join(root, 'async-128'), { recursive: true, force: true })

  // Fill the large store in a child (throughput + RSS), then kill it to time a crash restart.
  const bigDir = freshDir(root, 'big')
  const { report, kill } = await fillInChild(bigDir, count, 1024)
  out.push(
    result('store.append.async.1KiB', report.msgsPerSec, 'msgs/s', {
      ceiling: ceilings.stagedRecordsPerSec,
      target: 300_000,
      targetKind: 'min',
    }),
  )
  out.push(result('store.append.async.1KiB.cpu', report.cpuUsPerMsg, 'µs/msg'))
  out.push(result(`store.rss.before.${label}`, mib(report.rssBefore), 'MiB'))
  out.push(result(`store.rss.after.${label}`, mib(report.rssAfter), 'MiB'))
  out.push(
    result(`store.rss.growth.${label}`, mib(report.rssAfter - report.rssBefore), 'MiB', {
      target: 64,
      targetKind: 'max',
    }),
  )
  // What the store itself keeps: live JS objects and buffers. RSS growth beyond these is V8 sizing its heap.
  out.push(result(`store.heapUsed.growth.${label}`, mib(report.heapUsedGrowth), 'MiB'))
  out.push(result(`store.arrayBuffers.growth.${label}`, mib(report.arrayBuffersGrowth), 'MiB'))
  await kill()

  let t0 = performance.now()
  let store = await MessageStore.open({ storePathRootDir: bigDir }, { log: () => undefined })
  out.push(result(`store.restart.crash.${label}`, performance.now() - t0, 'ms'))
  out.push(
    result(
      `store.restart.crash.redispatched.${label}`,
      store.recoveryReport?.redispatchedMessages ?? 0,
      'msgs',
    ),
  )

  // Reads by queue offset: every message of every queue, 32 per call.
  t0 = performance.now()
  let read = 0
  for (let q = 0; q < BENCH_QUEUES; q++) {
    for (let offset = 0; ;) {
      const got = store.getMessage({ topic: BENCH_TOPIC, queueId: q, queueOffset: offset, maxMsgNums: 32 })
      if (got.status !== 'FOUND') break
      read += got.messageCount
      offset = got.nextBeginOffset
    }
  }
  out.push(result('store.read.queueOffset.1KiB', read / ((performance.now() - t0) / 1000), 'msgs/s'))
  if (read !== count) throw new Error(`read ${read} messages back, expected ${count}`)

  const samples = quick ? 5_000 : 20_000
  const key = lookupLatencies(
    count,
    samples,
    (i) => store.queryMessage(BENCH_TOPIC, `order-${i}`, 32, 0, MAX).length === 1,
  )
  out.push(result(`store.lookup.key.p50.${label}`, key.p50Ms, 'ms'))
  out.push(result(`store.lookup.key.p99.${label}`, key.p99Ms, 'ms', { target: 2, targetKind: 'max' }))
  const uniq = lookupLatencies(
    count,
    samples,
    (i) => store.queryMessageByUniqKey(BENCH_TOPIC, benchUniqKey(i)) !== undefined,
  )
  out.push(result(`store.lookup.uniqKey.p50.${label}`, uniq.p50Ms, 'ms'))
  out.push(result(`store.lookup.uniqKey.p99.${label}`, uniq.p99Ms, 'ms'))

  await store.shutdown()
  t0 = performance.now()
  store = await MessageStore.open({ storePathRootDir: bigDir }, { log: () => undefined })
  out.push(
    result(`store.restart.clean.${label}`, performance.now() - t0, 'ms', { target: 1000, targetKind: 'max' }),
  )
  await store.shutdown()
  fs.rmSync(bigDir, { recursive: true, force: true })

  // Sync flush (group commit) with 1, 16 and 256 closed-loop producers.
  for (const producers of [1, 16, 256]) {
    const dir = freshDir(root, `sync-${producers}`)
    const r = await syncAppend(dir, producers, quick ? 1.5 : 4)
    const target = producers === 256 ? { target: 120_000, targetKind: 'min' as const } : {}
    out.push(
      result(`store.append.sync.${producers}producers.1KiB`, r.rate, 'msgs/s', {
        ceiling: ceilings.fsync256RecordsPerSec,
        ...target,
      }),
    )
    out.push(result(`store.append.sync.${producers}producers.p99`, r.p99, 'ms'))
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return out
}
