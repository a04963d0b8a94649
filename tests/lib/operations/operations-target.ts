// What an operations target is (a cluster the console acts on, registered like the console registers one, plus a
// remoting client to seed it and check the broker) and the setup both targets share: a temp dir with a migrated
// SQLite file as the process database, a read-only connection to the same broker, and the teardown.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { addClusterConnection, removeClusterConnection } from '@/lib/cluster/registry'
import { invalidateSnapshots } from '@/lib/console/snapshot-cache'
import type { Db } from '@/lib/db'
import type { GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'
import { migrateFreshDatabase } from '../../helpers/migrate'

export interface OperationsTarget {
  /** The read-write cluster id the services are called with (resolved through lib/cluster/registry.ts). */
  readonly cluster: string
  /** A read-only connection to the same broker. */
  readonly readOnlyCluster: string
  /** A RemoteGateway (no route cache) and client acts over remoting: seeds the broker and reads what it holds. */
  readonly harness: GatewayHarness
  /** Whether the cluster's gateway lists pending half messages (RocketMQ's protocol has no request for it). */
  readonly listsHalfMessages: boolean
  close(): Promise<void>
}

/** A temp dir whose database.db is migrated and is this process's DATABASE_URL until `restore()`. */
export interface TargetDir {
  readonly dir: string
  /** Puts DATABASE_URL (and the variables `envOf` set) back, disconnects lib/db.ts and removes the dir. */
  restore(): Promise<void>
}

const g = globalThis as { __mqdeckPrisma?: Db }

/** Makes the dir, migrates its database and points lib/db.ts at it; `envOf(dir)` is set too (restored on close). */
export async function prepareTargetDir(
  name: string,
  envOf: (dir: string) => Record<string, string> = () => ({}),
): Promise<TargetDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mqdeck-ops-${name}-`))
  const env = envOf(dir)
  const names = ['DATABASE_URL', ...Object.keys(env)]
  const previous = new Map(names.map((n) => [n, process.env[n]]))
  try {
    process.env.DATABASE_URL = migrateFreshDatabase(dir, 'database.db')
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  Object.assign(process.env, env)
  return {
    dir,
    async restore() {
      await g.__mqdeckPrisma?.$disconnect()
      g.__mqdeckPrisma = undefined
      for (const [n, value] of previous) {
        if (value === undefined) delete process.env[n]
        else process.env[n] = value
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface ConnectTargetOptions {
  readonly name: string
  readonly dir: TargetDir
  /** The broker's NameServer, for the read-only connection and the seeding harness. */
  readonly namesrvAddr: string
  /** A cluster id the registry already serves (the embedded one); otherwise a remote connection is added. */
  readonly builtInCluster?: string
  readonly listsHalfMessages: boolean
  /** Stops the broker (after the gateways and the harness are closed). */
  readonly stopBroker: () => Promise<void>
}

/** Registers the connections and opens the harness; on a failure part way, everything opened is closed again. */
export async function connectTarget(options: ConnectTargetOptions): Promise<OperationsTarget> {
  const cluster = options.builtInCluster ?? `ops-${options.name}`
  const readOnlyCluster = `ops-${options.name}-ro`
  const added: string[] = []
  let harness: GatewayHarness | undefined
  const close = async () => {
    for (const id of [cluster, ...added]) invalidateSnapshots(id)
    for (const id of added) await removeClusterConnection(id).catch(() => undefined)
    await harness?.close()
    await options.stopBroker()
    await options.dir.restore()
  }
  try {
    if (!options.builtInCluster) {
      await addClusterConnection({ id: cluster, name: cluster, namesrvAddrs: options.namesrvAddr })
      added.push(cluster)
    }
    await addClusterConnection({
      id: readOnlyCluster,
      name: readOnlyCluster,
      namesrvAddrs: options.namesrvAddr,
      readOnly: true,
    })
    added.push(readOnlyCluster)
    harness = await remoteHarness({
      namesrvAddrs: [options.namesrvAddr],
      callTimeoutMs: 5_000,
      routeTtlMs: 0,
    })
    return { cluster, readOnlyCluster, harness, listsHalfMessages: options.listsHalfMessages, close }
  } catch (err) {
    await close()
    throw err
  }
}
