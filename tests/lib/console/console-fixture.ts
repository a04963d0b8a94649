// A real engine for the console services' tests: a standalone broker + NameServer on a temp dir and free ports,
// reached only through a RemoteGateway, wrapped in a proxy that counts gateway calls and the most in flight at
// once, plus the conformance harness's client acts (consume and commit, register an online member).
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import type { ConsoleContext } from '@/lib/console/console-context'
import { emptyMetricReads, type MetricReads } from '@/lib/console/metric-reads'
import { invalidateSnapshots } from '@/lib/console/snapshot-cache'
import type { GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'

export interface CallCounter {
  /** Calls per gateway method since the last reset. */
  readonly calls: Map<string, number>
  /** Arguments of each call per method. */
  readonly args: Map<string, unknown[][]>
  /** Most calls of one method in flight at once. */
  readonly peakInFlight: Map<string, number>
  count(method: string): number
  reset(): void
}

export interface ConsoleFixture {
  readonly broker: StandaloneBroker
  /** The counted gateway. */
  readonly gateway: ClusterGateway
  readonly counter: CallCounter
  /** consume / online / deadLetter over remoting, as a client would. */
  readonly harness: GatewayHarness
  /** A context on a cluster id of its own (the snapshot cache is keyed by it), with these metric reads. */
  context(metrics?: MetricReads): ConsoleContext
  close(): Promise<void>
}

/** `inner` behind a proxy that counts each method's calls, their arguments and the most in flight at once. */
export function countingGateway(inner: ClusterGateway): { gateway: ClusterGateway; counter: CallCounter } {
  const calls = new Map<string, number>()
  const args = new Map<string, unknown[][]>()
  const inFlight = new Map<string, number>()
  const peakInFlight = new Map<string, number>()
  const counter: CallCounter = {
    calls,
    args,
    peakInFlight,
    count: (method) => calls.get(method) ?? 0,
    reset() {
      calls.clear()
      args.clear()
      peakInFlight.clear()
    },
  }
  const gateway = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function' || typeof property !== 'string') return value
      return (...callArgs: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1)
        args.set(property, [...(args.get(property) ?? []), callArgs])
        const now = (inFlight.get(property) ?? 0) + 1
        inFlight.set(property, now)
        peakInFlight.set(property, Math.max(peakInFlight.get(property) ?? 0, now))
        const done = () => inFlight.set(property, (inFlight.get(property) ?? 1) - 1)
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, callArgs)
        if (result instanceof Promise) return result.finally(done)
        done()
        return result
      }
    },
  })
  return { gateway, counter }
}

let clusterSeq = 0

export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mqdeck-console-'))
  let broker: StandaloneBroker
  try {
    broker = await startStandaloneBroker({
      config: { storePathRootDir: dir, listenPort: 0, brokerName: 'broker-a' },
      namesrvPort: 0,
      log: () => undefined,
    })
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const harness = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr ?? ''], routeTtlMs: 0 })
  const { gateway, counter } = countingGateway(harness.gateway)
  const clusters: string[] = []
  return {
    broker,
    gateway,
    counter,
    harness,
    context(metrics = emptyMetricReads) {
      const cluster = `test-${process.pid}-${++clusterSeq}`
      clusters.push(cluster)
      return { cluster, gateway, metrics }
    },
    async close() {
      for (const cluster of clusters) invalidateSnapshots(cluster)
      await harness.close()
      await broker.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Metric reads from a fixed table, recording every call. */
export function fixedMetricReads(
  latest: Readonly<Record<string, number>>,
  atMs = 1_000,
): MetricReads & {
  readonly latestCalls: (readonly string[] | undefined)[]
} {
  const latestCalls: (readonly string[] | undefined)[] = []
  return {
    latestCalls,
    latestValues(_cluster, _scope, _metric, names) {
      latestCalls.push(names)
      const values = new Map<string, number>()
      for (const name of names ?? Object.keys(latest)) {
        const v = latest[name]
        if (v !== undefined) values.set(name, v)
      }
      return Promise.resolve({ values, atMs: values.size > 0 ? atMs : undefined })
    },
    series(_cluster, _scope, name) {
      const v = latest[name]
      return Promise.resolve(v === undefined ? [] : [{ t: atMs, v }])
    },
  }
}
