// Reads the embedded store's live figures (sizes, offsets, flush and dispatch progress).
import 'server-only'
import type { StoreRuntimeStats } from '@/broker-engine/index'
import { getMessageStore } from '@/lib/engine/embedded-engine'

export type { StoreRuntimeStats }

export async function getStoreStats(): Promise<StoreRuntimeStats> {
  const store = await getMessageStore()
  return store.getRuntimeStats()
}
