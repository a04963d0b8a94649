// What crash-child.ts writes and crash.test.ts checks: the same deterministic bodies and store settings.

import type { MessageStoreConfig } from '../../../broker-engine/store/store-config'

export const CRASH_TOPIC = 'CrashTopic'

export const CRASH_TEST_CONFIG: Partial<MessageStoreConfig> = {
  mappedFileSizeCommitLog: 4 * 1024 * 1024,
  mappedFileSizeConsumeQueue: 1000 * 20,
  maxMessageSize: 64 * 1024,
  maxHashSlotNum: 4096,
  maxIndexNum: 20_000,
  commitLogWriteBufferBytes: 256 * 1024,
  flushIntervalCommitLog: 20,
  flushConsumeQueueInterval: 50,
  warmMappedFileEnable: true,
}

/** A body whose content and length (100 B to ~6 KiB) follow from the sequence number. */
export function crashTestBody(seq: number): Buffer {
  const length = 100 + (((seq * 2654435761) >>> 0) % 6000)
  const unit = `seq=${seq};`
  return Buffer.from(unit.repeat(Math.ceil(length / unit.length)).slice(0, length), 'latin1')
}

export function seqOfBody(body: Buffer): number {
  const match = /^seq=(\d+);/.exec(body.subarray(0, 24).toString('latin1'))
  return match ? Number(match[1]) : -1
}
