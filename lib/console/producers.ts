// The Producers page's data: every producer group with its connections (GET_ALL_PRODUCER_INFO, so nobody has to
// know a group's name first), from one cached listProducers() snapshot, filtered, sorted and paged on the server.
// Clusters that cannot list producers (brokers before 5.x) get the reason instead.
import 'server-only'
import type { BrokerFailure, ProducerConnection, ProducerGroupInfo } from '@/lib/cluster/gateway'
import type { ConsoleContext } from './console-context'
import { pageOf, type ListPage, type ListParams, type SortKey } from './list-query'
import { cachedSnapshot } from './snapshot-cache'

export const PRODUCERS_TTL_MS = 5_000

export interface ProducerGroupRow {
  readonly producerGroup: string
  readonly connections: readonly ProducerConnection[]
  /** Newest heartbeat among the connections (undefined when none reports one). */
  readonly lastHeartbeatMs: number | undefined
  /** Distinct client languages, e.g. ["JAVA", "GO"]. */
  readonly languages: readonly string[]
}

export type ProducersPage =
  | {
      readonly supported: true
      readonly page: ListPage<ProducerGroupRow>
      readonly connectionsTotal: number
      readonly partial: boolean
      readonly failures: readonly BrokerFailure[]
      readonly fetchedAtMs: number
    }
  | { readonly supported: false; readonly reason: string; readonly fetchedAtMs: number }

const SORTERS: Readonly<Record<string, SortKey<ProducerGroupRow>>> = {
  producerGroup: (row) => row.producerGroup,
  connections: (row) => row.connections.length,
  lastHeartbeat: (row) => row.lastHeartbeatMs ?? 0,
}

export function producerGroupRowOf(info: ProducerGroupInfo): ProducerGroupRow {
  let lastHeartbeatMs: number | undefined
  for (const c of info.connections)
    if (c.lastUpdateTimestampMs !== undefined)
      lastHeartbeatMs = Math.max(lastHeartbeatMs ?? 0, c.lastUpdateTimestampMs)
  return {
    producerGroup: info.producerGroup,
    connections: [...info.connections].sort((a, b) =>
      a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0,
    ),
    lastHeartbeatMs,
    languages: [...new Set(info.connections.map((c) => c.language))].sort(),
  }
}

/** What the filter box matches: the group, and each connection's client id, address and language. */
function searchText(row: ProducerGroupRow): string {
  return [row.producerGroup, ...row.connections.flatMap((c) => [c.clientId, c.clientAddr, c.language])].join(
    '\n',
  )
}

/** One page of producer groups (1 call per master at most once per PRODUCERS_TTL_MS). */
export async function listProducerPage(ctx: ConsoleContext, params: ListParams): Promise<ProducersPage> {
  const snapshot = await cachedSnapshot(ctx.cluster, 'producers', PRODUCERS_TTL_MS, () =>
    ctx.gateway.listProducers(),
  )
  const capability = snapshot.value
  if (!capability.supported)
    return { supported: false, reason: capability.reason, fetchedAtMs: snapshot.fetchedAtMs }
  const rows = capability.value.data.map(producerGroupRowOf)
  // Default order: by group name, so pages are stable between refreshes.
  const sorted = params.sort ? params : { ...params, sort: 'producerGroup', dir: 'asc' as const }
  return {
    supported: true,
    page: pageOf(rows, sorted, searchText, SORTERS),
    connectionsTotal: rows.reduce((sum, row) => sum + row.connections.length, 0),
    partial: capability.value.partial,
    failures: capability.value.failures,
    fetchedAtMs: snapshot.fetchedAtMs,
  }
}
