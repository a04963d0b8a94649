// Benchmark child: opens a store, fills it with `count` messages as a producer with a window of in-flight puts
// would, and reports throughput and RSS (after GC) before and after. It then waits to be killed, so the parent
// can time a restart after a crash of a store this size.

import { MessageStore } from '../../broker-engine/store/message-store'
import { produceWindowed } from './bench-kit'

const [dir, countText, bodyBytesText] = process.argv.slice(2)
const count = Number(countText)
const body = Buffer.alloc(Number(bodyBytesText), 0x6d)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

const store = await MessageStore.open({ storePathRootDir: dir! }, { log: () => undefined })
gc()
const memBefore = process.memoryUsage()

const t0 = performance.now()
const cpu0 = process.cpuUsage()
await produceWindowed(store, count, body)
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
gc()
const memAfter = process.memoryUsage()
const report = {
  msgsPerSec: count / seconds,
  cpuUsPerMsg: (cpu.user + cpu.system) / count,
  rssBefore: memBefore.rss,
  rssAfter: memAfter.rss,
  heapUsedGrowth: memAfter.heapUsed - memBefore.heapUsed,
  arrayBuffersGrowth: memAfter.arrayBuffers - memBefore.arrayBuffers,
}
process.stdout.write(JSON.stringify(report) + '\n')
process.stdin.on('data', () => undefined)
setInterval(() => undefined, 60_000)
