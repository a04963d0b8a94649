// The operations suite on a remote cluster: `npm run broker` in a child process (tests/lib/cluster/broker-child.ts),
// added as a cluster connection the way the Clusters page adds one and reached only over remoting. The broker's
// stderr is printed when a case fails.
import { afterEach } from 'vitest'
import { startBrokerChild, type BrokerChild } from '../cluster/broker-child'
import { runOperationsCases } from './operations-cases'
import { connectTarget, prepareTargetDir, type TargetDir } from './operations-target'

let broker: BrokerChild | undefined

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`npm run broker stderr:\n${broker?.stderr() ?? ''}`)
})

runOperationsCases('operations → npm run broker (remote connection)', async () => {
  // The child starts while the database is migrated (both spawn a Node process; neither waits for the other).
  const starting = startBrokerChild({ clusterName: 'OpsCluster', brokerName: 'broker-ops' })
  let dir: TargetDir
  try {
    dir = await prepareTargetDir('remote')
  } catch (err) {
    await (await starting.catch(() => undefined))?.stop()
    throw err
  }
  try {
    broker = await starting
  } catch (err) {
    await dir.restore()
    throw err
  }
  const child = broker
  return connectTarget({
    name: 'remote',
    dir,
    namesrvAddr: child.namesrvAddr,
    listsHalfMessages: false,
    async stopBroker() {
      const code = await child.stop()
      if (code !== 0) console.error(`npm run broker exited with ${code}; stderr:\n${child.stderr()}`)
    },
  })
})
