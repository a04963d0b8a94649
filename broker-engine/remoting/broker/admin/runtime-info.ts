// GET_BROKER_RUNTIME_INFO's KVTable (PROTOCOL.md 2.10): every key of RocketMQ's list this broker has a real
// figure for, all values strings. Left out, because nothing here measures them: put/get latencies and their
// distribution, failed puts, getFoundTps/getMissTps/getTotalTps, dispatchMaxBuffer, pageCacheLockTimeMills,
// and the thread-pool queue keys (requests are served on the event loop, there are no worker pools).
// mqadmin clusterList and the dashboard read msgPut*/msgGet*, putTps, getTransferedTps (4.9.4 spelling; 5.x
// reads getTransferredTps — both are written), brokerVersionDesc, earliestMessageTimeStamp, commitLogDiskRatio.

import fs from 'node:fs'
import path from 'node:path'
import { SCHEDULE_TOPIC } from '../../../store/message-constants'
import { ENGINE_REMOTING_VERSION } from '../../remoting-codes'
import type { AdminContext } from './admin-context'
import { readDelayOffsets } from './delay-offset-file'
import { javaDoubleText } from '../../fastjson-writer'

export function brokerRuntimeInfo(ctx: AdminContext): Record<string, string> {
  const { broker, sampler, clock } = ctx
  const store = broker.store.getRuntimeStats()
  const table: Record<string, string> = {}
  const put = (key: string, value: string | number) => {
    table[key] = String(value)
  }

  put('brokerVersionDesc', ctx.brokerVersionDesc)
  put('brokerVersion', ENGINE_REMOTING_VERSION)
  // RocketMQ's isSpecialServiceRunning: a master (or a slave acting as one) serves writes.
  put('brokerActive', String(broker.config.brokerRole !== 'SLAVE'))
  put('bootTimestamp', store.startedAtMs)
  put('runtime', formatRuntime(clock.nowMs() - store.startedAtMs))
  put('putMessageTimesTotal', store.putMessageCount)
  put('putMessageSizeTotal', store.putMessageBytes)
  put(
    'putMessageAverageSize',
    javaDoubleText(store.putMessageCount > 0 ? store.putMessageBytes / store.putMessageCount : 0),
  )
  put('putTps', sampler.brokerPutTps().map(javaDoubleText).join(' '))
  const getTps = sampler.brokerGetTps().map(javaDoubleText).join(' ')
  put('getTransferedTps', getTps)
  put('getTransferredTps', getTps)

  const puts = sampler.putDailyTotals()
  put('msgPutTotalYesterdayMorning', puts.yesterdayMorning)
  put('msgPutTotalTodayMorning', puts.todayMorning)
  put('msgPutTotalTodayNow', puts.now)
  const gets = sampler.getDailyTotals()
  put('msgGetTotalYesterdayMorning', gets.yesterdayMorning)
  put('msgGetTotalTodayMorning', gets.todayMorning)
  put('msgGetTotalTodayNow', gets.now)

  put('commitLogMinOffset', store.commitLogMinOffset)
  put('commitLogMaxOffset', store.commitLogMaxOffset)
  put('dispatchBehindBytes', Math.max(0, store.commitLogMaxOffset - store.dispatchedOffset))
  put('remainHowManyDataToFlush', humanReadableBytes(store.commitLogMaxOffset - store.commitLogFlushedOffset))
  const earliest =
    store.commitLogMaxOffset > store.commitLogMinOffset
      ? broker.store.lookMessageByOffset(store.commitLogMinOffset)?.storeTimestampMs
      : undefined
  put('earliestMessageTimeStamp', earliest ?? -1)
  // The broker accepts sends from the moment it starts (RocketMQ's startAcceptSendRequestTimeStamp default).
  put('startAcceptSendRequestTimeStamp', 0)
  // No transient store pool: RocketMQ reports Integer.MAX_VALUE remaining buffers when the pool is off.
  put('remainTransientStoreBufferNumbs', 0x7fffffff)
  // No timer wheel (delay levels only): these are what RocketMQ reports when timerWheelEnable is off.
  put('timerReadBehind', 0)
  put('timerOffsetBehind', 0)
  put('timerCongestNum', 0)
  put('timerEnqueueTps', '0.0')
  put('timerDequeueTps', '0.0')

  const disk = diskUsage(store.storePathRootDir)
  if (disk) {
    const ratio = javaDoubleText(Math.round(disk.usedRatio * 100) / 100)
    put('commitLogDiskRatio', ratio)
    put(`commitLogDiskRatio_${path.join(store.storePathRootDir, 'commitlog')}`, ratio)
    put('consumeQueueDiskRatio', ratio)
    put(
      'commitLogDirCapacity',
      `Total : ${humanReadableBytes(disk.totalBytes)}, Free : ${humanReadableBytes(disk.freeBytes)}.`,
    )
  }

  const delay = readDelayOffsets(broker)
  for (const [level, offset] of delay?.offsetTable ?? []) {
    put(
      `scheduleMessageOffset_${level}`,
      `${offset},${broker.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, level - 1)}`,
    )
  }
  return table
}

/** StoreStatsService's "[ D days, H hours, M minutes, S seconds ]". */
export function formatRuntime(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000))
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds % 60} seconds ]`
}

/** MixAll.humanReadableByteCount(bytes, false): "0 B", "1.5 KiB", "252.0 GiB". */
export function humanReadableBytes(bytes: number): string {
  const unit = 1024
  if (bytes < unit) return `${Math.max(0, bytes)} B`
  const exp = Math.min(6, Math.floor(Math.log(bytes) / Math.log(unit)))
  return `${(bytes / unit ** exp).toFixed(1)} ${'KMGTPE'[exp - 1]}iB`
}

/** The partition holding the store: RocketMQ's getDiskPartitionSpaceUsedPercent and File.getTotal/FreeSpace. */
function diskUsage(dir: string): { usedRatio: number; totalBytes: number; freeBytes: number } | undefined {
  try {
    const s = fs.statfsSync(dir)
    const totalBytes = s.blocks * s.bsize
    const freeBytes = s.bfree * s.bsize
    if (totalBytes <= 0) return undefined
    return { usedRatio: (totalBytes - freeBytes) / totalBytes, totalBytes, freeBytes }
  } catch {
    return undefined
  }
}
