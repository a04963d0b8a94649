// Brief caches of what the NameServer says (cluster info, topic routes): one page's many reads, and pages opened
// together, share one NameServer call instead of each making their own. Concurrent loads of a key share one
// call; failures are not cached; mutations invalidate.
import 'server-only'
import {
  getBrokerClusterInfo,
  getRouteInfoByTopic,
  type WireClusterInfo,
  type WireTopicRoute,
} from './admin-client'
import type { RemoteTransport } from './remote-transport'

export const ROUTE_TTL_MS_DEFAULT = 10_000
/** Entries kept at most; the oldest goes first beyond it (a scan over thousands of topics stays bounded). */
export const CACHE_ENTRIES_MAX = 10_000

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAtMs: number }>()

  constructor(
    private readonly ttlMs: number,
    private readonly nowMs: () => number = Date.now,
    private readonly entriesMax = CACHE_ENTRIES_MAX,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.nowMs()
    const hit = this.entries.get(key)
    if (hit && hit.expiresAtMs > now) return hit.value
    const value = load()
    const entry = { value, expiresAtMs: now + this.ttlMs }
    this.entries.delete(key)
    this.entries.set(key, entry)
    if (this.entries.size > this.entriesMax) this.entries.delete(this.entries.keys().next().value!)
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key)
    })
    return value
  }

  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear()
    else this.entries.delete(key)
  }
}

/** Cluster info and topic routes of one cluster, each kept `ttlMs`. */
export class RouteCache {
  private readonly clusters: TtlCache<WireClusterInfo>
  private readonly routes: TtlCache<WireTopicRoute | undefined>

  constructor(
    private readonly transport: RemoteTransport,
    ttlMs = ROUTE_TTL_MS_DEFAULT,
    nowMs: () => number = Date.now,
  ) {
    this.clusters = new TtlCache(ttlMs, nowMs)
    this.routes = new TtlCache(ttlMs, nowMs)
  }

  clusterInfo(): Promise<WireClusterInfo> {
    return this.clusters.get('', () => getBrokerClusterInfo(this.transport))
  }

  route(topic: string): Promise<WireTopicRoute | undefined> {
    return this.routes.get(topic, () => getRouteInfoByTopic(this.transport, topic))
  }

  /** After a mutation: the next read asks the NameServer again. */
  invalidate(topic?: string): void {
    this.clusters.invalidate()
    if (topic === undefined) this.routes.invalidate()
    else this.routes.invalidate(topic)
  }
}
