// Benchmark child: opens a store, fills it with `count` messages as a producer with a window of in-flight puts
// would, and reports throughput and RSS (after GC) before and after. It then waits to be killed, so the parent
// can time a restart after a crash of a store this size.

import { MessageStore } from '../../broker-engine/store/message-store'
import { BENCH_QUEUES, BENCH_TOPIC, benchProperties } from './bench-kit'

const [dir, countText, bodyBytesText] = process.argv.slice(2)
const count = Number(countText)
const body = Buffer.alloc(Number(bodyBytesText), 0x6d)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
const WINDOW = 8192

const store = await MessageStore.open({ storePathRootDir: dir! }, { log: () => undefined })
gc()
const memBefore = process.memoryUsage()
const rssBefore = memBefore.rss

const t0 = performance.now()
const cpu0 = process.cpuUsage()
await new Promise<void>((resolve) => {
  let sent = 0
  let acked = 0
  const onAck = (): void => {
    acked++
    if (sent < count) send()
    else if (acked === count) resolve()
  }
  const send = (): void => {
    const i = sent++
    store.appendMessage({ topic: BENCH_TOPIC, queueId: i % BENCH_QUEUES, body, propertiesString: benchProperties(i) }, onAck)
  }
  for (let i = 0; i < Math.min(WINDOW, count); i++) send()
})
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
gc()
const rssAfter = process.memoryUsage().rss
process.stdout.write(JSON.stringify({ heapUsedGrowth: process.memoryUsage().heapUsed - memBefore.heapUsed, arrayBuffersGrowth: process.memoryUsage().arrayBuffers - memBefore.arrayBuffers, msgsPerSec: count / seconds, cpuUsPerMsg: (cpu.user + cpu.system) / count, rssBefore, rssAfter, maxOffset: store.commitLogMaxOffset }) + '\n')
process.stdin.on('data', () => undefined)
setInterval(() => undefined, 60_000)
