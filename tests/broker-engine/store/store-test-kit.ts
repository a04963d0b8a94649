// Shared helpers for store tests: each test gets its own temp directory and a small-file configuration so
// roll-overs and file boundaries happen after a few messages.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { MessageStore, type MessageStoreDeps } from '../../../broker-engine/store/message-store'
import type { MessageStoreConfig } from '../../../broker-engine/store/store-config'
import type { MessageToStore, PutMessageOk, PutMessageResult } from '../../../broker-engine/store/store-types'
import { formatProperties } from '../../../broker-engine/store/message-properties'

const dirs: string[] = []
const stores: MessageStore[] = []

afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown().catch(() => undefined)
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

export function tempStoreDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqdeck-store-test-'))
  dirs.push(dir)
  return dir
}

/** Small files: 256 KiB segments, 64 KiB bodies max, 100-unit consume queue files, tiny index files. */
export const SMALL_STORE: Partial<MessageStoreConfig> = {
  mappedFileSizeCommitLog: 256 * 1024,
  mappedFileSizeConsumeQueue: 100 * 20,
  maxMessageSize: 64 * 1024,
  maxHashSlotNum: 64,
  maxIndexNum: 400,
  commitLogWriteBufferBytes: 64 * 1024,
  warmMappedFileEnable: false,
}

export async function openStore(
  dir: string,
  config: Partial<MessageStoreConfig> = {},
  deps: MessageStoreDeps = {},
): Promise<MessageStore> {
  const store = await MessageStore.open(
    { storePathRootDir: dir, ...SMALL_STORE, ...config },
    { log: () => undefined, ...deps },
  )
  stores.push(store)
  return store
}

/** Shuts a store down and forgets it (so afterEach does not shut it down twice). */
export async function closeStore(store: MessageStore): Promise<void> {
  stores.splice(stores.indexOf(store), 1)
  await store.shutdown()
}

export function message(
  topic: string,
  queueId: number,
  body: string | Buffer,
  props: { tags?: string; keys?: string; uniqKey?: string; extra?: Record<string, string> } = {},
): MessageToStore {
  const propertiesString = formatProperties([
    ...Object.entries(props.extra ?? {}),
    ['TAGS', props.tags],
    ['KEYS', props.keys],
    ['UNIQ_KEY', props.uniqKey],
  ])
  return { topic, queueId, body: typeof body === 'string' ? Buffer.from(body) : body, propertiesString }
}

export function expectOk(result: PutMessageResult): PutMessageOk {
  if (result.status !== 'PUT_OK')
    throw new Error(`put failed: ${result.status} ${'reason' in result ? result.reason : ''}`)
  return result
}
