import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import { parseSubscription } from '../../../broker-engine/broker/subscription-filter'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

const clusters: EmbeddedCluster[] = []
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown()
})

async function startBroker(clock: ManualClock) {
  const c = await EmbeddedCluster.start({
    clock,
    log: () => undefined,
    brokers: [{ ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a' }],
  })
  clusters.push(c)
  const broker = c.brokers[0]!
  broker.upsertTopic({ topicName: 'Live', readQueueNums: 1, writeQueueNums: 1 })
  return { c, broker }
}

describe('BrokerController.updateRuntimeConfig (UPDATE_BROKER_CONFIG)', () => {
  it('applies a permission change to the next send and announces it to the NameServer', async () => {
    const { c, broker } = await startBroker(new ManualClock())
    const before = c.namesrv.getBrokerLiveInfo()[0]!
    broker.updateRuntimeConfig({ brokerPermission: 4 })
    expect(broker.config.brokerPermission).toBe(4)
    const refused = await broker.sendMessage({ topic: 'Live', queueId: 0, body: Buffer.from('x') })
    expect(refused).toMatchObject({ status: 'ERROR', code: 'NO_PERMISSION' })
    expect(c.namesrv.getBrokerLiveInfo()[0]!.dataVersion).not.toEqual(before.dataVersion)
    // The route now says read-only, so producers route around this broker.
    expect(c.routeOf('Live')!.queueDatas[0]!.perm).toBe(4)
    broker.updateRuntimeConfig({ brokerPermission: 6 })
    expect((await broker.sendMessage({ topic: 'Live', queueId: 0, body: Buffer.from('y') })).status).toBe(
      'SEND_OK',
    )
  })

  it('turns long polling off: a pull with nothing to read is held only shortPollingTimeMills', async () => {
    const clock = new ManualClock()
    const { broker } = await startBroker(clock)
    broker.updateRuntimeConfig({ longPollingEnable: false, shortPollingTimeMills: 200 })
    let answered = false
    const pull = broker
      .pullMessage({
        consumerGroup: 'cg',
        topic: 'Live',
        queueId: 0,
        queueOffset: 0,
        maxMsgNums: 1,
        suspendTimeoutMs: 15_000,
        subExpression: parseSubscription('*').subString,
      })
      .then((r) => {
        answered = true
        return r
      })
    clock.advance(199)
    await new Promise((resolve) => setImmediate(resolve)) // let an answer, had there been one, arrive
    expect(answered).toBe(false)
    clock.advance(1)
    expect((await pull).status).toBe('NO_NEW_MSG')
  })

  it('refuses keys that need a restart and values out of range, naming the key, and changes nothing', async () => {
    const { broker } = await startBroker(new ManualClock())
    expect(() => broker.updateRuntimeConfig({ listenPort: 1234 })).toThrow(/listenPort cannot be changed/)
    expect(() => broker.updateRuntimeConfig({ brokerPermission: 99 })).toThrow(/brokerPermission/)
    expect(broker.config.brokerPermission).toBe(6)
    expect(broker.config.listenPort).not.toBe(1234)
  })
})
