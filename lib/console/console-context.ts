// What a console read service needs: the cluster's id (the cache and metrics key), its gateway and where metric
// history comes from. Pages and routes build it with consoleContext(cluster); tests build it by hand.
import 'server-only'
import { getGateway } from '@/lib/cluster/registry'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { defaultMetricReads, type MetricReads } from './metric-reads'

export interface ConsoleContext {
  readonly cluster: string
  readonly gateway: ClusterGateway
  readonly metrics: MetricReads
}

/** The context of a cluster in the URL; AppError NOT_FOUND when no such connection exists. */
export async function consoleContext(cluster: string): Promise<ConsoleContext> {
  return { cluster, gateway: await getGateway(cluster), metrics: defaultMetricReads }
}
