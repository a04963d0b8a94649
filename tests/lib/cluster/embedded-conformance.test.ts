// The ClusterGateway conformance suite through the embedded gateway, against the engine started in this process
// as the console starts it (standalone NameServer + broker on free ports, store in a temp dir). Then what only
// the embedded gateway offers: heartbeat ages from the in-process NameServer and the pending half messages.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneBroker, TransactionProducer, type StandaloneBroker } from '@/broker-engine/index'
import { EmbeddedGateway } from '@/lib/cluster/embedded-gateway'
import { runGatewayConformance, type GatewayHarness } from './gateway-conformance'
import { remoteHarness } from './remote-harness'

let dir: string
let engine: StandaloneBroker

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mqdeck-embedded-gw-'))
  engine = await startStandaloneBroker({
    config: { storePathRootDir: dir, listenPort: 0 },
    namesrvPort: 0,
    log: () => undefined,
  })
})

afterAll(async () => {
  await engine?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** The client acts (consume, dead-letter, online) come from the remote harness; the gateway is the embedded one. */
async function embeddedHarness(): Promise<GatewayHarness & { gateway: EmbeddedGateway }> {
  const client = await remoteHarness({ namesrvAddrs: [engine.namesrvAddr!], callTimeoutMs: 5_000 })
  const gateway = new EmbeddedGateway(engine, { callTimeoutMs: 5_000, routeTtlMs: 0 })
  return {
    ...client,
    gateway,
    async close() {
      await client.close()
      await gateway.close()
    },
  }
}

runGatewayConformance('embedded gateway → in-process engine', embeddedHarness, {
  consume: true,
  deadLetter: true,
  online: true,
  delayLevel1Ms: 1_000,
})

describe('embedded gateway: what the in-process engine adds', () => {
  let h: Awaited<ReturnType<typeof embeddedHarness>>

  beforeAll(async () => {
    h = await embeddedHarness()
  })

  afterAll(async () => {
    await h?.close()
  })

  it('reports each broker heartbeat age from the in-process NameServer', async () => {
    const info = await h.gateway.getClusterInfo()
    expect(info.partial).toBe(false)
    const [broker] = info.data.brokers
    expect(broker?.addr).toBe(engine.brokerAddr)
    expect(broker?.heartbeatAgeMs).toBeGreaterThanOrEqual(0)
    // Registered at start and every 30 s after: never older than the NameServer's 120 s expiry.
    expect(broker?.heartbeatAgeMs).toBeLessThan(120_000)
  })

  it('lists pending half messages with their offset id, keys and checks, and ends one by that id', async () => {
    const topic = `emb_tx_${Date.now()}`
    await h.gateway.createOrUpdateTopic({ topic, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
    const producer = new TransactionProducer(engine.cluster, {
      group: 'emb-tx-producer',
      clientId: 'emb-tx-client',
      checkLocalTransaction: () => 'UNKNOW',
      // No check-back during the test: the half message stays pending until the gateway ends it.
      checkImmunityTimeSeconds: 3_600,
    })
    producer.start()
    try {
      const { sendResult } = await producer.sendMessageInTransaction(
        { topic, body: Buffer.from('half'), keys: ['order-77', 'tx-77'] },
        () => 'UNKNOW',
      )
      const listed = await h.gateway.listPendingTransactions()
      expect(listed.supported).toBe(true)
      if (!listed.supported) return
      const row = listed.value.data.find((t) => t.uniqKey === sendResult.msgId)
      expect(row).toMatchObject({
        topic,
        producerGroup: 'emb-tx-producer',
        keys: ['order-77', 'tx-77'],
        checkTimes: 0,
      })
      expect(row!.msgId).toMatch(/^[0-9A-F]{32}$/)
      expect(row!.nextCheckMs).toBeGreaterThan(Date.now())

      // The listed id is one the gateway can act on: committing makes the message visible in its topic.
      const ended = await h.gateway.endTransaction({ msgId: row!.msgId, action: 'COMMIT' })
      expect(ended).toEqual({ supported: true, value: { status: 'DONE' } })
      const after = await h.gateway.listPendingTransactions()
      expect(after.supported && after.value.data.some((t) => t.msgId === row!.msgId)).toBe(false)
      expect((await h.gateway.getTopicStats(topic)).data!.messageCount).toBe(1)
    } finally {
      producer.shutdown()
    }
  })
})
