// Seeded simulation of the broker with its in-process clients: random sends, consumers that fail a message a
// predetermined number of times, and whole-cluster restarts, on a ManualClock. Checked against a simple model:
// every message that fails at most 16 times is consumed successfully; one that always fails ends in the DLQ.
// Replay with SIM_SEED=<seed>.

import { seededRandom } from '../../helpers/seeded-random'
import { describe, expect, it } from 'vitest'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import { Producer } from '../../../broker-engine/client/producer'
import { PushConsumer } from '../../../broker-engine/client/push-consumer'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

async function settle(turns = 8): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

const POISON = 1000 // fails every time

describe('seeded simulation', () => {
  it('delivers every message or dead-letters it, across failures and restarts', async () => {
    const seed = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const random = seededRandom(seed)
    const clock = new ManualClock(1_800_000_000_000)
    const dirs = [tempStoreDir()]
    const failuresOf = new Map<number, number>() // the model: how often each message fails before it succeeds
    const attempts = new Map<number, number>()
    const succeeded = new Set<number>()
    let sent = 0

    const startAll = async () => {
      const cluster = await EmbeddedCluster.start({
        clock,
        log: () => undefined,
        random,
        brokers: [{ ...SMALL_STORE, storePathRootDir: dirs[0]!, brokerName: 'broker-a' }],
      })
      cluster.brokers[0]!.upsertTopic({ topicName: 'Sim', readQueueNums: 4, writeQueueNums: 4 })
      const consumer = new PushConsumer(cluster, {
        group: 'sim-cg',
        clientId: 'sim-1',
        clock,
        log: () => undefined,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        suspendTimeoutMs: 5000,
      })
      await consumer.subscribe('Sim').start((m) => {
        const id = m.body.readUInt32BE(0)
        const n = (attempts.get(id) ?? 0) + 1
        attempts.set(id, n)
        if (n <= failuresOf.get(id)!) return 'RECONSUME_LATER'
        succeeded.add(id)
        return 'CONSUME_SUCCESS'
      })
      return { cluster, consumer, producer: new Producer(cluster, { group: 'sim-pg', clock }) }
    }

    let world = await startAll()
    for (let step = 0; step < 400; step++) {
      const roll = random()
      if (roll < 0.5) {
        for (let k = Math.floor(random() * 5); k >= 0; k--) {
          const id = sent++
          const r = random()
          failuresOf.set(id, r < 0.02 ? POISON : r < 0.3 ? 1 + Math.floor(random() * 3) : 0)
          const body = Buffer.alloc(16)
          body.writeUInt32BE(id, 0)
          await world.producer.send({ topic: 'Sim', body, keys: `sim-${id}` })
        }
      } else if (roll < 0.52) {
        // A clean restart of consumer and broker: offsets, retry and delay progress must carry over.
        await world.consumer.shutdown()
        await world.cluster.shutdown()
        world = await startAll()
      }
      clock.advance(Math.floor(random() * 20_000))
      await settle()
    }
    // Let every retry run its course: 16 retries take under 5 hours.
    for (let t = 0; t < 6 * 360; t++) {
      clock.advance(10_000)
      await settle(4)
    }
    const context = `seed=${seed}`
    const broker = world.cluster.brokers[0]!
    const dead = new Set(broker.listDlq('sim-cg', 0, 1000).map((d) => d.message.body.readUInt32BE(0)))
    for (const [id, failures] of failuresOf) {
      if (failures === POISON) {
        expect(dead.has(id), `${context}: poison message ${id} not in the DLQ`).toBe(true)
        expect(attempts.get(id), `${context}: poison message ${id} attempts`).toBeGreaterThanOrEqual(17)
      } else {
        expect(succeeded.has(id), `${context}: message ${id} (fails ${failures}x) never consumed`).toBe(true)
        expect(dead.has(id), `${context}: message ${id} wrongly dead-lettered`).toBe(false)
      }
    }
    expect(sent, context).toBeGreaterThan(100)
    await world.consumer.shutdown()
    await world.cluster.shutdown()
  }, 240_000)
})
