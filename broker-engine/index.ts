// The engine's only public entry: lib/ and tests import from here, never from deeper paths.

export { systemClock, type Clock, type TimerHandle } from './common/clock'
export { EngineError, StoreCorruptionError, type EngineErrorCode } from './common/engine-error'
export { javaStringHashCode } from './common/java-hash'
export { MessageStore, type MessageStoreDeps, type PutCallback } from './store/message-store'
export { DEFAULT_STORE_CONFIG, resolveStoreConfig, type MessageStoreConfig } from './store/store-config'
export { decodeRecord, type DecodedMessage } from './store/message-codec'
export { createOffsetMsgId, decodeOffsetMsgId } from './store/message-id'
export { findProperty, formatProperties, parseProperties } from './store/message-properties'
export * from './store/message-constants'
export type * from './store/store-types'

import { MessageStore, type MessageStoreDeps } from './store/message-store'
import type { MessageStoreConfig } from './store/store-config'

/** Opens (creating or recovering) a message store. */
export function openMessageStore(
  config: Partial<MessageStoreConfig> & { storePathRootDir: string },
  deps?: MessageStoreDeps,
): Promise<MessageStore> {
  return MessageStore.open(config, deps)
}
