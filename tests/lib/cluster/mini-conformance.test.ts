// The ClusterGateway conformance suite run through the remote gateway against the in-memory cluster: it keeps
// the suite itself honest until `npm run broker` exists, when the same suite runs against it (and the embedded
// gateway) from their own test files.
import { afterAll, beforeAll } from 'vitest'
import { runGatewayConformance } from './gateway-conformance'
import { MiniBroker, MiniNameServer } from './mini-cluster'
import { remoteHarness } from './remote-harness'

let brokers: MiniBroker[] = []
let ns: MiniNameServer

beforeAll(async () => {
  brokers = [await MiniBroker.start('broker-a'), await MiniBroker.start('broker-b')]
  ns = await MiniNameServer.start(brokers)
})

afterAll(async () => {
  await Promise.all([...brokers.map((b) => b.close()), ns.close()])
})

runGatewayConformance('remote gateway on an in-memory 4.x-like cluster', () =>
  remoteHarness({ namesrvAddrs: ns.addr, callTimeoutMs: 2_000, routeTtlMs: 0 }),
)
