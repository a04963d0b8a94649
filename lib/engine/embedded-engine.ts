// The embedded broker engine: one in-process cluster (a NameServer and broker-a) per process, served over
// RocketMQ's remoting protocol too (NameServer on MQDECK_NAMESRV_PORT, default 9876; broker on
// MQDECK_BROKER_PORT, default 10911) so real RocketMQ clients can use it; started once, shut down on SIGTERM/SIGINT.
// Kept on globalThis because Next loads this module several times in one process (instrumentation,
// RSC/actions, route handlers); only globalThis is shared between those copies.
import 'server-only'
import {
  startStandaloneBroker,
  type BrokerController,
  type EmbeddedCluster,
  type MessageStore,
  type StandaloneBroker,
} from '@/broker-engine/index'
import { resolveStoreDir } from '@/lib/config/paths'

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000

const SIGNAL_EXIT_CODE: Readonly<Record<'SIGTERM' | 'SIGINT', number>> = { SIGINT: 130, SIGTERM: 143 }

/** The embedded broker's name; the console's cluster is DefaultCluster with this one master. */
export const EMBEDDED_BROKER_NAME = 'broker-a'

interface EngineState {
  storePromise: Promise<StandaloneBroker> | undefined
  stopPromise: Promise<void> | undefined
  signalsHooked: boolean
  /** Run before the engine closes (the demo workload, the metrics jobs): they still need a working engine. */
  beforeStop: (() => Promise<void>)[]
}

const g = globalThis as unknown as { __mqdeckEngine?: EngineState }

function state(): EngineState {
  return (g.__mqdeckEngine ??= {
    storePromise: undefined,
    stopPromise: undefined,
    signalsHooked: false,
    beforeStop: [],
  })
}

/**
 * Starts the embedded cluster (its broker's store under `MQDECK_STORE_DIR`, default `<repo>/data/store`) unless
 * it is already running or starting. Idempotent: every caller gets the same cluster. A failed start is
 * forgotten so a later call can retry.
 */
export function startEmbeddedEngine(): Promise<EmbeddedCluster> {
  return startEngine().then((engine) => engine.cluster)
}

/** The running engine itself (NameServer + broker and their remoting servers); starts it on first use. */
export function getEmbeddedStandalone(): Promise<StandaloneBroker> {
  return startEngine()
}

/** The remoting addresses real clients use: the NameServer and the broker. */
export async function getRemotingAddresses(): Promise<{ namesrvAddr: string; brokerAddr: string }> {
  const engine = await startEngine()
  return { namesrvAddr: engine.namesrvAddr ?? '', brokerAddr: engine.brokerAddr }
}

function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name]?.trim()
  if (!text) return fallback
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port from 0 to 65535 (0 = any free port); got ${JSON.stringify(text)}`)
  return port
}

function startEngine(): Promise<StandaloneBroker> {
  const s = state()
  // Once stopping, callers keep getting the same (closing) cluster, whose broker answers SERVICE_NOT_AVAILABLE;
  // it is never started a second time in this process.
  if (s.storePromise) return s.storePromise
  if (s.stopPromise) return Promise.reject(new Error('the embedded engine was stopped before it was started'))
  const opening = (async () =>
    startStandaloneBroker({
      config: {
        storePathRootDir: resolveStoreDir(),
        brokerName: EMBEDDED_BROKER_NAME,
        listenPort: portFromEnv('MQDECK_BROKER_PORT', 10911),
      },
      namesrvPort: portFromEnv('MQDECK_NAMESRV_PORT', 9876),
      log: (m) => console.warn(`[mqdeck engine] ${m}`),
    }).then((engine) => {
      console.log(
        `[mqdeck engine] RocketMQ remoting: NameServer ${engine.namesrvAddr ?? '-'}, broker ${engine.brokerAddr}`,
      )
      return engine
    }))().catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      err = new Error(
        `${(err as Error).message}: another RocketMQ or mqdeck is listening there; ` +
          'set MQDECK_NAMESRV_PORT / MQDECK_BROKER_PORT (0 = any free port)',
      )
    s.storePromise = undefined
    throw err
  })
  s.storePromise = opening
  hookSignals(s)
  return opening
}

/** The embedded broker; starts the engine on first use (e.g. under `next dev`, before instrumentation ran). */
export async function getEmbeddedBroker(): Promise<BrokerController> {
  const cluster = await startEmbeddedEngine()
  const broker = cluster.masterOf(EMBEDDED_BROKER_NAME)
  if (!broker) throw new Error('the embedded cluster has no master broker')
  return broker
}

/** The embedded broker's message store. */
export async function getMessageStore(): Promise<MessageStore> {
  return (await getEmbeddedBroker()).store
}

/** Registers work to finish before the engine closes (each runs once; a failure is logged, not fatal). */
export function onEngineStopping(hook: () => Promise<void>): void {
  state().beforeStop.push(hook)
}

/** Runs the stopping hooks, then persists the broker's tables, flushes, checkpoints and closes the store. Idempotent. */
export function stopEmbeddedEngine(): Promise<void> {
  const s = state()
  s.stopPromise ??= (async () => {
    for (const hook of s.beforeStop.splice(0)) {
      await hook().catch((err: unknown) => console.error('[mqdeck] a stopping hook failed', err))
    }
    const opening = s.storePromise
    if (!opening) return
    const engine = await opening.catch(() => undefined)
    await engine?.close()
  })()
  return s.stopPromise
}

/**
 * On SIGTERM/SIGINT: close the store first, then let the signal handlers that were there before us run (Next's
 * standalone server registers one that closes HTTP and exits), or exit ourselves when there were none. Next's
 * handler is deferred because it calls process.exit() as soon as HTTP is closed, which could cut a flush short.
 * Repeated signals (a terminal sends SIGINT to the whole process group, and scripts/start.mjs forwards it too)
 * are ignored while the shutdown runs; the timeout bounds it.
 */
function hookSignals(s: EngineState): void {
  if (s.signalsHooked) return
  s.signalsHooked = true
  let shuttingDown = false
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const deferred = process.listeners(signal)
    for (const listener of deferred) process.removeListener(signal, listener)
    process.on(signal, () => {
      if (shuttingDown) return
      shuttingDown = true
      const timer = setTimeout(() => {
        console.error(`[mqdeck] engine shutdown took over ${SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`)
        process.exit(1)
      }, SHUTDOWN_TIMEOUT_MS)
      timer.unref()
      stopEmbeddedEngine().then(
        () => {
          if (deferred.length === 0) process.exit(SIGNAL_EXIT_CODE[signal])
          for (const listener of deferred) listener.call(process, signal)
        },
        (err: unknown) => {
          console.error('[mqdeck] engine shutdown failed', err)
          process.exit(1)
        },
      )
    })
  }
}
