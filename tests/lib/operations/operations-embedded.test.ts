// The operations suite on the embedded engine as the console runs it: the engine singleton of
// lib/engine/embedded-engine.ts (store in a temp dir, NameServer and broker on free ports) served as cluster
// "embedded" by the registry's EmbeddedGateway, with a read-only connection to the same engine beside it.
import path from 'node:path'
import { EMBEDDED_CLUSTER_ID, getGateway } from '@/lib/cluster/registry'
import { getEmbeddedStandalone, stopEmbeddedEngine } from '@/lib/engine/embedded-engine'
import { runOperationsCases } from './operations-cases'
import { connectTarget, prepareTargetDir } from './operations-target'

runOperationsCases('operations → embedded engine (cluster "embedded")', async () => {
  const dir = await prepareTargetDir('embedded', (tmp) => ({
    MQDECK_STORE_DIR: path.join(tmp, 'store'),
    MQDECK_NAMESRV_PORT: '0',
    MQDECK_BROKER_PORT: '0',
  }))
  let namesrvAddr: string
  try {
    namesrvAddr = (await getEmbeddedStandalone()).namesrvAddr!
  } catch (err) {
    await stopEmbeddedEngine()
    await dir.restore()
    throw err
  }
  return connectTarget({
    name: 'embedded',
    dir,
    namesrvAddr,
    builtInCluster: EMBEDDED_CLUSTER_ID,
    listsHalfMessages: true,
    async stopBroker() {
      // The registry keeps the "embedded" gateway for the process; close it before the engine it talks to.
      await (await getGateway(EMBEDDED_CLUSTER_ID)).close()
      await stopEmbeddedEngine()
    },
  })
})
