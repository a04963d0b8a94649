// Clusters, brokers with their runtime figures, NameServer reachability and broker configs of a remote cluster.
import 'server-only'
import type {
  BrokerRef,
  BrokerRuntime,
  BrokerSummary,
  ClusterInfo,
  NameServerStatus,
  PartialResult,
} from '@/lib/cluster/gateway'
import { getBrokerClusterInfoAt, getBrokerConfig, getBrokerRuntimeInfo } from './admin-client'
import { fanOut, MASTER_ID, partial, type BrokerTarget } from './fan-out'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.trim())
  return Number.isFinite(n) ? n : undefined
}

/** TPS keys hold "10s 1min 10min" windows ("12.3 11.8 10.0"); the 10 s figure is the live one. */
function firstFigure(value: string | undefined): number {
  const first = value?.trim().split(/\s+/)[0]
  return numberOf(first) ?? 0
}

/** The figures of a GET_BROKER_RUNTIME_INFO table; absent or unreadable keys become undefined (or 0 for TPS). */
export function brokerRuntimeOf(table: Readonly<Record<string, string>>): BrokerRuntime {
  const count = (key: string) => numberOf(table[key]) ?? 0
  const positive = (key: string) => {
    const n = numberOf(table[key])
    return n !== undefined && n >= 0 ? n : undefined
  }
  return {
    version: table.brokerVersionDesc,
    bootTimestampMs: positive('bootTimestamp'),
    putTps: firstFigure(table.putTps),
    // 4.x spells it getTransferedTps.
    getTps: firstFigure(table.getTransferredTps ?? table.getTransferedTps),
    msgPutTotalTodayNow: count('msgPutTotalTodayNow'),
    msgGetTotalTodayNow: count('msgGetTotalTodayNow'),
    msgPutTotalYesterday: Math.max(
      0,
      count('msgPutTotalTodayMorning') - count('msgPutTotalYesterdayMorning'),
    ),
    msgGetTotalYesterday: Math.max(
      0,
      count('msgGetTotalTodayMorning') - count('msgGetTotalYesterdayMorning'),
    ),
    commitLogDiskRatio: positive('commitLogDiskRatio'),
    commitLogMinOffset: positive('commitLogMinOffset'),
    commitLogMaxOffset: positive('commitLogMaxOffset'),
    dispatchBehindBytes: positive('dispatchBehindBytes'),
    earliestMessageTimestampMs: positive('earliestMessageTimeStamp'),
    table: { ...table },
  }
}

interface Node extends BrokerTarget {
  readonly clusterName: string
  readonly brokerId: number
}

/** Every node of every broker with runtime figures and flush settings: 2 calls per node. */
export async function getClusterInfo(ctx: RemoteContext): Promise<PartialResult<ClusterInfo>> {
  const info = await ctx.routes.clusterInfo()
  const nodes: Node[] = info.brokers.flatMap((b) =>
    Object.entries(b.brokerAddrs).map(([id, addr]) => ({
      brokerName: b.brokerName,
      addr,
      clusterName: b.cluster,
      brokerId: Number(id),
    })),
  )
  const labelled = nodes.map((n) => ({
    ...n,
    brokerName: n.brokerId === 0 ? n.brokerName : `${n.brokerName} (id ${n.brokerId})`,
  }))
  const [runtimes, configs] = await Promise.all([
    fanOut(labelled, (n) => getBrokerRuntimeInfo(ctx.transport, n.addr)),
    fanOut(labelled, (n) => getBrokerConfig(ctx.transport, n.addr)),
  ])
  const brokers: BrokerSummary[] = nodes.map((node, i) => {
    const label = labelled[i]!
    const table = runtimes.results.find((r) => r.target === label)?.value
    const config = configs.results.find((r) => r.target === label)?.value
    return {
      clusterName: node.clusterName,
      brokerName: node.brokerName,
      brokerId: node.brokerId,
      addr: node.addr,
      role: String(node.brokerId) === MASTER_ID ? 'MASTER' : 'SLAVE',
      runtime: table ? brokerRuntimeOf(table) : undefined,
      flushDiskType: config?.flushDiskType,
      brokerRole: config?.brokerRole,
      heartbeatAgeMs: undefined,
    }
  })
  brokers.sort(
    (a, b) =>
      a.clusterName.localeCompare(b.clusterName) ||
      a.brokerName.localeCompare(b.brokerName) ||
      a.brokerId - b.brokerId,
  )
  // A broker that answers neither call is one failure, not two.
  const failures = [...runtimes.failures]
  for (const f of configs.failures) if (!failures.some((g) => g.broker === f.broker)) failures.push(f)
  return partial(
    {
      clusters: info.clusters
        .map((c) => ({ clusterName: c.clusterName, brokerNames: [...c.brokerNames].sort() }))
        .sort((a, b) => a.clusterName.localeCompare(b.clusterName)),
      brokers,
    },
    failures,
  )
}

/** Each NameServer's answer to GET_BROKER_CLUSTER_INFO and its round trip. */
export async function listNameServers(ctx: RemoteContext): Promise<NameServerStatus[]> {
  return Promise.all(
    ctx.transport.namesrvAddrs.map(async (addr): Promise<NameServerStatus> => {
      const startMs = performance.now()
      try {
        await getBrokerClusterInfoAt(ctx.transport, addr)
        return { addr, reachable: true, latencyMs: Math.round(performance.now() - startMs), error: undefined }
      } catch (err) {
        if (!isRemoteClusterError(err)) throw err
        // An error answer still proves the NameServer is there; only silence and refused connections do not.
        const reachable = err.kind !== 'UNREACHABLE' && err.kind !== 'TIMEOUT'
        const latencyMs = reachable ? Math.round(performance.now() - startMs) : undefined
        return { addr, reachable, latencyMs, error: err.message }
      }
    }),
  )
}

/** The address of a broker reference; undefined when the cluster has no such broker or node. */
export async function addrOf(ctx: RemoteContext, ref: BrokerRef): Promise<string | undefined> {
  if ('addr' in ref) return ref.addr
  const info = await ctx.routes.clusterInfo()
  return info.brokers.find((b) => b.brokerName === ref.brokerName)?.brokerAddrs[String(ref.brokerId ?? 0)]
}

export async function getBrokerConfigOf(
  ctx: RemoteContext,
  ref: BrokerRef,
): Promise<Record<string, string> | undefined> {
  const addr = await addrOf(ctx, ref)
  return addr === undefined ? undefined : getBrokerConfig(ctx.transport, addr)
}
