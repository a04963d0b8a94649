// Calling many brokers at once and keeping what answered: the per-broker results, and a BrokerFailure for each
// broker that did not. The transport's limiter bounds how many calls run together.
import 'server-only'
import type { BrokerFailure, PartialResult } from '@/lib/cluster/gateway'
import type { WireBrokerData, WireClusterInfo, WireTopicRoute } from './admin-client'
import { isRemoteClusterError, RemoteClusterError } from './remote-error'

/** A broker to call: its name (for results and failures) and the address of the node to call. */
export interface BrokerTarget {
  readonly brokerName: string
  readonly addr: string
}

export const MASTER_ID = '0'

export interface FanOutResult<T, G extends BrokerTarget = BrokerTarget> {
  readonly results: readonly { readonly target: G; readonly value: T }[]
  readonly failures: readonly BrokerFailure[]
  /** The errors behind `failures`, in the same order. */
  readonly errors: readonly RemoteClusterError[]
  /** The first error, rethrown by requireSome when nothing answered. */
  readonly firstError: unknown
}

/**
 * Runs `call` for every target. A RemoteClusterError becomes that broker's failure; anything else (a bug) is
 * rethrown, so programming errors are never disguised as a silent broker.
 */
export async function fanOut<T, G extends BrokerTarget = BrokerTarget>(
  targets: readonly G[],
  call: (target: G) => Promise<T>,
): Promise<FanOutResult<T, G>> {
  const settled = await Promise.allSettled(targets.map((target) => call(target)))
  const results: { target: G; value: T }[] = []
  const failures: BrokerFailure[] = []
  const errors: RemoteClusterError[] = []
  let firstError: unknown
  settled.forEach((outcome, i) => {
    const target = targets[i]!
    if (outcome.status === 'fulfilled') {
      results.push({ target, value: outcome.value })
      return
    }
    if (!isRemoteClusterError(outcome.reason)) throw outcome.reason
    firstError ??= outcome.reason
    errors.push(outcome.reason)
    failures.push({ broker: target.brokerName, reason: outcome.reason.message })
  })
  return { results, failures, errors, firstError }
}

/** Throws when every target failed (a read that got nothing is an error, not an empty page). */
export function requireSome<T, G extends BrokerTarget>(outcome: FanOutResult<T, G>): FanOutResult<T, G> {
  if (outcome.results.length === 0 && outcome.failures.length > 0) throw outcome.firstError
  return outcome
}

export function partial<T>(data: T, failures: readonly BrokerFailure[]): PartialResult<T> {
  return { data, partial: failures.length > 0, failures }
}

/** The node to read a broker from: its master, else (master down) its lowest-id slave. */
export function readNodeOf(broker: WireBrokerData): BrokerTarget | undefined {
  const master = broker.brokerAddrs[MASTER_ID]
  if (master) return { brokerName: broker.brokerName, addr: master }
  const ids = Object.keys(broker.brokerAddrs)
    .map(Number)
    .filter(Number.isInteger)
    .sort((a, b) => a - b)
  const addr = ids.length > 0 ? broker.brokerAddrs[String(ids[0])] : undefined
  return addr ? { brokerName: broker.brokerName, addr } : undefined
}

/** Masters of every broker (or of one cluster's brokers), sorted by broker name. */
export function mastersOf(info: WireClusterInfo, clusterName?: string): BrokerTarget[] {
  const names =
    clusterName === undefined
      ? undefined
      : new Set(info.clusters.find((c) => c.clusterName === clusterName)?.brokerNames ?? [])
  return info.brokers
    .filter((b) => names === undefined || names.has(b.brokerName))
    .flatMap((b) => {
      const addr = b.brokerAddrs[MASTER_ID]
      return addr ? [{ brokerName: b.brokerName, addr }] : []
    })
    .sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))
}

/** Nodes to read each broker of a route from (masters, or a slave when the master is gone). */
export function readNodesOfRoute(route: WireTopicRoute): BrokerTarget[] {
  return route.brokers
    .flatMap((b) => {
      const node = readNodeOf(b)
      return node ? [node] : []
    })
    .sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))
}

/** Failures for brokers a route names that have no reachable node at all. */
export function orphanFailures(route: WireTopicRoute): BrokerFailure[] {
  return route.brokers
    .filter((b) => readNodeOf(b) === undefined)
    .map((b) => ({ broker: b.brokerName, reason: 'the NameServer lists no address for this broker' }))
}

export function notFound(message: string): RemoteClusterError {
  return new RemoteClusterError('NOT_FOUND', message)
}
