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

// The harness consumes and dead-letters over remoting, which the mini brokers serve. Not registered here: the
// online-group case (the mini brokers take no HEART_BEAT, so no consumer or producer can be online) and the
// delayed-message case (they store a delayed message in its topic at once: no schedule topic, no delay levels).
runGatewayConformance(
  'remote gateway on an in-memory 4.x-like cluster',
  () => remoteHarness({ namesrvAddrs: ns.addr, callTimeoutMs: 2_000, routeTtlMs: 0 }),
  { consume: true, deadLetter: true, online: false, delayLevel1Ms: undefined },
)
