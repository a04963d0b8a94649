// What every remote operation works with: the cluster's transport (limiter, deadlines, signing), its route
// cache, the producer group mutations send with, and the clock and id source (injected for tests).
import 'server-only'
import type { RouteCache } from './route-cache'
import type { RemoteTransport } from './remote-transport'
import type { UniqKeyGenerator } from '@/broker-engine/index'

export const ADMIN_PRODUCER_GROUP = 'MQDECK_ADMIN_PRODUCER'

export interface RemoteContext {
  readonly transport: RemoteTransport
  readonly routes: RouteCache
  readonly producerGroup: string
  readonly nowMs: () => number
  readonly uniqKeys: UniqKeyGenerator
  /** Round-robin position for picking send queues. */
  readonly queueCursor: { value: number }
}
