// The embedded broker engine: one in-process cluster (a NameServer and broker-a) per process, started once and
// shut down on SIGTERM/SIGINT.
// Kept on globalThis because Next loads this module several times in one process (instrumentation,
// RSC/actions, route handlers); only globalThis is shared between those copies.
import 'server-only'
import { EmbeddedCluster, type BrokerController, type MessageStore } from '@/broker-engine/index'
import { resolveStoreDir } from '@/lib/config/paths'

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000

const SIGNAL_EXIT_CODE: Readonly<Record<'SIGTERM' | 'SIGINT', number>> = { SIGINT: 130, SIGTERM: 143 }

/** The embedded broker's name; the console's cluster is DefaultCluster with this one master. */
export const EMBEDDED_BROKER_NAME = 'broker-a'

interface EngineState {
  storePromise: Promise<EmbeddedCluster> | undefined
  stopPromise: Promise<void> | undefined
  signalsHooked: boolean
}

const g = globalThis as unknown as { __mqdeckEngine?: EngineState }

function state(): EngineState {
  return (g.__mqdeckEngine ??= { storePromise: undefined, stopPromise: undefined, signalsHooked: false })
}

/**
 * Starts the embedded cluster (its broker's store under `MQDECK_STORE_DIR`, default `<repo>/data/store`) unless
 * it is already running or starting. Idempotent: every caller gets the same cluster. A failed start is
 * forgotten so a later call can retry.
 */
export function startEmbeddedEngine(): Promise<EmbeddedCluster> {
  const s = state()
  // Once stopping, callers keep getting the same (closing) cluster, whose broker answers SERVICE_NOT_AVAILABLE;
  // it is never started a second time in this process.
  if (s.storePromise) return s.storePromise
  if (s.stopPromise) return Promise.reject(new Error('the embedded engine was stopped before it was started'))
  const opening = EmbeddedCluster.start({
    brokers: [{ storePathRootDir: resolveStoreDir(), brokerName: EMBEDDED_BROKER_NAME }],
  }).catch((err: unknown) => {
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

/** Persists the broker's tables, flushes, checkpoints and closes the store. Idempotent. */
export function stopEmbeddedEngine(): Promise<void> {
  const s = state()
  s.stopPromise ??= (async () => {
    const opening = s.storePromise
    if (!opening) return
    const cluster = await opening.catch(() => undefined)
    await cluster?.shutdown()
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
