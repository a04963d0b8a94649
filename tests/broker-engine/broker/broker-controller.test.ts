// BrokerController's batch admin paths: upsertTopics / upsertGroups apply a whole list with one persist and
// announce changed topics to the NameServers once per batch.

import { afterEach, describe, expect, it } from 'vitest'
import { BrokerController, type NameServerLink } from '../../../broker-engine/broker/broker-controller'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

type Registration = Parameters<NameServerLink['registerBroker']>[0]

const brokers: BrokerController[] = []
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.shutdown()
})

async function startBroker(): Promise<{ broker: BrokerController; registrations: Registration[] }> {
  const registrations: Registration[] = []
  const link: NameServerLink = {
    registerBroker: (request) => void registrations.push(request),
    unregisterBroker: () => undefined,
  }
  const broker = await BrokerController.start({
    config: { ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a' },
    clock: new ManualClock(),
    log: () => undefined,
    nameServers: [link],
  })
  brokers.push(broker)
  registrations.length = 0 // the start-up registration
  return { broker, registrations }
}

describe('upsertTopics', () => {
  it('registers the changed topics once, incrementally, with the new data version', async () => {
    const { broker, registrations } = await startBroker()
    broker.upsertTopic({ topicName: 'Same', readQueueNums: 1, writeQueueNums: 1 })
    registrations.length = 0
    const version = broker.topics.dataVersion.counter
    const result = broker.upsertTopics([
      { topicName: 'Same', readQueueNums: 1, writeQueueNums: 1 },
      ...Array.from({ length: 200 }, (_, i) => ({ topicName: `T${i}`, readQueueNums: 2, writeQueueNums: 2 })),
    ])
    expect(result.changed).toHaveLength(200)
    expect(broker.topics.dataVersion.counter).toBe(version + 1)
    expect(registrations).toHaveLength(1)
    const [registration] = registrations
    expect(registration!.incremental).toBe(true)
    expect(registration!.topicConfigs.map((t) => t.topicName)).toEqual(result.changed.map((t) => t.topicName))
    expect(registration!.dataVersion).toEqual(broker.topics.dataVersion)
  })

  it('does not register when nothing changed, nor when the batch is refused', async () => {
    const { broker, registrations } = await startBroker()
    broker.upsertTopics([{ topicName: 'A', readQueueNums: 1, writeQueueNums: 1 }])
    registrations.length = 0
    expect(broker.upsertTopics([{ topicName: 'A', readQueueNums: 1, writeQueueNums: 1 }]).changed).toEqual([])
    expect(() =>
      broker.upsertTopics([{ topicName: 'B' }, { topicName: 'C', readQueueNums: 100_000 }]),
    ).toThrow(EngineError)
    expect(broker.topics.get('B')).toBeUndefined()
    expect(registrations).toEqual([])
  })
})

describe('upsertGroups', () => {
  it('creates the groups in one version bump', async () => {
    const { broker } = await startBroker()
    const version = broker.groups.dataVersion.counter
    const result = broker.upsertGroups(
      Array.from({ length: 100 }, (_, i) => ({ groupName: `GID_${i}`, consumeBroadcastEnable: false })),
    )
    expect(result.changed).toHaveLength(100)
    expect(broker.groups.dataVersion.counter).toBe(version + 1)
    expect(broker.groups.get('GID_99')?.consumeBroadcastEnable).toBe(false)
    expect(broker.upsertGroup({ groupName: 'GID_99', consumeBroadcastEnable: false })).toBe(
      broker.groups.get('GID_99'),
    )
  })
})
