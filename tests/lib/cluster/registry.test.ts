// lib/cluster/registry.ts: the embedded cluster is always there; remote connections are stored rows validated at
// the edge, each with its own gateway (rebuilt when the row changes, closed when it is removed).
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import {
  addClusterConnection,
  EMBEDDED_CLUSTER_ID,
  getClusterConnection,
  getGateway,
  listClusterConnections,
  removeClusterConnection,
} from '@/lib/cluster/registry'
import { EmbeddedGateway } from '@/lib/cluster/embedded-gateway'
import { RemoteGateway } from '@/lib/cluster/remote-gateway'
import { stopEmbeddedEngine } from '@/lib/engine/embedded-engine'
import type { AppError } from '@/lib/errors'
import { migrateFreshDatabase } from '../../helpers/migrate'

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (err) {
    return err as AppError
  }
  throw new Error('expected a rejection')
}

describe('cluster registry', () => {
  let dir: string
  let remoteDir: string
  let remote: StandaloneBroker

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-registry-'))
    process.env.DATABASE_URL = migrateFreshDatabase(dir)
    process.env.MQDECK_STORE_DIR = path.join(dir, 'store')
    process.env.MQDECK_NAMESRV_PORT = '0'
    process.env.MQDECK_BROKER_PORT = '0'
    remoteDir = await mkdtemp(path.join(tmpdir(), 'mqdeck-registry-remote-'))
    remote = await startStandaloneBroker({
      config: { storePathRootDir: remoteDir, listenPort: 0, brokerClusterName: 'RemoteCluster' },
      namesrvPort: 0,
      log: () => undefined,
    })
  })

  afterAll(async () => {
    await stopEmbeddedEngine()
    await remote?.close()
    if (remoteDir) await rm(remoteDir, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('always lists the embedded cluster first, served by the in-process engine', async () => {
    const [first] = await listClusterConnections()
    expect(first).toEqual({
      id: EMBEDDED_CLUSTER_ID,
      name: 'Embedded engine',
      kind: 'embedded',
      namesrvAddrs: [],
      readOnly: false,
      hasCredentials: false,
    })
    const gateway = await getGateway(EMBEDDED_CLUSTER_ID)
    expect(gateway).toBeInstanceOf(EmbeddedGateway)
    expect(await getGateway(EMBEDDED_CLUSTER_ID)).toBe(gateway)
    const info = await gateway.getClusterInfo()
    expect(info.data.brokers.map((b) => b.brokerName)).toEqual(['broker-a'])
  })

  it('stores a remote connection and reaches that cluster through its own gateway', async () => {
    const view = await addClusterConnection({
      id: 'staging',
      name: 'Staging',
      namesrvAddrs: ` ${remote.namesrvAddr} ; ${remote.namesrvAddr}`,
      readOnly: true,
      accessKey: 'AK',
      secretKey: 'SK',
    })
    // Duplicates dropped, credentials never echoed.
    expect(view).toEqual({
      id: 'staging',
      name: 'Staging',
      kind: 'remote',
      namesrvAddrs: [remote.namesrvAddr],
      readOnly: true,
      hasCredentials: true,
    })
    expect(await getClusterConnection('staging')).toEqual(view)
    expect((await listClusterConnections()).map((c) => c.id)).toEqual([EMBEDDED_CLUSTER_ID, 'staging'])
    const gateway = await getGateway('staging')
    expect(gateway).toBeInstanceOf(RemoteGateway)
    expect((await getGateway('staging')) === gateway).toBe(true)
    const info = await gateway.getClusterInfo()
    expect(info.data.clusters.map((c) => c.clusterName)).toEqual(['RemoteCluster'])
  })

  it('refuses bad connections with field errors, and a taken id with CONFLICT', async () => {
    const bad = await appErrorOf(
      addClusterConnection({ id: 'Bad Id', name: '', namesrvAddrs: 'nohost', accessKey: 'AK' }),
    )
    expect(bad.code).toBe('VALIDATION_FAILED')
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['id', 'name', 'namesrvAddrs', 'secretKey'])
    const builtIn = await appErrorOf(
      addClusterConnection({ id: EMBEDDED_CLUSTER_ID, name: 'x', namesrvAddrs: '127.0.0.1:9876' }),
    )
    expect(builtIn.fieldErrors?.id).toEqual(['"embedded" is built in'])
    const taken = await appErrorOf(
      addClusterConnection({ id: 'staging', name: 'again', namesrvAddrs: '127.0.0.1:9876' }),
    )
    expect(taken.code).toBe('CONFLICT')
  })

  it('answers NOT_FOUND for an unknown cluster and forgets a removed one', async () => {
    expect((await appErrorOf(getGateway('nope'))).code).toBe('NOT_FOUND')
    expect((await appErrorOf(getClusterConnection('nope'))).code).toBe('NOT_FOUND')
    const gateway = await getGateway('staging')
    await removeClusterConnection('staging')
    expect((await appErrorOf(getGateway('staging'))).code).toBe('NOT_FOUND')
    // The old gateway was closed with its connection.
    expect((await appErrorOf(gateway.listTopics())).code).toBe('SERVICE_UNAVAILABLE')
    expect((await appErrorOf(removeClusterConnection(EMBEDDED_CLUSTER_ID))).code).toBe('VALIDATION_FAILED')
    expect((await appErrorOf(removeClusterConnection('staging'))).code).toBe('NOT_FOUND')
  })
})
